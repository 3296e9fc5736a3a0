package org.mediasec.h248stack.transaction;

/**
 * What one peer may hold of our resources on the responder side, so that a flooding or misbehaving peer cannot
 * grow our memory without bound. A new request over either limit is answered at once with 510 "Insufficient
 * resources" (H.248.8) without reaching the application and without a cache entry, so the peer may retry later.
 *
 * @param maxRequestsInProgress requests handed to the application and not yet answered; a transaction of Subtracts only
 *     is not held back by it (it frees what the others hold), only by {@code maxTransactionsKept}
 * @param maxTransactionsKept requests in progress plus replies kept for duplicates (UDP only; LONG-TIMER or until
 *     acknowledged)
 */
public record PeerLimits(int maxRequestsInProgress, int maxTransactionsKept) {

    public static final PeerLimits DEFAULT = new PeerLimits(1_000, 100_000);

    public PeerLimits {
        if (maxRequestsInProgress < 1 || maxTransactionsKept < maxRequestsInProgress) {
            throw new IllegalArgumentException("inconsistent peer limits: " + maxRequestsInProgress + ", " + maxTransactionsKept);
        }
    }
}
