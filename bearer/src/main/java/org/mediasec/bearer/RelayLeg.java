package org.mediasec.bearer;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.SslCloseCompletionEvent;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSession;
import org.mediasec.bearer.msrp.MsrpRelayHandler;
import org.mediasec.bearer.msrp.MsrpStreamException;
import org.mediasec.bearer.tls.TlsEngines;
import org.mediasec.bearer.tls.psk.PskTlsEvent;
import org.mediasec.msrp.MsrpLimits;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.mediasec.traceability.Implements;

/**
 * One leg of a {@link RelayPair}: its TCP connection (listened for or connected), its TLS layer if any, and the
 * events that arm, feed and release the pair. Thread rule: its state is written on the pair's event loop only; what
 * the pair's public methods read from other threads ({@link #bytesReceived}, {@link #localAddress}) is volatile.
 */
@Implements({"GW-5", "GW-8", "TLS-13"})
final class RelayLeg extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(RelayLeg.class);
    /**
     * TCP-5: the pause between a merging leg's connect attempts that the peer's NAT refused (RST: its mapping is not
     * there yet); a dropped SYN is retransmitted by the kernel within the attempt instead. Our choice: short against
     * the seconds a UE takes to connect, long enough not to flood its NAT.
     */
    private static final Duration MERGE_RETRY_PAUSE = Duration.ofMillis(200);

    private final RelayPair pair;
    private final Side side;
    private final LegSpec spec;
    /** The leg's TLS layer; on a passive leg, that of the connection whose handshake authenticated the peer. */
    private Optional<LegTls> tls;
    /** TLS-4, TCP-9: a passive TLS leg's admitted connections until one authenticates. */
    private final PendingHandshakes handshakes;
    /** GW-6: the MSRP-aware hook between the TLS layer and this handler, on an aware leg. */
    private final Optional<MsrpRelayHandler> msrp;
    private Optional<InetSocketAddress> expected;
    /** TCP-4: connections are refused (and counted) and nothing is connected until the MGC says so. */
    private boolean establishing;
    /** TCP-5: the merging leg's connect attempt under way, if any. */
    private Channel mergeAttempt;
    private volatile Channel server;
    /**
     * The port the leg listened on, once bound: it stays the leg's address after the listener closes (one connection
     * per leg), in the moment before the connection is attached too (read from other threads).
     */
    private volatile InetSocketAddress listened;
    private volatile Channel channel;
    /** This handler's place in {@link #channel}'s pipeline: a terminated pair's handler comes after it. */
    private ChannelHandlerContext context;
    private boolean ready;
    private boolean inputClosed;
    private OrderlyClose closing;
    private boolean flushNeeded;
    private CompositeByteBuf early;
    /** What this leg receives is not relayed for now (setFlow): it stops reading, what it read waits in early. */
    private boolean held;
    private volatile long bytesIn;

    RelayLeg(RelayPair pair, Side side, LegSpec spec) {
        this.pair = pair;
        this.side = side;
        this.spec = spec;
        this.expected = spec.remote();
        this.tls = LegTls.of(spec);
        this.handshakes = new PendingHandshakes(pair, this);
        this.establishing = !spec.traversal().delayed();
        this.msrp = spec.msrp().map(rewrite -> new MsrpRelayHandler(rewrite, MsrpLimits.DEFAULT, () -> pair.other(this).msrp));
    }

    Side side() {
        return side;
    }

    LegSpec spec() {
        return spec;
    }

    Optional<TlsEngines.Leg> tls() {
        return tls.flatMap(LegTls::prepared);
    }

    long bytesReceived() {
        return bytesIn;
    }

    boolean ready() {
        return ready;
    }

    void markReady() {
        ready = true;
    }

    /** Whether the leg has its connection (accepted, connected, or authenticated among pending handshakes). */
    boolean connected() {
        return channel != null;
    }

    boolean inputClosed() {
        return inputClosed;
    }

    boolean held() {
        return held;
    }

    void hold(boolean holding) {
        held = holding;
    }

    ChannelHandlerContext context() {
        return context;
    }

    void stopReading() {
        channel.config().setAutoRead(false);
    }

    /** Reads again, unless the other leg cannot take more (GW-8). */
    void resumeReading() {
        RelayLeg other = pair.other(this);
        if (other == null || other.channel.isWritable()) {
            channel.config().setAutoRead(true);
        }
    }

    void expect(InetSocketAddress remote) {
        expected = Optional.of(remote);
    }

    InetSocketAddress localAddress() {
        Channel listening = server;
        if (listening != null && listening.localAddress() != null) {
            return (InetSocketAddress) listening.localAddress();
        }
        if (listened != null) {
            return listened;
        }
        Channel connection = channel;
        return connection == null || connection.localAddress() == null ? spec.local() : (InetSocketAddress) connection.localAddress();
    }

    /** Queued for writing on this leg, plus what it holds before the relay is armed. */
    long heldBytes() {
        ChannelOutboundBuffer queued = channel == null ? null : channel.unsafe().outboundBuffer();
        return (queued == null ? 0 : queued.totalPendingWriteBytes()) + (early == null ? 0 : early.readableBytes());
    }

    Optional<ByteBufAllocator> allocator() {
        return Optional.ofNullable(channel).map(Channel::alloc);
    }

    // ---- opening ------------------------------------------------------------------------------------------------

    ChannelFuture listen() {
        ChannelFuture bound = LegSockets.listen(pair, spec.local(), spec.traversal().merge(), this::admit);
        server = bound.channel();
        bound.addListener(done -> {
            if (done.isSuccess()) {
                listened = (InetSocketAddress) bound.channel().localAddress();
            }
        });
        return bound;
    }

    /**
     * Starts what the role does once the leg may establish (at once, or TCP-4: when {@link RelayPair#establish} says
     * so): an active leg connects, a merging leg starts its connect attempts (TCP-5), a passive one admits.
     */
    void start() {
        if (!establishing) {
            return;
        }
        handshakes.open(); // the connect window of a passive TLS leg starts when it admits
        if (spec.role() == TcpRole.ACTIVE) {
            connect();
        } else if (spec.traversal().merge()) {
            merge(System.nanoTime() + pair.config().connectTimeout().toNanos());
        }
    }

    /** TCP-4: the MGC's establish signal: the leg opens or admits from now on; a second signal changes nothing. */
    @Implements("TCP-4")
    void establish() {
        if (establishing || pair.isReleased()) {
            return;
        }
        establishing = true;
        start();
    }

    /**
     * TCP-9: exactly one connection, from the expected peer only ({@link PassiveSourcePolicy}), and (TCP-4) only once
     * the leg may establish; TCP-6: a latching leg takes the first source its policy accepts (SEC-2) and holds to it.
     * On a TLS leg an admitted connection is a candidate until its handshake authenticates the peer (TLS-4): the
     * listener stays open meanwhile ({@link PendingHandshakes}).
     */
    @Implements("TCP-6")
    private void admit(Channel accepted) {
        InetSocketAddress from = (InetSocketAddress) accepted.remoteAddress();
        if (pair.isReleased() || channel != null || !establishing || !acceptable(from)) {
            LOG.info("leg {}: connection from {} refused: {}", side, from, channel != null ? "the leg has its connection"
                    : !establishing ? "not established yet (TCP-4)" : "not the expected source " + expected.map(Object::toString).orElse("(none yet)"));
            pair.plane().refused();
            pair.emit(new BearerEvent.ConnectionRefused(side, from));
            accepted.config().setOption(ChannelOption.SO_LINGER, 0); // reset, not a graceful close
            accepted.close();
            return;
        }
        if (secured()) {
            handshakes.offer(accepted, tls.orElseThrow().another());
            return;
        }
        settle(from);
        attach(accepted);
    }

    /** The connection from {@code from} is the leg's: a latching leg holds to it, and nothing else is listened for or connected. */
    private void settle(InetSocketAddress from) {
        if (spec.traversal().latchPolicy().isPresent()) {
            expected = Optional.of(from);
            pair.emit(new BearerEvent.Latched(side, from));
        }
        server.close(); // one connection per leg; the port stays allocated until the pair is released
        server = null;
        if (mergeAttempt != null) {
            mergeAttempt.close(); // TCP-5: the peer's SYN reached the listener first
            mergeAttempt = null;
        }
    }

    /**
     * TLS-4: a pending handshake authenticated the peer: its connection, with its TLS layer, is the leg's. The relay's
     * handlers go after that layer, as {@link #attach} puts them.
     */
    void adopt(Channel connection, LegTls layer, BearerEvent.TlsEstablished established) {
        if (pair.isReleased()) {
            connection.close();
            return;
        }
        tls = Optional.of(layer);
        settle((InetSocketAddress) connection.remoteAddress());
        channel = connection;
        Duration idle = pair.config().idleTimeout();
        if (!idle.isZero()) {
            connection.pipeline().addFirst(new IdleStateHandler(0, 0, idle.toMillis(), TimeUnit.MILLISECONDS));
        }
        msrp.ifPresent(connection.pipeline()::addLast);
        connection.pipeline().addLast(this);
        pair.emit(new BearerEvent.TcpEstablished(side, (InetSocketAddress) connection.localAddress(), (InetSocketAddress) connection.remoteAddress()));
        pair.emit(established);
        pair.legReady(this);
    }

    private boolean acceptable(InetSocketAddress from) {
        if (expected.isEmpty()) {
            return spec.traversal().latchPolicy().filter(policy -> policy.refusal(from.getAddress()).isEmpty()).isPresent();
        }
        // TCP-5: the port a merging leg connects to is where the peer's NAT mapped it; a connection it makes to our
        // listener may come through a mapping of its own, so only the address is held to on that path
        return PassiveSourcePolicy.admits(expected.get(), from, spec.traversal().merge());
    }

    void connect() {
        InetSocketAddress remote = spec.remote().orElseThrow();
        LegSockets.connect(pair, spec.local(), remote, this::attach).addListener(connected -> {
            if (!connected.isSuccess()) {
                pair.release(side, ReleaseReason.CONNECT_FAILED, "connect to " + remote + ": " + connected.cause().getMessage());
            }
        });
    }

    /**
     * TCP-5: one connect attempt from the listening port to the peer, again after a refusal until {@code deadline}
     * (the peer's NAT answers RST until the peer's own SYN opened it). The attempt that connects is the leg's
     * connection unless the listener took one first; after the deadline the leg stays passive.
     */
    @Implements("TCP-5")
    private void merge(long deadline) {
        long left = deadline - System.nanoTime();
        if (pair.isReleased() || channel != null || left <= 0) {
            return;
        }
        InetSocketAddress remote = spec.remote().orElseThrow();
        LegSockets.connectFromListeningPort(pair, localAddress(), remote, Duration.ofNanos(left), attempt -> {
            mergeAttempt = attempt;
            attempt.pipeline().addLast(new MergeAttempt());
        }).addListener(done -> {
            if (!done.isSuccess() && channel == null && !pair.isReleased()) {
                mergeAttempt = null;
                pair.loop().schedule(() -> merge(deadline), MERGE_RETRY_PAUSE.toMillis(), TimeUnit.MILLISECONDS);
            }
        });
    }

    /** TCP-5: a merging connect attempt that connected becomes the leg's connection, unless one was accepted first. */
    private final class MergeAttempt extends ChannelInboundHandlerAdapter {
        @Override
        public void channelActive(ChannelHandlerContext context) {
            Channel connection = context.channel();
            if (pair.isReleased() || channel != null) {
                connection.close();
                return;
            }
            mergeAttempt = null;
            server.close(); // one connection per leg
            server = null;
            context.pipeline().remove(this);
            attach(connection); // the leg's handlers go after this one's place and see the connection become active
            connection.pipeline().fireChannelActive();
        }
    }

    private void attach(Channel connection) {
        if (pair.isReleased()) {
            connection.close(); // connected after the pair was released
            return;
        }
        channel = connection;
        Duration idle = pair.config().idleTimeout();
        if (!idle.isZero()) {
            connection.pipeline().addLast(new IdleStateHandler(0, 0, idle.toMillis(), TimeUnit.MILLISECONDS));
        }
        tls.ifPresent(layer -> layer.addTo(connection));
        msrp.ifPresent(connection.pipeline()::addLast);
        connection.pipeline().addLast(this);
    }

    /** TLS with certificates or with a PSK: the relay waits for the handshake. */
    private boolean secured() {
        return tls.isPresent();
    }

    // ---- the relay ----------------------------------------------------------------------------------------------

    @Override
    public void handlerAdded(ChannelHandlerContext context) {
        this.context = context;
    }

    @Override
    public void channelActive(ChannelHandlerContext context) {
        pair.emit(new BearerEvent.TcpEstablished(side, (InetSocketAddress) context.channel().localAddress(),
                (InetSocketAddress) context.channel().remoteAddress()));
        // TLS-9: a client SslHandler (before this handler) started its handshake already; only the handlers after
        // this one hear of it, none yet (a terminated pair's handler is added once the leg is ready, and told then)
        context.fireChannelActive();
        if (!secured()) {
            pair.legReady(this);
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext context, Object message) {
        if (pair.isReleased() || !(message instanceof ByteBuf bytes)) {
            ReferenceCountUtil.release(message); // after the release: read and dropped while the leg closes
            return;
        }
        int readable = bytes.readableBytes();
        bytesIn += readable;
        pair.touch();
        if (pair.armed() && !held && pair.terminated()) {
            context.fireChannelRead(bytes); // the clear bytes, to the terminating handler after this one
            return;
        }
        if (pair.armed() && !held) {
            pair.other(this).channel.write(bytes);
            flushNeeded = true;
            checkBackpressure(); // stops this read batch as soon as the other leg is full (GW-8)
            return;
        }
        // TLS-13: held, within a bound, until the relay is armed; a held leg (setFlow) stopped reading, so what it
        // still gets is what was in flight, kept without a bound until it flows
        int waiting = early == null ? 0 : early.readableBytes();
        int bound = pair.config().earlyDataBytes();
        if (!(pair.armed() && held) && waiting + readable > bound) {
            bytes.release();
            pair.release(side, ReleaseReason.EARLY_DATA_OVERFLOW, (waiting + readable) + " bytes arrived before the relay was armed, " + bound + " allowed");
            return;
        }
        if (early == null) {
            early = context.alloc().compositeBuffer(64);
        }
        early.addComponent(true, bytes);
    }

    /** What arrived before the relay was armed (TLS-13) or while held goes to the other leg. */
    void relayHeld() {
        if (early != null) {
            CompositeByteBuf waiting = early;
            early = null;
            if (pair.terminated()) {
                context.fireChannelRead(waiting);
                context.fireChannelReadComplete();
                return;
            }
            pair.other(this).channel.writeAndFlush(waiting);
            checkBackpressure();
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext context) {
        if (flushNeeded && !pair.isReleased()) {
            flushNeeded = false;
            pair.other(this).channel.flush();
            checkBackpressure();
        }
        if (tls.filter(LegTls::certificates).isPresent() && ready && !pair.isReleased()) {
            // TLS-10: when BoringSSL answers a record with a fatal alert (e.g. no_renegotiation to a ClientHello,
            // RFC 5246 7.2.2), Netty's engine writes the alert but reports the error only at its next wrap: this
            // flush is that wrap, so that the error reaches exceptionCaught now rather than at the next byte relayed
            context.flush();
        }
        context.fireChannelReadComplete();
    }

    /** GW-8: the other leg cannot take more: stop reading here until it drains. */
    void checkBackpressure() {
        RelayLeg other = pair.other(this);
        Channel to = other == null ? null : other.channel;
        if (to != null && !to.isWritable()) {
            channel.config().setAutoRead(false);
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext context) {
        RelayLeg from = pair.other(this);
        if (from != null && context.channel().isWritable() && from.channel != null && !pair.isReleased() && !from.held) {
            from.channel.config().setAutoRead(true);
        }
        context.fireChannelWritabilityChanged();
    }

    // ---- events -------------------------------------------------------------------------------------------------

    @Override
    public void userEventTriggered(ChannelHandlerContext context, Object event) {
        if (pair.isReleased()) {
            if (event instanceof ChannelInputShutdownEvent && closing != null) {
                closing.peerFinished();
            }
            return;
        }
        switch (event) {
            case SslHandshakeCompletionEvent done when done.isSuccess() -> handshakeSucceeded();
            case SslHandshakeCompletionEvent failed -> {
                boolean timeout = failed.cause() instanceof SslHandshakeTimeoutException;
                String reason = tls.orElseThrow().authenticationFailure().orElse(describe(failed.cause()));
                pair.emit(new BearerEvent.TlsFailed(side, reason));
                pair.release(side, timeout ? ReleaseReason.HANDSHAKE_TIMEOUT : ReleaseReason.TLS_HANDSHAKE_FAILED, reason);
            }
            case PskTlsEvent.HandshakeCompleted done -> {
                pair.emit(new BearerEvent.TlsEstablished(side, done.protocol(), done.cipherSuite(), Optional.empty()));
                pair.legReady(this);
            }
            case PskTlsEvent.HandshakeFailed failed -> {
                pair.emit(new BearerEvent.TlsFailed(side, failed.reason()));
                pair.release(side, failed.timeout() ? ReleaseReason.HANDSHAKE_TIMEOUT : ReleaseReason.TLS_HANDSHAKE_FAILED, failed.reason());
            }
            // TLS-10: close_notify from the peer ends the TLS session and so the pair
            case PskTlsEvent.CloseNotifyReceived closed -> pair.release(side, ReleaseReason.TLS_CLOSE_NOTIFY, "close_notify received");
            case SslCloseCompletionEvent closed when closed.isSuccess() -> pair.release(side, ReleaseReason.TLS_CLOSE_NOTIFY, "close_notify received");
            case SslCloseCompletionEvent closedWithTheConnection -> {
                // fired when the connection closes without close_notify: channelInactive or exceptionCaught reports it
            }
            case ChannelInputShutdownEvent fin -> finReceived();
            case IdleStateEvent idle -> {
                if (System.nanoTime() - pair.lastActivity() >= pair.config().idleTimeout().toNanos()) {
                    pair.release(side, ReleaseReason.IDLE_TIMEOUT, "no data for " + pair.config().idleTimeout());
                }
            }
            default -> context.fireUserEventTriggered(event);
        }
    }

    /** TLS-4: the handshake succeeded, but the relay carries data only if it authenticated the peer. */
    private void handshakeSucceeded() {
        LegTls layer = tls.orElseThrow();
        switch (layer.authenticate()) {
            case TlsEngines.Authenticated authenticated -> {
                SSLSession session = layer.session();
                pair.emit(new BearerEvent.TlsEstablished(side, session.getProtocol(), session.getCipherSuite(), Optional.of(authenticated.fingerprint())));
                pair.legReady(this);
            }
            case TlsEngines.NotAuthenticated refused -> {
                pair.emit(new BearerEvent.TlsFailed(side, refused.reason()));
                pair.release(side, ReleaseReason.TLS_HANDSHAKE_FAILED, refused.reason());
            }
        }
    }

    /** TCP-8: the peer's FIN: answered with ours after what is queued, and the other leg closed too (duplex close). */
    private void finReceived() {
        inputClosed = true;
        if (secured() && !ready) {
            pair.release(side, ReleaseReason.TLS_HANDSHAKE_FAILED, "the peer closed the connection during the handshake");
        } else if (pair.armed() && !held) {
            pair.release(side, ReleaseReason.PEER_CLOSED, "FIN received: duplex close (TCP-8)");
        } else if (early == null) {
            pair.release(side, ReleaseReason.PEER_CLOSED, "FIN received with nothing waiting to be relayed: duplex close (TCP-8)");
        }
        // else: the bytes before the FIN are relayed once the relay is armed or the leg flows, then the pair closes
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
        Throwable root = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
        if (!(root instanceof IOException)) { // SSLException is an IOException: anything else is ours
            LOG.error("leg {}: unexpected exception, our bug", side, cause);
        }
        if (pair.isReleased()) {
            context.close();
            return;
        }
        if (secured() && !ready) {
            return; // the handshake completion event reports it
        }
        // TLS-10: a fatal alert received or sent, or a record that does not decrypt, ends the TLS session; anything
        // that is not I/O is our own failure, never blamed on the peer
        ReleaseReason reason = root instanceof SSLException ? ReleaseReason.TLS_ERROR
                : root instanceof MsrpStreamException ? ReleaseReason.MSRP_ERROR
                : root instanceof IOException ? ReleaseReason.RESET : ReleaseReason.INTERNAL_ERROR;
        pair.release(side, reason, describe(root));
    }

    @Override
    public void channelInactive(ChannelHandlerContext context) {
        if (!pair.isReleased()) {
            pair.release(side, inputClosed ? ReleaseReason.PEER_CLOSED : ReleaseReason.RESET, "connection closed");
        }
        context.fireChannelInactive();
    }

    @Override
    public boolean isSharable() {
        return false;
    }

    // ---- closing ------------------------------------------------------------------------------------------------

    /**
     * The close that follows resets the connection (SO_LINGER 0: RST, and what is queued either way is dropped): for a
     * peer that broke the rules in a way an orderly close would reward, as one that does not read (GW-8). A peer
     * blocked writing to us hears of it at once instead of at its next retransmission.
     */
    void resetOnClose() {
        if (channel != null && channel.isOpen()) {
            channel.config().setOption(ChannelOption.SO_LINGER, 0);
        }
    }

    /**
     * Closes this leg; completes once its sockets are closed: in order ({@link OrderlyClose}), or at once when the
     * connection no longer works.
     */
    CompletableFuture<Void> close(boolean orderly) {
        handshakes.closeAll();
        if (early != null) {
            early.release();
            early = null;
        }
        if (mergeAttempt != null) {
            mergeAttempt.close();
            mergeAttempt = null;
        }
        // a listener whose socket could not even be made (EMFILE) was never registered: nothing to close, and Netty's
        // close() of such a channel throws, which would leave the pair's opening unanswered
        CompletableFuture<Void> serverClosed = server == null || !server.isRegistered() ? CompletableFuture.completedFuture(null) : completion(server.close());
        CompletableFuture<Void> connectionClosed = CompletableFuture.completedFuture(null);
        // closed from this handler's place in the pipeline: a terminated pair's handler, after it, is not asked
        if (channel != null && orderly) {
            closing = new OrderlyClose(context, inputClosed);
            Channel connection = channel;
            connectionClosed = closing.start(() -> tls.map(layer -> layer.closeOutbound(connection)).orElseGet(connection::newSucceededFuture));
        } else if (channel != null) {
            connectionClosed = completion(context.close());
        }
        tls.ifPresent(LegTls::forget);
        return CompletableFuture.allOf(serverClosed, connectionClosed);
    }

    static CompletableFuture<Void> completion(ChannelFuture future) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        future.addListener(f -> {
            if (f.isSuccess()) {
                done.complete(null);
            } else {
                done.completeExceptionally(f.cause());
            }
        });
        return done;
    }

    static String describe(Throwable cause) {
        Throwable root = cause;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return root == cause ? message : cause.getClass().getSimpleName() + ": " + message;
    }
}
