package org.mediasec.controller.ngcall;

import io.netty.channel.EventLoop;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;
import org.mediasec.controller.alg.CallListener;
import org.mediasec.controller.alg.CallProcedures;
import org.mediasec.controller.alg.CallSide;
import org.mediasec.controller.alg.OfferRejectedException;
import org.mediasec.controller.alg.PartyEndpoint;
import org.mediasec.controller.ng.NgCommandHandler;
import org.mediasec.ng.message.NgParameters;
import org.mediasec.ng.message.ReceivedFrom;
import org.mediasec.ng.message.NgReplies;
import org.mediasec.ng.message.NgReply;
import org.mediasec.ng.message.NgRequest;
import org.mediasec.sdp.SdpParseException;
import org.mediasec.sdp.SdpParser;
import org.mediasec.sdp.SessionDescription;
import org.mediasec.traceability.Implements;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ng commands of a SIP proxy (Kamailio's or OpenSIPS' rtpengine module) carried out by the call procedures
 * (NG-2): {@code offer}, {@code answer} and {@code delete} drive {@link CallProcedures} (IMS-ALG or IBCF, CTRL-1..7),
 * {@code query}, {@code list} and {@code statistics} report, {@code ping} is answered {@code pong}.
 *
 * <p>Calls are keyed as rtpengine keys them ({@link NgCall}): the {@code call-id}; the caller is the first offer's
 * {@code from-tag}; each dialog (a fork) is the other party's tag. Every anchored offer waiting for its answer and
 * every dialog is a procedures call of its own:
 * <ul>
 *   <li>the caller's offer again with the same {@code via-branch} and SDP is a retransmission: the same reply (the
 *       endpoint's cache answers a repeated cookie before this); with another {@code via-branch} it is an offer for
 *       another fork (Kamailio's {@code branch_route}), anchored on its own;</li>
 *   <li>an answer from a new tag takes the offer of its {@code via-branch}, else the oldest waiting one; when none
 *       waits (a second fork answers the one offer), the first offer is anchored again for that dialog, and the
 *       caller is answered with the new context's ports. The fork was offered the first dialog's ports, so it can
 *       only be reached by the gateway connecting to it ({@code a=setup:passive} in its answer), which is what an
 *       actpass offer lets it choose;</li>
 *   <li>the same answer again from a dialog (a 200 OK retransmitted) gets the same reply;</li>
 *   <li>an offer naming a dialog is a re-offer (re-INVITE, UPDATE, CTRL-7), from the caller when its
 *       {@code from-tag} is the caller's, else from the callee ({@link CallSide});</li>
 *   <li>{@code delete} naming a dialog by both tags releases that dialog, and the call with its last dialog; any
 *       other delete (Kamailio's BYE, CANCEL and failure replies: it sends no to-tag in deletes unless asked)
 *       releases the whole call, early dialogs of cancelled forks included; {@code delete-delay} postpones it, an offer or answer
 *       meanwhile cancels it;</li>
 *   <li>a call the media plane released (a failure Notify, a gateway restart) answers every request but
 *       {@code delete} with an error naming why, until it is deleted.</li>
 * </ul>
 * Who is access and who core: {@link NgParties}. Media mediasec does not carry: {@link Unanchored}.
 *
 * <p>Thread rule: every piece of state is touched on the controller's one thread (the procedures' thread, where
 * their futures complete and their listener is called); {@link #handle} hops onto it unless already there.
 */
@Implements("NG-2")
public final class NgCallHandler implements NgCommandHandler, CallListener {

    private static final Logger LOG = LoggerFactory.getLogger(NgCallHandler.class);

    /** rtpengine's reply for a call it does not hold. */
    static final String UNKNOWN_CALL = "Unknown call-id";

    /** Offers and dialogs of one call, at most: Kamailio's tm forks to at most 12 branches (its MAX_BRANCHES). */
    static final int MAX_PARTS = 16;

    private final CallProcedures procedures;
    private final ScheduledExecutorService thread;
    private final NgCallConfig config;
    private final NgCallMetrics metrics;
    private final Map<String, NgCall> calls = new LinkedHashMap<>();
    private final Map<String, NgCall> byProcedure = new LinkedHashMap<>();
    /** Calls the media plane released, with why, oldest first, at most {@link NgCallConfig#maxReleased()}. */
    private final Map<String, String> released = new LinkedHashMap<>();
    private long sequence;

    /**
     * @param procedures makes the procedures with the listener they must call (this handler)
     * @param thread the controller's thread ({@code MediaGatewayController.executor()})
     */
    public NgCallHandler(Function<CallListener, CallProcedures> procedures, ScheduledExecutorService thread, NgCallConfig config, NgCallMetrics metrics) {
        this.thread = thread;
        this.config = config;
        this.metrics = metrics;
        this.procedures = procedures.apply(this);
        metrics.watch(this);
    }

    @Override
    public CompletionStage<NgReply> handle(NgRequest request, InetSocketAddress source) {
        return run(request, false);
    }

    /**
     * Under overload (NG-1, the endpoint's {@code NgOverload}) only an offer for a call not held is refused, with
     * {@code load limit} (Kamailio then does not anchor the call, or tries its next media proxy); the offer of a call
     * held (a retransmission, another fork, a re-offer), answers, deletes and the rest go on: they finish or free
     * what is held, and refusing them would cost retransmissions and leave contexts behind.
     */
    @Override
    public CompletionStage<NgReply> handleOverloaded(NgRequest request, InetSocketAddress source) {
        return run(request, true);
    }

    private CompletionStage<NgReply> run(NgRequest request, boolean refuseNewCalls) {
        long started = System.nanoTime();
        CompletableFuture<NgReply> reply;
        if (thread instanceof EventLoop loop && loop.inEventLoop()) {
            // on the controller's thread already (the ng endpoint shares its event loop): no hop; a bug fails the
            // stage as supplyAsync would, so that the metrics count it
            try {
                reply = dispatch(request, refuseNewCalls);
            } catch (RuntimeException bug) {
                reply = CompletableFuture.failedFuture(bug);
            }
        } else {
            reply = CompletableFuture.supplyAsync(() -> dispatch(request, refuseNewCalls), thread).thenCompose(Function.identity());
        }
        return reply.whenComplete((done, failure) -> metrics.request(request.command(), done, System.nanoTime() - started));
    }

    /** Calls held (for the gauge; read from any thread, a moment old). */
    int callCount() {
        return calls.size();
    }

    private CompletableFuture<NgReply> dispatch(NgRequest request, boolean refuseNewCalls) {
        try {
            return switch (request) {
                case NgRequest.Ping ping -> done(new NgReply.Pong());
                case NgRequest.Offer offer -> offer(offer.parameters(), offer.callId(), offer.fromTag(), offer.sdp(), refuseNewCalls);
                case NgRequest.Answer answer -> answer(answer.parameters(), answer.callId(), answer.fromTag(), answer.toTag(), answer.sdp());
                case NgRequest.Delete delete -> done(delete(delete));
                case NgRequest.Query query -> query(live(query.callId()));
                case NgRequest.ListCalls list -> done(NgReply.calls(calls.keySet().stream().limit(list.limit()).toList()));
                case NgRequest.Statistics statistics -> done(NgCallReport.statistics(calls.values(), released.size(), metrics));
                case NgRequest.Unknown unknown -> done(NgReply.error(NgReply.UNRECOGNIZED_COMMAND));
            };
        } catch (NgRefusal refusal) {
            return done(NgReply.error(refusal.getMessage()));
        }
    }

    // ---- offer --------------------------------------------------------------------------------------------------

    private CompletableFuture<NgReply> offer(NgParameters parameters, String callId, String fromTag, String text, boolean refuseNewCalls)
            throws NgRefusal {
        NgCall call = live(callId);
        if (call == null && refuseNewCalls) {
            return done(NgCommandHandler.OVERLOADED); // before the SDP is parsed: refusing costs little
        }
        SessionDescription sdp = parse(text);
        Optional<String> warning = Unanchored.warning(sdp, config.refuseUnanchored() || parameters.hasFlag(Unanchored.REFUSE_FLAG));
        String via = parameters.viaBranch().orElse("");
        if (call == null) {
            if (calls.size() >= config.maxCalls()) {
                return done(new NgReply.LoadLimit(Optional.of(NgReplies.SESSION_LIMIT_REACHED)));
            }
            call = new NgCall(callId, fromTag, NgParties.of(parameters, config, sdp), sdp, now());
            calls.put(callId, call);
            metrics.callStarted();
            return anchorOffer(call, via, text, sdp, warning);
        }
        touch(call);
        Optional<NgCall.Branch> branch = call.branch(fromTag, parameters.toTag());
        if (branch.isPresent()) {
            return reOffer(call, branch.get(), fromTag, via, text, sdp, warning);
        }
        if (!fromTag.equals(call.callerTag) || parameters.toTag().isPresent()) {
            throw new NgRefusal("Unknown tag in call " + callId + ": from-tag " + fromTag + parameters.toTag().map(tag -> ", to-tag " + tag).orElse(""));
        }
        NgCall.Exchange earlier = call.offers.get(via);
        if (earlier != null) {
            if (earlier.request().equals(text)) {
                return earlier.reply(); // the same INVITE again: the same answer
            }
            throw new NgRefusal("Offer for via-branch '" + via + "' of call " + callId + " already made with another SDP");
        }
        return anchorOffer(call, via, text, sdp, warning);
    }

    /** A caller's offer for a dialog still to come: a procedures call of its own. */
    private CompletableFuture<NgReply> anchorOffer(NgCall call, String via, String text, SessionDescription sdp, Optional<String> warning)
            throws NgRefusal {
        String procedure = newProcedure(call);
        call.pending.put(via, procedure);
        CompletableFuture<NgReply> reply = procedures.onOffer(procedure, call.sides.offerer(), call.sides.answerer(), sdp)
                .handle((rewritten, error) -> error == null ? withSdp(rewritten, warning) : refused(call, procedure, error));
        call.offers.put(via, new NgCall.Exchange(text, reply));
        return reply;
    }

    private CompletableFuture<NgReply> reOffer(NgCall call, NgCall.Branch branch, String fromTag, String via, String text, SessionDescription sdp,
            Optional<String> warning) throws NgRefusal {
        refuseReleased(branch);
        String request = fromTag + " " + via + " " + text;
        if (branch.lastOffer != null && branch.lastOffer.request().equals(request)) {
            return branch.lastOffer.reply();
        }
        CallSide offerer = fromTag.equals(call.callerTag) ? CallSide.CALLER : CallSide.CALLEE;
        CompletableFuture<NgReply> reply = procedures.onReOffer(branch.procedure, offerer, sdp)
                .handle((rewritten, error) -> error == null ? withSdp(rewritten, warning) : refused(call, branch.procedure, error));
        branch.lastOffer = new NgCall.Exchange(request, reply);
        branch.lastAnswer = null;
        return reply;
    }

    // ---- answer -------------------------------------------------------------------------------------------------

    private CompletableFuture<NgReply> answer(NgParameters parameters, String callId, String fromTag, String toTag, String text) throws NgRefusal {
        NgCall call = live(callId);
        if (call == null) {
            throw new NgRefusal(UNKNOWN_CALL);
        }
        touch(call);
        SessionDescription sdp = parse(text);
        String tag = fromTag.equals(call.callerTag) ? toTag : fromTag;
        // where the answer's SIP came from (Kamailio's rtpengine_manage sends received-from on the reply too): the
        // procedures use it when the answerer is an access UE (TR 29.828 4.4.2.3)
        Optional<String> receivedFrom = parameters.receivedFrom().map(ReceivedFrom::address);
        NgCall.Branch branch = call.branches.get(tag);
        CompletableFuture<NgReply> reply;
        if (branch != null) {
            refuseReleased(branch);
            if (branch.lastAnswer != null && branch.lastAnswer.request().equals(text)) {
                return branch.lastAnswer.reply(); // a 2xx retransmitted (RFC 3261 13.3.1.4)
            }
            String procedure = branch.procedure;
            reply = procedures.onAnswer(procedure, sdp, receivedFrom).handle((rewritten, error) -> error == null ? withSdp(rewritten, Optional.empty())
                    : refused(call, procedure, error));
        } else {
            if (call.parts() >= MAX_PARTS) {
                throw new NgRefusal("Call " + callId + " has " + MAX_PARTS + " offers and dialogs already");
            }
            String via = parameters.viaBranch().filter(call.pending::containsKey)
                    .orElseGet(() -> call.pending.keySet().stream().findFirst().orElse(null));
            String procedure = via != null ? call.pending.remove(via) : newProcedure(call);
            branch = new NgCall.Branch(tag, procedure);
            call.branches.put(tag, branch);
            CompletableFuture<?> offered = via != null ? CompletableFuture.completedFuture(null)
                    // a fork answering the one offer another fork took: its own anchoring of the first offer
                    : procedures.onOffer(procedure, call.sides.offerer(), call.sides.answerer(), call.firstOffer);
            reply = offered.thenCompose(done -> procedures.onAnswer(procedure, sdp, receivedFrom))
                    .handle((rewritten, error) -> error == null ? withSdp(rewritten, Optional.empty()) : refused(call, procedure, error));
        }
        branch.lastAnswer = new NgCall.Exchange(text, reply);
        return reply;
    }

    // ---- query --------------------------------------------------------------------------------------------------

    /**
     * rtpengine's {@code query} reply, with each tag's ends per m-line as the procedures know them (the caller's from
     * its first dialog, or its first offer still waiting; each dialog's from its own procedures call).
     */
    private CompletableFuture<NgReply> query(NgCall call) throws NgRefusal {
        if (call == null) {
            throw new NgRefusal(UNKNOWN_CALL);
        }
        Map<String, CompletableFuture<List<PartyEndpoint>>> ends = new LinkedHashMap<>();
        Optional<String> callerProcedure = call.branches.values().stream().map(branch -> branch.procedure).findFirst()
                .or(() -> call.pending.values().stream().findFirst());
        ends.put(call.callerTag, callerProcedure.map(procedure -> procedures.endpoints(procedure, CallSide.CALLER))
                .orElse(CompletableFuture.completedFuture(List.of())));
        call.branches.values().forEach(branch -> ends.put(branch.tag, procedures.endpoints(branch.procedure, CallSide.CALLEE)));
        return CompletableFuture.allOf(ends.values().toArray(CompletableFuture[]::new)).thenApply(done -> {
            Map<String, List<PartyEndpoint>> byTag = new LinkedHashMap<>();
            ends.forEach((tag, future) -> byTag.put(tag, future.join()));
            return NgCallReport.query(call, byTag, now());
        });
    }

    // ---- delete -------------------------------------------------------------------------------------------------

    private NgReply delete(NgRequest.Delete delete) {
        String callId = delete.callId();
        NgCall call = calls.get(callId);
        if (call == null) {
            if (released.remove(callId) != null) {
                return NgReply.ok();
            }
            return delete.fatal() ? NgReply.error(UNKNOWN_CALL) : NgReply.ok().withWarning(UNKNOWN_CALL);
        }
        NgParameters parameters = delete.parameters();
        // one dialog only when both tags are given (Kamailio leaves the to-tag out of deletes unless its to-tag flag asks)
        Optional<NgCall.Branch> branch = parameters.fromTag().filter(from -> parameters.toTag().isPresent())
                .flatMap(from -> call.branch(from, parameters.toTag()));
        Runnable deletion = () -> {
            call.deleteTimer = null;
            if (branch.isPresent() && call.branches.size() > 1) {
                release(call.branches.remove(branch.get().tag).procedure);
            } else {
                removeCall(call, "delete");
            }
        };
        long delay = Math.min(parameters.deleteDelay().orElse(0), config.maxDeleteDelay().toSeconds());
        call.cancelDelete();
        if (delay > 0) {
            call.deleteTimer = thread.schedule(deletion, delay, TimeUnit.SECONDS);
        } else {
            deletion.run();
        }
        return NgReply.ok();
    }

    /** Every call released (a controller shutting down): completes once the gateways answered their Subtracts. */
    public CompletableFuture<Void> releaseAll() {
        return CompletableFuture.supplyAsync(() -> {
            List<String> held = calls.values().stream().flatMap(call -> Stream.concat(call.pending.values().stream(),
                    call.branches.values().stream().map(branch -> branch.procedure))).toList();
            List.copyOf(calls.values()).forEach(call -> {
                call.cancelDelete();
                calls.remove(call.id);
                metrics.callEnded("shutdown");
            });
            byProcedure.clear();
            return CompletableFuture.allOf(held.stream().map(procedures::onRelease).toArray(CompletableFuture[]::new));
        }, thread).thenCompose(Function.identity());
    }

    private void removeCall(NgCall call, String why) {
        call.cancelDelete();
        if (calls.remove(call.id, call)) {
            call.pending.values().forEach(this::release);
            call.branches.values().forEach(branch -> release(branch.procedure));
            metrics.callEnded(why);
        }
    }

    private void release(String procedure) {
        byProcedure.remove(procedure);
        procedures.onRelease(procedure).exceptionally(error -> {
            LOG.atError().setCause(error).log("releasing {} failed", procedure);
            return null;
        });
    }

    // ---- the media plane released a procedures call (on the controller's thread) ---------------------------------

    @Override
    public void onCallReleased(String procedure, String reason) {
        NgCall call = byProcedure.remove(procedure);
        if (call == null) {
            return;
        }
        call.pending.values().remove(procedure);
        call.branches.values().stream().filter(branch -> branch.procedure.equals(procedure)).forEach(branch -> branch.released = Optional.of(reason));
        LOG.atInfo().addKeyValue("call", call.id).log("released by the media plane: {}", reason);
        if (call.live() == 0) {
            removeCall(call, "media plane");
            released.put(call.id, reason);
            while (released.size() > config.maxReleased()) {
                released.remove(released.keySet().iterator().next());
            }
        }
    }

    // ---- helpers ------------------------------------------------------------------------------------------------

    /** The call held under {@code callId}, null if none; an error naming why when the media plane released it. */
    private NgCall live(String callId) throws NgRefusal {
        String reason = released.get(callId);
        if (reason != null) {
            throw new NgRefusal("Call released by the media plane: " + reason);
        }
        return calls.get(callId);
    }

    private static void refuseReleased(NgCall.Branch branch) throws NgRefusal {
        if (branch.released.isPresent()) {
            throw new NgRefusal("Dialog " + branch.tag + " released by the media plane: " + branch.released.get());
        }
    }

    /**
     * The body as SDP. Blank lines at its end are dropped first: RFC 8866 has none, but SIP bodies often end with
     * one more CRLF (SIPp's do), and rtpengine accepts them; anywhere else a blank line is an error.
     */
    private static SessionDescription parse(String text) throws NgRefusal {
        try {
            return SdpParser.parse(text.stripTrailing() + "\r\n");
        } catch (SdpParseException e) {
            throw new NgRefusal("Failed to parse SDP: " + e.getMessage());
        }
    }

    private String newProcedure(NgCall call) throws NgRefusal {
        if (call.parts() >= MAX_PARTS) {
            throw new NgRefusal("Call " + call.id + " has " + MAX_PARTS + " offers and dialogs already");
        }
        String procedure = call.id + "#" + ++sequence;
        byProcedure.put(procedure, call);
        return procedure;
    }

    private void touch(NgCall call) {
        call.lastSignal = now();
        call.cancelDelete();
    }

    private static NgReply withSdp(SessionDescription rewritten, Optional<String> warning) {
        NgReply.Ok ok = NgReply.sdp(rewritten.write());
        return warning.map(ok::withWarning).orElse(ok);
    }

    /**
     * The procedures refused an offer or answer: the error reply carries the reason and the SIP status the proxy
     * should answer with. A refused first exchange left nothing behind (the procedures call is gone); a refused
     * re-offer left the dialog as it was (RFC 3264 8), and it stays.
     */
    private NgReply refused(NgCall call, String procedure, Throwable error) {
        OfferRejectedException rejected = OfferRejectedException.from(error, "gateway");
        if (!procedures.holds(procedure) && byProcedure.remove(procedure) != null) {
            call.pending.values().remove(procedure);
            call.branches.values().removeIf(branch -> branch.procedure.equals(procedure));
            if (call.parts() == 0) {
                removeCall(call, "refused");
            }
        }
        metrics.refused(rejected.sipStatus());
        return NgReply.error(rejected.getMessage() + " (SIP " + rejected.sipStatus() + ")");
    }

    private static long now() {
        return System.currentTimeMillis() / 1000;
    }

    private static CompletableFuture<NgReply> done(NgReply reply) {
        return CompletableFuture.completedFuture(reply);
    }

    /** The procedures behind this handler (tests and the process read their state). */
    public CallProcedures procedures() {
        return procedures;
    }

    List<String> callIds() {
        return List.copyOf(calls.keySet());
    }
}
