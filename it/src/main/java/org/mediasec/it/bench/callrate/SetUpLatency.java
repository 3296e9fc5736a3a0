package org.mediasec.it.bench.callrate;

import java.util.Arrays;

/**
 * Percentiles of set-up latency (request sent, measured from its intended send time, to its reply), in
 * microseconds, by the nearest-rank method over every answered set-up of a step; -1 when nothing was answered.
 */
record SetUpLatency(long p50Micros, long p99Micros, long p999Micros, int samples) {

    static final SetUpLatency NONE = new SetUpLatency(-1, -1, -1, 0);

    /** From latencies in ns; negative entries (no answer) are left out. */
    static SetUpLatency of(long[] nanos) {
        long[] answered = Arrays.stream(nanos).filter(n -> n >= 0).sorted().toArray();
        if (answered.length == 0) {
            return NONE;
        }
        return new SetUpLatency(rank(answered, 0.50), rank(answered, 0.99), rank(answered, 0.999), answered.length);
    }

    /** Nearest rank: the smallest value with at least {@code p} of the samples at or below it. */
    private static long rank(long[] sorted, double p) {
        int index = (int) Math.ceil(p * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))] / 1000;
    }
}
