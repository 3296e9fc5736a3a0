package org.mediasec.kms.server;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.timeout.IdleStateHandler;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import org.mediasec.bearer.tls.SelfSignedCertificate;
import org.mediasec.kms.KmsService;
import org.mediasec.mikey.MikeyDecoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The KMS over HTTPS (TS 33.328 carries Ticket Request and Ticket Resolve over HTTP; RFC 6043 7): {@code POST} of
 * a MIKEY message with {@code Content-Type: application/mikey} to {@link #PATH}, answered with a MIKEY message.
 * Netty's HTTP codec does the HTTP; requests are handled off the event loop (the store is JDBC); bodies over
 * {@link MikeyDecoder#MAX_MESSAGE_BYTES} get 413, idle or slow connections are closed.
 */
public final class KmsServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(KmsServer.class);

    public static final String PATH = "/mikey";
    public static final String CONTENT_TYPE = "application/mikey";
    public static final Duration IDLE_TIMEOUT = Duration.ofSeconds(30);

    private final EventLoopGroup group;
    private final java.util.concurrent.ExecutorService workers;
    private final Channel channel;

    private KmsServer(EventLoopGroup group, java.util.concurrent.ExecutorService workers, Channel channel) {
        this.group = group;
        this.workers = workers;
        this.channel = channel;
    }

    public static KmsServer start(InetSocketAddress address, SelfSignedCertificate certificate, KmsService service) throws InterruptedException, SSLException {
        SslContext tls = SslContextBuilder.forServer(certificate.key(), certificate.chain().toArray(new java.security.cert.X509Certificate[0]))
                .sslProvider(SslProvider.JDK).protocols("TLSv1.3", "TLSv1.2").build();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        // the service blocks on its database: it runs here, not on the event loop
        java.util.concurrent.ExecutorService workers = java.util.concurrent.Executors.newFixedThreadPool(2, Thread.ofPlatform().name("kms-worker-", 0).daemon().factory());
        try {
            Channel channel = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast(new IdleStateHandler(0, 0, IDLE_TIMEOUT.toSeconds(), TimeUnit.SECONDS))
                                    .addLast(tls.newHandler(ch.alloc()))
                                    .addLast(new HttpServerCodec())
                                    .addLast(new HttpObjectAggregator(MikeyDecoder.MAX_MESSAGE_BYTES))
                                    .addLast(new KmsHttpHandler(service, workers));
                        }
                    })
                    .bind(address).sync().channel();
            LOG.info("KMS {} listening on https://{}{}", service.settings().identity(), channel.localAddress(), PATH);
            return new KmsServer(group, workers, channel);
        } catch (InterruptedException | RuntimeException e) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            workers.shutdownNow();
            throw e;
        }
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) channel.localAddress();
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        workers.shutdown(); // requests being served finish; new ones are answered 503
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        try {
            workers.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
