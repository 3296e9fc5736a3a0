package org.mediasec.bearer;

import java.time.Duration;

/**
 * Limits of the bearer plane.
 *
 * @param pairBufferBytes bytes a leg may have queued for writing before reads on the other leg stop (GW-8); the
 *     per-pair bound is about twice this plus one read buffer per leg
 * @param earlyDataBytes bytes held per leg before the relay is armed (TLS-13); beyond, the pair is released
 * @param idleTimeout a pair with no data either way for this long is released (zero: never)
 * @param connectTimeout an active leg that is not connected by then fails
 * @param threads event loop threads (0: Netty's default, twice the cores)
 */
public record BearerConfig(int pairBufferBytes, int earlyDataBytes, Duration idleTimeout, Duration connectTimeout, int threads) {

    public static final BearerConfig DEFAULT = new BearerConfig(256 * 1024, 64 * 1024, Duration.ofMinutes(30), Duration.ofSeconds(10), 0);

    public BearerConfig {
        if (pairBufferBytes < 1024 || earlyDataBytes < 0 || idleTimeout.isNegative() || connectTimeout.isNegative() || connectTimeout.isZero()
                || threads < 0) {
            throw new IllegalArgumentException("inconsistent bearer limits: " + this);
        }
    }

    public BearerConfig withIdleTimeout(Duration timeout) {
        return new BearerConfig(pairBufferBytes, earlyDataBytes, timeout, connectTimeout, threads);
    }

    public BearerConfig withPairBufferBytes(int bytes) {
        return new BearerConfig(bytes, earlyDataBytes, idleTimeout, connectTimeout, threads);
    }

    public BearerConfig withThreads(int count) {
        return new BearerConfig(pairBufferBytes, earlyDataBytes, idleTimeout, connectTimeout, count);
    }

    public BearerConfig withEarlyDataBytes(int bytes) {
        return new BearerConfig(pairBufferBytes, bytes, idleTimeout, connectTimeout, threads);
    }
}
