package org.mediasec.bearer.datagram;

/**
 * The DTLS anti-replay window (RFC 6347 4.1.2.6, the sliding window of RFC 4303 3.4.3): 64 sequence numbers below the
 * highest one that authenticated. A record is checked before it is decrypted and marked only once it authenticated,
 * so forged records cannot move the window. A new epoch starts a new window. Not thread-safe: one per leg, on the
 * pair's event loop.
 */
final class ReplayWindow {

    /** RFC 6347 4.1.2.6: "a window size of 32 MUST be supported, 64 is preferred". */
    static final int SIZE = 64;

    private int epoch = -1;
    private long highest = -1;
    private long seen;

    /** Whether a record of this epoch and sequence number was already received or is too old. */
    boolean isReplay(int recordEpoch, long sequenceNumber) {
        if (recordEpoch != epoch || sequenceNumber > highest) {
            return recordEpoch < epoch;
        }
        long behind = highest - sequenceNumber;
        return behind >= SIZE || (seen & (1L << behind)) != 0;
    }

    /** Marks a record that authenticated. */
    void accept(int recordEpoch, long sequenceNumber) {
        if (recordEpoch > epoch) {
            epoch = recordEpoch;
            highest = sequenceNumber;
            seen = 1;
            return;
        }
        if (recordEpoch < epoch) {
            return;
        }
        if (sequenceNumber > highest) {
            long shift = sequenceNumber - highest;
            seen = shift >= SIZE ? 1 : (seen << shift) | 1;
            highest = sequenceNumber;
        } else {
            long behind = highest - sequenceNumber;
            if (behind < SIZE) {
                seen |= 1L << behind;
            }
        }
    }
}
