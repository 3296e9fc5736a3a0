package org.mediasec.h248stack.transport;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.nio.NioDatagramChannel;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
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
import org.mediasec.h248stack.transaction.TransactionTimers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.mediasec.traceability.Implements;

/**
 * H.248 over UDP (H.248.1 Annex D.1): one socket, one message per datagram, one {@link TransactionEngine} per peer
 * address (address and port). Peers are admitted by {@code peers}: a source it does not know gets a message-level
 * Error 402 (Unauthorized) or nothing ({@link UnknownPeers}), is counted, and its commands never run; 402 replies are
 * rate-limited ({@link EndpointLimits#unauthorizedRepliesPerSecond()}) so the endpoint reflects no flood at a victim.
 * The engines are bounded and forgotten when idle ({@link EndpointLimits}, SEC-1): a flood from many admitted sources
 * cannot grow memory, and an engine that still holds a request or a reply is never forgotten. Datagrams are read
 * whole up to the parser's limit (Netty's default 2,048-byte buffer would truncate an Add with two rich SDPs); a
 * datagram that does not parse is answered with the H.248.8 code of the error, in a TransactionReply when the
 * transaction ID could be read, else at message level. Messages are sent in the compact text form.
 *
 * <p>Thread rule: the peers, their engines and the counters' writers live on the endpoint's one event loop; public
 * methods hand their work to it.
 */
@Implements("H248-2")
public final class UdpEndpoint implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(UdpEndpoint.class);
    /** IPv4's largest UDP payload (65,535 − 8 UDP − 20 IP header octets); IPv6 allows 20 more, which no H.248 peer uses. */
    static final int MAX_UDP_PAYLOAD = 65_507;
    /** How often idle peers are looked for, at most (a fraction of the idle timeout, at least this). */
    private static final Duration MIN_SWEEP_INTERVAL = Duration.ofSeconds(1);
    /**
     * 4 MiB asked (Linux caps the request at net.core.rmem_max and doubles it for its bookkeeping): about 4,000 H.248
     * datagrams of 1 KB, half a second of a loaded MGC's requests, so that a transient in this endpoint's loop (a GC
     * pause, a JIT deoptimisation, a burst of calls) queues the datagrams instead of dropping them; each drop costs
     * the sender a retransmission timer (0.5 s first, Annex D.1.3) and more load afterwards.
     */
    static final int SOCKET_RECEIVE_BUFFER = 4 << 20;

    private final EventLoopGroup group;
    /** Whether {@link #group} is this endpoint's own (shut down on close) or a loop it shares with its owner. */
    private final boolean ownGroup;
    private final Channel channel;
    private final MessageId mId;
    private final WireMessages wire;
    private final TransactionTimers timers;
    private final ParserLimits limits;
    private final PeerLimits peerLimits;
    private final Function<InetSocketAddress, Optional<RequestHandler>> peers;
    private final PeerTable<Peer> table;
    private final RateLimiter unauthorizedReplies;
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong malformed = new AtomicLong();
    private final AtomicLong repliesUnauthorized = new AtomicLong();
    private final AtomicInteger peerCount = new AtomicInteger();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile WireTap tap;
    private volatile UnknownPeers unknownPeers = UnknownPeers.ANSWER_402;

    private record Peer(TransactionEngine engine, RequestHandler handler) {}

    private UdpEndpoint(InetSocketAddress local, MessageId mId, int version, TransactionTimers timers, ParserLimits limits, PeerLimits peerLimits,
            EndpointLimits endpointLimits, Function<InetSocketAddress, Optional<RequestHandler>> peers) throws InterruptedException {
        this(Optional.empty(), local, mId, version, timers, limits, peerLimits, endpointLimits, peers);
    }

    private UdpEndpoint(Optional<SharedLoop> shared, InetSocketAddress local, MessageId mId, int version, TransactionTimers timers, ParserLimits limits,
            PeerLimits peerLimits, EndpointLimits endpointLimits, Function<InetSocketAddress, Optional<RequestHandler>> peers) throws InterruptedException {
        this.peerLimits = peerLimits;
        this.mId = mId;
        this.wire = new WireMessages(mId, version);
        this.timers = timers;
        this.limits = limits;
        this.peers = peers;
        this.table = new PeerTable<>(endpointLimits.maxPeers(), endpointLimits.peerIdleTimeout(), peer -> peer.engine().isQuiet(),
                (address, peer) -> forget(peer), System::nanoTime);
        this.unauthorizedReplies = new RateLimiter(endpointLimits.unauthorizedRepliesPerSecond(), System::nanoTime);
        this.ownGroup = shared.isEmpty();
        this.group = shared.<EventLoopGroup>map(SharedLoop::loop).orElseGet(() -> new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory()));
        try {
            this.channel = new Bootstrap().group(group).channel(shared.<Class<? extends Channel>>map(SharedLoop::datagramChannel).orElse(NioDatagramChannel.class))
                    .option(ChannelOption.SO_RCVBUF, SOCKET_RECEIVE_BUFFER)
                    // one more octet than a message may have: a longer datagram arrives truncated to limit + 1 and is
                    // refused by the parser as too long instead of being parsed cut short
                    .option(ChannelOption.RECVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(Math.min(limits.maxMessageBytes(), MAX_UDP_PAYLOAD) + 1))
                    .handler(new Inbound())
                    .bind(local).sync().channel();
        } catch (InterruptedException | RuntimeException e) {
            if (ownGroup) {
                group.shutdownGracefully();
            }
            throw e;
        }
        Duration sweep = endpointLimits.peerIdleTimeout().dividedBy(4);
        long sweepNanos = Math.max(MIN_SWEEP_INTERVAL.toNanos(), sweep.toNanos());
        channel.eventLoop().scheduleAtFixedRate(this::sweep, sweepNanos, sweepNanos, TimeUnit.NANOSECONDS);
    }

    /**
     * Binds an endpoint. {@code peers} says, for a source address and port, which handler serves its requests
     * (empty: not a configured peer).
     */
    public static UdpEndpoint bind(InetSocketAddress local, MessageId mId, int version, TransactionTimers timers,
            Function<InetSocketAddress, Optional<RequestHandler>> peers) throws InterruptedException {
        return new UdpEndpoint(local, mId, version, timers, ParserLimits.DEFAULT, PeerLimits.DEFAULT, EndpointLimits.DEFAULT, peers);
    }

    /** As {@link #bind(InetSocketAddress, MessageId, int, TransactionTimers, Function)}, with explicit limits per peer. */
    public static UdpEndpoint bind(InetSocketAddress local, MessageId mId, int version, TransactionTimers timers, ParserLimits limits,
            PeerLimits peerLimits, Function<InetSocketAddress, Optional<RequestHandler>> peers) throws InterruptedException {
        return new UdpEndpoint(local, mId, version, timers, limits, peerLimits, EndpointLimits.DEFAULT, peers);
    }

    /**
     * An event loop the endpoint shares with its owner, and the datagram channel type of that loop's transport (epoll
     * or NIO). The owner keeps it running until after {@link #close()}.
     */
    public record SharedLoop(EventLoop loop, Class<? extends Channel> datagramChannel) {}

    /**
     * As below, on {@code shared} instead of a thread of its own: an owner whose work runs on that loop (the gateway's
     * contexts) hands requests and replies to the engine without waking another thread for each.
     */
    public static UdpEndpoint bind(SharedLoop shared, InetSocketAddress local, MessageId mId, int version, TransactionTimers timers, ParserLimits limits,
            PeerLimits peerLimits, EndpointLimits endpointLimits, Function<InetSocketAddress, Optional<RequestHandler>> peers) throws InterruptedException {
        return new UdpEndpoint(Optional.of(shared), local, mId, version, timers, limits, peerLimits, endpointLimits, peers);
    }

    /** As above, with explicit limits per peer and for the endpoint as a whole. */
    public static UdpEndpoint bind(InetSocketAddress local, MessageId mId, int version, TransactionTimers timers, ParserLimits limits,
            PeerLimits peerLimits, EndpointLimits endpointLimits, Function<InetSocketAddress, Optional<RequestHandler>> peers) throws InterruptedException {
        return new UdpEndpoint(local, mId, version, timers, limits, peerLimits, endpointLimits, peers);
    }

    public InetSocketAddress localAddress() {
        return (InetSocketAddress) channel.localAddress();
    }

    /**
     * The endpoint's one thread: requests, replies and the handlers' calls run on it, so a user confined to it (an
     * MGC's call procedures) sees every reply and event there.
     */
    public EventLoop eventLoop() {
        return channel.eventLoop();
    }

    /** What to do with messages from addresses that are no configured peer (default: answer 402, rate-limited). */
    public void unknownPeers(UnknownPeers policy) {
        this.unknownPeers = Objects.requireNonNull(policy);
    }

    /** Every message sent and received from now on is shown to {@code tap} (null: none). */
    public void tap(WireTap tap) {
        this.tap = tap;
    }

    /** Datagrams from sources that are no configured peer, or that found no room among the peers. */
    public long refused() {
        return refused.get();
    }

    /** 402 replies sent to such sources (at most {@link EndpointLimits#unauthorizedRepliesPerSecond()} a second). */
    public long unauthorizedReplies() {
        return repliesUnauthorized.get();
    }

    /** Datagrams that did not parse. */
    public long malformed() {
        return malformed.get();
    }

    /** Peers with a transaction engine now. */
    public int peerCount() {
        return peerCount.get();
    }

    /** Sends a request to a peer; completes with its reply or fails with a TransactionException. */
    public CompletableFuture<Transaction.TransactionReply> request(InetSocketAddress peer, List<ActionRequest> actions) {
        return OnEventLoop.call(channel.eventLoop(), () -> engine(peer)
                .orElseThrow(() -> new IllegalArgumentException(peer + " is not a configured peer")).request(actions));
    }

    /** The engine's counters for a peer (a snapshot taken on the event loop). */
    public Optional<TransactionEngine.Statistics> statistics(InetSocketAddress peer) {
        return OnEventLoop.call(channel.eventLoop(), () -> CompletableFuture.completedFuture(table.peek(peer).map(p -> p.engine().statistics())))
                .join();
    }

    /** Replies kept for a peer's duplicates until it acknowledges them or LONG-TIMER ends (read on the event loop). */
    public Optional<Integer> repliesKept(InetSocketAddress peer) {
        return OnEventLoop.call(channel.eventLoop(), () -> CompletableFuture.completedFuture(table.peek(peer).map(p -> p.engine().cachedReplies())))
                .join();
    }

    private Optional<TransactionEngine> engine(InetSocketAddress peer) {
        Optional<Peer> existing = table.heard(peer);
        if (existing.isPresent()) {
            return existing.map(Peer::engine);
        }
        Optional<RequestHandler> handler = peers.apply(peer);
        if (handler.isEmpty() || !table.makeRoom()) {
            return Optional.empty();
        }
        TransactionEngine engine = new TransactionEngine(transactions -> send(peer, wire.wrap(transactions)),
                new EventLoopScheduler(channel.eventLoop()), timers, peerLimits, false, handler.get(), 1 + (System.nanoTime() & 0xFFFF));
        table.put(peer, new Peer(engine, handler.get()));
        peerCount.set(table.size());
        handler.get().onConnect(peer);
        return Optional.of(engine);
    }

    /**
     * A quiet peer forgotten to make room or because it was idle: it holds nothing, so nothing is lost and its handler
     * hears nothing (no transport went down); its next datagram makes a new engine, and {@code onConnect} again.
     */
    private void forget(Peer peer) {
        peerCount.set(table.size());
        peer.engine().transportLost("forgotten");
    }

    private void sweep() {
        table.sweep();
        peerCount.set(table.size());
    }

    private void send(InetSocketAddress peer, Message message) {
        ByteBuf bytes = wire.encode(channel.alloc(), message);
        WireTap current = tap;
        if (current != null) {
            current.onMessage(WireTap.Direction.SENT, WireTap.Protocol.UDP, localAddress(), peer, ByteBufUtil.getBytes(bytes));
        }
        int length = bytes.readableBytes();
        channel.writeAndFlush(new DatagramPacket(bytes, peer)).addListener(written -> {
            if (!written.isSuccess() && !closed.get()) {
                // a message of ours the socket would not take (e.g. over the UDP payload limit): our bug, not the peer's
                LOG.atError().addKeyValue("peer", peer).addKeyValue("bytes", length).setCause(written.cause()).log("H.248 datagram not sent");
            }
        });
    }

    private final class Inbound extends SimpleChannelInboundHandler<DatagramPacket> {
        @Override
        protected void channelRead0(ChannelHandlerContext context, DatagramPacket packet) {
            InetSocketAddress sender = packet.sender();
            byte[] bytes = ByteBufUtil.getBytes(packet.content());
            WireTap current = tap;
            if (current != null) {
                current.onMessage(WireTap.Direction.RECEIVED, WireTap.Protocol.UDP, localAddress(), sender, bytes);
            }
            Optional<TransactionEngine> engine = engine(sender);
            if (engine.isEmpty()) {
                refused.incrementAndGet();
                if (unknownPeers == UnknownPeers.ANSWER_402 && unauthorizedReplies.tryAcquire()) {
                    repliesUnauthorized.incrementAndGet();
                    send(sender, wire.unauthorized());
                }
                return;
            }
            Message message;
            try {
                message = H248TextParser.parse(bytes, limits);
            } catch (H248SyntaxError error) {
                malformed.incrementAndGet();
                send(sender, wire.answerTo(error));
                return;
            }
            table.peek(sender).ifPresent(peer -> peer.handler().onMessage(sender));
            for (Transaction transaction : message.transactions()) {
                engine.get().receive(transaction);
            }
        }
    }

    /** Closes the socket(s) and stops the event loop; a second call does nothing. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        OnEventLoop.call(channel.eventLoop(), () -> {
            table.clear((address, peer) -> {
                peer.engine().transportLost("endpoint closed");
                peer.handler().onDisconnect(address, "endpoint closed");
            });
            peerCount.set(0);
            return CompletableFuture.completedFuture(null);
        }).join();
        channel.close().syncUninterruptibly();
        if (ownGroup) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    @Override
    public String toString() {
        return "UdpEndpoint " + localAddress() + " " + mId;
    }
}
