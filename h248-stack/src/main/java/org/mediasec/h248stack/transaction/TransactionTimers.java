package org.mediasec.h248stack.transaction;

import java.time.Duration;

/**
 * The timers of the transaction layer (H.248.1 8.2.3 and Annex D.1.3).
 *
 * @param initialRetransmission first retransmission of a request over an unreliable transport (UDP)
 * @param maxRetransmission the back-off doubles the interval up to this
 * @param longTimer how long a request may stay unanswered in all (after a TransactionPending, the requester waits
 *     this long again), and how long a responder keeps a reply for duplicates (Annex D.1.2)
 * @param provisionalResponse when the user has not answered within this, a TransactionPending is sent
 *     (root/MGProvisionalResponseTimerValue, H.248.1 E.2)
 * @param pendingLimit how many TransactionPending one request may get (root/MGOriginatedPendingLimit)
 */
public record TransactionTimers(Duration initialRetransmission, Duration maxRetransmission, Duration longTimer, Duration provisionalResponse, int pendingLimit) {

    public static final TransactionTimers DEFAULT = new TransactionTimers(
            Duration.ofMillis(500), Duration.ofSeconds(4), Duration.ofSeconds(30), Duration.ofSeconds(2), 10);

    public TransactionTimers {
        if (initialRetransmission.isNegative() || initialRetransmission.isZero() || maxRetransmission.compareTo(initialRetransmission) < 0
                || longTimer.compareTo(maxRetransmission) < 0 || provisionalResponse.isNegative() || pendingLimit < 1) {
            throw new IllegalArgumentException("inconsistent transaction timers: " + initialRetransmission + ", " + maxRetransmission
                    + ", " + longTimer + ", " + provisionalResponse + ", " + pendingLimit);
        }
    }
}
