package org.mediasec.bearer.datagram;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import javax.net.ssl.SSLException;
import org.mediasec.bearer.BearerConfig;
import org.mediasec.bearer.BearerEvent;
import org.mediasec.bearer.BearerListener;
import org.mediasec.bearer.ReleaseReason;
import org.mediasec.bearer.Side;
import org.mediasec.bearer.tls.CertificateFingerprint;
import org.mediasec.bearer.tls.TlsEngines;
import org.mediasec.traceability.Implements;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Two UDP legs and the datagram relay between them (GW-7: UDPTL, DTLS towards the UE and plain UDP towards the core,
 * RFC 7345). Everything runs on the pair's event loop: that is the thread rule for every field below.
 *
 * <ul>
 *   <li>Datagrams, not streams: each datagram is forwarded whole as one datagram (one DTLS record on a DTLS leg),
 *       never merged or split.</li>
 *   <li>Sources (TCP-9's rule for UDP): a leg accepts datagrams from its remote (the SDP address) only; others are
 *       dropped and counted ({@link DropReason#WRONG_SOURCE}). Payloads over the leg's bound (T38FaxMaxDatagram) are
 *       dropped and counted ({@link DropReason#OVERSIZE}).</li>
 *   <li>DTLS (TLS-1, TLS-4): the leg is client or server as told; the peer's certificate must match an SDP
 *       fingerprint (checked by the TLS domain's trust manager during the handshake, mutual authentication); nothing
 *       is forwarded either way until both legs are ready, so no datagram crosses before the peer is
 *       authenticated. Handshake flights are retransmitted from 1 s, doubling to 60 s (RFC 6347 4.2.4.1); the
 *       record replay window is {@link ReplayWindow}.</li>
 *   <li>Release (TLS-10's rule for DTLS): close_notify ({@link ReleaseReason#TLS_CLOSE_NOTIFY}), a fatal alert or
 *       handshake failure, the handshake timeout (the TLS domain's), the idle timeout, or {@link #release}: a
 *       DTLS leg that is up sends close_notify, both sockets close, and exactly one {@link BearerEvent.Released} is
 *       reported.</li>
 * </ul>
 */
@Implements("GW-7")
public final class DatagramPair {

    private static final Logger LOG = LoggerFactory.getLogger(DatagramPair.class);

    /** RFC 6347 4.2.4.1: the initial retransmission timer, and its ceiling after doubling. */
    static final Duration INITIAL_RETRANSMISSION = Duration.ofSeconds(1);
    static final Duration MAX_RETRANSMISSION = Duration.ofSeconds(60);

    /** Room for any UDP datagram, so that an oversize one is seen whole and counted rather than truncated. */
    private static final int RECEIVE_BUFFER = 65_536;

    private final DatagramPlane plane;
    private final EventLoop loop;
    private final BearerConfig config;
    private final BearerListener listener;
    private final Leg[] legs = new Leg[2];
    private final CompletableFuture<BearerEvent.Released> releasedFuture = new CompletableFuture<>();
    private final AtomicLongArray counters = new AtomicLongArray(2 * Counter.values().length);
    private boolean released;
    private long lastActivity = System.nanoTime();
    private ScheduledFuture<?> idleTimer;

    /** What the bearer plane gives a pair: its event loop, the datagram channel class, and the end of the pair. */
    public interface DatagramPlane {
        BearerConfig config();

        Class<? extends Channel> datagramChannel();

        void released(DatagramPair pair);
    }

    private enum Counter { RECEIVED_DATAGRAMS, RECEIVED_BYTES, FORWARDED, FORWARDED_BYTES }

    DatagramPair(DatagramPlane plane, EventLoop loop, DatagramLegSpec a, DatagramLegSpec b, BearerListener listener) {
        this.plane = plane;
        this.loop = loop;
        this.config = plane.config();
        this.listener = listener;
        legs[0] = new Leg(Side.A, a);
        legs[1] = new Leg(Side.B, b);
    }

    /** Opens a pair on {@code loop}: both sockets bound when the future completes, DTLS clients already sending. */
    public static CompletableFuture<DatagramPair> open(DatagramPlane plane, EventLoop loop, DatagramLegSpec a, DatagramLegSpec b, BearerListener listener) {
        DatagramPair pair = new DatagramPair(plane, loop, a, b, listener);
        return pair.start();
    }

    // ---- what the owner sees ------------------------------------------------------------------------------------

    /** Where a leg is bound. */
    public InetSocketAddress localAddress(Side side) {
        Channel channel = leg(side).channel;
        return channel == null ? leg(side).spec.local() : (InetSocketAddress) channel.localAddress();
    }

    /** Our certificate's fingerprint on a DTLS leg, for the SDP answer (TLS-3). */
    public Optional<CertificateFingerprint> localFingerprint(Side side) {
        return Optional.ofNullable(leg(side).tls).map(TlsEngines.Leg::localFingerprint);
    }

    /** Payload octets received on a leg and accepted from its remote (after DTLS: plaintext). */
    public long bytesReceived(Side side) {
        return counters.get(index(side, Counter.RECEIVED_BYTES));
    }

    /** Datagrams received on a leg from its remote, whatever became of them. */
    public long datagramsReceived(Side side) {
        return counters.get(index(side, Counter.RECEIVED_DATAGRAMS));
    }

    /** Datagrams received on {@code side} and sent on the other leg. */
    public long forwarded(Side side) {
        return counters.get(index(side, Counter.FORWARDED));
    }

    /** Payload octets received on {@code side} and sent on the other leg (before DTLS protection there). */
    public long bytesForwarded(Side side) {
        return counters.get(index(side, Counter.FORWARDED_BYTES));
    }

    /**
     * Whether what {@code side} receives is forwarded (H.248.1 7.1.7 modes, a call on hold); applies on the pair's
     * event loop. A datagram relay has nothing to hold back: a held direction drops what arrives and counts it
     * ({@link DropReason#HELD}), as a UDP path with no receiver would. Completes once applied: a datagram read after
     * that is treated by the new flow.
     */
    public CompletableFuture<Void> setFlow(Side side, boolean flows) {
        return CompletableFuture.runAsync(() -> leg(side).flows = flows, loop);
    }

    /** Datagrams that arrived on {@code side} and were dropped for {@code reason}. */
    public long dropped(Side side, DropReason reason) {
        return leg(side).dropped.get(reason.ordinal());
    }

    /** Completes with the one Released event. */
    public CompletableFuture<BearerEvent.Released> released() {
        return releasedFuture;
    }

    /** A leg's remote is now known or changed (the SDP answer); applies on the pair's event loop. */
    public CompletableFuture<Void> expectRemote(Side side, InetSocketAddress remote) {
        return CompletableFuture.runAsync(() -> {
            Leg leg = leg(side);
            leg.expected = Optional.of(remote);
            leg.sendTo = remote.getPort() == 0 ? null : remote;
            leg.startDtlsClient();
        }, loop);
    }

    /** Releases the pair (the controller's Subtract); reported as {@link ReleaseReason#RELEASED}. */
    public void release(String detail) {
        loop.execute(() -> release(Side.A, ReleaseReason.RELEASED, detail));
    }

    private Leg leg(Side side) {
        return legs[side.ordinal()];
    }

    private Leg other(Leg leg) {
        return legs[1 - leg.side.ordinal()];
    }

    private static int index(Side side, Counter counter) {
        return side.ordinal() * Counter.values().length + counter.ordinal();
    }

    // ---- opening ------------------------------------------------------------------------------------------------

    private CompletableFuture<DatagramPair> start() {
        CompletableFuture<DatagramPair> started = new CompletableFuture<>();
        loop.execute(() -> {
            List<CompletableFuture<Void>> binds = new ArrayList<>();
            for (Leg leg : legs) {
                binds.add(completion(leg.bind()));
            }
            CompletableFuture.allOf(binds.toArray(CompletableFuture[]::new)).whenComplete((ok, failure) -> loop.execute(() -> {
                if (failure != null) {
                    closeQuietly();
                    started.completeExceptionally(failure instanceof CompletionException c && c.getCause() != null ? c.getCause() : failure);
                    return;
                }
                for (Leg leg : legs) {
                    leg.prepareDtls();
                }
                armIdleTimer();
                for (Leg leg : legs) {
                    leg.startDtlsClient();
                }
                started.complete(this);
            }));
        });
        return started;
    }

    private static CompletableFuture<Void> completion(ChannelFuture future) {
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

    private void closeQuietly() {
        released = true;
        for (Leg leg : legs) {
            if (leg.channel != null) {
                leg.channel.close();
            }
        }
        plane.released(this);
    }

    // ---- the relay ----------------------------------------------------------------------------------------------

    private boolean armed() {
        return legs[0].ready() && legs[1].ready();
    }

    /** A payload from {@code from}'s peer, plaintext: checked, then sent whole on the other leg. */
    private void forward(Leg from, ByteBuffer payload) {
        counters.addAndGet(index(from.side, Counter.RECEIVED_BYTES), payload.remaining());
        Leg to = other(from);
        if (payload.remaining() > from.spec.maxPayload() || payload.remaining() > to.spec.maxPayload()) {
            from.drop(DropReason.OVERSIZE);
            return;
        }
        if (!armed()) {
            from.drop(DropReason.NOT_READY);
            return;
        }
        if (!from.flows) {
            from.drop(DropReason.HELD);
            return;
        }
        if (from.spec.payloadCheck().isPresent() || to.spec.payloadCheck().isPresent()) {
            byte[] copy = new byte[payload.remaining()];
            payload.duplicate().get(copy);
            if (!from.spec.payloadCheck().map(check -> check.test(copy)).orElse(true) || !to.spec.payloadCheck().map(check -> check.test(copy)).orElse(true)) {
                from.drop(DropReason.INVALID_PAYLOAD);
                return;
            }
        }
        lastActivity = System.nanoTime();
        // counted before it leaves, so that whoever receives it can already read the count
        int octets = payload.remaining();
        counters.incrementAndGet(index(from.side, Counter.FORWARDED));
        counters.addAndGet(index(from.side, Counter.FORWARDED_BYTES), octets);
        try {
            to.send(payload);
        } catch (SSLException e) {
            counters.decrementAndGet(index(from.side, Counter.FORWARDED));
            counters.addAndGet(index(from.side, Counter.FORWARDED_BYTES), -octets);
            release(to.side, ReleaseReason.TLS_ERROR, "DTLS could not protect a datagram: " + e.getMessage());
        }
    }

    private void armIdleTimer() {
        Duration idle = config.idleTimeout();
        if (idle.isZero() || released) {
            return;
        }
        long remaining = idle.toNanos() - (System.nanoTime() - lastActivity);
        if (remaining <= 0) {
            release(Side.A, ReleaseReason.IDLE_TIMEOUT, "no datagram either way for " + idle);
            return;
        }
        idleTimer = loop.schedule(this::armIdleTimer, remaining, TimeUnit.NANOSECONDS);
    }

    private void release(Side side, ReleaseReason reason, String detail) {
        if (released) {
            return;
        }
        released = true;
        if (idleTimer != null) {
            idleTimer.cancel(false);
        }
        Leg origin = leg(side);
        List<CompletableFuture<Void>> closes = new ArrayList<>();
        for (Leg leg : List.of(origin, other(origin))) {
            leg.cancelTimers();
            if (leg.dtls != null && leg.dtls.handshakeDone()) {
                leg.dtls.close(leg::sendRaw); // TLS-10: close_notify on a DTLS leg that is up
            }
            if (leg.tls != null) {
                leg.spec.dtls().orElseThrow().engines().forget(leg.dtls.engine());
            }
            if (leg.channel != null) {
                Channel channel = leg.channel;
                closes.add(completion(channel.close()).handle((v, e) -> null));
            }
        }
        CompletableFuture.allOf(closes.toArray(CompletableFuture[]::new)).whenComplete((ok, failure) -> loop.execute(() -> {
            plane.released(this);
            BearerEvent.Released event = new BearerEvent.Released(side, reason, detail);
            try {
                listener.onEvent(event);
            } catch (RuntimeException e) {
                LOG.error("bearer listener failed on {}", event, e);
            }
            releasedFuture.complete(event);
        }));
    }

    private void emit(BearerEvent event) {
        if (released) {
            return;
        }
        try {
            listener.onEvent(event);
        } catch (RuntimeException e) {
            LOG.error("bearer listener failed on {}", event, e);
        }
    }

    // ---- one leg ------------------------------------------------------------------------------------------------

    private final class Leg {
        final Side side;
        final DatagramLegSpec spec;
        final AtomicLongArray dropped = new AtomicLongArray(DropReason.values().length);
        Optional<InetSocketAddress> expected;
        InetSocketAddress sendTo;
        Channel channel;
        TlsEngines.Leg tls;
        DtlsEndpoint dtls;
        boolean clientStarted;
        /** Whether what this leg receives is forwarded (modes); set by {@link #setFlow}. */
        boolean flows = true;
        ScheduledFuture<?> retransmission;
        ScheduledFuture<?> handshakeTimer;
        Duration retransmissionDelay = INITIAL_RETRANSMISSION;

        Leg(Side side, DatagramLegSpec spec) {
            this.side = side;
            this.spec = spec;
            this.expected = spec.remote();
            this.sendTo = spec.remote().filter(remote -> remote.getPort() != 0).orElse(null);
        }

        boolean ready() {
            return sendTo != null && (dtls == null || dtls.handshakeDone());
        }

        void drop(DropReason reason) {
            dropped.incrementAndGet(reason.ordinal());
        }

        ChannelFuture bind() {
            Bootstrap bootstrap = new Bootstrap().group(loop).channel(plane.datagramChannel())
                    .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(RECEIVE_BUFFER))
                    .handler(new SimpleChannelInboundHandler<DatagramPacket>() {
                        @Override
                        protected void channelRead0(ChannelHandlerContext context, DatagramPacket packet) {
                            received(packet);
                        }

                        @Override
                        public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
                            // ICMP port unreachable and the like: UDP has no connection to lose, keep the leg
                            LOG.debug("leg {}: {}", side, cause.toString());
                        }
                    });
            ChannelFuture bound = bootstrap.bind(spec.local());
            channel = bound.channel();
            return bound;
        }

        void prepareDtls() {
            spec.dtls().ifPresent(d -> {
                tls = d.certificate().map(certificate -> d.engines().prepare(d.peerFingerprints(), certificate))
                        .orElseGet(() -> d.engines().prepare(d.peerFingerprints()));
                dtls = new DtlsEndpoint(d.engines().newDtlsEngine(tls, d.client()), spec.maxPayload());
                handshakeTimer = loop.schedule(() -> release(side, ReleaseReason.HANDSHAKE_TIMEOUT,
                        "no DTLS handshake within " + d.handshakeTimeout()), d.handshakeTimeout().toMillis(), TimeUnit.MILLISECONDS);
                if (!d.client()) {
                    try {
                        dtls.begin(this::sendRaw); // a server waits for the ClientHello
                    } catch (SSLException e) {
                        handshakeFailed(e);
                    }
                }
            });
        }

        /** A DTLS client sends its ClientHello once it knows where to. */
        void startDtlsClient() {
            if (released || dtls == null || clientStarted || !spec.dtls().orElseThrow().client() || sendTo == null) {
                return;
            }
            clientStarted = true;
            try {
                dtls.begin(this::sendRaw);
                armRetransmission();
            } catch (SSLException e) {
                handshakeFailed(e);
            }
        }

        void received(DatagramPacket packet) {
            if (released) {
                return;
            }
            InetSocketAddress from = packet.sender();
            if (expected.isEmpty()) {
                drop(DropReason.NOT_READY);
                return;
            }
            InetSocketAddress remote = expected.get();
            if (!remote.getAddress().equals(from.getAddress()) || (remote.getPort() != 0 && remote.getPort() != from.getPort())) {
                drop(DropReason.WRONG_SOURCE);
                return;
            }
            if (sendTo == null) {
                sendTo = from; // port 0 in the SDP: answer where it came from
            }
            counters.incrementAndGet(index(side, Counter.RECEIVED_DATAGRAMS));
            ByteBuf content = packet.content();
            ByteBuffer datagram = ByteBuffer.allocate(content.readableBytes());
            content.getBytes(content.readerIndex(), datagram);
            datagram.flip();
            if (dtls == null) {
                forward(this, datagram);
                return;
            }
            if (datagram.remaining() > spec.maxPayload() + DtlsEndpoint.RECORD_HEADER + DtlsEndpoint.RECORD_EXPANSION && dtls.handshakeDone()) {
                drop(DropReason.OVERSIZE);
                return;
            }
            receivedDtls(datagram);
        }

        private void receivedDtls(ByteBuffer datagram) {
            boolean wasDone = dtls.handshakeDone();
            DtlsEndpoint.Received received;
            try {
                received = dtls.receive(datagram, this::sendRaw);
            } catch (SSLException e) {
                if (wasDone) {
                    release(side, ReleaseReason.TLS_ERROR, "DTLS: " + e.getMessage());
                } else {
                    handshakeFailed(e);
                }
                return;
            }
            for (int i = 0; i < received.replayed(); i++) {
                drop(DropReason.REPLAY);
            }
            for (int i = 0; i < received.invalid(); i++) {
                drop(DropReason.INVALID_RECORD);
            }
            if (!wasDone && dtls.handshakeDone()) {
                handshakeSucceeded();
            } else if (!dtls.handshakeDone()) {
                armRetransmission();
            }
            for (ByteBuffer plaintext : received.plaintexts()) {
                forward(this, plaintext);
            }
            if (received.closedByPeer()) {
                release(side, ReleaseReason.TLS_CLOSE_NOTIFY, "the peer sent close_notify");
            }
        }

        private void handshakeSucceeded() {
            cancelTimers();
            var session = dtls.engine().getSession();
            emit(new BearerEvent.TlsEstablished(side, session.getProtocol(), session.getCipherSuite(), tls.peerFingerprint()));
        }

        private void handshakeFailed(SSLException e) {
            String reason = tls.authenticationFailure().orElse(e.getMessage());
            emit(new BearerEvent.TlsFailed(side, reason));
            release(side, ReleaseReason.TLS_HANDSHAKE_FAILED, "DTLS handshake failed: " + reason);
        }

        /** RFC 6347 4.2.4.1: a flight unanswered for the timer is sent again, and the timer doubles. */
        private void armRetransmission() {
            if (retransmission != null) {
                retransmission.cancel(false);
            }
            retransmission = loop.schedule(() -> {
                if (released || dtls.handshakeDone()) {
                    return;
                }
                try {
                    dtls.retransmit(this::sendRaw);
                } catch (SSLException e) {
                    handshakeFailed(e);
                    return;
                }
                retransmissionDelay = retransmissionDelay.multipliedBy(2).compareTo(MAX_RETRANSMISSION) > 0 ? MAX_RETRANSMISSION
                        : retransmissionDelay.multipliedBy(2);
                armRetransmission();
            }, retransmissionDelay.toMillis(), TimeUnit.MILLISECONDS);
        }

        void cancelTimers() {
            if (retransmission != null) {
                retransmission.cancel(false);
            }
            if (handshakeTimer != null) {
                handshakeTimer.cancel(false);
            }
        }

        /** A payload from the other leg: as one DTLS record on a DTLS leg, as it is on a UDP leg. */
        void send(ByteBuffer payload) throws SSLException {
            sendRaw(dtls == null ? payload : dtls.wrap(payload));
        }

        void sendRaw(ByteBuffer datagram) {
            if (sendTo == null || channel == null) {
                return;
            }
            channel.writeAndFlush(new DatagramPacket(Unpooled.wrappedBuffer(datagram), sendTo));
        }
    }
}
