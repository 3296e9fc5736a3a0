package org.mediasec.h248stack.transport;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.nio.NioDatagramChannel;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
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
import org.mediasec.traceability.Implements;

/**
 * H.248 over UDP (H.248.1 Annex D.1): one socket, one message per datagram, one {@link TransactionEngine} per peer
 * address. Peers are admitted by {@code peers}: an address it does not know gets a message-level Error 402
 * (Unauthorized) and is counted, its commands never run. A datagram that does not parse is answered with the
 * H.248.8 code of the error, in a TransactionReply when the transaction ID could be read, else at message level.
 * Messages are sent in the compact text form.
 */
@Implements("H248-2")
public final class UdpEndpoint implements AutoCloseable {

    private final EventLoopGroup group;
    private final Channel channel;
    private final MessageId mId;
    private final WireMessages wire;
    private final TransactionTimers timers;
    private final ParserLimits limits;
    private final PeerLimits peerLimits;
    private final Function<InetSocketAddress, Optional<RequestHandler>> peers;
    private final Map<InetSocketAddress, TransactionEngine> engines = new HashMap<>();
    private final Map<InetSocketAddress, RequestHandler> handlers = new HashMap<>();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong malformed = new AtomicLong();
    private volatile WireTap tap;
    private volatile UnknownPeers unknownPeers = UnknownPeers.ANSWER_402;

    private UdpEndpoint(InetSocketAddress local, MessageId mId, int version, TransactionTimers timers, ParserLimits limits, PeerLimits peerLimits,
            Function<InetSocketAddress, Optional<RequestHandler>> peers) throws InterruptedException {
        this.peerLimits = peerLimits;
        this.mId = mId;
        this.wire = new WireMessages(mId, version);
        this.timers = timers;
        this.limits = limits;
        this.peers = peers;
        this.group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try {
            this.channel = new Bootstrap().group(group).channel(NioDatagramChannel.class)
                    .option(ChannelOption.SO_RCVBUF, 1 << 20)
                    .handler(new Inbound())
                    .bind(local).sync().channel();
        } catch (InterruptedException | RuntimeException e) {
            group.shutdownGracefully();
            throw e;
        }
    }

    /**
     * Binds an endpoint. {@code peers} says, for a source address, which handler serves its requests (empty:
     * not a configured peer).
     */
    public static UdpEndpoint bind(InetSocketAddress local, MessageId mId, int version, TransactionTimers timers,
            Function<InetSocketAddress, Optional<RequestHandler>> peers) throws InterruptedException {
        return new UdpEndpoint(local, mId, version, timers, ParserLimits.DEFAULT, PeerLimits.DEFAULT, peers);
    }

    /** As {@link #bind(InetSocketAddress, MessageId, int, TransactionTimers, Function)}, with explicit limits per peer. */
    public static UdpEndpoint bind(InetSocketAddress local, MessageId mId, int version, TransactionTimers timers, ParserLimits limits,
            PeerLimits peerLimits, Function<InetSocketAddress, Optional<RequestHandler>> peers) throws InterruptedException {
        return new UdpEndpoint(local, mId, version, timers, limits, peerLimits, peers);
    }

    public InetSocketAddress localAddress() {
        return (InetSocketAddress) channel.localAddress();
    }

    /** What to do with messages from addresses that are no configured peer (default: answer 402). */
    public void unknownPeers(UnknownPeers policy) {
        this.unknownPeers = java.util.Objects.requireNonNull(policy);
    }

    /** Every message sent and received from now on is shown to {@code tap} (null: none). */
    public void tap(WireTap tap) {
        this.tap = tap;
    }

    /** Datagrams from addresses that are no configured peer. */
    public long refused() {
        return refused.get();
    }

    /** Datagrams that did not parse. */
    public long malformed() {
        return malformed.get();
    }

    /** Sends a request to a peer; completes with its reply or fails with a TransactionException. */
    public CompletableFuture<Transaction.TransactionReply> request(InetSocketAddress peer, List<ActionRequest> actions) {
        return OnEventLoop.call(channel.eventLoop(), () -> engine(peer)
                .orElseThrow(() -> new IllegalArgumentException(peer + " is not a configured peer")).request(actions));
    }

    /** The engine's counters for a peer (plain fields written on the event loop: a snapshot for tests and metrics). */
    public Optional<TransactionEngine.Statistics> statistics(InetSocketAddress peer) {
        return Optional.ofNullable(engines.get(peer)).map(TransactionEngine::statistics);
    }

    private Optional<TransactionEngine> engine(InetSocketAddress peer) {
        TransactionEngine existing = engines.get(peer);
        if (existing != null) {
            return Optional.of(existing);
        }
        Optional<RequestHandler> handler = peers.apply(peer);
        if (handler.isEmpty()) {
            return Optional.empty();
        }
        TransactionEngine engine = new TransactionEngine(transaction -> send(peer, transaction),
                new EventLoopScheduler(channel.eventLoop()), timers, peerLimits, false, handler.get(), 1 + (System.nanoTime() & 0xFFFF));
        engines.put(peer, engine);
        handlers.put(peer, handler.get());
        handler.get().onConnect(peer);
        return Optional.of(engine);
    }

    private void send(InetSocketAddress peer, Transaction transaction) {
        send(peer, wire.wrap(transaction));
    }

    private void send(InetSocketAddress peer, Message message) {
        io.netty.buffer.ByteBuf bytes = wire.encode(channel.alloc(), message);
        WireTap current = tap;
        if (current != null) {
            current.onMessage(WireTap.Direction.SENT, WireTap.Protocol.UDP, localAddress(), peer, ByteBufUtil.getBytes(bytes));
        }
        channel.writeAndFlush(new DatagramPacket(bytes, peer));
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
                if (unknownPeers == UnknownPeers.ANSWER_402) {
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
            for (Transaction transaction : message.transactions()) {
                engine.get().receive(transaction);
            }
        }
    }

    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

    /** Closes the socket(s) and stops the event loop; a second call does nothing. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        OnEventLoop.call(channel.eventLoop(), () -> {
            engines.forEach((peer, engine) -> {
                engine.transportLost("endpoint closed");
                handlers.get(peer).onDisconnect(peer, "endpoint closed");
            });
            return CompletableFuture.completedFuture(null);
        }).join();
        channel.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }

    @Override
    public String toString() {
        return "UdpEndpoint " + localAddress() + " " + mId;
    }
}
