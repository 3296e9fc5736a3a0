package org.mediasec.h248stack.transaction;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import org.mediasec.h248.ErrorCode;
import org.mediasec.h248.message.ActionRequest;
import org.mediasec.h248.message.ErrorDescriptor;
import org.mediasec.h248.message.Transaction;
import org.mediasec.traceability.Implements;

/**
 * The transaction layer of one association with one peer (H.248.1 8.2, Annex D), for either role: it sends
 * requests and completes them with the peer's reply, and it hands the peer's requests to a {@link RequestHandler}
 * exactly once.
 *
 * <ul>
 *   <li>Requester (8.2.1, D.1.3): over an unreliable transport it retransmits with exponential back-off from
 *       {@code initialRetransmission} to {@code maxRetransmission}; a TransactionPending stops retransmission and
 *       restarts LONG-TIMER; no reply within LONG-TIMER fails the request with {@link TransactionException}. A reply
 *       that asks for it ({@code ImmAckRequired}) is acknowledged with TransactionResponseAck.</li>
 *   <li>Responder (8.2.2, D.1.2): a duplicate of a request still being worked on gets a TransactionPending, a
 *       duplicate of an answered one gets the cached reply, the handler never sees either. When the handler takes
 *       longer than {@code provisionalResponse}, TransactionPending is sent (up to {@code pendingLimit} times).
 *       Replies are kept for LONG-TIMER, or until the peer acknowledges them; over an unreliable transport the reply
 *       asks for that acknowledgement ({@code ImmAckRequired}).</li>
 * </ul>
 *
 * Not thread-safe: every call, timer and handler completion must run on one thread (the endpoint's event loop).
 * Segmentation (v3) is not used: every message fits one PDU.
 */
@Implements("H248-3")
public final class TransactionEngine {

    private final Consumer<Transaction> sink;
    private final Scheduler scheduler;
    private final TransactionTimers timers;
    private final boolean reliable;
    private final RequestHandler handler;
    private final PeerLimits limits;
    private int inProgress;
    private final Map<Long, Outgoing> outgoing = new HashMap<>();
    private final Map<Long, Incoming> incoming = new HashMap<>();
    private long nextTransactionId;
    private final Statistics statistics = new Statistics();

    /**
     * @param sink sends one transaction to the peer (the endpoint wraps it in a message)
     * @param reliable true over TCP (no retransmission, no acknowledgement requests)
     * @param firstTransactionId where this engine starts numbering its requests
     */
    public TransactionEngine(Consumer<Transaction> sink, Scheduler scheduler, TransactionTimers timers, boolean reliable,
            RequestHandler handler, long firstTransactionId) {
        this(sink, scheduler, timers, PeerLimits.DEFAULT, reliable, handler, firstTransactionId);
    }

    /** @param limits what this peer may hold of our resources (requests in progress, replies kept) */
    public TransactionEngine(Consumer<Transaction> sink, Scheduler scheduler, TransactionTimers timers, PeerLimits limits, boolean reliable,
            RequestHandler handler, long firstTransactionId) {
        this.limits = limits;
        this.sink = sink;
        this.scheduler = scheduler;
        this.timers = timers;
        this.reliable = reliable;
        this.handler = handler;
        this.nextTransactionId = Math.max(1, firstTransactionId & 0xFFFF_FFFFL);
    }

    /** Counters an operator (and the tests) can read. */
    public static final class Statistics {
        public long requestsSent;
        public long retransmissions;
        public long duplicateRequests;
        public long pendingsSent;
        public long pendingsReceived;
        public long unknownReplies;
        public long timeouts;
        /** Requests answered with 510 because the peer was over its {@link PeerLimits}. */
        public long refusedOverLimits;
    }

    public Statistics statistics() {
        return statistics;
    }

    /** Requests that still await their reply. */
    public int outstanding() {
        return outgoing.size();
    }

    /**
     * Whether forgetting this engine breaks nothing: no request of ours awaits its reply, no request of the peer is
     * being worked on or has its reply kept for duplicates (so a retransmission can never run a request twice).
     */
    public boolean isQuiet() {
        return outgoing.isEmpty() && incoming.isEmpty();
    }

    /** Replies kept for duplicates. */
    public int cachedReplies() {
        return (int) incoming.values().stream().filter(entry -> entry.reply != null).count();
    }

    // ---- requester ------------------------------------------------------------------------------------------

    /** Sends a request; the future completes with the peer's reply, or fails with {@link TransactionException}. */
    public CompletableFuture<Transaction.TransactionReply> request(List<ActionRequest> actions) {
        long id = nextTransactionId;
        nextTransactionId = nextTransactionId == 0xFFFF_FFFFL ? 1 : nextTransactionId + 1;
        Outgoing transaction = new Outgoing(new Transaction.TransactionRequest(id, actions));
        outgoing.put(id, transaction);
        statistics.requestsSent++;
        sink.accept(transaction.request);
        transaction.deadline = scheduler.schedule(timers.longTimer(), () -> fail(id, TransactionException.Reason.TIMEOUT, "no reply within LONG-TIMER"));
        if (!reliable) {
            transaction.retransmit(timers.initialRetransmission());
        }
        return transaction.future;
    }

    private final class Outgoing {
        final Transaction.TransactionRequest request;
        final CompletableFuture<Transaction.TransactionReply> future = new CompletableFuture<>();
        Scheduler.Timer retransmission;
        Scheduler.Timer deadline;
        int pendings;

        Outgoing(Transaction.TransactionRequest request) {
            this.request = request;
        }

        void retransmit(Duration delay) {
            retransmission = scheduler.schedule(delay, () -> {
                if (outgoing.get(request.transactionId()) != this) {
                    return;
                }
                statistics.retransmissions++;
                sink.accept(request);
                Duration next = delay.multipliedBy(2);
                retransmit(next.compareTo(timers.maxRetransmission()) > 0 ? timers.maxRetransmission() : next);
            });
        }

        void stopTimers() {
            if (retransmission != null) {
                retransmission.cancel();
            }
            if (deadline != null) {
                deadline.cancel();
            }
        }
    }

    private void fail(long id, TransactionException.Reason reason, String detail) {
        Outgoing transaction = outgoing.remove(id);
        if (transaction != null) {
            transaction.stopTimers();
            if (reason == TransactionException.Reason.TIMEOUT) {
                statistics.timeouts++;
            }
            transaction.future.completeExceptionally(new TransactionException(reason, id, detail));
        }
    }

    /** The transport to the peer is gone: every open request fails, every cached reply is dropped. */
    public void transportLost(String detail) {
        for (Long id : new ArrayList<>(outgoing.keySet())) {
            fail(id, TransactionException.Reason.TRANSPORT_LOST, detail);
        }
        incoming.values().forEach(Incoming::stopTimers);
        incoming.clear();
        inProgress = 0;
    }

    // ---- everything the peer sends --------------------------------------------------------------------------

    /** One transaction received from the peer. */
    public void receive(Transaction transaction) {
        switch (transaction) {
            case Transaction.TransactionRequest request -> onRequest(request);
            case Transaction.TransactionReply reply -> onReply(reply);
            case Transaction.TransactionPending pending -> onPending(pending);
            case Transaction.TransactionResponseAck ack -> onResponseAck(ack);
        }
    }

    private void onReply(Transaction.TransactionReply reply) {
        Outgoing transaction = outgoing.remove(reply.transactionId());
        if (reply.immAckRequired()) {
            // acknowledge even a reply we no longer wait for: the peer holds it in its cache until then
            sink.accept(new Transaction.TransactionResponseAck(List.of(Transaction.AckRange.of(reply.transactionId()))));
        }
        if (transaction == null) {
            statistics.unknownReplies++;
            return;
        }
        transaction.stopTimers();
        transaction.future.complete(reply);
    }

    private void onPending(Transaction.TransactionPending pending) {
        Outgoing transaction = outgoing.get(pending.transactionId());
        statistics.pendingsReceived++;
        if (transaction == null) {
            return;
        }
        if (++transaction.pendings > timers.pendingLimit()) {
            fail(pending.transactionId(), TransactionException.Reason.TOO_MANY_PENDINGS, transaction.pendings + " pendings");
            return;
        }
        // H.248.1 8.2.3: the peer works on it; stop retransmitting, wait LONG-TIMER again for the final reply
        transaction.stopTimers();
        long id = pending.transactionId();
        transaction.deadline = scheduler.schedule(timers.longTimer(), () -> fail(id, TransactionException.Reason.TIMEOUT, "no reply within LONG-TIMER after pending"));
    }

    // ---- responder ------------------------------------------------------------------------------------------

    private final class Incoming {
        final long id;
        Transaction.TransactionReply reply;
        Scheduler.Timer provisional;
        Scheduler.Timer expiry;
        int pendings;

        Incoming(long id) {
            this.id = id;
        }

        void stopTimers() {
            if (provisional != null) {
                provisional.cancel();
            }
            if (expiry != null) {
                expiry.cancel();
            }
        }

        void armProvisional() {
            provisional = scheduler.schedule(timers.provisionalResponse(), () -> {
                if (reply == null && incoming.get(id) == this && pendings < timers.pendingLimit()) {
                    pendings++;
                    statistics.pendingsSent++;
                    sink.accept(new Transaction.TransactionPending(id));
                    armProvisional();
                }
            });
        }
    }

    private void onRequest(Transaction.TransactionRequest request) {
        long id = request.transactionId();
        Incoming entry = incoming.get(id);
        if (entry != null) {
            statistics.duplicateRequests++;
            if (entry.reply == null) {
                statistics.pendingsSent++;
                sink.accept(new Transaction.TransactionPending(id));
            } else {
                sink.accept(entry.reply);
            }
            return;
        }
        if (inProgress >= limits.maxRequestsInProgress() || incoming.size() >= limits.maxTransactionsKept()) {
            statistics.refusedOverLimits++;
            sink.accept(Transaction.TransactionReply.error(id, ErrorDescriptor.of(ErrorCode.INSUFFICIENT_RESOURCES,
                    "too many transactions from this peer: " + inProgress + " in progress, " + incoming.size() + " kept")));
            return;
        }
        Incoming fresh = new Incoming(id);
        incoming.put(id, fresh);
        inProgress++;
        fresh.armProvisional();
        CompletionStage<Transaction.TransactionReply> answer;
        try {
            answer = handler.onTransactionRequest(request);
        } catch (RuntimeException e) {
            answer = CompletableFuture.failedFuture(e);
        }
        // the handler may complete on a thread of its own (the gateway's contexts run on the bearer's loops)
        answer.whenComplete((reply, failure) -> scheduler.execute(() -> answered(fresh, reply, failure)));
    }

    private void answered(Incoming entry, Transaction.TransactionReply reply, Throwable failure) {
        if (incoming.get(entry.id) != entry) {
            return; // transport lost meanwhile
        }
        inProgress--;
        Transaction.TransactionReply answer;
        if (failure != null || reply == null) {
            answer = new Transaction.TransactionReply(entry.id, !reliable,
                    java.util.Optional.of(ErrorDescriptor.of(ErrorCode.INTERNAL_SOFTWARE_FAILURE)), List.of());
        } else {
            answer = new Transaction.TransactionReply(entry.id, !reliable || reply.immAckRequired(), reply.error(), reply.actions());
        }
        entry.stopTimers();
        if (reliable) {
            // Annex D.2: over TCP nothing is retransmitted, so no duplicate can come; keep nothing
            incoming.remove(entry.id, entry);
        } else {
            entry.reply = answer;
            entry.expiry = scheduler.schedule(timers.longTimer(), () -> incoming.remove(entry.id, entry));
        }
        sink.accept(answer);
    }

    private void onResponseAck(Transaction.TransactionResponseAck ack) {
        for (Transaction.AckRange range : ack.acknowledged()) {
            if (range.last() - range.first() > incoming.size()) {
                for (Iterator<Map.Entry<Long, Incoming>> it = incoming.entrySet().iterator(); it.hasNext(); ) {
                    Map.Entry<Long, Incoming> entry = it.next();
                    if (entry.getKey() >= range.first() && entry.getKey() <= range.last() && entry.getValue().reply != null) {
                        entry.getValue().stopTimers();
                        it.remove();
                    }
                }
            } else {
                for (long id = range.first(); id <= range.last(); id++) {
                    Incoming entry = incoming.get(id);
                    if (entry != null && entry.reply != null) {
                        entry.stopTimers();
                        incoming.remove(id);
                    }
                }
            }
        }
    }
}
