package org.mediasec.gateway.mrfp;

import io.netty.channel.ChannelHandler;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;
import org.mediasec.bearer.BearerEvent;
import org.mediasec.bearer.LegSpec;
import org.mediasec.bearer.ReleaseReason;
import org.mediasec.bearer.Side;
import org.mediasec.bearer.TcpRole;
import org.mediasec.bfcp.server.FloorControlServer;
import org.mediasec.bfcp.server.FloorPolicy;
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
import org.mediasec.msrp.conference.ConferenceMember;
import org.mediasec.sdp.MediaDescription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The media of an MRFP context: a conference (GW-4, seed 003 = TR 29.828 7.2). Each termination is one participant
 * whose stream (TCP or TLS-PSK towards the UE, E2E-5) is a terminated relay pair of its own: once its TLS handshake
 * is done, the conference's focus reads and writes its clear bytes in-process, on that connection (the BFCP floor
 * control server, RFC 8855, or the MSRP focus, RFC 7701, which live on this context's loop); no loopback port. A participant's
 * BFCP IDs agree with the conference's (RFC 8856: one conference ID, the floors it has), its user ID is its own;
 * what the MRFC left open is chosen here and answered in Local.
 *
 * <p>Runs on the context's event loop, as do the foci, the participants' pairs and their events.
 */
public final class ConferenceMedia implements ContextMedia {

    private static final Logger LOG = LoggerFactory.getLogger(ConferenceMedia.class);
    /** RFC 8855 5.2.1: FLOOR-REQUEST carries floors; more than this in one request is refused (bounded work). */
    private static final int MAX_FLOORS_PER_REQUEST = 16;
    /** One holder per floor (RFC 8855 floor control with exclusive floors). */
    private static final int HOLDERS_PER_FLOOR = 1;

    private final GatewayProfile profile;
    private final MediaServices services;
    private final Map<Termination, Participant> participants = new LinkedHashMap<>();
    private FloorControlFocus floorFocus;
    private MsrpConferenceFocus msrpFocus;
    private int nextUserId = 1;

    public ConferenceMedia(GatewayProfile profile, MediaServices services) {
        this.profile = profile;
        this.services = services;
    }

    @Override
    public Runnable admit(GatewayContext context, Termination joining, PlannedLeg planned) throws GatewayError {
        if (context.terminations().size() >= profile.maxTerminationsPerContext()) {
            throw new GatewayError(ErrorCode.MAX_TERMINATIONS_IN_CONTEXT, "the conference has its " + profile.maxTerminationsPerContext() + " participants");
        }
        Participant participant = new Participant(joining, planned.plan().transport().application().equals("MSRP"));
        participant.take(Participant.Reading.of(planned, participant.msrp()));
        if (participant.msrp()) {
            return () -> {
                if (msrpFocus == null) {
                    msrpFocus = new MsrpConferenceFocus(context.loop());
                }
                participants.put(joining, participant);
            };
        }
        return checkFloorControl(context, participant);
    }

    /** RFC 8856: one conference ID, floors among the conference's, a user ID of its own (chosen when not given). */
    private Runnable checkFloorControl(GatewayContext context, Participant participant) throws GatewayError {
        long conferenceId = participant.conferenceId.orElse(floorFocus != null ? floorFocus.policy().conferenceId() : context.id());
        if (floorFocus != null && conferenceId != floorFocus.policy().conferenceId()) {
            throw new GatewayError(ErrorCode.CONFLICTING_PROPERTY_VALUES, "a=confid:" + conferenceId + " but this conference is "
                    + floorFocus.policy().conferenceId());
        }
        for (Participant other : participants.values()) {
            if (other.conferenceId.isPresent() && other.conferenceId.get() != conferenceId) {
                throw new GatewayError(ErrorCode.CONFLICTING_PROPERTY_VALUES, "a=confid:" + conferenceId + " but this conference is " + other.conferenceId.get());
            }
        }
        List<Integer> floors = ConferenceIds.floorNumbers(participant.floorIds);
        if (floorFocus != null && !floorFocus.policy().floors().keySet().containsAll(floors)) {
            throw new GatewayError(ErrorCode.CONFLICTING_PROPERTY_VALUES, "floors " + floors + " are not all among the conference's "
                    + floorFocus.policy().floors().keySet());
        }
        if (participant.userId.isPresent() && participants.values().stream().anyMatch(p -> p.userId.equals(participant.userId))) {
            throw new GatewayError(ErrorCode.CONFLICTING_PROPERTY_VALUES, "a=userid:" + participant.userId.get() + " is another participant's");
        }
        return () -> {
            if (participant.userId.isEmpty()) {
                int candidate = nextUserId;
                while (takenUserId(candidate)) {
                    candidate++;
                }
                participant.userId = Optional.of(candidate);
                nextUserId = candidate + 1;
            }
            participant.conferenceId = Optional.of(conferenceId);
            if (floorFocus == null) {
                Map<Integer, Optional<Integer>> floorPolicy = new HashMap<>();
                (floors.isEmpty() ? List.of(ConferenceIds.DEFAULT_FLOOR) : floors).forEach(id -> floorPolicy.put(id, Optional.empty()));
                floorFocus = new FloorControlFocus(context.loop(), new FloorPolicy(conferenceId, floorPolicy, MAX_FLOORS_PER_REQUEST, HOLDERS_PER_FLOOR));
            }
            if (participant.floorIds.isEmpty()) {
                participant.floorIds = floorFocus.policy().floors().keySet().stream().sorted().map(String::valueOf).toList();
            }
            participants.put(participant.termination, participant);
        };
    }

    private boolean takenUserId(int candidate) {
        return participants.values().stream().anyMatch(p -> p.userId.equals(Optional.of(candidate)));
    }

    @Override
    public void checkMoveIn() throws GatewayError {
        throw new GatewayError(ErrorCode.NOT_IMPLEMENTED, "Move between conferences is not supported: Subtract and Add the participant");
    }

    @Override
    public Runnable checkUpdate(GatewayContext context, Termination termination, PlannedLeg planned) throws GatewayError {
        Participant participant = participants.get(termination);
        LegPlan before = termination.plan();
        LegPlan after = planned.plan();
        boolean open = participant.pair != null || participant.opening;
        boolean fresh = planned.newConnection();
        if (open && !fresh && (!after.transport().equals(before.transport()) || after.role() != before.role() || !after.tls().equals(before.tls())
                || !after.remoteFingerprints().equals(before.remoteFingerprints()))) {
            // TLS-14: an offer/answer that keeps the connection keeps its TLS session and roles
            throw new GatewayError(ErrorCode.NOT_IMPLEMENTED, "changing the transport, TCP role, TLS or the peer's fingerprints of an open bearer needs a=connection:new (SEC-3: what is reported is what is enforced)");
        }
        Participant.Reading reading = Participant.Reading.of(planned, participant.msrp());
        boolean peerLearnt = after.role() == TcpRole.PASSIVE && after.remote().isPresent() && !after.remote().equals(before.remote());
        return () -> {
            participant.take(reading);
            if (fresh) {
                // TCP-1, RFC 4145 5: a new connection: the participant's pair goes (the focus keeps it as a member) and opens again
                if (participant.pair != null) {
                    participant.releasing = true;
                    participant.pair.release("a=connection:new");
                    participant.pair = null;
                }
                leaveFocus(participant);
                participant.ended = false;
                return;
            }
            if (participant.pair != null && peerLearnt) {
                participant.pair.expectRemote(Side.A, after.remote().get()); // TCP-9
            }
            applyModes(participant);
        };
    }

    /** H.248.1 7.1.7 (CTRL-7, hold): the UE's bytes reach the focus while the participant receives, the focus's go out while it sends. */
    private static void applyModes(Participant participant) {
        if (participant.pair != null) {
            participant.pair.setFlow(Side.A, participant.termination.receives());
            participant.pair.setFlow(Side.B, participant.termination.sends());
        }
    }

    @Override
    public CompletableFuture<Void> open(GatewayContext context) {
        List<CompletableFuture<Void>> opened = new ArrayList<>();
        for (Participant participant : participants.values()) {
            if (participant.pair == null && !participant.opening && !participant.ended && participant.complete()) {
                participant.opening = true;
                opened.add(openParticipant(context, participant));
            }
        }
        return CompletableFuture.allOf(opened.toArray(CompletableFuture[]::new));
    }

    /** The participant's terminated pair: its leg towards the UE (side A), the focus's handler on it (side B). */
    private CompletableFuture<Void> openParticipant(GatewayContext context, Participant participant) {
        Termination termination = participant.termination;
        LegSpec ue = termination.legSpec(); // the leg holds the key now
        CompletableFuture<Supplier<ChannelHandler>> joined;
        Runnable leave;
        String who;
        if (participant.msrp()) {
            ConferenceMember member = new ConferenceMember(termination.id().toString(), participant.msrpPath,
                    MsrpMember.focusUri(termination, participant.focusSessionId.orElseThrow()), participant.acceptTypes, participant.identity);
            joined = msrpFocus.join(member);
            leave = () -> msrpFocus.leave(member.key());
            who = "MSRP member " + participant.identity;
        } else {
            FloorControlServer.User user = new FloorControlServer.User(participant.userId.orElseThrow(), "", termination.id().toString());
            joined = floorFocus.join(user);
            leave = () -> floorFocus.leave(user.userId());
            who = "BFCP user " + user.userId();
        }
        return joined.thenCompose(focus -> services.plane().open(context.loop(), ue, focus, event -> onEvent(context, participant, event)))
                .handle((pair, problem) -> {
                    participant.opening = false;
                    if (problem != null) {
                        leave.run();
                        throw new CompletionException(problem);
                    }
                    services.metrics().bearerOpened();
                    pair.released().thenAccept(released -> services.metrics().bearerReleased(released, pair.bytesReceived(Side.A) + pair.bytesReceived(Side.B)));
                    if (participant.releasing || participants.get(termination) != participant) {
                        pair.release("Subtract");
                        return null;
                    }
                    participant.pair = pair;
                    participant.releasing = false;
                    applyModes(participant);
                    LOG.atInfo().addKeyValue("context", context.id()).addKeyValue("termination", termination.id())
                            .log("participant open: {} on {}", who, pair.localAddress(Side.A));
                    return null;
                });
    }

    /** A participant's bearer events: its UE leg's (side A), and the one Released (side B: the focus let it go). */
    private void onEvent(GatewayContext context, Participant participant, BearerEvent event) {
        if (event.side() != Side.A && !(event instanceof BearerEvent.Released)) {
            return;
        }
        Termination termination = participant.termination;
        switch (event) {
            case BearerEvent.Released released when participant.releasing || released.reason() == ReleaseReason.RELEASED -> { }
            case BearerEvent.Released released -> {
                LOG.atInfo().addKeyValue("context", context.id()).addKeyValue("termination", termination.id())
                        .addKeyValue("reason", BearerReasons.reason(released.reason())).log("participant's bearer released: {}", released.detail());
                if (participant.pair != null) {
                    termination.keepOctets(new Termination.Octets(participant.pair.bytesReceived(Side.B), participant.pair.bytesReceived(Side.A)));
                }
                // the participant left the floors (the focus saw its connection close); Subtract frees the port
                participant.pair = null;
                participant.ended = true;
                services.notifier().report(context.id(), termination, event);
            }
            case BearerEvent.TcpEstablished established -> {
                services.ports().heldByConnection(termination.allocation()); // the connection holds the port now
                services.notifier().report(context.id(), termination, event);
            }
            default -> services.notifier().report(context.id(), termination, event);
        }
    }

    /** A participant leaving: its pair goes, the floors it held pass on; completes once the pair's sockets are closed. */
    @Override
    public CompletableFuture<?> detach(GatewayContext context, Termination leaving, String why) {
        Participant participant = participants.remove(leaving);
        leaving.wipeKey();
        if (participant == null) {
            return CompletableFuture.completedFuture(null);
        }
        participant.releasing = true;
        CompletableFuture<?> closed = CompletableFuture.completedFuture(null);
        if (participant.pair != null) {
            closed = participant.pair.released();
            participant.pair.release(why);
            participant.pair = null;
        }
        leaveFocus(participant);
        return closed;
    }

    /** The participant's stream leaves the focus: what it was sending is aborted, the floors it held pass on. */
    private void leaveFocus(Participant participant) {
        if (participant.msrp()) {
            if (msrpFocus != null) {
                msrpFocus.leave(participant.termination.id().toString());
            }
        } else if (floorFocus != null) {
            participant.userId.ifPresent(floorFocus::leave);
        }
    }

    /** Subtract of a participant: as {@link #detach}, and its port is freed once the pair is closed. */
    @Override
    public void remove(GatewayContext context, Termination leaving, String why) {
        detach(context, leaving, why).whenComplete((released, problem) -> services.ports().release(leaving.allocation()));
    }

    @Override
    public Termination.Octets octets(Termination termination) {
        Participant participant = participants.get(termination);
        if (participant != null && participant.pair != null) {
            return new Termination.Octets(participant.pair.bytesReceived(Side.B), participant.pair.bytesReceived(Side.A));
        }
        return termination.releasedOctets();
    }

    @Override
    public MediaDescription answer(Termination termination, MediaDescription local) {
        Participant participant = participants.get(termination);
        if (participant == null) {
            return local;
        }
        if (participant.msrp()) {
            return MsrpMember.answer(local, MsrpMember.focusUri(termination, participant.focusSessionId.orElseThrow()));
        }
        return participant.userId.isPresent()
                ? ConferenceIds.answer(local, participant.conferenceId.orElseThrow(), participant.userId.get(), participant.floorIds) : local;
    }

    @Override
    public int bearersOpen() {
        return (int) participants.values().stream().filter(p -> p.pair != null).count();
    }

    @Override
    public void close(GatewayContext context, String why) {
        for (Participant participant : participants.values()) {
            participant.releasing = true;
            if (participant.pair != null) {
                participant.pair.release(why);
                participant.pair = null;
            }
            participant.termination.wipeKey();
        }
        participants.clear();
        if (floorFocus != null) {
            floorFocus.close();
        }
        if (msrpFocus != null) {
            msrpFocus.close();
        }
    }
}
