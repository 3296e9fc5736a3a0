package org.mediasec.h248stack.transport;

import java.util.function.LongSupplier;

/**
 * A token bucket: at most {@code perSecond} permits in a burst, refilled at {@code perSecond} a second. Used to bound
 * the replies an endpoint sends to sources it does not know (SEC-1: no reflector). Holds two numbers whatever the
 * number of sources. Not thread-safe: one thread (the endpoint's event loop) calls it.
 */
final class RateLimiter {

    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final int perSecond;
    private final LongSupplier nanoClock;
    private double tokens;
    private long refilledAt;

    RateLimiter(int perSecond, LongSupplier nanoClock) {
        this.perSecond = perSecond;
        this.nanoClock = nanoClock;
        this.tokens = perSecond;
        this.refilledAt = nanoClock.getAsLong();
    }

    /** Takes one permit if there is one. */
    boolean tryAcquire() {
        long now = nanoClock.getAsLong();
        tokens = Math.min(perSecond, tokens + (now - refilledAt) * (double) perSecond / NANOS_PER_SECOND);
        refilledAt = now;
        if (tokens < 1) {
            return false;
        }
        tokens--;
        return true;
    }
}
