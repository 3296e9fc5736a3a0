package org.mediasec.h248stack.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The token bucket on a manual clock: a burst, then the rate, never more. */
class RateLimiterTest {

    private final AtomicLong nanos = new AtomicLong();

    @Test
    void aBurstThenTheRate() {
        RateLimiter limiter = new RateLimiter(10, nanos::get);
        assertThat(IntStream.range(0, 100).filter(i -> limiter.tryAcquire()).count()).isEqualTo(10);
        nanos.addAndGet(Duration.ofMillis(500).toNanos());
        assertThat(IntStream.range(0, 100).filter(i -> limiter.tryAcquire()).count()).isEqualTo(5);
        nanos.addAndGet(Duration.ofHours(1).toNanos());
        assertThat(IntStream.range(0, 100).filter(i -> limiter.tryAcquire()).count()).isEqualTo(10); // the burst is capped
    }

    @Test
    void zeroAllowsNothing() {
        RateLimiter limiter = new RateLimiter(0, nanos::get);
        nanos.addAndGet(Duration.ofHours(1).toNanos());
        assertThat(limiter.tryAcquire()).isFalse();
    }
}
