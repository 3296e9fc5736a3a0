package org.mediasec.it.bench.callrate;

import java.util.concurrent.CompletableFuture;

/**
 * A system under test that runs whole calls: set-up (an H.248 Add pair, an ng offer), answer (Modify with Remote,
 * an ng answer), release (Subtract, delete); one call in {@code bearerEvery} also moves media through it. Both sides
 * allocate ports and rewrite SDP per call. {@link #call} may be called from any thread and must not block: the
 * load generator's schedule depends on it.
 */
interface CallSystem extends AutoCloseable {

    /** How the system is named in the tables, e.g. "mediasec (1 loop)". */
    String name();

    /**
     * Starts call {@code number} now. Completes, once the call is over (released too), with the {@link System#nanoTime()}
     * at which its set-up request was answered; fails with a {@link CallFailure} naming what went wrong.
     */
    CompletableFuture<Long> call(long number, boolean bearer);

    /** CPU time used so far by the system's own processes (not the load generator), in nanoseconds. */
    long cpuNanos();

    /** Process ids of the system's processes, so that the machine's other load can be told apart. */
    java.util.List<Long> pids();

    /**
     * What the system still holds of the calls once they are all over, by its own account: the gateway's terminations
     * (AuditValue on every context), rtpengine's calls ({@code list}); anything but 0 is a leak.
     */
    CompletableFuture<Integer> leftOver();

    /**
     * The requests the system refused since it started, by the bound or check that refused them, by its own account
     * (mediasec's {@code mediasec_ng_refusals_total}), and other counts it keeps that explain a failing step (mediasec:
     * the ng retransmissions it received and its H.248 transactions that the transport cost); empty when it does not say. Read between steps, so that a
     * failing step shows which check ended it. Blocks briefly: not on the schedule's thread during a step.
     */
    default java.util.Map<String, Long> refusals() {
        return java.util.Map.of();
    }

    /** What else the system says about the run (events it reported, its log), for the round's summary. */
    String notes();

    @Override
    void close();
}
