package org.mediasec.controller.ng;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * When the ng endpoint is overloaded, so that it refuses new calls before it must refuse everything (NG-1): a
 * degradation instead of a collapse. Two signals, both cheap, both read before the hard in-flight bounds are met:
 * <ul>
 *   <li><b>requests in flight</b> at or above {@link NgEndpointConfig#softInFlight()}: a queue behind the gateway or
 *       the controller's loop, seen by its length;</li>
 *   <li><b>a standing delay</b>: every offer and answer handled for at least an {@link #interval interval} (twice the
 *       target, one at least every interval) took longer than {@link NgEndpointConfig#overloadDelay()} (CoDel's rule, RFC 8289, on the time
 *       from a request's admission to its reply: one quick exchange ends it, one slow exchange alone, an H.248
 *       retransmission after a lost datagram, does not start it). A queue seen by its age: at a low call rate it stands long before it is long.
 *       Once it has stood, it stands again after {@link #MIN_INTERVAL} for {@link #MEMORY_INTERVALS} intervals
 *       (CoDel's memory of a recent drop state). The signal lapses when no offer or answer has been handled for an interval (all that arrives is being
 *       refused): the next one admitted measures again.</li>
 * </ul>
 * And a third, for each request: <b>its own wait</b> from its receipt (the endpoint reads every datagram that waits
 * and stamps it, {@code NgEndpoint.READS_PER_TURN}) to the dispatcher, at or above twice the target. That is a queue
 * in front of the loop, which neither of the others sees until it is too late: far above capacity the loop's own
 * CPU, not the gateway, is what is short, few requests are in flight, and offers waited unseen in the kernel's
 * receive buffer past the proxy's timer. The bound is twice the target, so that a transient is ridden out.
 *
 * <p>Thread rule: the endpoint's event loop only (the dispatcher's); the clock is injected so the rule is tested
 * without sleeping.
 */
final class NgOverload {

    /** A check that makes the endpoint refuse new calls; its label names it in the metrics. */
    enum Cause {
        /** Requests in flight at or above the soft bound. */
        SOFT_BOUND("soft bound"),
        /** A standing handling delay. */
        STANDING_DELAY("handling delay"),
        /** The request's own wait before it was read. */
        WAITED("waited");

        private final String label;

        Cause(String label) {
            this.label = label;
        }

        String label() {
            return label;
        }

        int bit() {
            return 1 << ordinal();
        }

        boolean in(int causes) {
            return (causes & bit()) != 0;
        }
    }

    /** How long the delay must stand, at least: CoDel's default interval (RFC 8289). */
    static final Duration MIN_INTERVAL = Duration.ofMillis(100);

    /**
     * How long the delay must stand, in targets: twice the target (400 ms by default). A queue that drains within that
     * is a transient, not overload: at the benchmark's step changes (JIT, GC and heap adapting to twice the rate) the
     * set-up p99 rose to 340-380 ms for a few hundred ms and fell back; with CoDel's 100 ms the rule refused 2.7 % of
     * such a step's calls (538 and 578 in the two rounds of 5 December 18:01 UTC, counted by check), calls the
     * proxy's 1 s timer would have waited for. Real overload is met sooner by the other two checks: the soft bound
     * (a queue behind the gateway, about 250 ms at 2,750 calls/s) and a request's own wait (a queue in front of the loop).
     */
    static final int INTERVAL_FACTOR = 2;

    /**
     * How long after a standing delay ended it counts as recent, in intervals (CoDel's 16, RFC 8289 5.5): a delay that
     * stands again within it need stand only {@link #MIN_INTERVAL}. Without it, just above capacity the endpoint
     * swung between admitting every call for the whole interval and refusing every one: the queue grew to a second
     * before each refusal began (5 December 18:53 UTC, 2,750 offered: 1,678 calls/s completed, p99 1.05 s).
     */
    static final int MEMORY_INTERVALS = 16;

    /** The interval for a target: {@link #INTERVAL_FACTOR} targets, {@link #MIN_INTERVAL} at least. */
    static Duration interval(Duration target) {
        Duration interval = target.multipliedBy(INTERVAL_FACTOR);
        return interval.compareTo(MIN_INTERVAL) < 0 ? MIN_INTERVAL : interval;
    }

    /** How many times the target a request may wait read before it may not start a call (400 ms by default). */
    static final int WAIT_FACTOR = 2;

    private final int softInFlight;
    private final long targetNanos;
    private final long intervalNanos;
    private final LongSupplier clock;
    /** Whether the last exchanges took longer than the target, with no quicker one since the first of them. */
    private boolean above;
    /** When that first one was handled, plus the interval: from then on the delay stands. */
    private long standingFrom;
    private boolean standing;
    private long lastSampleAt;
    /** Whether the delay has stood before, and when it last stopped standing. */
    private boolean stood;
    private long stoodUntil;

    NgOverload(int softInFlight, Duration target, Duration interval, LongSupplier clock) {
        this.softInFlight = softInFlight;
        this.targetNanos = target.toNanos();
        this.intervalNanos = interval.toNanos();
        this.clock = clock;
    }

    NgOverload(NgEndpointConfig config) {
        this(config.softInFlight(), config.overloadDelay(), interval(config.overloadDelay()), System::nanoTime);
    }

    /** An offer or answer was handled (not refused): it took {@code handlingNanos} from its admission to its reply. */
    void handled(long handlingNanos) {
        long now = clock.getAsLong();
        boolean gap = now - lastSampleAt >= intervalNanos; // slow exchanges far apart are no queue
        lastSampleAt = now;
        if (handlingNanos <= targetNanos) {
            above = false;
            stopStanding(now);
        } else if (!above || gap) {
            above = true;
            standingFrom = now + (recentlyStood(now) ? Math.min(intervalNanos, MIN_INTERVAL.toNanos()) : intervalNanos);
        } else if (now - standingFrom >= 0) {
            standing = true;
        }
    }

    private void stopStanding(long now) {
        if (standing) {
            standing = false;
            stood = true;
            stoodUntil = now;
        }
    }

    /** Whether the delay stopped standing within {@link #MEMORY_INTERVALS} intervals of {@code now}. */
    private boolean recentlyStood(long now) {
        return stood && now - stoodUntil < MEMORY_INTERVALS * intervalNanos;
    }

    /** Whether new calls are refused now, with {@code inFlight} requests being handled. */
    boolean overloaded(int inFlight) {
        return inFlight >= softInFlight || delayStands();
    }

    /**
     * Whether a request that waited {@code waitedNanos} from its receipt to being read by the dispatcher may not start
     * a new call, with {@code inFlight} requests being handled: as {@link #overloaded(int)}, or when it waited
     * {@link #WAIT_FACTOR} times the target delay already: a queue in front of the loop, which no reply time shows
     * (far above capacity the offers waited there past the proxy's retransmission timer, 0.5-1 s). Not at the target
     * itself: a stall of 200-300 ms that the system rides out (run 1 of 5 December 16:48 UTC refused 2.5 % of the
     * calls at 2,000 calls/s with the target) is not refused.
     */
    boolean overloaded(int inFlight, long waitedNanos) {
        return causes(inFlight, waitedNanos) != 0;
    }

    /**
     * The checks that hold for a request that waited {@code waitedNanos}, with {@code inFlight} requests being handled,
     * one {@link Cause#bit()} each; 0 when it may start a call. Every check is read, not the first that holds, so that
     * the counts say which check refuses (a bit set, not a set object: this runs for every request).
     */
    int causes(int inFlight, long waitedNanos) {
        int causes = 0;
        if (inFlight >= softInFlight) {
            causes |= Cause.SOFT_BOUND.bit();
        }
        if (delayStands()) {
            causes |= Cause.STANDING_DELAY.bit();
        }
        if (waitedTooLong(waitedNanos)) {
            causes |= Cause.WAITED.bit();
        }
        return causes;
    }

    boolean waitedTooLong(long waitedNanos) {
        return waitedNanos >= WAIT_FACTOR * targetNanos;
    }

    /** Whether the handling time stands above the target (and an offer or answer was handled within the interval). */
    boolean delayStands() {
        long now = clock.getAsLong();
        if (standing && now - lastSampleAt >= intervalNanos) {
            stopStanding(now); // nothing handled for an interval: the next admitted exchange measures again
            above = false;
        }
        return standing;
    }
}
