package org.mediasec.controller.alg;

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
import org.mediasec.controller.mgc.LegRequest;
import org.mediasec.controller.mgc.LocalEnd;
import org.mediasec.controller.mgc.MediaGatewayController;
import org.mediasec.controller.mgc.RemoteEnd;
import org.mediasec.h248.message.Command;
import org.mediasec.h248.message.CommandReply;
import org.mediasec.h248.message.ContextId;
import org.mediasec.h248.message.TerminationId;
import org.mediasec.h248stack.association.MgcRegistrar;
import org.mediasec.h248stack.client.InSequence;
import org.mediasec.sdp.MediaDescription;
import org.mediasec.sdp.SessionDescription;
import org.mediasec.sdp.Setup;
import org.mediasec.sdp.Transport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The media-anchoring procedures of a SIP-facing controller (IMS-ALG in the P-CSCF, IBCF): for an SDP offer they
 * reserve and configure two terminations per anchored m-line in one context (TS 23.334 6.2.10.3, 6.2.18), hand the
 * rewritten offer back; for the answer they configure the answerer's leg and hand back the rewritten answer; they
 * release the contexts with the call, or when the gateway reports a failure (the SIP side is told why), or forget
 * them when the gateway restarted. Which m-lines and how: the {@link StreamPolicy}; SDP text: {@link SdpRewriter}.
 * A failure is an {@link OfferRejectedException} and leaves nothing on the gateway.
 *
 * <p>Thread rule: all state is touched on the controller's one thread ({@link MediaGatewayController#executor()}),
 * where command replies and gateway events arrive too; the public methods hop onto it and their futures complete
 * there. {@link #calls()} and {@link #gatewayOf} read a concurrent map from any thread.
 */
public class CallProcedures implements GatewayListener {

    private static final Logger LOG = LoggerFactory.getLogger(CallProcedures.class);
    private static final TerminationId CHOOSE_IP = TerminationId.of("ip/$");
    private static final long EVENTS_REQUEST_ID = 1;

    private record ContextKey(ControlledGateway gateway, ContextId context) {}

    private final MediaGatewayController controller;
    private final Executor thread;
    private final String realm;
    private final StreamPolicy policy;
    private final TlsRolePolicy tlsRoles;
    private final Optional<String> tlsDomain;
    private final CallListener listener;
    private final Map<String, Call> calls = new ConcurrentHashMap<>();
    private final Map<ContextKey, Call> byContext = new HashMap<>();

    /**
     * @param realm the gateways to use: those of this realm, least loaded first
     * @param tlsDomain the gateway's TLS domain for the legs where it terminates TLS (empty: its default)
     */
    public CallProcedures(MediaGatewayController controller, String realm, StreamPolicy policy, TlsRolePolicy tlsRoles, Optional<String> tlsDomain,
            CallListener listener) {
        this.controller = controller;
        this.thread = controller.executor();
        this.realm = realm;
        this.policy = policy;
        this.tlsRoles = tlsRoles;
        this.tlsDomain = tlsDomain;
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

    /** The gateway a call's media is anchored on, if any. */
    public Optional<ControlledGateway> gatewayOf(String callId) {
        return Optional.ofNullable(calls.get(callId)).flatMap(call -> call.gateway);
    }

    private <T> CompletableFuture<T> onThread(Supplier<CompletableFuture<T>> work) {
        return CompletableFuture.supplyAsync(work, thread).thenCompose(Function.identity());
    }

    // ---- offer ----------------------------------------------------------------------------------------------

    /** An SDP offer from {@code offerer} to {@code answerer}; completes with the offer to forward to the answerer. */
    public CompletableFuture<SessionDescription> onOffer(String callId, Party offerer, Party answerer, SessionDescription offer) {
        return onThread(() -> offer(new Call(callId, offerer, answerer, offer)));
    }

    private CompletableFuture<SessionDescription> offer(Call call) {
        if (calls.putIfAbsent(call.id, call) != null) {
            return CompletableFuture.failedFuture(new OfferRejectedException(491, "call " + call.id + " has an offer already; re-offers are not supported"));
        }
        try {
            for (int i = 0; i < call.offer.media().size(); i++) {
                Optional<StreamPlan> plan = policy.plan(i, call.offer.media().get(i), call.offerer, call.answerer);
                plan.ifPresent(p -> call.streams.add(new AnchoredStream(p)));
            }
        } catch (OfferRejectedException e) {
            calls.remove(call.id, call);
            return CompletableFuture.failedFuture(e);
        }
        if (call.streams.isEmpty()) {
            call.state = Call.State.OFFERED;
            return CompletableFuture.completedFuture(call.offer);
        }
        Optional<ControlledGateway> gateway = controller.pick(realm);
        if (gateway.isEmpty()) {
            calls.remove(call.id, call);
            return CompletableFuture.failedFuture(new OfferRejectedException(503, "no gateway of realm " + realm + " is registered"));
        }
        call.gateway = gateway;
        return InSequence.run(call.streams, stream -> reserve(call, gateway.get(), stream))
                .thenApply(done -> forward(call, Call.State.OFFERED, call.offer, stream -> new SdpRewriter.Rewrite(stream.plan.towardsAnswerer(),
                        policy.partyTransport(stream.plan.towardsAnswerer(), call.offer.media().get(stream.plan.mediaIndex()).transport()),
                        stream.answererLeg, stream.towardsAnswerer.localSetup(), indicator(stream.plan.towardsAnswerer()))))
                .exceptionallyCompose(error -> abandon(call, error));
    }

    /**
     * The SDP to forward once the gateway did its part: the call moves to {@code state} (unless the media plane
     * released it meanwhile), and each anchored, still open m-line is rewritten for its receiver.
     */
    private SessionDescription forward(Call call, Call.State state, SessionDescription sdp, Function<AnchoredStream, SdpRewriter.Rewrite> rewrite) {
        if (call.state == Call.State.RELEASED) {
            throw new CompletionException(new OfferRejectedException(500, "the call was released by the media plane meanwhile"));
        }
        call.state = state;
        Map<Integer, SdpRewriter.Rewrite> rewrites = new LinkedHashMap<>();
        for (AnchoredStream stream : call.streams) {
            if (!stream.released) {
                rewrites.put(stream.plan.mediaIndex(), rewrite.apply(stream));
            }
        }
        try {
            return SdpRewriter.rewrite(sdp, rewrites);
        } catch (OfferRejectedException e) {
            throw new CompletionException(e);
        }
    }

    /** TS 24.229: a=3ge2ae:applied on the legs where the gateway terminates TLS for e2ae. */
    private static Optional<String> indicator(LegSecurity security) {
        return security == LegSecurity.TLS ? Optional.of("applied") : Optional.empty();
    }

    /** Add both legs of one m-line in one new context (one transaction, TS 23.334 6.2.10.3). */
    private CompletableFuture<Void> reserve(Call call, ControlledGateway gateway, AnchoredStream stream) {
        StreamPlan plan = stream.plan;
        MediaDescription media = call.offer.media().get(plan.mediaIndex());
        Transport offered = media.transport();
        Setup offeredSetup;
        String connection;
        try {
            connection = SdpChecks.connection(call.offer, media, plan.mediaIndex(), "offer");
            offeredSetup = SdpChecks.offeredSetup(media, plan.mediaIndex());
        } catch (OfferRejectedException e) {
            return CompletableFuture.failedFuture(e);
        }
        // e2e: both setups mirror the endpoints' own, so that their TLS roles meet (the relay only splits TCP);
        // otherwise each side is set on its own (TCP-7): a UE is asked to connect out (NAT), the core is connected to
        Setup towardsOfferer = plan.transparent() && offeredSetup == Setup.ACTPASS ? Setup.ACTPASS
                : offeredSetup.answerTo(call.offerer.isAccess() ? Setup.PASSIVE : Setup.ACTIVE);
        Setup towardsAnswerer = plan.transparent() ? offeredSetup : Setup.ACTPASS;
        RemoteEnd offerer = new RemoteEnd(connection, media.mediaLine().portNumber().orElse(9),
                media.setup(), plan.towardsOfferer() == LegSecurity.TLS ? call.offer.fingerprints(media) : List.of());
        String mediaType = media.mediaLine().media();
        stream.towardsOfferer = leg(mediaType, plan, plan.towardsOfferer(), offered, towardsOfferer, true).withRemote(offerer);
        stream.towardsAnswerer = leg(mediaType, plan, plan.towardsAnswerer(), offered, towardsAnswerer, false);
        List<Command> adds = List.of(new Command.Add(CHOOSE_IP, stream.towardsOfferer.descriptors(EVENTS_REQUEST_ID)),
                new Command.Add(CHOOSE_IP, stream.towardsAnswerer.descriptors(EVENTS_REQUEST_ID)));
        return gateway.commands().action(ContextId.CHOOSE, adds).thenAccept(result -> {
            stream.context = result.contextId();
            gateway.contextCreated();
            byContext.put(new ContextKey(gateway, stream.context), call);
            stream.offererLeg = LocalEnd.of((CommandReply.AmmsReply) result.replies().get(0));
            stream.answererLeg = LocalEnd.of((CommandReply.AmmsReply) result.replies().get(1));
            LOG.atInfo().addKeyValue("call", call.id).addKeyValue("gateway", gateway.name()).addKeyValue("context", stream.context)
                    .log("m-line {} anchored: {} towards the offerer, {} towards the answerer", plan.mediaIndex(), plan.towardsOfferer(), plan.towardsAnswerer());
        });
    }

    private LegRequest leg(String mediaType, StreamPlan plan, LegSecurity security, Transport offered, Setup setup, boolean gatewayIsAnswerer) {
        Transport transport = policy.gatewayTransport(security, offered);
        boolean tls = transport.isTls() && security == LegSecurity.TLS;
        return new LegRequest(mediaType, transport, setup, Optional.empty(),
                tls ? tlsRoles.gatewayRole(plan.application(), setup, gatewayIsAnswerer) : Optional.empty(),
                tls ? tlsDomain : Optional.empty(), true);
    }

    // ---- answer ---------------------------------------------------------------------------------------------

    /** The SDP answer to the call's offer; completes with the answer to forward to the offerer. */
    public CompletableFuture<SessionDescription> onAnswer(String callId, SessionDescription answer) {
        return onThread(() -> answer(callId, answer));
    }

    private CompletableFuture<SessionDescription> answer(String callId, SessionDescription answer) {
        Call call = calls.get(callId);
        if (call == null) {
            return CompletableFuture.failedFuture(new OfferRejectedException(481, "no call " + callId));
        }
        if (call.state != Call.State.OFFERED) {
            return CompletableFuture.failedFuture(new OfferRejectedException(491, "call " + callId + " is " + call.state + ", not waiting for an answer"));
        }
        call.state = Call.State.ANSWERING;
        if (answer.media().size() != call.offer.media().size()) {
            return abandon(call, new OfferRejectedException(488, "the answer has " + answer.media().size() + " m-lines, the offer "
                    + call.offer.media().size() + " (RFC 3264 6)"));
        }
        return InSequence.run(call.streams, stream -> configure(call, stream, answer))
                .thenApply(done -> forward(call, Call.State.ANSWERED, answer, stream -> new SdpRewriter.Rewrite(stream.plan.towardsOfferer(),
                        policy.partyTransport(stream.plan.towardsOfferer(), answer.media().get(stream.plan.mediaIndex()).transport()), stream.offererLeg,
                        stream.offererLeg.setup(), indicator(stream.plan.towardsOfferer()))))
                .exceptionallyCompose(error -> abandon(call, error));
    }

    /** Tell the gateway the answerer's end (and, for e2e, the offerer's final role); the bearer opens. */
    private CompletableFuture<Void> configure(Call call, AnchoredStream stream, SessionDescription answer) {
        ControlledGateway gateway = call.gateway.orElseThrow();
        int index = stream.plan.mediaIndex();
        MediaDescription answered = answer.media().get(index);
        if (SdpChecks.refused(answered)) {
            return subtract(gateway, call, stream);
        }
        Setup answeredSetup;
        String connection;
        try {
            answeredSetup = SdpChecks.answeredSetup(answered, index);
            Transport offeredToAnswerer = policy.partyTransport(stream.plan.towardsAnswerer(), call.offer.media().get(index).transport());
            if (!answered.transport().token().equalsIgnoreCase(offeredToAnswerer.token())) {
                throw new OfferRejectedException(488, "m-line " + index + ": answered with " + answered.transport() + ", offered " + offeredToAnswerer
                        + " (RFC 3264 6.1)");
            }
            connection = SdpChecks.connection(answer, answered, index, "answer");
            if (stream.plan.towardsAnswerer() == LegSecurity.TLS && answer.fingerprints(answered).isEmpty()) {
                throw new OfferRejectedException(488, "m-line " + index + ": e2ae answer without a=fingerprint");
            }
        } catch (OfferRejectedException e) {
            return CompletableFuture.failedFuture(e);
        }
        boolean tlsTowardsAnswerer = stream.plan.towardsAnswerer() == LegSecurity.TLS;
        List<Command> commands = new ArrayList<>();
        if (stream.towardsOfferer.localSetup() == Setup.ACTPASS) {
            // e2e with actpass: the offerer learns the answerer's choice, so the gateway takes it towards the offerer
            stream.towardsOfferer = stream.towardsOfferer.withLocalSetup(answeredSetup);
            commands.add(new Command.Modify(stream.offererLeg.termination(), stream.towardsOfferer.descriptors(EVENTS_REQUEST_ID)));
        }
        Setup gatewaySetup = SdpChecks.opposite(answeredSetup);
        RemoteEnd answerer = new RemoteEnd(connection, answered.mediaLine().portNumber().orElse(9),
                Optional.of(answeredSetup), tlsTowardsAnswerer ? answer.fingerprints(answered) : List.of());
        LegRequest request = stream.towardsAnswerer.withLocalSetup(gatewaySetup).withRemote(answerer);
        if (tlsTowardsAnswerer && request.tlsRole().isEmpty()) {
            request = request.withTlsRole(tlsRoles.gatewayRole(stream.plan.application(), gatewaySetup, false));
        }
        stream.towardsAnswerer = request;
        commands.add(new Command.Modify(stream.answererLeg.termination(), request.descriptors(EVENTS_REQUEST_ID)));
        return gateway.commands().action(stream.context, commands).thenAccept(result -> {
            for (CommandReply reply : result.replies()) {
                LocalEnd end = LocalEnd.of((CommandReply.AmmsReply) reply);
                if (end.termination().equals(stream.offererLeg.termination())) {
                    stream.offererLeg = end;
                } else {
                    stream.answererLeg = end;
                }
            }
        });
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
        if (call.gateway.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        return InSequence.run(call.streams, stream -> subtract(call.gateway.get(), call, stream).exceptionally(error -> {
            LOG.atWarn().addKeyValue("call", call.id).addKeyValue("context", stream.context).log("Subtract failed: {}", OfferRejectedException.unwrap(error).getMessage());
            return null;
        }));
    }

    private CompletableFuture<Void> subtract(ControlledGateway gateway, Call call, AnchoredStream stream) {
        if (stream.released || stream.context == null) {
            return CompletableFuture.completedFuture(null);
        }
        stream.released = true;
        byContext.remove(new ContextKey(gateway, stream.context));
        gateway.contextReleased();
        return gateway.commands().subtract(stream.context, TerminationId.ALL, Optional.empty()).thenAccept(reply -> { });
    }

    /** A failed offer or answer: whatever was reserved is released, and the error is an {@link OfferRejectedException}. */
    private <T> CompletableFuture<T> abandon(Call call, Throwable error) {
        calls.remove(call.id, call);
        return OfferRejectedException.afterCleanup(error, "gateway",
                rejected -> LOG.atInfo().addKeyValue("call", call.id).log("offer/answer refused ({}): {}", rejected.sipStatus(), rejected.getMessage()),
                () -> release(call));
    }

    // ---- gateway events (on the controller's thread) ---------------------------------------------------------

    @Override
    public void onEvent(ControlledGateway gateway, ContextId context, TerminationId termination, GatewayEvent event) {
        Call call = byContext.get(new ContextKey(gateway, context));
        if (call == null) {
            return;
        }
        AnchoredStream stream = call.streams.stream().filter(s -> context.equals(s.context)).findFirst().orElse(null);
        if (stream == null) {
            return;
        }
        boolean towardsOfferer = stream.offererLeg != null && stream.offererLeg.termination().equals(termination);
        listener.onBearerEvent(call.id, stream.plan.mediaIndex(), towardsOfferer, event);
        if (event instanceof GatewayEvent.Failure failure && calls.remove(call.id, call)) {
            String reason = failure.describe() + " towards the " + (towardsOfferer ? "offerer" : "answerer");
            LOG.atInfo().addKeyValue("call", call.id).addKeyValue("context", context).log("released by the media plane: {}", reason);
            release(call);
            listener.onCallReleased(call.id, reason);
        }
    }

    @Override
    public void onRegistered(ControlledGateway gateway, MgcRegistrar.Registration registration, boolean again) {
        if (!again) {
            return;
        }
        for (Call call : List.copyOf(calls.values())) {
            if (call.gateway.filter(gateway::equals).isPresent() && calls.remove(call.id, call)) {
                call.state = Call.State.RELEASED;
                call.streams.forEach(stream -> stream.released = true);
                call.streams.forEach(stream -> byContext.remove(new ContextKey(gateway, stream.context)));
                listener.onCallReleased(call.id, "gateway " + gateway.name() + " restarted: its contexts are gone");
            }
        }
    }
}
