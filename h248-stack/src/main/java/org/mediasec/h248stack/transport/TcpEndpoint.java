package org.mediasec.h248stack.transport;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.EncoderException;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.mediasec.h248.H248SyntaxError;
import org.mediasec.h248.message.ActionRequest;
import org.mediasec.h248.message.Message;
import org.mediasec.h248.message.MessageId;
import org.mediasec.h248.message.Transaction;
import org.mediasec.h248.text.H248TextParser;
import org.mediasec.h248.text.ParserLimits;
import org.mediasec.h248stack.transaction.PeerLimits;
import org.mediasec.h248stack.transaction.RequestHandler;
import org.mediasec.h248stack.transaction.TransactionEngine;
import org.mediasec.h248stack.transaction.TransactionException;
import org.mediasec.h248stack.transaction.TransactionTimers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.mediasec.traceability.Implements;

/**
 * H.248 over TCP (H.248.1 Annex D.2): TPKT-framed messages, compact text, one {@link TransactionEngine} per
 * connection with no retransmission (the transport is reliable). As a listener it admits connections by remote
 * address ({@code peers}); an unknown peer gets Error 402 and the connection is closed. A connection that sends
 * nothing for {@code readIdle} is closed (slow or dead peers cannot hold sockets), as is one that breaks the TPKT
 * framing; a message that does not parse is answered with its H.248.8 code and the connection stays. When a
 * connection closes, its open requests fail with {@link TransactionException.Reason#TRANSPORT_LOST}.
 *
 * <p>With a {@link TlsLink} the frames travel inside TLS 1.3 and the peer's certificate must be pinned: a connection
 * becomes an association only once its handshake succeeded (a refused handshake is counted, nothing is read from it).
 * 402 replies to unknown peers are rate-limited ({@link EndpointLimits}). Thread rule: each connection's engine lives
 * on the endpoint's one event loop; the connection map is concurrent for the readers on other threads.
 */
@Implements("H248-2")
public final class TcpEndpoint implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TcpEndpoint.class);
    /** How long a connection (and its TLS handshake) may take before {@link #connect} gives up. */
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

    private final EventLoopGroup group;
    private final Channel channel;
    private final boolean listener;
    private final WireMessages wire;
    private final TransactionTimers timers;
    private final ParserLimits limits;
    private final PeerLimits peerLimits;
    private final Duration readIdle;
    private final Function<InetSocketAddress, Optional<RequestHandler>> peers;
    private final Map<InetSocketAddress, Connection> connections = new ConcurrentHashMap<>();
    private final Optional<SslContext> tls;
    private final RateLimiter unauthorizedReplies;
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong handshakeFailures = new AtomicLong();
    private final AtomicLong malformed = new AtomicLong();
    private final AtomicLong closedIdle = new AtomicLong();
    private final CompletableFuture<Void> connected = new CompletableFuture<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile boolean closing;
    private volatile WireTap tap;
    private volatile UnknownPeers unknownPeers = UnknownPeers.ANSWER_402;

    private record Connection(Channel channel, TransactionEngine engine, RequestHandler handler) {}

    private TcpEndpoint(InetSocketAddress address, boolean listener, MessageId mId, int version, TransactionTimers timers, PeerLimits peerLimits,
            EndpointLimits endpointLimits, Duration readIdle, Optional<TlsLink> tls, Function<InetSocketAddress, Optional<RequestHandler>> peers)
            throws InterruptedException {
        this.listener = listener;
        this.tls = tls.map(link -> listener ? link.serverContext() : link.clientContext());
        this.unauthorizedReplies = new RateLimiter(endpointLimits.unauthorizedRepliesPerSecond(), System::nanoTime);
        this.peerLimits = peerLimits;
        this.wire = new WireMessages(mId, version);
        this.timers = timers;
        this.limits = ParserLimits.DEFAULT;
        this.readIdle = readIdle;
        this.peers = peers;
        this.group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try {
            if (listener) {
                channel = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                        .childOption(ChannelOption.TCP_NODELAY, true)
                        .childHandler(new Pipeline()).bind(address).sync().channel();
            } else {
                channel = new Bootstrap().group(group).channel(NioSocketChannel.class)
                        .option(ChannelOption.TCP_NODELAY, true).option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) CONNECT_TIMEOUT.toMillis())
                        .handler(new Pipeline()).connect(address).sync().channel();
                connected.get(CONNECT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS); // registered (and TLS up) before the first request
            }
        } catch (ExecutionException e) {
            group.shutdownGracefully();
            throw new IllegalStateException("connection to " + address + " refused: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            group.shutdownGracefully();
            throw new IllegalStateException("connection to " + address + " not up within " + CONNECT_TIMEOUT.toSeconds() + " s", e);
        } catch (InterruptedException | RuntimeException e) {
            group.shutdownGracefully();
            throw e;
        }
    }

    /** Listens for peers (an MGC, or an MG that an MGC connects to). */
    public static TcpEndpoint listen(InetSocketAddress local, MessageId mId, int version, TransactionTimers timers, Duration readIdle,
            Function<InetSocketAddress, Optional<RequestHandler>> peers) throws InterruptedException {
        return new TcpEndpoint(local, true, mId, version, timers, PeerLimits.DEFAULT, EndpointLimits.DEFAULT, readIdle, Optional.empty(), peers);
    }

    /** As {@link #listen(InetSocketAddress, MessageId, int, TransactionTimers, Duration, Function)}, with explicit limits per peer. */
    public static TcpEndpoint listen(InetSocketAddress local, MessageId mId, int version, TransactionTimers timers, PeerLimits peerLimits,
            Duration readIdle, Function<InetSocketAddress, Optional<RequestHandler>> peers) throws InterruptedException {
        return new TcpEndpoint(local, true, mId, version, timers, peerLimits, EndpointLimits.DEFAULT, readIdle, Optional.empty(), peers);
    }

    /** Listens with TLS ({@code tls} present: only peers whose certificate is pinned get as far as {@code peers}). */
    public static TcpEndpoint listen(InetSocketAddress local, MessageId mId, int version, TransactionTimers timers, PeerLimits peerLimits,
            EndpointLimits endpointLimits, Duration readIdle, Optional<TlsLink> tls, Function<InetSocketAddress, Optional<RequestHandler>> peers)
            throws InterruptedException {
        return new TcpEndpoint(local, true, mId, version, timers, peerLimits, endpointLimits, readIdle, tls, peers);
    }

    /** Connects to a peer; {@code handler} answers the peer's requests on this connection. */
    public static TcpEndpoint connect(InetSocketAddress remote, MessageId mId, int version, TransactionTimers timers, Duration readIdle,
            RequestHandler handler) throws InterruptedException {
        return connect(remote, mId, version, timers, readIdle, Optional.empty(), handler);
    }

    /** Connects to a peer, with TLS when {@code tls} is present (returns once the handshake succeeded and the peer is pinned). */
    public static TcpEndpoint connect(InetSocketAddress remote, MessageId mId, int version, TransactionTimers timers, Duration readIdle,
            Optional<TlsLink> tls, RequestHandler handler) throws InterruptedException {
        return new TcpEndpoint(remote, false, mId, version, timers, PeerLimits.DEFAULT, EndpointLimits.DEFAULT, readIdle, tls, peer -> Optional.of(handler));
    }

    /** Whether the link runs over TLS with pinned certificates. */
    public boolean secured() {
        return tls.isPresent();
    }

    /** TLS handshakes that failed (an unpinned or missing certificate, a protocol other than TLS 1.3, garbage). */
    public long handshakeFailures() {
        return handshakeFailures.get();
    }

    public InetSocketAddress localAddress() {
        return (InetSocketAddress) channel.localAddress();
    }

    /** What to do with messages from addresses that are no configured peer (default: answer 402). */
    public void unknownPeers(UnknownPeers policy) {
        this.unknownPeers = Objects.requireNonNull(policy);
    }

    /** Every message sent and received from now on is shown to {@code tap} (null: none). */
    public void tap(WireTap tap) {
        this.tap = tap;
    }

    public long refused() {
        return refused.get();
    }

    public long malformed() {
        return malformed.get();
    }

    public long closedIdle() {
        return closedIdle.get();
    }

    /** The peers connected now. */
    public Set<InetSocketAddress> peers() {
        return Set.copyOf(connections.keySet());
    }

    /** Open connections (for a connecting endpoint: 1 while connected). */
    public int connections() {
        return connections.size();
    }

    /** A request on the connection with {@code remote} (for a connecting endpoint: the one connection). */
    public CompletableFuture<Transaction.TransactionReply> request(InetSocketAddress remote, List<ActionRequest> actions) {
        Connection connection = listener ? connections.get(remote) : connections.values().stream().findFirst().orElse(null);
        if (connection == null) {
            return CompletableFuture.failedFuture(new TransactionException(TransactionException.Reason.TRANSPORT_LOST, 0, "no connection with " + remote));
        }
        return OnEventLoop.call(connection.channel().eventLoop(), () -> connection.engine().request(actions));
    }

    private ChannelFuture send(Channel socket, Message message) {
        ByteBuf bytes = wire.encode(socket.alloc(), message);
        WireTap current = tap;
        if (current != null) {
            current.onMessage(WireTap.Direction.SENT, WireTap.Protocol.TCP, (InetSocketAddress) socket.localAddress(),
                    (InetSocketAddress) socket.remoteAddress(), ByteBufUtil.getBytes(bytes));
        }
        int length = bytes.readableBytes();
        return socket.writeAndFlush(bytes).addListener(written -> {
            if (!written.isSuccess() && written.cause() instanceof EncoderException) {
                // a message of ours too long for a TPKT packet: our bug, not the peer's
                LOG.atError().addKeyValue("peer", socket.remoteAddress()).addKeyValue("bytes", length).setCause(written.cause()).log("H.248 message not sent");
            }
        });
    }

    private final class Pipeline extends ChannelInitializer<SocketChannel> {
        @Override
        protected void initChannel(SocketChannel socket) {
            // no host name for the client either: the pinned fingerprint is the peer's identity, not a name
            tls.ifPresent(context -> socket.pipeline().addLast(context.newHandler(socket.alloc())));
            socket.pipeline()
                    .addLast(new IdleStateHandler(readIdle.toMillis(), 0, 0, TimeUnit.MILLISECONDS))
                    .addLast(new TpktEncoder())
                    .addLast(new TpktDecoder(limits.maxMessageBytes()))
                    .addLast(new Inbound());
        }
    }

    private final class Inbound extends SimpleChannelInboundHandler<ByteBuf> {
        private Connection connection;
        private InetSocketAddress remote;

        @Override
        public void channelActive(ChannelHandlerContext context) throws Exception {
            remote = (InetSocketAddress) context.channel().remoteAddress();
            if (tls.isEmpty()) {
                associate(context);
            }
            super.channelActive(context);
        }

        /** The connection is up (and with TLS, its handshake done and the peer pinned): admit the peer, or refuse it. */
        private void associate(ChannelHandlerContext context) {
            Optional<RequestHandler> handler = peers.apply(remote);
            if (handler.isEmpty()) {
                refused.incrementAndGet();
                connected.completeExceptionally(new IllegalStateException("not a configured peer"));
                if (unknownPeers == UnknownPeers.ANSWER_402 && unauthorizedReplies.tryAcquire()) {
                    send(context.channel(), wire.unauthorized()).addListener(ChannelFutureListener.CLOSE);
                } else {
                    context.close();
                }
                return;
            }
            Channel socket = context.channel();
            TransactionEngine engine = new TransactionEngine(transactions -> send(socket, wire.wrap(transactions)),
                    new EventLoopScheduler(socket.eventLoop()), timers, peerLimits, true, handler.get(), 1 + (System.nanoTime() & 0xFFFF));
            connection = new Connection(socket, engine, handler.get());
            connections.put(remote, connection);
            handler.get().onConnect(remote);
            connected.complete(null);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext context, ByteBuf frame) {
            if (connection == null) {
                return;
            }
            Message message;
            try {
                byte[] bytes = ByteBufUtil.getBytes(frame);
                WireTap current = tap;
                if (current != null) {
                    current.onMessage(WireTap.Direction.RECEIVED, WireTap.Protocol.TCP, (InetSocketAddress) context.channel().localAddress(), remote, bytes);
                }
                message = H248TextParser.parse(bytes, limits);
            } catch (H248SyntaxError error) {
                malformed.incrementAndGet();
                send(context.channel(), wire.answerTo(error));
                return;
            }
            connection.handler().onMessage(remote);
            for (Transaction transaction : message.transactions()) {
                connection.engine().receive(transaction);
            }
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext context, Object event) throws Exception {
            if (event instanceof IdleStateEvent) {
                closedIdle.incrementAndGet();
                context.close();
                return;
            }
            if (event instanceof SslHandshakeCompletionEvent handshake) {
                if (handshake.isSuccess()) {
                    associate(context);
                } else {
                    handshakeFailures.incrementAndGet();
                    connected.completeExceptionally(new IllegalStateException("TLS handshake failed: " + handshake.cause().getMessage(), handshake.cause()));
                    context.close();
                }
                return;
            }
            super.userEventTriggered(context, event);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
            // broken framing, a TLS failure or a reset: the stream cannot be trusted any more (Annex D.2 has no resync)
            if (connection != null) {
                malformed.incrementAndGet();
            }
            context.close();
        }

        @Override
        public void channelInactive(ChannelHandlerContext context) {
            if (connection != null) {
                connections.remove(remote, connection);
                connection.engine().transportLost("TCP connection closed");
                connection.handler().onDisconnect(remote, closing ? "endpoint closed" : "TCP connection closed");
            }
        }
    }

    /** Closes the socket(s) and stops the event loop; a second call does nothing. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        closing = true;
        for (Connection connection : connections.values()) {
            connection.channel().close().syncUninterruptibly();
        }
        channel.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
