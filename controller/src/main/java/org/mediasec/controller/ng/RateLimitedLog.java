package org.mediasec.controller.ng;

import java.time.Duration;
import java.util.function.LongSupplier;
import org.slf4j.Logger;

/**
 * At most one warning per interval, the next one saying how many were left out: a peer that floods the ng port
 * with junk costs a log line every few seconds, not one per datagram. Pure but for the logger: time comes from the
 * injected clock (nanoseconds). Not thread-safe: one owner thread (the endpoint's event loop).
 */
final class RateLimitedLog {

    private final Logger log;
    private final long intervalNanos;
    private final LongSupplier nanoClock;
    private boolean logged;
    private long lastNanos;
    private long suppressed;

    RateLimitedLog(Logger log, Duration interval, LongSupplier nanoClock) {
        this.log = log;
        this.intervalNanos = interval.toNanos();
        this.nanoClock = nanoClock;
    }

    /** Logs {@code message} unless one was logged within the interval; returns whether it did. */
    boolean warn(String message) {
        long now = nanoClock.getAsLong();
        if (logged && now - lastNanos < intervalNanos) {
            suppressed++;
            return false;
        }
        if (suppressed > 0) {
            log.warn("{} ({} similar left out)", message, suppressed);
        } else {
            log.warn(message);
        }
        logged = true;
        lastNanos = now;
        suppressed = 0;
        return true;
    }
}
