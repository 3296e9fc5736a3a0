package org.mediasec.it.security;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLEngine;
import org.mediasec.bearer.tls.CertificateFingerprint;
import org.mediasec.bearer.tls.TlsDomain;
import org.mediasec.bearer.tls.TlsEngines;

/**
 * A server leg of a TLS domain that accepts again and again, for the TLS scanners (SEC-5): a bearer leg accepts one
 * connection, a scanner makes hundreds. Each connection gets what a passive certificate leg gets — an engine from the
 * domain's {@link TlsEngines} (the production factory, on the domain's provider) prepared for a leg expecting the
 * given peer fingerprints, in an SslHandler with the domain's handshake timeout — and what it sends after the
 * handshake is dropped (a leg would relay it).
 *
 * <p>Thread rule: one event loop owns every channel.
 */
final class TlsScanEndpoint implements AutoCloseable {

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Channel server;

    TlsScanEndpoint(TlsDomain domain, List<CertificateFingerprint> peerFingerprints) throws InterruptedException {
        TlsEngines engines = new TlsEngines(domain);
        server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        SSLEngine engine = engines.newEngine(engines.prepare(peerFingerprints), false, channel.alloc());
                        SslHandler ssl = new SslHandler(engine);
                        ssl.setHandshakeTimeoutMillis(domain.handshakeTimeout().toMillis());
                        channel.closeFuture().addListener(closed -> engines.forget(engine));
                        channel.pipeline().addLast(ssl).addLast(new ChannelInboundHandlerAdapter() {
                            @Override
                            public void channelRead(ChannelHandlerContext context, Object message) {
                                ReferenceCountUtil.release(message);
                            }

                            @Override
                            public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
                                context.close(); // a scanner's probes fail handshakes on purpose
                            }
                        });
                    }
                })
                .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
    }

    int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
