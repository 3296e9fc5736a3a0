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
    private final List<Transaction> sent = new ArrayList<>();
    private final TransactionTimers timers = TransactionTimers.DEFAULT;

    private static final List<ActionRequest> ADD = List.of(ActionRequest.of(ContextId.CHOOSE,
            List.of(CommandRequest.of(new Command.Add(TerminationId.of("ip/$"), List.of())))));

    private static Transaction.TransactionReply reply(long id) {
        return Transaction.TransactionReply.of(id, List.of(ActionReply.of(ContextId.of(1),
                List.of(new CommandReply.AddReply(TerminationId.of("ip/1"), List.of())))));
    }

    private TransactionEngine engine(boolean reliable, RequestHandler handler) {
        return new TransactionEngine(sent::add, clock, timers, reliable, handler, 100);
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
        assertThat(sent).hasSize(1);
        assertThat(clock.live()).isZero();
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
        assertThat(first.immAckRequired()).isTrue(); // UDP: the responder asks for the ack that frees its cache
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
    void reliableTransportNeitherRetransmitsNorAsksForAcks() throws Exception {
        TransactionEngine engine = engine(true, request -> CompletableFuture.completedFuture(reply(request.transactionId())));
        CompletableFuture<Transaction.TransactionReply> future = engine.request(ADD);
        clock.advance(Duration.ofSeconds(10));
        assertThat(sent).hasSize(1);

        engine.receive(new Transaction.TransactionRequest(12, ADD));
        assertThat(((Transaction.TransactionReply) sent.get(1)).immAckRequired()).isFalse();
        assertThat(future).isNotDone();
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
        TransactionEngine engine = new TransactionEngine(sent::add, clock, timers, new PeerLimits(3, 5), false, request -> {
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
        TransactionEngine engine = new TransactionEngine(sent::add, clock, timers, true, never(), 0xFFFF_FFFFL);
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
