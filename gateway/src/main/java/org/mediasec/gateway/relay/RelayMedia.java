package org.mediasec.gateway.relay;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.mediasec.bearer.BearerEvent;
import org.mediasec.bearer.LegSpec;
import org.mediasec.bearer.MediaPair;
import org.mediasec.bearer.ReleaseReason;
import org.mediasec.bearer.Side;
import org.mediasec.bearer.TcpRole;
import org.mediasec.gateway.GatewayError;
import org.mediasec.gateway.context.ContextMedia;
import org.mediasec.gateway.context.GatewayContext;
import org.mediasec.gateway.context.MediaServices;
import org.mediasec.gateway.context.Termination;
import org.mediasec.gateway.leg.LegPlan;
import org.mediasec.gateway.leg.PlannedLeg;
import org.mediasec.gateway.notify.BearerReasons;
import org.mediasec.gateway.profile.GatewayProfile;
import org.mediasec.h248.ErrorCode;
import org.mediasec.h248.message.ErrorDescriptor;
import org.mediasec.msrp.relay.MsrpPathRewrite;
import org.mediasec.sdp.MediaDescription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The media of an IMS-AGW or TrGW context: two terminations, one pair between their legs (GW-1, GW-2, GW-3, GW-5):
 * a stream relay for TCP and TLS legs, application-agnostic or MSRP-aware on both legs (GW-6: each leg rewrites the
 * paths of what it receives for the other), a datagram relay for UDP and DTLS legs (GW-7; both {@link MediaPair}),
 * never one of each. The pair opens as soon as both legs are complete (TCP-2, TLS-9: the client connects and
 * handshakes by itself); it is released with either termination, or by itself (FIN, reset, alert, close_notify,
 * idle: TLS-10, TCP-8), reported once on the termination where it started. Its ports go back to the allocator only
 * once its sockets are closed.
 *
 * <p>Runs on the context's event loop, as do its pairs and their events.
 */
public final class RelayMedia implements ContextMedia {

    private static final Logger LOG = LoggerFactory.getLogger(RelayMedia.class);
    /** A relay joins two legs (TS 23.334 5.11.2.x.3: the MG splits one end-to-end connection into two). */
    private static final int TERMINATIONS = 2;

    private final GatewayProfile profile;
    private final MediaServices services;
    private Bearer bearer;
    /**
     * The terminations' bearer went by itself (FIN, reset, alert): TCP-8 and TLS-10 release both legs for good, so no
     * other opens for this pairing; a termination joining (a new pairing) lifts it.
     */
    private boolean ended;
    /** Completes once the last released pair's sockets are closed: ports wait for it. */
    private CompletableFuture<?> lastClosed = CompletableFuture.completedFuture(null);

    public RelayMedia(GatewayProfile profile, MediaServices services) {
        this.profile = profile;
        this.services = services;
    }

    /** The pair of the two terminations in the context, from the moment it starts opening until it is released. */
    private final class Bearer {
        final GatewayContext context;
        final Termination sideA;
        final Termination sideB;
        MediaPair pair;
        boolean releasing;

        Bearer(GatewayContext context, Termination sideA, Termination sideB) {
            this.context = context;
            this.sideA = sideA;
            this.sideB = sideB;
        }

        Termination of(Side side) {
            return side == Side.A ? sideA : sideB;
        }

        /** TLS-9, TLS-10, TCP-8: what the MGC asked to hear about, once, on the termination the event is about. */
        void onEvent(BearerEvent event) {
            switch (event) {
                case BearerEvent.Released released when releasing || released.reason() == ReleaseReason.RELEASED -> { }
                case BearerEvent.Released released -> {
                    LOG.atInfo().addKeyValue("context", context.id()).addKeyValue("termination", of(released.side()).id())
                            .addKeyValue("reason", BearerReasons.reason(released.reason())).log("bearer released: {}", released.detail());
                    // the peer leg went with it (one pair); the counts stay for the Subtract that reports them
                    sideA.keepOctets(octets(Side.A));
                    sideB.keepOctets(octets(Side.B));
                    if (bearer == this) {
                        bearer = null;
                        ended = true;
                    }
                    services.notifier().report(context.id(), of(released.side()), event);
                }
                case BearerEvent.ConnectionRefused refused -> {
                    services.metrics().connectionRefused();
                    services.notifier().report(context.id(), of(event.side()), event);
                }
                case BearerEvent.HandshakeRefused refused -> {
                    services.metrics().handshakeRefused(); // the bearer logged it; the leg keeps listening, nothing for the MGC
                }
                case BearerEvent.TcpEstablished established -> {
                    services.ports().heldByConnection(of(established.side()).allocation()); // the connection holds the port now
                    services.notifier().report(context.id(), of(established.side()), event);
                }
                case BearerEvent.Latched latched -> {
                    LOG.atInfo().addKeyValue("context", context.id()).addKeyValue("termination", of(latched.side()).id())
                            .log("latched onto {} (TCP-6)", latched.source());
                    services.notifier().report(context.id(), of(latched.side()), event); // H.248.37 Amd.1, when asked
                }
                default -> services.notifier().report(context.id(), of(event.side()), event);
            }
        }

        Termination.Octets octets(Side side) {
            return pair == null ? Termination.Octets.NONE : new Termination.Octets(pair.bytesSentTo(side), pair.bytesReceived(side));
        }

        /**
         * H.248.1 7.1.7 (CTRL-7, hold): what a leg receives is relayed only while its termination takes bytes in and
         * the other sends them out; otherwise that leg is held (a byte stream loses nothing, see RelayPair.setFlow; a
         * datagram relay drops and counts, as UDP would).
         */
        void applyModes() {
            if (pair != null) {
                pair.setFlow(Side.A, sideA.receives() && sideB.sends());
                pair.setFlow(Side.B, sideB.receives() && sideA.sends());
            }
        }

        /** TCP-4: a delayed leg whose termination got the establish signal establishes (no effect on other legs). */
        void applyEstablish() {
            if (pair != null) {
                for (Side side : Side.values()) {
                    if (!of(side).plan().traversal().delayed()) {
                        pair.establish(side);
                    }
                }
            }
        }

        void release(String why) {
            releasing = true;
            if (pair != null) {
                lastClosed = pair.released();
                pair.release(why);
            }
        }
    }

    @Override
    public Runnable admit(GatewayContext context, Termination joining, PlannedLeg planned) throws GatewayError {
        if (context.terminations().size() >= TERMINATIONS) {
            throw new GatewayError(ErrorCode.MAX_TERMINATIONS_IN_CONTEXT, "a context relays between two terminations");
        }
        if (bearer != null) {
            throw new GatewayError(ErrorCode.MAX_TERMINATIONS_IN_CONTEXT, "the context's bearer is already open");
        }
        for (Termination other : context.terminations()) {
            if (other.plan().datagram() != planned.plan().datagram()) {
                // GW-7: a relay joins two legs of one kind; TCP bytes and UDP datagrams have no common unit
                throw new GatewayError(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "a context relays TCP to TCP or UDP to UDP, not "
                        + other.plan().transport() + " to " + planned.plan().transport());
            }
            Optional<ErrorDescriptor> refused = profile.checkPair(other.plan().transport(), planned.plan().transport());
            if (refused.isPresent()) {
                throw new GatewayError(refused.get());
            }
            checkMsrpModes(other.plan(), planned.plan());
        }
        return () -> ended = false; // a new pairing; a relay reads nothing beyond the leg
    }

    /**
     * GW-6: MSRP is rewritten on both legs or on neither; an aware leg facing an agnostic one would hand its peer
     * paths nobody announced to it.
     */
    private static void checkMsrpModes(LegPlan other, LegPlan joining) throws GatewayError {
        if (other.msrpAware().isPresent() != joining.msrpAware().isPresent()) {
            throw new GatewayError(ErrorCode.CONFLICTING_PROPERTY_VALUES, "MSRP-aware (Local a=path:$) on one termination of the context only: "
                    + "the relay rewrites MSRP on both legs or on neither (GW-6)");
        }
    }

    @Override
    public Runnable checkUpdate(GatewayContext context, Termination termination, PlannedLeg planned) throws GatewayError {
        LegPlan before = termination.plan();
        LegPlan after = planned.plan();
        for (Termination other : context.terminations()) {
            if (other != termination) {
                checkMsrpModes(other.plan(), after);
            }
        }
        if (bearer == null || (bearer.sideA != termination && bearer.sideB != termination)) {
            // no bearer (yet, or any more): a=connection:new after one went by itself asks for a fresh one (TCP-1)
            return planned.newConnection() ? () -> ended = false : () -> { };
        }
        Bearer open = bearer;
        if (planned.newConnection()) {
            // TCP-1, RFC 4145 5: a=connection:new: this connection goes and a new one opens with the new plan (roles,
            // peer and TLS session all fresh); the MGC asked for it, so it is not reported as a failure
            return () -> {
                open.release("a=connection:new");
                bearer = null;
                ended = false;
            };
        }
        if (!after.msrpAware().equals(before.msrpAware())) {
            // GW-6: the pair's legs rewrite with the paths they were opened with
            throw new GatewayError(ErrorCode.NOT_IMPLEMENTED, "changing the MSRP mode or the peer's a=path of an open bearer needs a=connection:new");
        }
        // a plain UDP leg has no role: only TCP's and DTLS's count (DTLS's is in the TLS layer)
        boolean roleChanged = !after.datagram() && after.role() != before.role();
        if (!after.transport().equals(before.transport()) || roleChanged || !after.tls().equals(before.tls())
                || !after.remoteFingerprints().equals(before.remoteFingerprints())) {
            // TLS-14: an offer/answer that keeps the connection keeps its TLS session and roles
            throw new GatewayError(ErrorCode.NOT_IMPLEMENTED, "changing the transport, TCP role, TLS or the peer's fingerprints of an open bearer needs a=connection:new (SEC-3: what is reported is what is enforced)");
        }
        LegPlan.Traversal was = before.traversal();
        LegPlan.Traversal will = after.traversal();
        if (was.merge() != will.merge() || was.latch().isPresent() != will.latch().isPresent() || (!was.delayed() && will.delayed())) {
            // TCP-4..6 say how a connection comes about: an open bearer's came about already
            throw new GatewayError(ErrorCode.NOT_IMPLEMENTED, "merge, latching or a delay on an open bearer needs a=connection:new");
        }
        // TCP-9: a passive leg that learnt its peer (the SDP answer) accepts only that peer from now on; a UDP leg
        // follows its peer's SDP address wherever it moves (a re-offer), DTLS association included
        boolean peerLearnt = (after.role() == TcpRole.PASSIVE || after.datagram()) && after.remote().isPresent() && !after.remote().equals(before.remote());
        return () -> {
            if (open.pair != null && peerLearnt) {
                open.pair.expectRemote(open.sideA == termination ? Side.A : Side.B, after.remote().get());
            }
            open.applyModes();
            open.applyEstablish(); // TCP-4: the establish signal came
        };
    }

    @Override
    public CompletableFuture<Void> open(GatewayContext context) {
        List<Termination> terminations = context.terminations();
        if (bearer != null || ended || terminations.size() != TERMINATIONS || !terminations.stream().allMatch(Termination::complete)) {
            return CompletableFuture.completedFuture(null);
        }
        Bearer opening = new Bearer(context, terminations.get(0), terminations.get(1));
        bearer = opening; // events may come before the pair is handed over: they find their terminations here
        // a pair released just before (a=connection:new, a Move) must have closed its sockets before the ports listen again
        return lastClosed.handle((closed, problem) -> null)
                .thenCompose(closed -> openPair(context, opening))
                .handle((pair, failure) -> {
                    if (failure != null) {
                        if (bearer == opening) {
                            bearer = null;
                        }
                        throw new CompletionException(failure);
                    }
                    opening.pair = pair;
                    services.metrics().bearerOpened();
                    pair.released().thenAccept(released -> services.metrics().bearerReleased(released, pair.bytesReceived(Side.A) + pair.bytesReceived(Side.B)));
                    if (opening.releasing || bearer != opening) {
                        opening.release("released while opening");
                    } else {
                        opening.applyModes();
                        opening.applyEstablish(); // the establish signal may have come while the pair was opening
                    }
                    LOG.atInfo().addKeyValue("context", context.id()).addKeyValue("termination", List.of(opening.sideA.id().id(), opening.sideB.id().id()))
                            .log("bearer open ({} <-> {})", pair.localAddress(Side.A), pair.localAddress(Side.B));
                    return null;
                });
    }

    /** The pair for the two legs, by their kind: a stream relay for TCP and TLS, a datagram relay for UDP and DTLS. */
    private CompletableFuture<MediaPair> openPair(GatewayContext context, Bearer opening) {
        if (opening.sideA.plan().datagram()) {
            // UDP has no non-listening state beside which the leg could bind: the holds let go just before it binds
            services.ports().openingDatagramLeg(opening.sideA.allocation());
            services.ports().openingDatagramLeg(opening.sideB.allocation());
            return services.plane().openDatagram(context.loop(), opening.sideA.datagramLegSpec(), opening.sideB.datagramLegSpec(), opening::onEvent)
                    .thenApply(pair -> pair);
        }
        Termination a = opening.sideA;
        Termination b = opening.sideB;
        if (a.plan().msrpAware().isPresent() && b.plan().msrpAware().isPresent()) {
            // GW-6: what leg A receives goes to B's peer with To-Path B's a=path and From-Path our URI on B, and the
            // mirror for B (TS 23.334 5.19: the gateway is the last hop of one side and the first of the other)
            LegSpec legA = a.legSpec().withMsrp(new MsrpPathRewrite(a.ownMsrpUri().orElseThrow(), b.plan().msrpAware().get().peerPath(),
                    List.of(b.ownMsrpUri().orElseThrow())));
            LegSpec legB = b.legSpec().withMsrp(new MsrpPathRewrite(b.ownMsrpUri().orElseThrow(), a.plan().msrpAware().get().peerPath(),
                    List.of(a.ownMsrpUri().orElseThrow())));
            return services.plane().open(context.loop(), legA, legB, opening::onEvent).thenApply(pair -> pair);
        }
        return services.plane().open(context.loop(), a.legSpec(), b.legSpec(), opening::onEvent).thenApply(pair -> pair);
    }

    @Override
    public CompletableFuture<?> detach(GatewayContext context, Termination leaving, String why) {
        if (bearer != null && (bearer.sideA == leaving || bearer.sideB == leaving)) {
            // the peer termination stays, without a bearer: a new Add (or Move) may pair it again
            bearer.release(why);
            bearer = null;
        }
        leaving.wipeKey();
        return lastClosed;
    }

    @Override
    public void remove(GatewayContext context, Termination leaving, String why) {
        detach(context, leaving, why).whenComplete((released, problem) -> services.ports().release(leaving.allocation()));
    }

    @Override
    public Termination.Octets octets(Termination termination) {
        if (bearer != null && bearer.pair != null && (bearer.sideA == termination || bearer.sideB == termination)) {
            return bearer.octets(bearer.sideA == termination ? Side.A : Side.B);
        }
        return termination.releasedOctets();
    }

    @Override
    public MediaDescription answer(Termination termination, MediaDescription local) {
        return local;
    }

    @Override
    public int bearersOpen() {
        return bearer != null && bearer.pair != null ? 1 : 0;
    }

    @Override
    public void close(GatewayContext context, String why) {
        if (bearer != null) {
            bearer.release(why);
            bearer = null;
        }
        context.terminations().forEach(Termination::wipeKey);
    }
}
