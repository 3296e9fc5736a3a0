package org.mediasec.bearer;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.mediasec.bearer.tls.TlsEngines;
import org.mediasec.bearer.tls.psk.PskTlsEvent;
import org.mediasec.traceability.Implements;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connections a passive TLS leg (certificates or PSK) admitted whose handshake is still under way (TLS-4, TCP-9).
 * An admitted source is not yet the peer: anyone at the peer's address (a host behind the same NAT, a spoofer on the
 * path) can connect first. So the listener stays open until a handshake authenticates the peer; that connection
 * becomes the leg's and every other is closed. A connection whose handshake fails (wrong certificate or PSK, garbage,
 * nothing within the domain's handshake timeout) is closed after its alert, counted ({@link BearerPlane#refusedHandshakes()}) and
 * reported ({@link BearerEvent.HandshakeRefused}), and does not consume the leg: the pair is released only once its
 * connect window ({@link BearerConfig#passiveWindow()}, from when the leg starts admitting) is over with no handshake
 * pending and none succeeded; then as before, one {@link BearerEvent.TlsFailed} and one release, with the last
 * failure's reason.
 *
 * <p>At most {@link #MAX_PENDING} handshakes are held; one more evicts the oldest. An attacker who opens slow
 * handshakes (a TCP connect and nothing, or a ClientHello dribbled out) therefore cannot fill the leg: a later
 * connection, the peer's, always gets a place. To evict the peer's own handshake the attacker must open
 * {@code MAX_PENDING} connections within that handshake's round trip, again and again, from the peer's address: a
 * denial of service that is visible in the counts, never a way in, since only an authenticated handshake takes the leg.
 * Thread rule: the pair's event loop only.
 */
@Implements({"TLS-4", "TCP-9"})
final class PendingHandshakes {

    /**
     * Our choice: a UE opens one connection per stream, a retry at most one more; four leaves room for those while an
     * attacker's slow handshakes are evicted oldest first.
     */
    static final int MAX_PENDING = 4;

    private static final Logger LOG = LoggerFactory.getLogger(PendingHandshakes.class);

    /** Why the last handshake failed: what the release reports once the window is over. */
    private record Failure(String reason, boolean timeout) {}

    private final RelayPair pair;
    private final RelayLeg leg;
    private final Deque<Candidate> pending = new ArrayDeque<>();
    /** When the connect window ends (System.nanoTime), once the leg admits. */
    private long windowEnds;
    private boolean windowOpen;
    private boolean windowTimer;
    private Failure last;

    PendingHandshakes(RelayPair pair, RelayLeg leg) {
        this.pair = pair;
        this.leg = leg;
    }

    /** The leg admits from now on: its connect window starts (once). */
    void open() {
        if (!windowOpen) {
            windowOpen = true;
            windowEnds = System.nanoTime() + pair.config().passiveWindow().toNanos();
        }
    }

    /** An admitted connection starts its handshake on {@code layer}, a TLS layer of its own (its own verdict). */
    void offer(Channel accepted, LegTls layer) {
        open();
        if (pending.size() >= MAX_PENDING) {
            pending.peekFirst().fail("evicted: " + MAX_PENDING + " handshakes were pending on the leg and another connection came", false, true);
        }
        Candidate candidate = new Candidate(accepted, layer);
        pending.addLast(candidate);
        layer.addTo(accepted);
        accepted.pipeline().addLast(candidate);
    }

    /** Closes every pending handshake: the leg is taken or released. Nothing is counted or reported for them. */
    void closeAll() {
        List<Candidate> closing = new ArrayList<>(pending);
        pending.clear();
        for (Candidate candidate : closing) {
            candidate.discard(true);
        }
    }

    private void failed(Failure failure) {
        last = failure;
        if (!pending.isEmpty() || pair.isReleased()) {
            return; // a pending handshake may still be the peer's; its end decides
        }
        long left = windowEnds - System.nanoTime();
        if (left <= 0) {
            release();
        } else if (!windowTimer) {
            windowTimer = true;
            pair.loop().schedule(this::windowEnded, left, TimeUnit.NANOSECONDS);
        }
    }

    private void windowEnded() {
        windowTimer = false;
        if (pending.isEmpty() && !leg.connected() && !pair.isReleased()) {
            release();
        }
    }

    private void release() {
        pair.emit(new BearerEvent.TlsFailed(leg.side(), last.reason()));
        LOG.info("leg {}: no connection authenticated within the connect window of {}: the pair goes", leg.side(), pair.config().passiveWindow());
        pair.release(leg.side(), last.timeout() ? ReleaseReason.HANDSHAKE_TIMEOUT : ReleaseReason.TLS_HANDSHAKE_FAILED, last.reason());
    }

    /** One admitted connection until its handshake ends; then it becomes the leg's or is closed. */
    private final class Candidate extends ChannelInboundHandlerAdapter {
        private final Channel connection;
        private final LegTls layer;
        private final InetSocketAddress from;
        private final CompositeByteBuf early;

        Candidate(Channel connection, LegTls layer) {
            this.connection = connection;
            this.layer = layer;
            this.from = (InetSocketAddress) connection.remoteAddress();
            this.early = connection.alloc().compositeBuffer();
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext context, Object event) {
            switch (event) {
                case SslHandshakeCompletionEvent done when done.isSuccess() -> {
                    switch (layer.authenticate()) {
                        case TlsEngines.Authenticated authenticated -> succeeded(context, new BearerEvent.TlsEstablished(leg.side(),
                                layer.session().getProtocol(), layer.session().getCipherSuite(), Optional.of(authenticated.fingerprint())));
                        case TlsEngines.NotAuthenticated refused -> fail(refused.reason(), false);
                    }
                }
                case SslHandshakeCompletionEvent failed -> fail(layer.authenticationFailure().orElse(RelayLeg.describe(failed.cause())),
                        failed.cause() instanceof SslHandshakeTimeoutException);
                case PskTlsEvent.HandshakeCompleted done ->
                        succeeded(context, new BearerEvent.TlsEstablished(leg.side(), done.protocol(), done.cipherSuite(), Optional.empty()));
                case PskTlsEvent.HandshakeFailed failed -> fail(failed.reason(), failed.timeout());
                case ChannelInputShutdownEvent fin -> fail("the peer closed the connection during the handshake", false);
                default -> context.fireUserEventTriggered(event);
            }
        }

        /**
         * Clear bytes the TLS layer decoded before it reported its handshake (a record after the peer's Finished, in the
         * same read): kept, within the early-data bound (TLS-13), and relayed first once the connection is the leg's.
         */
        @Override
        public void channelRead(ChannelHandlerContext context, Object message) {
            if (!(message instanceof ByteBuf bytes) || !pending.contains(this)) {
                ReferenceCountUtil.release(message); // after a failure: read and dropped while the connection closes
                return;
            }
            if (early.readableBytes() + bytes.readableBytes() > pair.config().earlyDataBytes()) {
                bytes.release();
                fail("more than " + pair.config().earlyDataBytes() + " bytes before the handshake was reported (TLS-13)", false);
                return;
            }
            early.addComponent(true, bytes);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
            Throwable root = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
            if (!(root instanceof IOException)) {
                LOG.error("leg {}: unexpected exception during a handshake with {}, our bug", leg.side(), from, cause);
            }
            fail(RelayLeg.describe(root), false); // nothing when the handshake event already said why
        }

        @Override
        public void channelInactive(ChannelHandlerContext context) {
            fail("connection closed during the handshake", false);
            context.fireChannelInactive();
        }

        private void succeeded(ChannelHandlerContext context, BearerEvent.TlsEstablished established) {
            if (!pending.remove(this)) {
                return;
            }
            closeAll();
            leg.adopt(connection, layer, established); // the leg's handlers go after this one
            if (early.isReadable()) {
                context.fireChannelRead(early); // in order, before anything the TLS layer decodes next
            } else {
                early.release();
            }
            context.pipeline().remove(this);
        }

        void fail(String reason, boolean timeout) {
            fail(reason, timeout, false);
        }

        /**
         * {@code abort}: reset at once (an evicted handshake); else closed after what the TLS layer still sends, its
         * fatal alert (TLS-11), which a reset could make the peer discard unread.
         */
        void fail(String reason, boolean timeout, boolean abort) {
            if (!pending.remove(this)) {
                return;
            }
            discard(abort);
            pair.plane().refusedHandshake();
            LOG.info("leg {}: a connection from {} failed its handshake and was closed; the leg keeps listening: {}", leg.side(), from, reason);
            pair.emit(new BearerEvent.HandshakeRefused(leg.side(), from, reason));
            failed(new Failure(reason, timeout));
        }

        /** Closes the connection: with a reset when {@code abort} (nothing is owed to it), else in order. */
        void discard(boolean abort) {
            early.release();
            layer.forget();
            if (connection.isOpen()) {
                if (abort) {
                    connection.config().setOption(ChannelOption.SO_LINGER, 0);
                }
                connection.close();
            }
        }
    }
}
