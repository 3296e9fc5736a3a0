package org.mediasec.bearer;

import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.EventLoop;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;
import org.mediasec.bearer.tls.CertificateFingerprint;
import org.mediasec.bearer.tls.TlsEngines;
import org.mediasec.traceability.Implements;

/**
 * Two legs and the relay between them (GW-1 TLS↔TCP, GW-2 TLS↔TLS, GW-3 TCP↔TCP; GW-5: each leg is a full TCP
 * connection of its own). Thread rule: everything runs on the pair's event loop; the public methods hand their work
 * to it, or read values only that loop writes, published to other threads ({@link #bytesReceived}, {@link #localAddress}).
 *
 * <ul>
 *   <li>Armed relay: once both legs are up (TCP connected, and TLS handshake done with the peer fingerprint matched),
 *       bytes read on one leg are written to the other unchanged. Before that, bytes are held per leg up to
 *       {@link BearerConfig#earlyDataBytes()}, then relayed; more than that releases the pair (TLS-13). A TLS leg
 *       delivers nothing before its handshake and fingerprint check succeeded, so nothing is ever relayed in clear
 *       that should not be.</li>
 *   <li>Backpressure (GW-8): when a leg's write queue passes {@link BearerConfig#pairBufferBytes()} it becomes
 *       unwritable and reads on the other leg stop until it drains.</li>
 *   <li>Duplex close (TCP-8, TS 23.334 5.11.2.x.5.2): a FIN from a peer is answered with our FIN on that leg after
 *       what was queued for it, and the other leg is closed in order too (its queue, close_notify on TLS, FIN): the
 *       pair is released as {@link ReleaseReason#PEER_CLOSED}. A FIN before the relay is armed waits until the bytes
 *       before it are relayed.</li>
 *   <li>NAT traversal (TR 29.828 4.4.2.2, 4.4.2.3): a delayed leg (TCP-4) refuses every connection, and an active
 *       one does not connect, until {@link #establish}; a merging leg (TCP-5) listens and also connects from its
 *       listening port, one connection whichever way it comes; a latching leg (TCP-6) takes the first source its
 *       policy accepts and reports it ({@link BearerEvent.Latched}). TLS on such legs is unchanged: the fingerprint
 *       is checked (TLS-4) however the connection came about.</li>
 *   <li>Release (TLS-10): close_notify, a fatal alert received or sent (a refused renegotiation, a failed
 *       fingerprint check), a handshake failure, a reset, the idle or handshake timeout, too much early data, a
 *       failed connect, or {@link #release}: both legs are closed, the one where it started first ({@link RelayLeg#close}
 *       says how), and exactly one {@link BearerEvent.Released} is reported once both sockets are closed.</li>
 *   <li>Terminated pair: side B has no socket; once leg A is up, the owner's handler goes on A's own connection
 *       after its TLS layer and reads and writes the clear bytes there ({@link TerminatedLeg}). The same events
 *       (A's), release, orderly close of A, hold and statistics as a relayed pair; the terminating handler's own
 *       writability is its backpressure.</li>
 * </ul>
 */
@Implements({"GW-1", "GW-2", "GW-3"})
public final class RelayPair implements MediaPair {

    private final BearerPlane plane;
    private final EventLoop loop;
    private final BearerConfig config;
    private final BearerListener listener;
    /** The socket legs: A, and B unless the pair is terminated. */
    private final List<RelayLeg> legs;
    /** Side B of a terminated pair, else null. */
    private final TerminatedLeg terminus;
    private final CompletableFuture<BearerEvent.Released> releasedFuture = new CompletableFuture<>();
    private boolean released;
    private long lastActivity = System.nanoTime();

    RelayPair(BearerPlane plane, EventLoop loop, LegSpec a, LegSpec b, BearerListener listener) {
        this.plane = plane;
        this.loop = loop;
        this.config = plane.config();
        this.listener = listener;
        this.legs = List.of(new RelayLeg(this, Side.A, a), new RelayLeg(this, Side.B, b));
        this.terminus = null;
    }

    /** A terminated pair: leg A, and {@code terminus}'s handler on A's connection as side B. */
    RelayPair(BearerPlane plane, EventLoop loop, LegSpec a, Supplier<? extends ChannelHandler> terminus, BearerListener listener) {
        this.plane = plane;
        this.loop = loop;
        this.config = plane.config();
        this.listener = listener;
        this.legs = List.of(new RelayLeg(this, Side.A, a));
        this.terminus = new TerminatedLeg(this, terminus);
    }

    // ---- what the owner sees ------------------------------------------------------------------------------------

    /** Where a leg listens (passive) or connects from (active, once connected); side B of a terminated pair has no address. */
    @Override
    public InetSocketAddress localAddress(Side side) {
        return socketLeg(side).localAddress();
    }

    @Override
    public Optional<CertificateFingerprint> localFingerprint(Side side) {
        return terminated(side) ? Optional.empty() : leg(side).tls().map(TlsEngines.Leg::localFingerprint);
    }

    /**
     * Bytes read so far on a leg (after TLS: plaintext), on side B of a terminated pair what its handler wrote; still
     * readable after the pair is released.
     */
    @Override
    public long bytesReceived(Side side) {
        return terminated(side) ? terminus.bytesWritten() : leg(side).bytesReceived();
    }

    /** Whether side B is the owner's handler on A's connection rather than a socket of its own. */
    public boolean terminated() {
        return terminus != null;
    }

    /** What the other leg read went on to this side's peer (or is queued for it). */
    @Override
    public long bytesSentTo(Side side) {
        return bytesReceived(side.other());
    }

    @Override
    public CompletableFuture<BearerEvent.Released> released() {
        return releasedFuture;
    }

    /**
     * A passive leg now knows its peer (after the SDP answer): only connections from it are accepted (TCP-9). Applies
     * on the pair's event loop; the future completes once connections are judged by it.
     */
    @Override
    public CompletableFuture<Void> expectRemote(Side side, InetSocketAddress remote) {
        return CompletableFuture.runAsync(() -> socketLeg(side).expect(remote), loop);
    }

    /**
     * Relays (true) or holds (false) what leg {@code from} receives (H.248 mode, e.g. a call on hold, CTRL-7). Nothing
     * is dropped: a held leg stops reading, so TCP flow control holds its peer back, and what it had read is relayed
     * once it flows again. A leg whose TLS handshake is still running keeps reading for it; the hold applies once the
     * relay is armed. A FIN that came while held closes the pair once what came before it is relayed (TCP-8).
     */
    @Override
    public CompletableFuture<Void> setFlow(Side from, boolean flowing) {
        return CompletableFuture.runAsync(() -> {
            if (terminated(from)) {
                terminus.hold(!flowing); // what the terminating handler writes waits, counted against A's queue (GW-8)
                return;
            }
            RelayLeg leg = leg(from);
            leg.hold(!flowing);
            if (released || !armed()) {
                return; // applied when the relay is armed
            }
            if (flowing) {
                leg.relayHeld();
                leg.resumeReading();
                closeAfterFin(leg);
            } else {
                leg.stopReading();
            }
        }, loop);
    }

    /**
     * TCP-4: a delayed leg ({@link LegSpec.Traversal#delayed()}) may now establish its connection: an active one
     * connects, a merging one starts its attempts, a passive one accepts its peer; until now every connection to it
     * was refused and counted. A leg that was not delayed is not affected. The future completes once it applies.
     */
    @Override
    public CompletableFuture<Void> establish(Side side) {
        return CompletableFuture.runAsync(() -> leg(side).establish(), loop);
    }

    @Override
    public void release(String detail) {
        loop.execute(() -> release(Side.A, ReleaseReason.RELEASED, detail));
    }

    /** Bytes the pair holds now: queued for writing on either leg, and held before the relay was armed (GW-8). */
    CompletableFuture<Long> heldBytes() {
        // a terminated pair's held writes count in A's write queue already (PendingWriteQueue)
        return CompletableFuture.supplyAsync(() -> legs.stream().mapToLong(RelayLeg::heldBytes).sum(), loop);
    }

    /** The allocator a leg's connection takes its buffers from (once connected). */
    Optional<ByteBufAllocator> allocator(Side side) {
        return socketLeg(side).allocator();
    }

    // ---- what the legs share ------------------------------------------------------------------------------------

    EventLoop loop() {
        return loop;
    }

    BearerConfig config() {
        return config;
    }

    BearerPlane plane() {
        return plane;
    }

    boolean isReleased() {
        return released;
    }

    /** A socket leg; null for side B of a terminated pair. */
    RelayLeg leg(Side side) {
        return terminated(side) ? null : legs.get(side.ordinal());
    }

    /** The other socket leg; null for leg A of a terminated pair (its clear bytes go up its own pipeline). */
    RelayLeg other(RelayLeg leg) {
        return leg(leg.side() == Side.A ? Side.B : Side.A);
    }

    private boolean terminated(Side side) {
        return terminus != null && side == Side.B;
    }

    private RelayLeg socketLeg(Side side) {
        if (terminated(side)) {
            throw new IllegalArgumentException("side B of a terminated pair has no socket");
        }
        return leg(side);
    }

    /** Bytes flowed: the idle timeout starts again. */
    void touch() {
        lastActivity = System.nanoTime();
    }

    long lastActivity() {
        return lastActivity;
    }

    void emit(BearerEvent event) {
        if (!released) {
            listener.onEvent(event);
        }
    }

    // ---- opening ------------------------------------------------------------------------------------------------

    CompletableFuture<RelayPair> start() {
        CompletableFuture<RelayPair> started = new CompletableFuture<>();
        loop.execute(() -> {
            List<ChannelFuture> binds = new ArrayList<>();
            for (RelayLeg leg : legs) {
                if (leg.spec().role() == TcpRole.PASSIVE) {
                    binds.add(leg.listen());
                }
            }
            CompletableFuture<?>[] waits = binds.stream().map(RelayLeg::completion).toArray(CompletableFuture[]::new);
            CompletableFuture.allOf(waits).whenComplete((ok, failure) -> loop.execute(() -> {
                if (failure != null) {
                    closeQuietly();
                    started.completeExceptionally(failure instanceof CompletionException c && c.getCause() != null ? c.getCause() : failure);
                    return;
                }
                for (RelayLeg leg : legs) {
                    leg.start(); // connects, or starts merging; a delayed leg (TCP-4) waits for establish
                }
                started.complete(this);
            }));
        });
        return started;
    }

    private void closeQuietly() {
        released = true;
        for (RelayLeg leg : legs) {
            leg.close(false);
        }
        plane.released(this);
    }

    // ---- the relay ----------------------------------------------------------------------------------------------

    boolean armed() {
        return legs.stream().allMatch(RelayLeg::ready);
    }

    /**
     * A leg is up; once both are, what each held goes first (TLS-13), then a FIN that came meanwhile closes the pair.
     * A held leg (setFlow) keeps both until it flows.
     */
    void legReady(RelayLeg leg) {
        leg.markReady();
        if (!armed()) {
            return;
        }
        if (terminus != null) {
            terminus.attach(leg.context()); // the terminating handler gets the clear stream from now on
        }
        for (RelayLeg from : legs) {
            if (from.held()) {
                from.stopReading();
            } else {
                from.relayHeld();
            }
        }
        for (RelayLeg from : legs) {
            closeAfterFin(from);
        }
    }

    /** TCP-8: a FIN that came before the relay was armed, or while the leg was held, once what came before it went on. */
    private void closeAfterFin(RelayLeg from) {
        if (from.inputClosed() && !from.held()) {
            release(from.side(), ReleaseReason.PEER_CLOSED, "FIN received before the relay was armed or while held: duplex close after relaying "
                    + "what came before it (TCP-8)");
        }
    }

    /** Releases the pair once: the leg where it started first, then the other; Released once both sockets are closed. */
    @Implements("TLS-10")
    void release(Side side, ReleaseReason reason, String detail) {
        if (released) {
            return;
        }
        released = true;
        CompletableFuture<Void> originClosed;
        CompletableFuture<Void> otherClosed;
        if (terminus != null) { // one socket: A closes in order unless its own connection broke, or its peer does not read
            if (reason == ReleaseReason.PEER_NOT_READING) {
                legs.get(0).resetOnClose();
            }
            originClosed = legs.get(0).close(orderly(reason));
            otherClosed = CompletableFuture.completedFuture(null);
        } else {
            RelayLeg origin = leg(side);
            originClosed = origin.close(orderly(reason));
            otherClosed = other(origin).close(true);
        }
        BearerEvent.Released event = new BearerEvent.Released(side, reason, detail);
        CompletableFuture.allOf(originClosed, otherClosed).whenComplete((ok, failure) -> loop.execute(() -> {
            plane.released(this);
            listener.onEvent(event);
            releasedFuture.complete(event);
        }));
    }

    /** Whether the leg where a release started still carries an orderly close (its queue, close_notify, FIN). */
    private static boolean orderly(ReleaseReason reason) {
        return switch (reason) {
            case PEER_CLOSED, TLS_CLOSE_NOTIFY, IDLE_TIMEOUT, RELEASED -> true;
            // the connection is broken, its TLS session failed, or its peer broke the rules: close it at once
            case RESET, TLS_HANDSHAKE_FAILED, TLS_ERROR, HANDSHAKE_TIMEOUT, EARLY_DATA_OVERFLOW, CONNECT_FAILED, MSRP_ERROR, PEER_NOT_READING,
                    INTERNAL_ERROR -> false;
        };
    }
}
