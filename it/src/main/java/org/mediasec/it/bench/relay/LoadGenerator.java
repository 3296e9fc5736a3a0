package org.mediasec.it.bench.relay;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.netty.util.concurrent.Future;
import java.io.File;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Our load generator: UE-side TLS 1.3 clients (BoringSSL, the UE's ECDSA P-256 certificate, mutual authentication) or
 * plain TCP clients, that send as fast as the relay takes, handshake in a loop, or connect and stay idle.
 */
final class LoadGenerator {

    private final EventLoopGroup group;
    private final SslContext tls;
    private final ByteBuf payload = Unpooled.unreleasableBuffer(Unpooled.directBuffer(64 * 1024).writeZero(64 * 1024));

    LoadGenerator(EventLoopGroup group, Path certificates) throws Exception {
        this.group = group;
        this.tls = SslContextBuilder.forClient().sslProvider(SslProvider.OPENSSL)
                .keyManager(new File(certificates.resolve("ue.pem").toString()), new File(certificates.resolve("ue.key").toString()))
                .trustManager(InsecureTrustManagerFactory.INSTANCE) // the generator is the UE of a benchmark, not of a call
                .protocols("TLSv1.3").build();
    }

    /** Connects; the future completes when TCP (and TLS) is up, with the channel. */
    CompletableFuture<Channel> connect(InetSocketAddress target, boolean useTls, boolean send) {
        CompletableFuture<Channel> up = new CompletableFuture<>();
        ChannelFuture connecting = new Bootstrap().group(group).channel(EpollSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel channel) {
                        if (useTls) {
                            SslHandler ssl = tls.newHandler(channel.alloc());
                            ssl.setHandshakeTimeoutMillis(20_000);
                            channel.pipeline().addLast(ssl);
                            ssl.handshakeFuture().addListener((Future<Channel> done) -> {
                                if (done.isSuccess()) {
                                    up.complete(channel);
                                } else {
                                    up.completeExceptionally(done.cause());
                                }
                            });
                        }
                        channel.pipeline().addLast(new Sender(send));
                    }
                })
                .connect(target);
        connecting.addListener((ChannelFuture done) -> {
            if (!done.isSuccess()) {
                up.completeExceptionally(done.cause());
            } else if (!useTls) {
                up.complete(done.channel());
            }
        });
        return up;
    }

    /** Opens one session per target, all sending; returns the channels once every session is up. */
    List<Channel> send(List<InetSocketAddress> targets, boolean useTls) throws Exception {
        List<CompletableFuture<Channel>> all = new ArrayList<>();
        Semaphore inFlight = new Semaphore(64); // no SYN flood against anyone's backlog
        for (InetSocketAddress target : targets) {
            inFlight.acquire();
            CompletableFuture<Channel> up = connect(target, useTls, true);
            up.whenComplete((c, e) -> inFlight.release());
            all.add(up);
        }
        return await(all);
    }

    /** Opens one idle session per target; returns the channels once every session is up. */
    List<Channel> idle(List<InetSocketAddress> targets, boolean useTls) throws Exception {
        List<CompletableFuture<Channel>> all = new ArrayList<>();
        Semaphore inFlight = new Semaphore(64);
        for (InetSocketAddress target : targets) {
            inFlight.acquire();
            CompletableFuture<Channel> up = connect(target, useTls, false);
            up.whenComplete((c, e) -> inFlight.release());
            all.add(up);
        }
        return await(all);
    }

    /** Every session up, or none: when one fails, those that came up are closed (no sender is left running). */
    private static List<Channel> await(List<CompletableFuture<Channel>> all) throws Exception {
        List<Channel> channels = new ArrayList<>();
        try {
            for (CompletableFuture<Channel> up : all) {
                channels.add(up.get(60, TimeUnit.SECONDS));
            }
            return channels;
        } catch (Exception e) {
            for (CompletableFuture<Channel> up : all) {
                up.thenAccept(Channel::close);
            }
            throw e;
        }
    }

    /** Full handshakes, {@code concurrency} at a time, one per target; returns the number that succeeded. */
    long handshakes(List<InetSocketAddress> targets, int concurrency) throws InterruptedException {
        Semaphore inFlight = new Semaphore(concurrency);
        AtomicLong succeeded = new AtomicLong();
        AtomicInteger failed = new AtomicInteger();
        for (InetSocketAddress target : targets) {
            inFlight.acquire();
            connect(target, true, false).whenComplete((channel, error) -> {
                if (error == null) {
                    succeeded.incrementAndGet();
                    channel.close();
                } else {
                    failed.incrementAndGet();
                }
                inFlight.release();
            });
        }
        inFlight.acquire(concurrency);
        if (failed.get() > 0) {
            System.out.println("    (" + failed.get() + " handshakes failed)");
        }
        return succeeded.get();
    }

    static void closeAll(List<Channel> channels) {
        List<ChannelFuture> closing = channels.stream().map(Channel::close).toList();
        closing.forEach(ChannelFuture::syncUninterruptibly);
    }

    /** Writes while the channel takes it (writability), so the relay's backpressure paces the generator. */
    private final class Sender extends ChannelInboundHandlerAdapter {
        private final boolean send;

        Sender(boolean send) {
            this.send = send;
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext context, Object event) {
            if (event instanceof io.netty.handler.ssl.SslHandshakeCompletionEvent done && done.isSuccess()) {
                pump(context.channel());
            }
            context.fireUserEventTriggered(event);
        }

        @Override
        public void channelActive(ChannelHandlerContext context) {
            if (context.pipeline().get(SslHandler.class) == null) {
                pump(context.channel());
            }
            context.fireChannelActive();
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext context) {
            pump(context.channel());
            context.fireChannelWritabilityChanged();
        }

        private void pump(Channel channel) {
            if (!send) {
                return;
            }
            boolean wrote = false;
            while (channel.isActive() && channel.isWritable()) {
                channel.write(payload.duplicate(), channel.voidPromise());
                wrote = true;
            }
            if (wrote) {
                channel.flush();
            }
        }

        @Override
        public void channelRead(ChannelHandlerContext context, Object message) {
            io.netty.util.ReferenceCountUtil.release(message);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
            context.close();
        }
    }
}
