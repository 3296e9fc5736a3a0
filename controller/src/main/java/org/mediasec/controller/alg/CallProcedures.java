package org.mediasec.controller.alg;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.function.Supplier;
import org.mediasec.controller.mgc.ControlledGateway;
import org.mediasec.controller.mgc.GatewayEvent;
import org.mediasec.controller.mgc.GatewayListener;
import org.mediasec.controller.mgc.LegTraversal;
import org.mediasec.controller.mgc.MediaGatewayController;
import org.mediasec.h248.message.ContextId;
import org.mediasec.h248.message.TerminationId;
import org.mediasec.h248stack.association.MgcRegistrar;
import org.mediasec.h248stack.client.InSequence;
import org.mediasec.sdp.MediaDescription;
import org.mediasec.sdp.SessionDescription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The media-anchoring procedures of a SIP-facing controller (IMS-ALG in the P-CSCF, IBCF): for an SDP offer they
 * reserve and configure two terminations per anchored m-line in one context (TS 23.334 6.2.10.3, 6.2.18), hand the
 * rewritten offer back; for the answer they configure the answerer's leg and hand back the rewritten answer; a
 * re-offer (RFC 3264 8, CTRL-7) keeps the streams that stay with their connections and TLS sessions, replaces the
 * changed ones, adds and subtracts the others, and carries hold to the gateway as a mode; they release the contexts
 * with the call, or when the gateway reports a failure (the SIP side is told why), or forget them when the gateway
 * restarted. Which m-lines and how: the {@link StreamPolicy}; the gateway's part: {@link StreamLegs}; SDP text:
 * {@link SdpRewriter}. A refused first offer or answer is an {@link OfferRejectedException} and leaves nothing on the
 * gateway; a refused re-offer leaves the call as it was (RFC 3264 8).
 *
 * <p>Thread rule: all state is touched on the controller's one thread ({@link MediaGatewayController#executor()}),
 * where command replies and gateway events arrive too; the public methods hop onto it and their futures complete
 * there. {@link #calls()} and {@link #gatewayOf} read a concurrent map from any thread.
 */
public class CallProcedures implements GatewayListener {

    private static final Logger LOG = LoggerFactory.getLogger(CallProcedures.class);

    private record ContextKey(ControlledGateway gateway, ContextId context) {}

    private final MediaGatewayController controller;
    private final Executor thread;
    private final String realm;
    private final StreamPolicy policy;
    private final StreamLegs legs;
    private final CallListener listener;
    private final Map<String, Call> calls = new ConcurrentHashMap<>();
    private final Map<ContextKey, Call> byContext = new HashMap<>();

    /**
     * @param realm the gateways to use: those of this realm, least loaded first
     * @param tlsDomain the gateway's TLS domain for the legs where it terminates TLS (empty: its default)
     */
    public CallProcedures(MediaGatewayController controller, String realm, StreamPolicy policy, TlsRolePolicy tlsRoles, Optional<String> tlsDomain,
            CallListener listener) {
        this(controller, realm, policy, tlsRoles, tlsDomain, NatTraversalPolicy.DEFAULT, listener);
    }

    /** @param nat how access UEs behind a NAT are reached (TR 29.828 4.4.2.2, 4.4.2.3) */
    public CallProcedures(MediaGatewayController controller, String realm, StreamPolicy policy, TlsRolePolicy tlsRoles, Optional<String> tlsDomain,
            NatTraversalPolicy nat, CallListener listener) {
        this.controller = controller;
        this.thread = controller.executor();
        this.realm = realm;
        this.policy = policy;
        this.legs = new StreamLegs(policy, tlsRoles, tlsDomain, nat);
        this.listener = listener;
        controller.addListener(this);
    }

    /** The IMS-ALG of a P-CSCF (TS 23.228 G.5, TS 33.328 7): e2ae and e2e on the IMS-AGWs of {@code realm}. */
    public static CallProcedures imsAlg(MediaGatewayController controller, String realm, CallListener listener) {
        return new CallProcedures(controller, realm, new ImsAlgPolicy(), TlsRolePolicy.DEFAULT, Optional.empty(), listener);
    }

    /** The IBCF (TS 29.238): MSRP and BFCP relayed transparently on the TrGWs of {@code realm}. */
    public static CallProcedures ibcf(MediaGatewayController controller, String realm, CallListener listener) {
        return new CallProcedures(controller, realm, new IbcfPolicy(), TlsRolePolicy.DEFAULT, Optional.empty(), listener);
    }

    /** The calls with an offer or answer in progress or done, not released. */
    public int calls() {
        return calls.size();
    }

    /**
     * Whether {@code callId} is held: an offer or answer in progress or done, not released or abandoned (an adapter
     * that keys calls its own way learns from this whether a refused exchange left the call standing, RFC 3264 8).
     */
    public boolean holds(String callId) {
        return calls.containsKey(callId);
    }

    /** The gateway a call's media is anchored on, if any. */
    public Optional<ControlledGateway> gatewayOf(String callId) {
        return Optional.ofNullable(calls.get(callId)).flatMap(call -> call.gateway);
    }

    /**
     * TCP-6: the source the gateway latched onto for the leg towards {@code side} of m-line {@code mediaIndex}, as
     * its Notify reported it (H.248.37 Amd.1 address reporting); empty before, or without latching.
     */
    public Optional<InetSocketAddress> latched(String callId, int mediaIndex, CallSide side) {
        return Optional.ofNullable(calls.get(callId)).flatMap(call -> List.copyOf(call.streams).stream()
                .filter(stream -> stream.mediaIndex() == mediaIndex && stream.latched.containsKey(side)).findFirst())
                .map(stream -> stream.latched.get(side));
    }

    /**
     * The ends of {@code side}'s party on the call's live anchored m-lines, for reports (ng {@code query}): what its SDP
     * advertised, and what the gateway latched onto (TCP-6). Empty for a call not held.
     */
    public CompletableFuture<List<PartyEndpoint>> endpoints(String callId, CallSide side) {
        return onThread(() -> CompletableFuture.completedFuture(Optional.ofNullable(calls.get(callId))
                .map(call -> call.live().stream().flatMap(stream -> stream.endpoint(side).stream()).toList()).orElse(List.of())));
    }

    private <T> CompletableFuture<T> onThread(Supplier<CompletableFuture<T>> work) {
        return CompletableFuture.supplyAsync(work, thread).thenCompose(Function.identity());
    }

    // ---- offers ---------------------------------------------------------------------------------------------

    /**
     * An SDP offer from {@code offerer} to {@code answerer}; completes with the offer to forward to the answerer. On
     * a call whose offer/answer is done it is a re-offer (re-INVITE, UPDATE) from the party it names as offerer; on
     * a call with an offer still out, 491 (RFC 3261 14.1: glare).
     */
    public CompletableFuture<SessionDescription> onOffer(String callId, Party offerer, Party answerer, SessionDescription offer) {
        return onThread(() -> {
            Call call = calls.get(callId);
            if (call == null) {
                return firstOffer(new Call(callId, offerer, answerer), offer);
            }
            CallSide side = call.caller.equals(offerer) && call.callee.equals(answerer) ? CallSide.CALLER : CallSide.CALLEE;
            return reOffer(call, side, offer);
        });
    }

    /** A re-offer from {@code offerer}'s side of a call (as {@link #onOffer}, when the SIP side knows who sent it). */
    public CompletableFuture<SessionDescription> onReOffer(String callId, CallSide offerer, SessionDescription offer) {
        return onThread(() -> {
            Call call = calls.get(callId);
            return call == null ? CompletableFuture.failedFuture(new OfferRejectedException(481, "no call " + callId)) : reOffer(call, offerer, offer);
        });
    }

    /** The policy's plan for an m-line, with its MSRP mode decided (GW-6). */
    private Optional<StreamPlan> plan(int index, MediaDescription media, Party offerer, Party answerer) throws OfferRejectedException {
        return policy.plan(index, media, offerer, answerer).map(plan -> MsrpInterworking.decide(plan, media, offerer, answerer));
    }

    private CompletableFuture<SessionDescription> firstOffer(Call call, SessionDescription offer) {
        calls.put(call.id, call);
        call.offer = offer;
        call.mediaLines = offer.media().size();
        List<AnchoredStream> fresh = new ArrayList<>();
        try {
            for (int i = 0; i < offer.media().size(); i++) {
                plan(i, offer.media().get(i), call.caller, call.callee).ifPresent(plan -> fresh.add(new AnchoredStream(plan, CallSide.CALLER)));
            }
        } catch (OfferRejectedException e) {
            calls.remove(call.id, call);
            return CompletableFuture.failedFuture(e);
        }
        return anchor(call, fresh).thenApply(done -> forward(call, offer, CallSide.CALLEE, call.live()))
                .exceptionallyCompose(error -> abandon(call, error));
    }

    /** The streams' contexts, one after the other, on the call's gateway (picked now if it has none). */
    private CompletableFuture<Void> anchor(Call call, List<AnchoredStream> fresh) {
        if (fresh.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        if (call.gateway.isEmpty()) {
            call.gateway = controller.pick(realm);
            if (call.gateway.isEmpty()) {
                return CompletableFuture.failedFuture(new OfferRejectedException(503, "no gateway of realm " + realm + " is registered"));
            }
        }
        ControlledGateway gateway = call.gateway.get();
        return InSequence.run(fresh, stream -> {
            call.streams.add(stream);
            return legs.reserve(call, gateway, stream, call.offer).thenRun(() -> {
                gateway.contextCreated();
                byContext.put(new ContextKey(gateway, stream.context), call);
                LOG.atInfo().addKeyValue("call", call.id).addKeyValue("gateway", gateway.name()).addKeyValue("context", stream.context)
                        .log("m-line {} anchored: {} towards the offerer, {} towards the answerer", stream.mediaIndex(), stream.plan.towardsOfferer(),
                                stream.plan.towardsAnswerer());
                reportNat(call, stream, stream.offeredBy);
            });
        });
    }

    /**
     * The IMS-ALG's NAT choice for the leg towards {@code side}, logged and told to the ladder: only where the SIP side
     * said where an access UE is (without it nothing was chosen: the SDP is trusted). The answerer's is prefixed so.
     */
    private void reportNat(Call call, AnchoredStream stream, CallSide side) {
        NatTraversalPolicy.Choice nat = stream.nat.get(side);
        Party party = call.party(side);
        if (nat == null || !party.isAccess() || party.receivedFrom().isEmpty()) {
            return;
        }
        boolean offerer = side == stream.offeredBy;
        String choice = describe(nat);
        LOG.atInfo().addKeyValue("call", call.id).addKeyValue("context", stream.context)
                .log("m-line {} towards the {}: {}", stream.mediaIndex(), offerer ? "offerer" : "answerer", choice);
        listener.onNatTraversal(call.id, stream.mediaIndex(), offerer ? choice : "towards the answerer: " + choice);
    }

    /** The IMS-ALG's NAT choice for the log and the ladder: what, and why. */
    private static String describe(NatTraversalPolicy.Choice nat) {
        LegTraversal traversal = nat.traversal();
        String what = traversal.merge() ? "TCP merge (tcpbcc/merge)" : traversal.latch() ? "latching (ipnapt/latch)" : "no NAT traversal";
        return what + nat.remoteAddress().map(address -> " towards the NAT's address " + address).orElse("") + ": " + nat.reason();
    }

    /**
     * A re-offer (RFC 3264 8, CTRL-7): what changes is decided now and done with the answer, except that added and
     * replaced streams get their context now (their ports go into the offer). Kept streams are offered with the
     * gateway's end as before.
     */
    private CompletableFuture<SessionDescription> reOffer(Call call, CallSide offerer, SessionDescription offer) {
        if (call.state != Call.State.ANSWERED) {
            return CompletableFuture.failedFuture(new OfferRejectedException(491, "call " + call.id + " is " + call.state + ": an offer is in progress"));
        }
        if (offer.media().size() < call.mediaLines) {
            return CompletableFuture.failedFuture(new OfferRejectedException(488, "the re-offer has " + offer.media().size() + " m-lines, the session "
                    + call.mediaLines + " (RFC 3264 8: m-lines are never removed)"));
        }
        List<StreamChange> changes = new ArrayList<>();
        try {
            for (int i = 0; i < offer.media().size(); i++) {
                MediaDescription media = offer.media().get(i);
                Optional<StreamPlan> plan = SdpChecks.refused(media) ? Optional.empty()
                        : plan(i, media, call.party(offerer), call.party(offerer.other()));
                Optional<AnchoredStream> stream = call.stream(i);
                if (stream.isPresent() && plan.isEmpty()) {
                    changes.add(new StreamChange.Remove(stream.get()));
                } else if (stream.isPresent() && stream.get().sameAs(plan.get(), offerer)) {
                    changes.add(new StreamChange.Keep(stream.get()));
                } else if (stream.isPresent()) {
                    changes.add(new StreamChange.Replace(stream.get(), new AnchoredStream(plan.get(), offerer)));
                } else if (plan.isPresent()) {
                    changes.add(new StreamChange.Add(new AnchoredStream(plan.get(), offerer)));
                }
            }
        } catch (OfferRejectedException e) {
            return CompletableFuture.failedFuture(e);
        }
        call.state = Call.State.OFFERING;
        call.offer = offer;
        call.offerer = offerer;
        call.changes = changes;
        List<AnchoredStream> fresh = changes.stream().flatMap(change -> switch (change) {
            case StreamChange.Add add -> java.util.stream.Stream.of(add.fresh());
            case StreamChange.Replace replace -> java.util.stream.Stream.of(replace.fresh());
            case StreamChange.Keep keep -> java.util.stream.Stream.empty();
            case StreamChange.Remove remove -> java.util.stream.Stream.empty();
        }).toList();
        // the streams the re-offer keeps or makes (not those it removes or replaces) are written for the answerer
        List<AnchoredStream> offered = changes.stream().flatMap(change -> switch (change) {
            case StreamChange.Keep keep -> java.util.stream.Stream.of(keep.stream());
            case StreamChange.Add add -> java.util.stream.Stream.of(add.fresh());
            case StreamChange.Replace replace -> java.util.stream.Stream.of(replace.fresh());
            case StreamChange.Remove remove -> java.util.stream.Stream.empty();
        }).toList();
        return anchor(call, fresh).thenApply(done -> forward(call, offer, offerer.other(), offered))
                .exceptionallyCompose(error -> refuseReOffer(call, fresh, error));
    }

    /**
     * The SDP to forward to {@code receiver} once the gateway did its part: the exchange moves on (unless the media
     * plane released the call meanwhile), and each anchored m-line of this exchange is rewritten for its receiver.
     */
    private SessionDescription forward(Call call, SessionDescription sdp, CallSide receiver, List<AnchoredStream> streams) {
        if (call.state == Call.State.RELEASED) {
            throw new CompletionException(new OfferRejectedException(500, "the call was released by the media plane meanwhile"));
        }
        call.state = call.state == Call.State.OFFERING ? Call.State.OFFERED : Call.State.ANSWERED;
        Map<Integer, SdpRewriter.Rewrite> rewrites = new LinkedHashMap<>();
        for (AnchoredStream stream : streams) {
            if (!stream.released && stream.mediaIndex() < sdp.media().size() && !SdpChecks.refused(sdp.media().get(stream.mediaIndex()))) {
                rewrites.put(stream.mediaIndex(), legs.towards(stream, receiver, call.offer.media().get(stream.mediaIndex()).transport()));
            }
        }
        try {
            return SdpRewriter.rewrite(sdp, rewrites);
        } catch (OfferRejectedException e) {
            throw new CompletionException(e);
        }
    }

    // ---- answers --------------------------------------------------------------------------------------------

    /** The SDP answer to the call's offer (first or re-offer); completes with the answer to forward to the offerer. */
    public CompletableFuture<SessionDescription> onAnswer(String callId, SessionDescription answer) {
        return onAnswer(callId, answer, Optional.empty());
    }

    /**
     * The SDP answer, and where the answerer's SIP message came from ({@code receivedFrom}: an IP literal, Kamailio's
     * ng {@code received-from} on the reply): an access UE that answers from behind a NAT gets the NAT traversal an
     * offerer would (TR 29.828 4.4.2.3, {@link NatTraversalPolicy}); the core's is ignored.
     */
    public CompletableFuture<SessionDescription> onAnswer(String callId, SessionDescription answer, Optional<String> receivedFrom) {
        return onThread(() -> answer(callId, answer, receivedFrom));
    }

    private CompletableFuture<SessionDescription> answer(String callId, SessionDescription answer, Optional<String> receivedFrom) {
        Call call = calls.get(callId);
        if (call == null) {
            return CompletableFuture.failedFuture(new OfferRejectedException(481, "no call " + callId));
        }
        if (call.state != Call.State.OFFERED) {
            return CompletableFuture.failedFuture(new OfferRejectedException(491, "call " + callId + " is " + call.state + ", not waiting for an answer"));
        }
        CallSide answerer = call.offerer.other();
        if (receivedFrom.isPresent() && call.party(answerer).isAccess()) {
            try {
                call.receivedFrom(answerer, receivedFrom.get());
            } catch (IllegalArgumentException e) {
                return CompletableFuture.failedFuture(new OfferRejectedException(400, e.getMessage()));
            }
        }
        call.state = Call.State.ANSWERING;
        if (answer.media().size() != call.offer.media().size()) {
            return abandon(call, new OfferRejectedException(488, "the answer has " + answer.media().size() + " m-lines, the offer "
                    + call.offer.media().size() + " (RFC 3264 6)"));
        }
        ControlledGateway gateway = call.gateway.orElse(null);
        List<StreamChange> changes = call.changes.isEmpty()
                ? call.live().stream().<StreamChange>map(StreamChange.Add::new).toList() : call.changes;
        call.mediaLines = call.offer.media().size();
        call.changes = List.of();
        return InSequence.run(changes, change -> apply(call, gateway, change, answer))
                .thenApply(done -> forward(call, answer, call.offerer, call.live()))
                .exceptionallyCompose(error -> abandon(call, error));
    }

    /** One stream's part of an answer. */
    private CompletableFuture<Void> apply(Call call, ControlledGateway gateway, StreamChange change, SessionDescription answer) {
        return switch (change) {
            case StreamChange.Add add -> configureOrSubtract(call, gateway, add.fresh(), answer);
            case StreamChange.Replace replace -> subtract(call, replace.old()).thenCompose(done -> configureOrSubtract(call, gateway, replace.fresh(), answer));
            case StreamChange.Remove remove -> subtract(call, remove.stream());
            case StreamChange.Keep keep when SdpChecks.refused(answer.media().get(keep.stream().mediaIndex())) -> subtract(call, keep.stream());
            case StreamChange.Keep keep -> {
                try {
                    yield legs.update(gateway, keep.stream(), call.offerer, call.offer, answer);
                } catch (OfferRejectedException e) {
                    yield CompletableFuture.failedFuture(e);
                }
            }
        };
    }

    private CompletableFuture<Void> configureOrSubtract(Call call, ControlledGateway gateway, AnchoredStream stream, SessionDescription answer) {
        // RFC 3264 6: a port of 0 in the answer refuses the stream
        return SdpChecks.refused(answer.media().get(stream.mediaIndex())) ? subtract(call, stream)
                : legs.configure(call, gateway, stream, call.offer, answer).thenRun(() -> reportNat(call, stream, stream.offeredBy.other()));
    }

    // ---- release --------------------------------------------------------------------------------------------

    /** The SIP side ended the call (BYE, CANCEL, an error response): its contexts are released. */
    public CompletableFuture<Void> onRelease(String callId) {
        return onThread(() -> {
            Call call = calls.remove(callId);
            return call == null ? CompletableFuture.completedFuture(null) : release(call);
        });
    }

    private CompletableFuture<Void> release(Call call) {
        call.state = Call.State.RELEASED;
        return InSequence.run(call.live(), stream -> subtract(call, stream).exceptionally(error -> {
            LOG.atWarn().addKeyValue("call", call.id).addKeyValue("context", stream.context).log("Subtract failed: {}", OfferRejectedException.unwrap(error).getMessage());
            return null;
        }));
    }

    private CompletableFuture<Void> subtract(Call call, AnchoredStream stream) {
        if (stream.released || stream.context == null || call.gateway.isEmpty()) {
            stream.released = true;
            return CompletableFuture.completedFuture(null);
        }
        stream.released = true;
        ControlledGateway gateway = call.gateway.get();
        byContext.remove(new ContextKey(gateway, stream.context));
        gateway.contextReleased();
        return legs.subtract(gateway, stream);
    }

    /** A failed first offer or an answer: whatever was reserved is released, and the error is an {@link OfferRejectedException}. */
    private <T> CompletableFuture<T> abandon(Call call, Throwable error) {
        calls.remove(call.id, call);
        return OfferRejectedException.afterCleanup(error, "gateway",
                rejected -> LOG.atInfo().addKeyValue("call", call.id).log("offer/answer refused ({}): {}", rejected.sipStatus(), rejected.getMessage()),
                () -> release(call));
    }

    /** A refused re-offer: what it reserved goes, the call goes on as it was (RFC 3264 8). */
    private <T> CompletableFuture<T> refuseReOffer(Call call, List<AnchoredStream> fresh, Throwable error) {
        call.changes = List.of();
        if (call.state != Call.State.RELEASED) {
            call.state = Call.State.ANSWERED;
        }
        return OfferRejectedException.afterCleanup(error, "gateway",
                rejected -> LOG.atInfo().addKeyValue("call", call.id).log("re-offer refused ({}): {}", rejected.sipStatus(), rejected.getMessage()),
                () -> InSequence.run(fresh, stream -> subtract(call, stream)));
    }

    // ---- gateway events (on the controller's thread) ---------------------------------------------------------

    @Override
    public void onEvent(ControlledGateway gateway, ContextId context, TerminationId termination, GatewayEvent event) {
        Call call = byContext.get(new ContextKey(gateway, context));
        if (call == null) {
            return;
        }
        AnchoredStream stream = call.live().stream().filter(s -> context.equals(s.context)).findFirst().orElse(null);
        if (stream == null) {
            return;
        }
        boolean towardsCaller = stream.sideOf(termination).filter(side -> side == CallSide.CALLER).isPresent();
        listener.onBearerEvent(call.id, stream.mediaIndex(), towardsCaller, event);
        stream.sideOf(termination).ifPresent(side -> traversalProgress(call, gateway, stream, side, event));
        if (event instanceof GatewayEvent.Failure failure && calls.remove(call.id, call)) {
            String reason = failure.describe() + " towards the " + (towardsCaller ? "offerer" : "answerer");
            LOG.atInfo().addKeyValue("call", call.id).addKeyValue("context", context).log("released by the media plane: {}", reason);
            release(call);
            listener.onCallReleased(call.id, reason);
        }
    }

    /**
     * TCP-6: a latched source is recorded (and logged); TR 29.828 4.4.2.2 NOTE 3: once the leg towards a NATed party
     * has its connection (latched, or TCP established), the other leg, delayed until then, is told to establish.
     */
    private void traversalProgress(Call call, ControlledGateway gateway, AnchoredStream stream, CallSide side, GatewayEvent event) {
        if (event instanceof GatewayEvent.Latched latched) {
            stream.latched.put(side, InetSocketAddress.createUnresolved(latched.address(), latched.port()));
            LOG.atInfo().addKeyValue("call", call.id).addKeyValue("context", stream.context).log("m-line {}: the gateway latched onto {}:{} towards the {}",
                    stream.mediaIndex(), latched.address(), latched.port(), side == stream.offeredBy ? "offerer" : "answerer");
        }
        boolean through = event instanceof GatewayEvent.Latched
                || event instanceof GatewayEvent.Established established && established.layer() == GatewayEvent.Layer.TCP;
        NatTraversalPolicy.Choice nat = stream.nat.get(side);
        if (through && nat != null && nat.delayOther() && stream.waiting.filter(side.other()::equals).isPresent()) {
            LOG.atInfo().addKeyValue("call", call.id).addKeyValue("context", stream.context)
                    .log("m-line {}: the other leg establishes now, the NATed leg is through (TR 29.828 4.4.2.2 NOTE 3)", stream.mediaIndex());
            listener.onNatTraversal(call.id, stream.mediaIndex(), "the other leg establishes (tcpbcc/estab): the NATed leg is through");
            legs.establish(gateway, stream, side.other()).exceptionally(error -> {
                LOG.atWarn().addKeyValue("call", call.id).addKeyValue("context", stream.context).log("establish signal refused: {}",
                        OfferRejectedException.unwrap(error).getMessage());
                return null;
            });
        }
    }

    @Override
    public void onRegistered(ControlledGateway gateway, MgcRegistrar.Registration registration, boolean again) {
        if (again) {
            releaseCallsOn(gateway, "gateway " + gateway.name() + " restarted: its contexts are gone");
        }
    }

    @Override
    public void onOutOfService(ControlledGateway gateway, MgcRegistrar.Registration change) {
        releaseCallsOn(gateway, "gateway " + gateway.name() + " out of service (ServiceChange Forced): its contexts are gone");
    }

    /** Every call through {@code gateway} released: the gateway has lost the contexts. */
    private void releaseCallsOn(ControlledGateway gateway, String reason) {
        for (Call call : List.copyOf(calls.values())) {
            if (call.gateway.filter(gateway::equals).isPresent() && calls.remove(call.id, call)) {
                call.state = Call.State.RELEASED;
                call.streams.forEach(stream -> {
                    stream.released = true;
                    byContext.remove(new ContextKey(gateway, stream.context));
                });
                listener.onCallReleased(call.id, reason);
            }
        }
    }
}
