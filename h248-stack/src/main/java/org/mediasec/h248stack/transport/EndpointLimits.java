package org.mediasec.h248stack.transport;

import java.time.Duration;

/**
 * What an endpoint as a whole keeps for its peers, so that datagrams from many (spoofed) sources cannot grow its
 * memory and the endpoint cannot be used to reflect traffic at a victim (SEC-1).
 *
 * @param maxPeers transaction engines kept at once (one per peer address over UDP); a new peer beyond it takes the
 *     place of the least recently heard peer that holds nothing (no request open either way, no reply kept), and is
 *     refused like an unknown peer when every peer holds something
 * @param peerIdleTimeout a peer that holds nothing and was not heard for this long is forgotten
 * @param unauthorizedRepliesPerSecond how many 402 replies to unknown peers may be sent per second (a burst of as
 *     many, then this rate); what is over it is dropped, and counted
 */
public record EndpointLimits(int maxPeers, Duration peerIdleTimeout, int unauthorizedRepliesPerSecond) {

    /** 4,096 peers, forgotten after 10 minutes of silence; 10 replies of 402 a second. */
    public static final EndpointLimits DEFAULT = new EndpointLimits(4_096, Duration.ofMinutes(10), 10);

    public EndpointLimits {
        if (maxPeers < 1 || peerIdleTimeout.isNegative() || peerIdleTimeout.isZero() || unauthorizedRepliesPerSecond < 0) {
            throw new IllegalArgumentException("inconsistent endpoint limits: " + maxPeers + ", " + peerIdleTimeout + ", " + unauthorizedRepliesPerSecond);
        }
    }

    public EndpointLimits withUnauthorizedRepliesPerSecond(int perSecond) {
        return new EndpointLimits(maxPeers, peerIdleTimeout, perSecond);
    }
}
