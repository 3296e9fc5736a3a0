package org.mediasec.h248stack.transaction;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.mediasec.h248.message.ActionReply;
import org.mediasec.h248.message.ActionRequest;
import org.mediasec.h248.message.Command;
import org.mediasec.h248.message.CommandReply;
import org.mediasec.h248.message.CommandRequest;
import org.mediasec.h248.message.ContextId;
import org.mediasec.h248.message.TerminationId;
import org.mediasec.h248.message.Transaction;

/** The transaction state machines on a manual clock (H.248.1 8.2, Annex D.1). */
class TransactionEngineTest {

    private final ManualScheduler clock = new ManualScheduler();
    /** Every transaction sent, in order, and the messages they went in. */
    private final List<Transaction> sent = new ArrayList<>();
    private final List<List<Transaction>> messages = new ArrayList<>();
    private final TransactionTimers timers = TransactionTimers.DEFAULT;

    private static final List<ActionRequest> ADD = List.of(ActionRequest.of(ContextId.CHOOSE,
            List.of(CommandRequest.of(new Command.Add(TerminationId.of("ip/$"), List.of())))));

    private static Transaction.TransactionReply reply(long id) {
        return Transaction.TransactionReply.of(id, List.of(ActionReply.of(ContextId.of(1),
                List.of(new CommandReply.AddReply(TerminationId.of("ip/1"), List.of())))));
    }

    private TransactionEngine engine(boolean reliable, RequestHandler handler) {
        return new TransactionEngine(this::send, clock, timers, reliable, handler, 100);
    }

    private void send(List<Transaction> message) {
        messages.add(message);
        sent.addAll(message);
    }

    private static RequestHandler never() {
        return request -> new CompletableFuture<>();
    }

    @Test
    @Tag("H248-3")
    void retransmitsWithBackoffThenTimesOut() {
        TransactionEngine engine = engine(false, never());
        CompletableFuture<Transaction.TransactionReply> future = engine.request(ADD);
        assertThat(sent).hasSize(1);

        List<Long> sendTimes = new ArrayList<>();
        for (int ms = 0; ms <= 30_000; ms += 50) {
            int before = sent.size();
            clock.advance(Duration.ofMillis(50));
            if (sent.size() > before) {
                sendTimes.add(clock.now());
            }
        }
        // 0.5 s, then doubling: 1, 2, 4 s, capped at 4 s
        assertThat(sendTimes.subList(0, 5)).containsExactly(500L, 1500L, 3500L, 7500L, 11500L);
        assertThat(future).isCompletedExceptionally();
        assertThatReason(future, TransactionException.Reason.TIMEOUT);
        assertThat(engine.outstanding()).isZero();
        assertThat(clock.live()).isZero();
    }

    @Test
    @Tag("H248-3")
    void aReplyCompletesTheRequestAndStopsRetransmission() throws Exception {
        TransactionEngine engine = engine(false, never());
        CompletableFuture<Transaction.TransactionReply> future = engine.request(ADD);
        long id = ((Transaction.TransactionRequest) sent.get(0)).transactionId();

        engine.receive(reply(id));
        clock.advance(Duration.ofSeconds(60));

        assertThat(future.get().transactionId()).isEqualTo(id);
        // the request once, and the reply's acknowledgement (alone, nothing else was sent)
        assertThat(sent).containsExactly(sent.get(0), new Transaction.TransactionResponseAck(List.of(Transaction.AckRange.of(id))));
        assertThat(clock.live()).isZero();
    }

    /** When the request sent now is first sent again, with nothing answered meanwhile. */
    private long firstRetransmissionOfTheNextRequest(TransactionEngine engine) {
        engine.request(ADD);
        int before = sent.size();
        long from = clock.now();
        while (sent.size() == before) {
            clock.advance(Duration.ofMillis(10));
        }
        return clock.now() - from;
    }

    /** Sends a request and answers it after {@code roundTrip}. */
    private void answeredAfter(TransactionEngine engine, Duration roundTrip) {
        engine.request(ADD);
        long id = ((Transaction.TransactionRequest) sent.get(sent.size() - 1)).transactionId();
        clock.advance(roundTrip);
        engine.receive(reply(id));
    }

    @Test
    @Tag("H248-3")
    void theRetransmissionTimerFollowsTheMeasuredRoundTripAsTcpsDoes() {
        TransactionEngine engine = engine(false, never());
        for (int i = 0; i < 3; i++) {
            answeredAfter(engine, Duration.ofMillis(400)); // a peer whose queue holds requests for 400 ms
        }
        // RFC 6298: SRTT 400 ms, RTTVAR 200, 150, 112.5 ms; SRTT + 4 RTTVAR = 850 ms, not the initial 500 ms
        assertThat(engine.retransmissionTimer()).isEqualTo(Duration.ofMillis(850));
        assertThat(firstRetransmissionOfTheNextRequest(engine)).isEqualTo(850);
    }

    @Test
    @Tag("H248-3")
    void quickRepliesKeepTheInitialTimerAndSlowOnesNeverPassTheMaximum() {
        TransactionEngine quick = engine(false, never());
        answeredAfter(quick, Duration.ofMillis(2));
        assertThat(quick.retransmissionTimer()).isEqualTo(timers.initialRetransmission());

        TransactionEngine slow = engine(false, never());
        // each answered just before its first retransmission (timers 0.5, 1.35, 2.08, 3.32 s), the round trip growing
        for (int millis : new int[] {450, 1_300, 2_000, 3_300}) {
            answeredAfter(slow, Duration.ofMillis(millis));
        }
        assertThat(slow.statistics().retransmissions).isZero();
        assertThat(slow.retransmissionTimer()).isEqualTo(timers.maxRetransmission());
    }

    @Test
    @Tag("H248-3")
    void aRetransmittedRequestsReplyIsNoRoundTrip() {
        TransactionEngine engine = engine(false, never());
        answeredAfter(engine, Duration.ofMillis(700)); // sent again at 500 ms: which sending does the reply answer?
        assertThat(engine.retransmissionTimer()).isEqualTo(timers.initialRetransmission());
    }

    @Test
    @Tag("H248-3")
    void pendingStopsRetransmissionAndRestartsLongTimer() {
        TransactionEngine engine = engine(false, never());
        CompletableFuture<Transaction.TransactionReply> future = engine.request(ADD);
        long id = ((Transaction.TransactionRequest) sent.get(0)).transactionId();
        clock.advance(Duration.ofSeconds(20));
        int sentBefore = sent.size();

        engine.receive(new Transaction.TransactionPending(id));
        clock.advance(Duration.ofSeconds(29));
        assertThat(sent).hasSize(sentBefore);
        assertThat(future).isNotDone();

        clock.advance(Duration.ofSeconds(2));
        assertThatReason(future, TransactionException.Reason.TIMEOUT);
    }

    @Test
    @Tag("H248-3")
    void duplicatesNeverReachTheHandlerTwice() {
        List<Transaction.TransactionRequest> seen = new ArrayList<>();
        CompletableFuture<Transaction.TransactionReply> answer = new CompletableFuture<>();
        TransactionEngine engine = engine(false, request -> {
            seen.add(request);
            return answer;
        });
        Transaction.TransactionRequest request = new Transaction.TransactionRequest(7, ADD);

        engine.receive(request);
        engine.receive(request); // while in progress: pending
        assertThat(sent).containsExactly(new Transaction.TransactionPending(7));

        answer.complete(reply(999));
        engine.receive(request); // after the reply: the cached reply
        engine.receive(request);

        assertThat(seen).hasSize(1);
        assertThat(sent).hasSize(4);
        Transaction.TransactionReply first = (Transaction.TransactionReply) sent.get(1);
        assertThat(first.transactionId()).isEqualTo(7);
        assertThat(first.immAckRequired()).isFalse(); // a peer with few replies kept is not asked to acknowledge at once
        assertThat(sent.get(2)).isEqualTo(first);
        assertThat(sent.get(3)).isEqualTo(first);
        assertThat(engine.statistics().duplicateRequests).isEqualTo(3);
    }

    @Test
    @Tag("H248-3")
    void slowHandlerGetsAutomaticPendings() {
        CompletableFuture<Transaction.TransactionReply> answer = new CompletableFuture<>();
        TransactionEngine engine = engine(false, request -> answer);
        engine.receive(new Transaction.TransactionRequest(8, ADD));

        clock.advance(Duration.ofMillis(1999));
        assertThat(sent).isEmpty();
        clock.advance(Duration.ofMillis(1));
        assertThat(sent).containsExactly(new Transaction.TransactionPending(8));
        clock.advance(Duration.ofSeconds(2));
        assertThat(sent).hasSize(2);

        answer.complete(reply(8));
        clock.advance(Duration.ofSeconds(10));
        assertThat(sent).hasSize(3).last().isInstanceOf(Transaction.TransactionReply.class);
    }

    @Test
    @Tag("H248-3")
    void responseAckFreesTheCacheAndExpiryDoesToo() {
        TransactionEngine engine = engine(false, request -> CompletableFuture.completedFuture(reply(request.transactionId())));
        engine.receive(new Transaction.TransactionRequest(9, ADD));
        engine.receive(new Transaction.TransactionRequest(10, ADD));
        engine.receive(new Transaction.TransactionRequest(11, ADD));
        assertThat(engine.cachedReplies()).isEqualTo(3);

        engine.receive(new Transaction.TransactionResponseAck(List.of(new Transaction.AckRange(9, 10))));
        assertThat(engine.cachedReplies()).isEqualTo(1);

        clock.advance(Duration.ofSeconds(31));
        assertThat(engine.cachedReplies()).isZero();
    }

    @Test
    @Tag("H248-3")
    void immAckRequiredRepliesAreAcknowledged() {
        TransactionEngine engine = engine(false, never());
        engine.request(ADD);
        long id = ((Transaction.TransactionRequest) sent.get(0)).transactionId();

        engine.receive(new Transaction.TransactionReply(id, true, Optional.empty(), reply(id).actions()));

        assertThat(sent).last().isEqualTo(new Transaction.TransactionResponseAck(List.of(Transaction.AckRange.of(id))));
    }

    @Test
    @Tag("H248-3")
    void aReplyThatDoesNotAskIsAcknowledgedOnTheNextMessageToThePeer() {
        TransactionEngine engine = engine(false, request -> CompletableFuture.completedFuture(reply(request.transactionId())));
        engine.request(ADD);
        engine.request(ADD);
        long first = ((Transaction.TransactionRequest) sent.get(0)).transactionId();
        long second = ((Transaction.TransactionRequest) sent.get(1)).transactionId();
        engine.receive(reply(second));
        engine.receive(reply(first));
        assertThat(messages).hasSize(2); // nothing sent for the replies themselves
        assertThat(engine.acknowledgementsDue()).isEqualTo(2);

        engine.request(ADD); // D.1.4: the acknowledgements ride on it, as one range
        assertThat(messages.getLast()).hasSize(2);
        assertThat(messages.getLast().get(0)).isEqualTo(new Transaction.TransactionResponseAck(List.of(new Transaction.AckRange(first, second))));
        assertThat(messages.getLast().get(1)).isInstanceOf(Transaction.TransactionRequest.class);

        // and on a reply of ours just as well, with the IDs not in one run given as ranges
        long third = ((Transaction.TransactionRequest) messages.getLast().get(1)).transactionId();
        engine.receive(reply(third));
        engine.receive(reply(first)); // a duplicate reply: acknowledged again (the peer may have lost the first ack)
        engine.receive(new Transaction.TransactionRequest(5, ADD));
        assertThat(messages.getLast()).containsExactly(
                new Transaction.TransactionResponseAck(List.of(Transaction.AckRange.of(first), Transaction.AckRange.of(third))), reply(5));
        assertThat(engine.acknowledgementsDue()).isZero();
        assertThat(engine.statistics().responseAcksPiggybacked).isEqualTo(2);
        clock.advance(Duration.ofSeconds(1));
        assertThat(messages).hasSize(4); // nothing alone later
    }

    @Test
    @Tag("H248-3")
    void anAcknowledgementWithNothingToRideOnGoesAloneAfterTheAckDelay() {
        TransactionEngine engine = engine(false, never());
        engine.request(ADD);
        long id = ((Transaction.TransactionRequest) sent.get(0)).transactionId();
        engine.receive(reply(id));

        clock.advance(TransactionEngine.ACK_DELAY.minusMillis(1));
        assertThat(messages).hasSize(1);
        clock.advance(Duration.ofMillis(1));
        assertThat(messages).hasSize(2).last().isEqualTo(List.of(new Transaction.TransactionResponseAck(List.of(Transaction.AckRange.of(id)))));
        clock.advance(Duration.ofSeconds(60));
        assertThat(messages).hasSize(2);
        assertThat(clock.live()).isZero();
    }

    @Test
    @Tag("H248-3")
    void manyAcknowledgementsDueGoWithoutWaiting() {
        TransactionEngine engine = engine(false, never());
        for (int i = 0; i < TransactionEngine.MAX_ACKS_DUE; i++) {
            engine.request(ADD);
        }
        for (Transaction request : List.copyOf(sent)) {
            engine.receive(reply(((Transaction.TransactionRequest) request).transactionId()));
        }
        long first = ((Transaction.TransactionRequest) sent.get(0)).transactionId();
        assertThat(messages.getLast()).containsExactly(new Transaction.TransactionResponseAck(List.of(
                new Transaction.AckRange(first, first + TransactionEngine.MAX_ACKS_DUE - 1))));
        assertThat(engine.acknowledgementsDue()).isZero();
    }

    @Test
    @Tag("H248-3")
    void aPeerThatLetsRepliesPileUpIsAskedToAcknowledgeEachFurtherOne() {
        PeerLimits limits = new PeerLimits(8, 8); // asks above 4 kept
        TransactionEngine engine = new TransactionEngine(this::send, clock, timers, limits, false,
                request -> CompletableFuture.completedFuture(reply(request.transactionId())), 100);
        for (long id = 1; id <= 6; id++) {
            engine.receive(new Transaction.TransactionRequest(id, ADD));
        }
        assertThat(sent).extracting(t -> ((Transaction.TransactionReply) t).immAckRequired()).containsExactly(false, false, false, false, true, true);
        assertThat(engine.cachedReplies()).isEqualTo(6);
        assertThat(engine.statistics().immediateAcksAsked).isEqualTo(2);

        engine.receive(new Transaction.TransactionResponseAck(List.of(new Transaction.AckRange(1, 5))));
        assertThat(engine.cachedReplies()).isEqualTo(1);
        engine.receive(new Transaction.TransactionRequest(7, ADD));
        assertThat(((Transaction.TransactionReply) sent.getLast()).immAckRequired()).isFalse();

        clock.advance(timers.longTimer()); // the kept replies expire, and the count with them
        assertThat(engine.cachedReplies()).isZero();
    }

    @Test
    @Tag("H248-3")
    void aPeerThatAcknowledgesLateThroughAStallIsNotAskedToAcknowledge() {
        TransactionEngine engine = new TransactionEngine(this::send, clock, timers, PeerLimits.DEFAULT, false,
                request -> CompletableFuture.completedFuture(reply(request.transactionId())), 100);
        // an MGC at 2,700 calls/s whose acknowledgements lag 100 ms behind (a GC pause, a burst): 800 replies kept
        for (long id = 1; id <= 800; id++) {
            engine.receive(new Transaction.TransactionRequest(id, ADD));
        }
        assertThat(engine.cachedReplies()).isEqualTo(800);
        assertThat(engine.statistics().immediateAcksAsked).isZero();
        assertThat(sent).noneMatch(t -> ((Transaction.TransactionReply) t).immAckRequired());
    }

    @Test
    @Tag("H248-3")
    void reliableTransportNeitherRetransmitsNorAsksForAcks() throws Exception {
        TransactionEngine engine = engine(true, request -> CompletableFuture.completedFuture(reply(request.transactionId())));
        CompletableFuture<Transaction.TransactionReply> future = engine.request(ADD);
        clock.advance(Duration.ofSeconds(10));
        assertThat(sent).hasSize(1);

        engine.receive(new Transaction.TransactionRequest(12, ADD));
        assertThat(((Transaction.TransactionReply) sent.get(1)).immAckRequired()).isFalse();
        assertThat(future).isNotDone();
        long id = ((Transaction.TransactionRequest) sent.get(0)).transactionId();
        engine.receive(reply(id));
        clock.advance(Duration.ofSeconds(1));
        assertThat(sent).hasSize(2); // Annex D.2: no TransactionResponseAck over TCP unless asked
    }

    @Test
    @Tag("H248-3")
    void aFailingHandlerAnswers500() {
        TransactionEngine engine = engine(true, request -> {
            throw new IllegalStateException("bug");
        });
        engine.receive(new Transaction.TransactionRequest(13, ADD));
        Transaction.TransactionReply reply = (Transaction.TransactionReply) sent.get(0);
        assertThat(reply.error().orElseThrow().code()).isEqualTo(500);
    }

    @Test
    @Tag("H248-3")
    void transportLossFailsEveryOpenRequest() {
        TransactionEngine engine = engine(true, never());
        CompletableFuture<Transaction.TransactionReply> first = engine.request(ADD);
        CompletableFuture<Transaction.TransactionReply> second = engine.request(ADD);

        engine.transportLost("TCP closed");

        assertThatReason(first, TransactionException.Reason.TRANSPORT_LOST);
        assertThatReason(second, TransactionException.Reason.TRANSPORT_LOST);
        assertThat(clock.live()).isZero();
    }

    @Test
    @Tag("H248-3")
    void tooManyPendingsEndTheRequest() {
        TransactionEngine engine = engine(false, never());
        CompletableFuture<Transaction.TransactionReply> future = engine.request(ADD);
        long id = ((Transaction.TransactionRequest) sent.get(0)).transactionId();
        for (int i = 0; i <= timers.pendingLimit(); i++) {
            engine.receive(new Transaction.TransactionPending(id));
        }
        assertThatReason(future, TransactionException.Reason.TOO_MANY_PENDINGS);
    }

    @Test
    @Tag("H248-3")
    void aPeerOverItsLimitsGets510AndTheApplicationNeverSeesTheExcess() {
        List<CompletableFuture<Transaction.TransactionReply>> answers = new ArrayList<>();
        TransactionEngine engine = new TransactionEngine(this::send, clock, timers, new PeerLimits(3, 5), false, request -> {
            CompletableFuture<Transaction.TransactionReply> answer = new CompletableFuture<>();
            answers.add(answer);
            return answer;
        }, 100);
        for (long id = 1; id <= 10; id++) {
            engine.receive(new Transaction.TransactionRequest(id, ADD));
        }
        assertThat(answers).hasSize(3);
        assertThat(sent).hasSize(7).allSatisfy(t -> assertThat(((Transaction.TransactionReply) t).error().orElseThrow().code()).isEqualTo(510));
        assertThat(engine.statistics().refusedOverLimits).isEqualTo(7);

        // answered requests free a place in progress, but their replies are kept (UDP): the total limit counts them
        answers.get(0).complete(reply(1));
        answers.get(1).complete(reply(2));
        engine.receive(new Transaction.TransactionRequest(11, ADD));
        engine.receive(new Transaction.TransactionRequest(12, ADD));
        engine.receive(new Transaction.TransactionRequest(13, ADD));
        assertThat(answers).hasSize(5);
        assertThat(((Transaction.TransactionReply) sent.getLast()).error().orElseThrow().code()).isEqualTo(510);

        // acknowledged replies leave the cache, and the peer may send again
        engine.receive(new Transaction.TransactionResponseAck(List.of(new Transaction.AckRange(1, 2))));
        engine.receive(new Transaction.TransactionRequest(14, ADD));
        assertThat(answers).hasSize(5); // still 3 in progress (3, 11, 12)
        answers.get(2).complete(reply(3));
        engine.receive(new Transaction.TransactionRequest(15, ADD));
        assertThat(answers).hasSize(6);
    }

    @Test
    @Tag("H248-3")
    void aTransactionThatOnlyReleasesPassesTheInProgressLimitButNotTheTotal() {
        List<CompletableFuture<Transaction.TransactionReply>> answers = new ArrayList<>();
        TransactionEngine engine = new TransactionEngine(this::send, clock, timers, new PeerLimits(2, 4), false, request -> {
            CompletableFuture<Transaction.TransactionReply> answer = new CompletableFuture<>();
            answers.add(answer);
            return answer;
        }, 100);
        List<ActionRequest> subtract = List.of(ActionRequest.of(ContextId.of(7), List.of(CommandRequest.of(new Command.Subtract(TerminationId.of("ip/1"), Optional.empty())))));
        List<ActionRequest> subtractAndAdd = List.of(ActionRequest.of(ContextId.of(7), List.of(CommandRequest.of(new Command.Subtract(TerminationId.of("ip/1"), Optional.empty())))),
                ActionRequest.of(ContextId.CHOOSE, List.of(CommandRequest.of(new Command.Add(TerminationId.of("ip/$"), List.of())))));
        engine.receive(new Transaction.TransactionRequest(1, ADD));
        engine.receive(new Transaction.TransactionRequest(2, ADD));
        engine.receive(new Transaction.TransactionRequest(3, ADD)); // over the in-progress limit: 510
        engine.receive(new Transaction.TransactionRequest(4, subtractAndAdd)); // not only releases: 510
        engine.receive(new Transaction.TransactionRequest(5, subtract)); // only releases: it goes on
        engine.receive(new Transaction.TransactionRequest(6, subtract));
        engine.receive(new Transaction.TransactionRequest(7, subtract)); // the total limit holds for every kind
        assertThat(answers).hasSize(4);
        assertThat(sent).extracting(t -> ((Transaction.TransactionReply) t).transactionId()).containsExactly(3L, 4L, 7L);
        assertThat(sent).allSatisfy(t -> assertThat(((Transaction.TransactionReply) t).error().orElseThrow().code()).isEqualTo(510));
    }

    @Test
    @Tag("H248-3")
    void overTcpNoReplyIsKept() {
        TransactionEngine engine = engine(true, request -> CompletableFuture.completedFuture(reply(request.transactionId())));
        for (long id = 1; id <= 100; id++) {
            engine.receive(new Transaction.TransactionRequest(id, ADD));
        }
        assertThat(engine.cachedReplies()).isZero();
        assertThat(clock.live()).isZero();
    }

    @Test
    @Tag("H248-3")
    void transactionIdsWrapAfterUint32Max() {
        TransactionEngine engine = new TransactionEngine(this::send, clock, timers, true, never(), 0xFFFF_FFFFL);
        engine.request(ADD);
        engine.request(ADD);
        assertThat(sent).extracting(t -> ((Transaction.TransactionRequest) t).transactionId()).containsExactly(0xFFFF_FFFFL, 1L);
    }

    private static void assertThatReason(CompletableFuture<?> future, TransactionException.Reason reason) {
        assertThat(future).isCompletedExceptionally();
        try {
            future.get();
        } catch (ExecutionException e) {
            assertThat(e.getCause()).isInstanceOfSatisfying(TransactionException.class, t -> assertThat(t.reason()).isEqualTo(reason));
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }
}
