package org.mediasec.controller.ng;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.mediasec.ng.NgLimits;

/**
 * How an ng endpoint listens and what it bounds.
 *
 * @param udp where the UDP listener binds (rtpengine's and Kamailio's default port is 2223)
 * @param tcp where the TCP listener binds, if any (rtpengine's {@code --listen-tcp-ng}: the same framing)
 * @param limits what one message may cost to read ({@link NgLimits})
 * @param maxInFlightPerSource requests from one source being handled at once; beyond, the request is answered
 *     {@code load limit} (or the error, to a proxy that does not support it) and not cached
 * @param maxInFlight requests being handled at once from all sources
 * @param softInFlight requests being handled at once from all sources beyond which the endpoint is overloaded:
 *     requests that would start new work (an offer for a call not held) are refused with {@code load limit}, while
 *     those of calls in progress (answers, deletes, re-offers) are still carried out ({@link NgOverload})
 * @param overloadDelay the handling time of offers and answers that, held for twice as long ({@link NgOverload#interval}) without
 *     one quicker, makes the endpoint overloaded as well (a standing queue behind the gateway or the loop)
 * @param handlerTimeout how long a handler may take before the request is answered with an error
 * @param cacheEntries replies kept for retransmissions, at most
 * @param cacheBytes bytes of replies kept for retransmissions, at most
 * @param cacheAge how long a reply is kept for retransmissions
 * @param maxReplyBytes the largest reply sent; a larger one is replaced by an error reply
 * @param maxTcpConnections TCP connections open at once; more are closed at once
 * @param dropLogInterval the least time between two log lines about dropped messages
 * @param allowedSources the SIP proxies that may use the port (empty: any); others are dropped unanswered
 */
public record NgEndpointConfig(
        InetSocketAddress udp,
        Optional<InetSocketAddress> tcp,
        NgLimits limits,
        int maxInFlightPerSource,
        int maxInFlight,
        int softInFlight,
        Duration overloadDelay,
        Duration handlerTimeout,
        int cacheEntries,
        long cacheBytes,
        Duration cacheAge,
        int maxReplyBytes,
        int maxTcpConnections,
        Duration dropLogInterval,
        Set<InetAddress> allowedSources) {

    /** The ng port of rtpengine's documentation and of Kamailio's rtpengine module examples. */
    public static final int DEFAULT_PORT = 2223;

    /**
     * A quarter of the total. Kamailio's workers send one request at a time each (retried 5 times 1 s apart); a
     * source with more in flight multiplexes (a load generator, a proxy with a pool of its own). Bounds memory and one
     * source's share, not the load: that is {@link #DEFAULT_SOFT_IN_FLIGHT}'s and the handling delay's job.
     */
    public static final int DEFAULT_MAX_IN_FLIGHT_PER_SOURCE = 256;

    /**
     * Every request beyond is refused, answers and deletes too, so this must not be met by a transient the system rides
     * out: at 2,750 calls/s (8,250 requests/s) a 150 ms stall (a GC pause, a burst) holds about 1,240 requests, which
     * the former 1,024 turned into refused answers and deletes (docs/performance.md, issue 23). 4,096 requests of a
     * few KB each are some 20 MB.
     */
    public static final int DEFAULT_MAX_IN_FLIGHT = 4096;

    /**
     * Half the hard bound: at 2,750 calls/s (8,250 requests/s) 2,048 requests in flight is 250 ms of queue, where a
     * healthy controller and gateway answer in 1–10 ms (p99 under 20 ms) and a transient holds 100–150 ms; the 2,048
     * places above it are left for the answers and deletes of the calls already admitted. At a lower rate the handling
     * delay ({@link #DEFAULT_OVERLOAD_DELAY}) says it first. 256 (with 1,024 above) refused calls in transients the
     * system rode out with p99 110–130 ms (docs/performance.md, issue 23).
     */
    public static final int DEFAULT_SOFT_IN_FLIGHT = DEFAULT_MAX_IN_FLIGHT / 2;

    /**
     * 200 ms standing: a healthy exchange with the gateway takes 1–10 ms, a transient (a GC pause, a burst) some tens;
     * a proxy's first retransmission comes after 1 s (Kamailio's rtpengine_tout_ms) or 500 ms (the load generator's
     * H.248 timers), after this, so shedding starts before retransmissions add load.
     */
    public static final Duration DEFAULT_OVERLOAD_DELAY = Duration.ofMillis(200);

    /** Kamailio gives up after 5 × 1 s; twice that leaves room for a slow gateway, and no reply later helps. */
    public static final Duration DEFAULT_HANDLER_TIMEOUT = Duration.ofSeconds(10);

    /** rtpengine keeps a cookie 30 to 60 s (its cookie cache swaps generations every 30 s). */
    public static final Duration DEFAULT_CACHE_AGE = Duration.ofSeconds(30);

    public static final int DEFAULT_CACHE_ENTRIES = 10_000;

    /** 32 MiB: 10,000 replies of 3.3 KB, an SDP's size with room. */
    public static final long DEFAULT_CACHE_BYTES = 32L << 20;

    public static final int DEFAULT_MAX_TCP_CONNECTIONS = 64;

    public static final Duration DEFAULT_DROP_LOG_INTERVAL = Duration.ofSeconds(10);

    public NgEndpointConfig {
        Objects.requireNonNull(udp);
        Objects.requireNonNull(tcp);
        Objects.requireNonNull(limits);
        allowedSources = Set.copyOf(allowedSources);
        Objects.requireNonNull(overloadDelay);
        if (maxInFlightPerSource < 1 || maxInFlight < 1 || softInFlight < 1 || cacheEntries < 1 || cacheBytes < 1 || maxReplyBytes < 1 || maxTcpConnections < 1) {
            throw new IllegalArgumentException("bounds must be positive");
        }
        if (softInFlight > maxInFlight) {
            throw new IllegalArgumentException("the soft in-flight bound " + softInFlight + " is above the hard one, " + maxInFlight);
        }
        if (overloadDelay.isNegative() || overloadDelay.isZero() || handlerTimeout.isNegative() || handlerTimeout.isZero() || cacheAge.isNegative() || cacheAge.isZero()) {
            throw new IllegalArgumentException("durations must be positive");
        }
        if (maxReplyBytes > NgLimits.MAX_UDP_PAYLOAD) {
            throw new IllegalArgumentException("a reply over " + NgLimits.MAX_UDP_PAYLOAD + " bytes does not fit a datagram");
        }
    }

    /** UDP on {@code udp}, no TCP, the default bounds. */
    public static NgEndpointConfig udp(InetSocketAddress udp) {
        return new NgEndpointConfig(udp, Optional.empty(), NgLimits.DEFAULT, DEFAULT_MAX_IN_FLIGHT_PER_SOURCE, DEFAULT_MAX_IN_FLIGHT,
                DEFAULT_SOFT_IN_FLIGHT, DEFAULT_OVERLOAD_DELAY, DEFAULT_HANDLER_TIMEOUT, DEFAULT_CACHE_ENTRIES, DEFAULT_CACHE_BYTES, DEFAULT_CACHE_AGE, NgLimits.MAX_UDP_PAYLOAD,
                DEFAULT_MAX_TCP_CONNECTIONS, DEFAULT_DROP_LOG_INTERVAL, Set.of());
    }

    /** The embedded default: UDP on 127.0.0.1:2223. */
    public static NgEndpointConfig loopbackDefault() {
        return udp(new InetSocketAddress(InetAddress.getLoopbackAddress(), DEFAULT_PORT));
    }

    public NgEndpointConfig withTcp(InetSocketAddress address) {
        return new NgEndpointConfig(udp, Optional.of(address), limits, maxInFlightPerSource, maxInFlight, softInFlight, overloadDelay, handlerTimeout, cacheEntries,
                cacheBytes, cacheAge, maxReplyBytes, maxTcpConnections, dropLogInterval, allowedSources);
    }

    /** The hard bounds; the soft one becomes half the total (at least 1) unless set after this. */
    public NgEndpointConfig withInFlight(int perSource, int total) {
        return new NgEndpointConfig(udp, tcp, limits, perSource, total, Math.max(1, total / 2), overloadDelay, handlerTimeout, cacheEntries, cacheBytes, cacheAge, maxReplyBytes,
                maxTcpConnections, dropLogInterval, allowedSources);
    }

    /** Requests in flight beyond which new calls are refused (at most the hard bound). */
    public NgEndpointConfig withSoftInFlight(int requests) {
        return new NgEndpointConfig(udp, tcp, limits, maxInFlightPerSource, maxInFlight, requests, overloadDelay, handlerTimeout, cacheEntries,
                cacheBytes, cacheAge, maxReplyBytes, maxTcpConnections, dropLogInterval, allowedSources);
    }

    /** The standing handling time of offers and answers beyond which new calls are refused. */
    public NgEndpointConfig withOverloadDelay(Duration delay) {
        return new NgEndpointConfig(udp, tcp, limits, maxInFlightPerSource, maxInFlight, softInFlight, delay, handlerTimeout, cacheEntries,
                cacheBytes, cacheAge, maxReplyBytes, maxTcpConnections, dropLogInterval, allowedSources);
    }

    public NgEndpointConfig withHandlerTimeout(Duration timeout) {
        return new NgEndpointConfig(udp, tcp, limits, maxInFlightPerSource, maxInFlight, softInFlight, overloadDelay, timeout, cacheEntries, cacheBytes, cacheAge,
                maxReplyBytes, maxTcpConnections, dropLogInterval, allowedSources);
    }

    public NgEndpointConfig withMaxReplyBytes(int bytes) {
        return new NgEndpointConfig(udp, tcp, limits, maxInFlightPerSource, maxInFlight, softInFlight, overloadDelay, handlerTimeout, cacheEntries, cacheBytes, cacheAge,
                bytes, maxTcpConnections, dropLogInterval, allowedSources);
    }

    public NgEndpointConfig withMaxTcpConnections(int connections) {
        return new NgEndpointConfig(udp, tcp, limits, maxInFlightPerSource, maxInFlight, softInFlight, overloadDelay, handlerTimeout, cacheEntries, cacheBytes, cacheAge,
                maxReplyBytes, connections, dropLogInterval, allowedSources);
    }

    /** Only these proxies may use the port (empty: any); a message or connection from another is dropped unanswered. */
    public NgEndpointConfig withAllowedSources(Set<InetAddress> sources) {
        return new NgEndpointConfig(udp, tcp, limits, maxInFlightPerSource, maxInFlight, softInFlight, overloadDelay, handlerTimeout, cacheEntries, cacheBytes, cacheAge,
                maxReplyBytes, maxTcpConnections, dropLogInterval, sources);
    }

    /** Whether {@code source} may use the port. */
    public boolean allows(InetSocketAddress source) {
        return allowedSources.isEmpty() || allowedSources.contains(source.getAddress());
    }
}
