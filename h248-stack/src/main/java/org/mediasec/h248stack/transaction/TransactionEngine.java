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
import org.mediasec.h248.message.Command;
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
 *       the retransmission timer to {@code maxRetransmission}. The timer is adaptive, as D.1.3 asks: the round trip
 *       is estimated from the replies to requests sent once (Karn's rule: a retransmitted request's reply cannot be
 *       told from which sending it answers) as TCP does (RFC 6298: smoothed round trip plus four times its
 *       variation), never below {@code initialRetransmission} nor above {@code maxRetransmission}. A peer that
 *       answers in milliseconds keeps the initial timer; a peer whose queue holds requests for hundreds of
 *       milliseconds is not sent duplicates it would only have to read and answer again. A TransactionPending stops retransmission and
 *       restarts LONG-TIMER; no reply within LONG-TIMER fails the request with {@link TransactionException}. Over an
 *       unreliable transport every reply is acknowledged with TransactionResponseAck: at once when it asks for that
 *       ({@code ImmAckRequired}), otherwise piggy-backed on the next message to the peer (D.1.4) or, when none follows
 *       within {@link #ACK_DELAY}, in a message of its own; the acknowledgements due travel together as ranges.</li>
 *   <li>Responder (8.2.2, D.1.2): a duplicate of a request still being worked on gets a TransactionPending, a
 *       duplicate of an answered one gets the cached reply, the handler never sees either. When the handler takes
 *       longer than {@code provisionalResponse}, TransactionPending is sent (up to {@code pendingLimit} times).
 *       Replies are kept for LONG-TIMER, or until the peer acknowledges them. A peer that acknowledges unasked (as
 *       this engine does) is not asked to; once a peer has more than {@link #askAckAbove} replies kept, each further
 *       reply asks for its acknowledgement ({@code ImmAckRequired}), so a peer that only acknowledges when asked
 *       holds a bounded cache, not LONG-TIMER's worth of replies.</li>
 * </ul>
 *
 * Not thread-safe: every call, timer and handler completion must run on one thread (the endpoint's event loop).
 * Segmentation (v3) is not used: every message fits one PDU.
 */
@Implements("H248-3")
public final class TransactionEngine {

    /**
     * How long an acknowledgement waits for a message to the peer to ride on (D.1.4) before it goes alone: far below
     * the peer's LONG-TIMER (it frees the peer's cache, it does not stop retransmissions), long enough that a busy
     * association sends almost none alone.
     */
    public static final Duration ACK_DELAY = Duration.ofMillis(20);
    /** Acknowledgements due at which they are sent without waiting (one message stays small). */
    static final int MAX_ACKS_DUE = 64;

    private final Consumer<List<Transaction>> sink;
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
    /** Replies of the peer's we have not acknowledged yet (unreliable transport only), in arrival order. */
    private long[] acksDue = new long[8];
    private int acksDueCount;
    private Scheduler.Timer ackFlush;
    /** Replies kept for duplicates (unreliable transport only). */
    private int repliesKept;
    private final int askAckAbove;
    /** RFC 6298 (2.2, 2.3): the smoothed round trip and its variation, in nanoseconds; no estimate while negative. */
    private long smoothedRtt = -1;
    private long rttVariation;

    /**
     * @param sink sends one message to the peer: the transactions it carries, in order
     * @param reliable true over TCP (no retransmission, no acknowledgement requests)
     * @param firstTransactionId where this engine starts numbering its requests
     */
    public TransactionEngine(Consumer<List<Transaction>> sink, Scheduler scheduler, TransactionTimers timers, boolean reliable,
            RequestHandler handler, long firstTransactionId) {
        this(sink, scheduler, timers, PeerLimits.DEFAULT, reliable, handler, firstTransactionId);
    }

    /** @param limits what this peer may hold of our resources (requests in progress, replies kept) */
    public TransactionEngine(Consumer<List<Transaction>> sink, Scheduler scheduler, TransactionTimers timers, PeerLimits limits, boolean reliable,
            RequestHandler handler, long firstTransactionId) {
        this.limits = limits;
        this.askAckAbove = askAckAbove(limits);
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
        /** Messages that carried a TransactionResponseAck of ours, and how many of them carried another transaction too. */
        public long responseAcksSent;
        public long responseAcksPiggybacked;
        /** Our replies that asked the peer for an immediate acknowledgement. */
        public long immediateAcksAsked;
    }

    /**
     * The most replies kept for a peer before our replies ask for their acknowledgement: half a second of replies at
     * 8,000 a second (2,700 calls/s through an MGC, three transactions each). A peer that acknowledges unasked, within
     * {@link #ACK_DELAY} or on its next message, holds the replies of its last tens of milliseconds, and more through
     * a stall of its own (a GC pause of 30 ms: 240 more). 256 was met that way in the ng call-rate benchmark: the
     * first replies ever to ask for an acknowledgement deoptimised the code that writes and reads them in both
     * processes at once, at the moment of the stall (docs/performance.md, issue 23). A peer that acknowledges only
     * when asked holds at most this many plus those asked for, some 4 MB.
     */
    static final int MAX_ASK_ACK_ABOVE = 4_096;

    /** Replies kept for a peer above which our replies ask for their acknowledgement: half the room it has for them, at most {@link #MAX_ASK_ACK_ABOVE}. */
    static int askAckAbove(PeerLimits limits) {
        return Math.max(1, Math.min(MAX_ASK_ACK_ABOVE, limits.maxTransactionsKept() / 2));
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
     * being worked on or has its reply kept for duplicates (so a retransmission can never run a request twice), and
     * no acknowledgement is owed to the peer.
     */
    public boolean isQuiet() {
        return outgoing.isEmpty() && incoming.isEmpty() && acksDueCount == 0;
    }

    /** Replies kept for duplicates. */
    public int cachedReplies() {
        return repliesKept;
    }

    /** Our replies' acknowledgements not sent yet. */
    public int acknowledgementsDue() {
        return acksDueCount;
    }

    // ---- one message to the peer ----------------------------------------------------------------------------

    /** Sends {@code transaction}, with the acknowledgements due riding on it (H.248.1 D.1.4). */
    private void send(Transaction transaction) {
        if (acksDueCount == 0) {
            sink.accept(List.of(transaction));
            return;
        }
        statistics.responseAcksPiggybacked++;
        sink.accept(List.of(takeAcksDue(), transaction));
    }

    private void acknowledgeLater(long transactionId) {
        if (acksDueCount == acksDue.length) {
            acksDue = java.util.Arrays.copyOf(acksDue, acksDue.length * 2);
        }
        acksDue[acksDueCount++] = transactionId;
        if (acksDueCount >= MAX_ACKS_DUE) {
            flushAcks();
        } else if (ackFlush == null) {
            ackFlush = scheduler.schedule(ACK_DELAY, () -> {
                ackFlush = null;
                flushAcks();
            });
        }
    }

    private void flushAcks() {
        if (acksDueCount > 0) {
            sink.accept(List.of(takeAcksDue()));
        }
    }

    /** The acknowledgements due as one TransactionResponseAck of ranges; none are due afterwards. */
    private Transaction.TransactionResponseAck takeAcksDue() {
        if (ackFlush != null) {
            ackFlush.cancel();
            ackFlush = null;
        }
        long[] ids = java.util.Arrays.copyOf(acksDue, acksDueCount);
        acksDueCount = 0;
        java.util.Arrays.sort(ids);
        List<Transaction.AckRange> ranges = new ArrayList<>(2);
        long first = ids[0];
        long last = first;
        for (int i = 1; i < ids.length; i++) {
            if (ids[i] > last + 1) {
                ranges.add(new Transaction.AckRange(first, last));
                first = ids[i];
            }
            last = ids[i];
        }
        ranges.add(new Transaction.AckRange(first, last));
        statistics.responseAcksSent++;
        return new Transaction.TransactionResponseAck(ranges);
    }

    // ---- requester ------------------------------------------------------------------------------------------

    /** Sends a request; the future completes with the peer's reply, or fails with {@link TransactionException}. */
    public CompletableFuture<Transaction.TransactionReply> request(List<ActionRequest> actions) {
        long id = nextTransactionId;
        nextTransactionId = nextTransactionId == 0xFFFF_FFFFL ? 1 : nextTransactionId + 1;
        Outgoing transaction = new Outgoing(new Transaction.TransactionRequest(id, actions));
        outgoing.put(id, transaction);
        statistics.requestsSent++;
        send(transaction.request);
        transaction.deadline = scheduler.schedule(timers.longTimer(), () -> fail(id, TransactionException.Reason.TIMEOUT, "no reply within LONG-TIMER"));
        if (!reliable) {
            transaction.retransmit(retransmissionTimer());
        }
        return transaction.future;
    }

    /** D.1.3: the first retransmission's delay, from the round trips measured (RFC 6298 2.3, with K = 4). */
    Duration retransmissionTimer() {
        if (smoothedRtt < 0) {
            return timers.initialRetransmission();
        }
        long timer = smoothedRtt + 4 * rttVariation;
        return Duration.ofNanos(Math.clamp(timer, timers.initialRetransmission().toNanos(), timers.maxRetransmission().toNanos()));
    }

    /** One round trip measured (RFC 6298 2.2 and 2.3: gains 1/8 and 1/4). */
    private void measured(long rtt) {
        if (smoothedRtt < 0) {
            smoothedRtt = rtt;
            rttVariation = rtt / 2;
        } else {
            rttVariation = (3 * rttVariation + Math.abs(smoothedRtt - rtt)) / 4;
            smoothedRtt = (7 * smoothedRtt + rtt) / 8;
        }
    }

    private final class Outgoing {
        final Transaction.TransactionRequest request;
        final CompletableFuture<Transaction.TransactionReply> future = new CompletableFuture<>();
        final long sentAt = scheduler.nanoTime();
        /** Whether it was sent more than once (its reply then says nothing of the round trip: Karn's rule). */
        boolean resent;
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
                resent = true;
                send(request);
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
        repliesKept = 0;
        inProgress = 0;
        acksDueCount = 0;
        if (ackFlush != null) {
            ackFlush.cancel();
            ackFlush = null;
        }
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
        // acknowledge even a reply we no longer wait for: the peer holds it in its cache until then
        if (reply.immAckRequired()) {
            acknowledgeLater(reply.transactionId());
            flushAcks(); // asked for at once (8.2.3): with any others due, in one message
        } else if (!reliable) {
            acknowledgeLater(reply.transactionId()); // D.1.4: on the next message to the peer, or alone after ACK_DELAY
        }
        if (transaction == null) {
            statistics.unknownReplies++;
            return;
        }
        transaction.stopTimers();
        if (!reliable && !transaction.resent && transaction.pendings == 0) {
            measured(scheduler.nanoTime() - transaction.sentAt);
        }
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
                    send(new Transaction.TransactionPending(id));
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
                send(new Transaction.TransactionPending(id));
            } else {
                send(entry.reply);
            }
            return;
        }
        // a transaction that only releases (Subtracts) is not held back by the in-progress limit: refusing it under
        // overload would leave its contexts with the MG while the MGC moves on, and keep the overload going
        if ((inProgress >= limits.maxRequestsInProgress() && !onlyReleases(request)) || incoming.size() >= limits.maxTransactionsKept()) {
            statistics.refusedOverLimits++;
            send(Transaction.TransactionReply.error(id, ErrorDescriptor.of(ErrorCode.INSUFFICIENT_RESOURCES,
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

    private static boolean onlyReleases(Transaction.TransactionRequest request) {
        return !request.actions().isEmpty() && request.actions().stream().allMatch(action -> !action.commands().isEmpty()
                && action.commands().stream().allMatch(command -> command.command() instanceof Command.Subtract));
    }

    private void answered(Incoming entry, Transaction.TransactionReply reply, Throwable failure) {
        if (incoming.get(entry.id) != entry) {
            return; // transport lost meanwhile
        }
        inProgress--;
        // over UDP the reply is kept until acknowledged; ask for that only of a peer that lets replies pile up
        boolean askAck = !reliable && repliesKept >= askAckAbove;
        if (askAck) {
            statistics.immediateAcksAsked++;
        }
        Transaction.TransactionReply answer;
        if (failure != null || reply == null) {
            answer = new Transaction.TransactionReply(entry.id, askAck,
                    java.util.Optional.of(ErrorDescriptor.of(ErrorCode.INTERNAL_SOFTWARE_FAILURE)), List.of());
        } else {
            answer = new Transaction.TransactionReply(entry.id, askAck || reply.immAckRequired(), reply.error(), reply.actions());
        }
        entry.stopTimers();
        if (reliable) {
            // Annex D.2: over TCP nothing is retransmitted, so no duplicate can come; keep nothing
            incoming.remove(entry.id, entry);
        } else {
            entry.reply = answer;
            repliesKept++;
            entry.expiry = scheduler.schedule(timers.longTimer(), () -> {
                if (incoming.remove(entry.id, entry)) {
                    repliesKept--;
                }
            });
        }
        send(answer);
    }

    private void onResponseAck(Transaction.TransactionResponseAck ack) {
        for (Transaction.AckRange range : ack.acknowledged()) {
            if (range.last() - range.first() > incoming.size()) {
                for (Iterator<Map.Entry<Long, Incoming>> it = incoming.entrySet().iterator(); it.hasNext(); ) {
                    Map.Entry<Long, Incoming> entry = it.next();
                    if (entry.getKey() >= range.first() && entry.getKey() <= range.last() && entry.getValue().reply != null) {
                        entry.getValue().stopTimers();
                        it.remove();
                        repliesKept--;
                    }
                }
            } else {
                for (long id = range.first(); id <= range.last(); id++) {
                    Incoming entry = incoming.get(id);
                    if (entry != null && entry.reply != null) {
                        entry.stopTimers();
                        incoming.remove(id);
                        repliesKept--;
                    }
                }
            }
        }
    }
}
