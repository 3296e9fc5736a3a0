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
 * @param passiveWindow a passive TLS leg's connect window, from when it starts admitting: a connection that fails its
 *     handshake within it does not release the pair, the peer may still come ({@link PendingHandshakes}); by default
 *     the connect timeout
 */
public record BearerConfig(int pairBufferBytes, int earlyDataBytes, Duration idleTimeout, Duration connectTimeout, int threads, Duration passiveWindow) {

    public static final BearerConfig DEFAULT = new BearerConfig(256 * 1024, 64 * 1024, Duration.ofMinutes(30), Duration.ofSeconds(10), 0);

    public BearerConfig {
        if (pairBufferBytes < 1024 || earlyDataBytes < 0 || idleTimeout.isNegative() || connectTimeout.isNegative() || connectTimeout.isZero()
                || threads < 0 || passiveWindow.isNegative()) {
            throw new IllegalArgumentException("inconsistent bearer limits: " + this);
        }
    }

    /** With the connect timeout as the passive legs' connect window. */
    public BearerConfig(int pairBufferBytes, int earlyDataBytes, Duration idleTimeout, Duration connectTimeout, int threads) {
        this(pairBufferBytes, earlyDataBytes, idleTimeout, connectTimeout, threads, connectTimeout);
    }

    public BearerConfig withPassiveWindow(Duration window) {
        return new BearerConfig(pairBufferBytes, earlyDataBytes, idleTimeout, connectTimeout, threads, window);
    }

    public BearerConfig withIdleTimeout(Duration timeout) {
        return new BearerConfig(pairBufferBytes, earlyDataBytes, timeout, connectTimeout, threads, passiveWindow);
    }

    public BearerConfig withPairBufferBytes(int bytes) {
        return new BearerConfig(bytes, earlyDataBytes, idleTimeout, connectTimeout, threads, passiveWindow);
    }

    public BearerConfig withThreads(int count) {
        return new BearerConfig(pairBufferBytes, earlyDataBytes, idleTimeout, connectTimeout, count, passiveWindow);
    }

    public BearerConfig withEarlyDataBytes(int bytes) {
        return new BearerConfig(pairBufferBytes, bytes, idleTimeout, connectTimeout, threads, passiveWindow);
    }
}
