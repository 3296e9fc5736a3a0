package org.mediasec.kms.server;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.IdleStateHandler;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLException;
import org.mediasec.bearer.tls.SelfSignedCertificate;
import org.mediasec.bearer.tls.TlsProvider;
import org.mediasec.kms.KmsService;
import org.mediasec.mikey.MikeyDecoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The KMS over HTTPS (TS 33.328 carries Ticket Request and Ticket Resolve over HTTP; RFC 6043 7): {@code POST} of
 * a MIKEY message with {@code Content-Type: application/mikey} to {@link #PATH}, answered with a MIKEY message.
 * Netty's HTTP codec does the HTTP; requests are handled off the event loop (the store is JDBC); bodies over
 * {@link MikeyDecoder#MAX_MESSAGE_BYTES} get 413, idle or slow connections are closed.
 *
 * <p>Bounded (SEC-4): at most {@link Limits#connections()} connections (one more is closed at once, before any TLS
 * work), at most {@link Limits#queuedRequests()} requests waiting for a worker (one more is answered 503 with
 * Retry-After and its connection closed); both refusals are counted ({@link #refusals()}) and logged. TLS as the
 * bearer's ({@link KmsTls}): no renegotiation, no session tickets, no resumption.
 *
 * <p>Thread rule: the event loop owns the channels; counters are atomic; the workers run the handler.
 */
public final class KmsServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(KmsServer.class);

    public static final String PATH = "/mikey";
    public static final String CONTENT_TYPE = "application/mikey";

    /** What the server does with one MIKEY request body: {@link KmsService#handle}, or a test's stand-in. */
    @FunctionalInterface
    public interface RequestHandler {
        KmsService.Reply handle(byte[] mikey);
    }

    /**
     * How much the server takes at once.
     *
     * @param connections open connections at most (each holds a TLS session and up to one request of 64 KiB)
     * @param workers threads that run requests (each blocks on the database)
     * @param queuedRequests requests waiting for a worker at most
     * @param idleTimeout a connection with nothing read or written for this long is closed
     */
    public record Limits(int connections, int workers, int queuedRequests, Duration idleTimeout) {
        /**
         * 256 connections × (64 KiB body + TLS buffers) stays under 32 MB; 2 workers on a 2-core KMS; 64 waiting is
         * about a second of work at the ~1 ms a request costs, beyond which a client is better told to come back.
         */
        public static final Limits DEFAULT = new Limits(256, 2, 64, Duration.ofSeconds(30));

        public Limits {
            if (connections < 1 || workers < 1 || queuedRequests < 1 || idleTimeout.isNegative() || idleTimeout.isZero()) {
                throw new IllegalArgumentException("KMS limits must be positive: " + connections + " connections, " + workers + " workers, "
                        + queuedRequests + " queued, idle " + idleTimeout);
            }
        }
    }

    /** What has been refused so far. */
    public record Refusals(long connections, long requests) {}

    private final EventLoopGroup group;
    private final ExecutorService workers;
    private final Channel channel;
    private final AtomicLong connectionsRefused;
    private final AtomicLong requestsRefused;

    private KmsServer(EventLoopGroup group, ExecutorService workers, Channel channel, AtomicLong connectionsRefused, AtomicLong requestsRefused) {
        this.group = group;
        this.workers = workers;
        this.channel = channel;
        this.connectionsRefused = connectionsRefused;
        this.requestsRefused = requestsRefused;
    }

    /** The KMS service with the default limits, on the TLS provider the bearer prefers. */
    public static KmsServer start(InetSocketAddress address, SelfSignedCertificate certificate, KmsService service) throws InterruptedException, SSLException {
        return start(address, certificate, TlsProvider.preferred(), service::handle, Limits.DEFAULT, service.settings().identity().toString());
    }

    /** {@code name}: how the log names this KMS. */
    public static KmsServer start(InetSocketAddress address, SelfSignedCertificate certificate, TlsProvider provider, RequestHandler handler,
            Limits limits, String name) throws InterruptedException, SSLException {
        KmsTls tls = KmsTls.create(certificate, provider);
        AtomicLong connectionsRefused = new AtomicLong();
        AtomicLong requestsRefused = new AtomicLong();
        AtomicInteger open = new AtomicInteger();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        // the service blocks on its database: it runs here, not on the event loop; the queue is bounded (SEC-4)
        ExecutorService workers = new ThreadPoolExecutor(limits.workers(), limits.workers(), 0, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(limits.queuedRequests()), Thread.ofPlatform().name("kms-worker-", 0).daemon().factory(),
                new ThreadPoolExecutor.AbortPolicy());
        try {
            Channel channel = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            if (open.incrementAndGet() > limits.connections()) {
                                open.decrementAndGet();
                                refused(connectionsRefused, "connection from " + ch.remoteAddress() + ": " + limits.connections() + " are open");
                                ch.config().setOption(ChannelOption.SO_LINGER, 0); // a reset: nothing more is owed to it
                                ch.close();
                                return;
                            }
                            ch.closeFuture().addListener(closed -> open.decrementAndGet());
                            ch.pipeline().addLast(new IdleStateHandler(0, 0, limits.idleTimeout().toMillis(), TimeUnit.MILLISECONDS))
                                    .addLast(tls.newHandler(ch.alloc()))
                                    .addLast(new HttpServerCodec())
                                    .addLast(new HttpObjectAggregator(MikeyDecoder.MAX_MESSAGE_BYTES))
                                    .addLast(new KmsHttpHandler(handler, workers, () -> refused(requestsRefused,
                                            "request from " + ch.remoteAddress() + ": " + limits.queuedRequests() + " are waiting")));
                        }
                    })
                    .bind(address).sync().channel();
            LOG.info("KMS {} listening on https://{}{} (TLS on {})", name, channel.localAddress(), PATH, provider);
            return new KmsServer(group, workers, channel, connectionsRefused, requestsRefused);
        } catch (InterruptedException | RuntimeException e) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            workers.shutdownNow();
            throw e;
        }
    }

    /** Counts a refusal and logs it: the first and then every power of two, so a flood cannot flood the log. */
    private static void refused(AtomicLong counter, String what) {
        long count = counter.incrementAndGet();
        if (Long.bitCount(count) == 1) {
            LOG.warn("KMS over its limit, refused: {} ({} refused so far)", what, count);
        }
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) channel.localAddress();
    }

    public Refusals refusals() {
        return new Refusals(connectionsRefused.get(), requestsRefused.get());
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
