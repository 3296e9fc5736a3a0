package org.mediasec.controller.ng;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An rtpengine-compatible ng control port (NG-1): UDP, one message per datagram, and optionally TCP, messages back
 * to back ({@link NgStreamFramer}); both served by one {@link NgDispatcher}, which answers retransmissions, bounds
 * and dispatches requests to the {@link NgCommandHandler}. What Kamailio's rtpengine module needs: replies behind
 * the request's cookie, within a datagram (its reply buffer is 256 KiB), {@code pong} to its pings.
 *
 * <p>Thread rule: all channels share one event loop (a group of one thread of its own, or the caller's loop), on
 * which the dispatcher runs; the public methods may be called from any thread.
 */
public final class NgEndpoint implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(NgEndpoint.class);

    /** Every datagram whole: the largest UDP payload, not Netty's 2 KiB default, which would cut an SDP short. */
    private static final int DATAGRAM_BUFFER = 65_536;

    /**
     * Room for a burst of requests from many proxy workers: 4 MiB asked (Linux caps it at net.core.rmem_max), about
     * 2,000 offers with their SDP; a transient of the loop queues them (and the overload rule refuses the new calls
     * among them) instead of the kernel dropping them, which costs the proxy a retransmission 0.5–1 s later.
     */
    private static final int SOCKET_RECEIVE_BUFFER = 4 << 20;

    /**
     * Datagrams read from the socket in one turn of the loop, at most: more than arrive in a turn (about 10,000 ng
     * requests a second at 3,000 calls/s, turns of a few ms), so that each is stamped with the time it was read within
     * a turn of its arrival. A request's wait is then seen ({@link NgOverload}); one that waited in the kernel's
     * receive buffer, where Netty's default of 16 reads a turn left the backlog, was not. Netty reads them all before
     * handing any on, each into a buffer of {@link #DATAGRAM_BUFFER} (pooled): 256 of them are 16 MiB at most.
     */
    static final int READS_PER_TURN = 256;

    /** Datagrams handed to the dispatcher in one go; the rest wait their turn behind the loop's other sockets. */
    static final int HANDLED_PER_TURN = 64;

    /**
     * Datagrams read and waiting to be handled, at most: about as many as the 4 MiB receive buffer holds. Beyond,
     * one is dropped as the kernel would drop it; requests that waited past the overload delay are refused new calls
     * long before (a refusal costs a few microseconds), so the bound is met only by a flood.
     */
    static final int MAX_QUEUED = 8_192;

    private final EventLoopGroup group;
    private final Channel udp;
    private final Optional<Channel> tcp;
    private final NgDispatcher dispatcher;
    private final NgEndpointConfig config;
    private final AtomicBoolean closed = new AtomicBoolean();
    /** Open TCP connections; touched on the event loop only. */
    private int tcpConnections;

    private NgEndpoint(NgEndpointConfig config, NgCommandHandler handler, Optional<EventLoop> shared) throws InterruptedException {
        this.config = config;
        this.group = shared.isPresent() ? null : new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try {
            EventLoop loop = shared.orElseGet(() -> group.next());
            this.dispatcher = new NgDispatcher(config, handler, loop);
            this.udp = new Bootstrap().group(loop).channel(NioDatagramChannel.class)
                    .option(ChannelOption.SO_RCVBUF, SOCKET_RECEIVE_BUFFER)
                    .option(ChannelOption.RECVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(DATAGRAM_BUFFER)
                            // read until the socket is empty (a datagram never fills the buffer, so "maybe more data"
                            // would stop the read after the first)
                            .respectMaybeMoreData(false).maxMessagesPerRead(READS_PER_TURN))
                    .handler(new Datagrams())
                    .bind(config.udp()).sync().channel();
            if (config.tcp().isPresent()) {
                this.tcp = Optional.of(new ServerBootstrap().group(loop, loop).channel(NioServerSocketChannel.class)
                        .childHandler(new ChannelInitializer<SocketChannel>() {
                            @Override
                            protected void initChannel(SocketChannel channel) {
                                channel.pipeline().addLast(new NgStreamFramer(config.limits()), new Stream());
                            }
                        })
                        .bind(config.tcp().get()).sync().channel());
            } else {
                this.tcp = Optional.empty();
            }
        } catch (InterruptedException | RuntimeException e) {
            if (group != null) {
                group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            }
            throw e;
        }
    }

    /** Binds the listeners the configuration names, on an event loop of their own. */
    public static NgEndpoint bind(NgEndpointConfig config, NgCommandHandler handler) throws InterruptedException {
        return new NgEndpoint(config, handler, Optional.empty());
    }

    /**
     * Binds the listeners on {@code loop}, a NIO event loop the caller owns (and stops): the controller's own thread,
     * so that a request reaches the call procedures, and their reply the socket, without a hop between threads.
     */
    public static NgEndpoint bind(NgEndpointConfig config, NgCommandHandler handler, EventLoop loop) throws InterruptedException {
        return new NgEndpoint(config, handler, Optional.of(loop));
    }

    public InetSocketAddress udpAddress() {
        return (InetSocketAddress) udp.localAddress();
    }

    public Optional<InetSocketAddress> tcpAddress() {
        return tcp.map(channel -> (InetSocketAddress) channel.localAddress());
    }

    public NgCounters counters() {
        return dispatcher.counters();
    }

    /** Closes the listeners and connections and stops the event loop; a second call does nothing. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        udp.close().syncUninterruptibly();
        tcp.ifPresent(channel -> channel.close().syncUninterruptibly());
        if (group != null) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    @Override
    public String toString() {
        return "NgEndpoint udp " + udpAddress() + tcpAddress().map(address -> " tcp " + address).orElse("");
    }

    /** A datagram read and not yet handled, with the time it was read. */
    private record Received(byte[] message, InetSocketAddress source, long readAt) {}

    /**
     * Reads every datagram that waits, stamps it and queues it; hands them to the dispatcher
     * {@link #HANDLED_PER_TURN} at a time, so that a backlog is seen (its age) without starving the loop's other
     * sockets (the H.248 replies that finish calls in progress). Loop thread only.
     */
    private final class Datagrams extends SimpleChannelInboundHandler<DatagramPacket> {

        private final ArrayDeque<Received> queue = new ArrayDeque<>();
        private boolean drainScheduled;

        @Override
        protected void channelRead0(ChannelHandlerContext context, DatagramPacket packet) {
            InetSocketAddress source = packet.sender();
            if (queue.size() >= MAX_QUEUED) {
                dispatcher.queueFull(source);
                return;
            }
            queue.add(new Received(ByteBufUtil.getBytes(packet.content()), source, System.nanoTime()));
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext context) {
            drain(context);
        }

        private void drain(ChannelHandlerContext context) {
            for (int i = 0; i < HANDLED_PER_TURN; i++) {
                Received received = queue.poll();
                if (received == null) {
                    return;
                }
                InetSocketAddress source = received.source();
                dispatcher.receive(received.message(), source,
                        reply -> context.writeAndFlush(new DatagramPacket(Unpooled.wrappedBuffer(reply), source)), received.readAt());
            }
            if (!queue.isEmpty() && !drainScheduled) {
                // scheduled rather than executed: it runs after the loop's next look at its sockets, not in the same
                // run of tasks (a task that queued itself again would keep the other sockets waiting)
                drainScheduled = true;
                context.executor().schedule(() -> {
                    drainScheduled = false;
                    drain(context);
                }, 0, TimeUnit.NANOSECONDS);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
            LOG.warn("ng UDP socket {}: {}", config.udp(), cause.toString());
        }
    }

    private final class Stream extends SimpleChannelInboundHandler<Object> {
        @Override
        public void channelActive(ChannelHandlerContext context) {
            tcpConnections++;
            if (!dispatcher.admits((InetSocketAddress) context.channel().remoteAddress())) {
                context.close();
            } else if (tcpConnections > config.maxTcpConnections()) {
                LOG.warn("ng TCP connection from {} closed: {} are open already", context.channel().remoteAddress(), config.maxTcpConnections());
                context.close();
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext context) {
            tcpConnections--;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext context, Object message) {
            InetSocketAddress source = (InetSocketAddress) context.channel().remoteAddress();
            switch (message) {
                case byte[] bytes -> dispatcher.receive(bytes, source, reply -> {
                    if (context.channel().isActive()) {
                        context.writeAndFlush(Unpooled.wrappedBuffer(reply));
                    }
                });
                case NgStreamFramer.Unframeable unframeable -> {
                    dispatcher.unframeable(unframeable.cookie(), unframeable.cause(), source,
                            reply -> context.writeAndFlush(Unpooled.wrappedBuffer(reply)).addListener(ChannelFutureListener.CLOSE));
                    if (unframeable.cookie().isEmpty()) {
                        context.close();
                    }
                }
                default -> throw new IllegalStateException("unexpected " + message.getClass());
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
            LOG.debug("ng TCP connection {} closed: {}", context.channel().remoteAddress(), cause.toString());
            context.close();
        }
    }
}
