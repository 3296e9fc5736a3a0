package org.mediasec.mikey.ticket;

import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Set;
import org.mediasec.mikey.MikeyErrorCode;
import org.mediasec.mikey.MikeyException;

/**
 * Timestamp check and replay protection for received MIKEY messages (RFC 3830 5.4): a message whose timestamp is
 * further than the allowed clock skew from our clock is refused (Invalid TS); one seen before within that window is
 * a replay and refused the same way. A message is remembered by its MAC, which covers its timestamp and RAND, for
 * the window plus the skew: after that its timestamp alone refuses it. The cache is bounded: when it is full of
 * entries that are still live, new messages are refused rather than old ones forgotten (a replay must never pass).
 */
public final class ReplayCache {

    public static final int DEFAULT_CAPACITY = 100_000;

    private record Entry(ByteBuffer mac, Instant forgetAt) {}

    private final Clock clock;
    private final Duration skew;
    private final int capacity;
    private final Set<ByteBuffer> seen = new HashSet<>();
    private final ArrayDeque<Entry> byAge = new ArrayDeque<>();

    public ReplayCache(Clock clock, Duration skew, int capacity) {
        if (skew.isNegative() || capacity <= 0) {
            throw new IllegalArgumentException("skew must be positive and capacity at least 1");
        }
        this.clock = clock;
        this.skew = skew;
        this.capacity = capacity;
    }

    public ReplayCache(Clock clock) {
        this(clock, TicketProfile.DEFAULT_CLOCK_SKEW, DEFAULT_CAPACITY);
    }

    /** Refuses a stale, future or replayed message; otherwise remembers it. {@code offset}: where its T payload is. */
    public synchronized void accept(long ntpTimestamp, byte[] mac, int offset) throws MikeyException {
        Instant now = clock.instant();
        Instant sent = NtpTime.toInstant(ntpTimestamp);
        if (sent.isBefore(now.minus(skew)) || sent.isAfter(now.plus(skew))) {
            throw new MikeyException(offset, MikeyErrorCode.INVALID_TIMESTAMP, "timestamp " + sent + " is outside " + skew + " of " + now);
        }
        forgetExpired(now);
        ByteBuffer key = ByteBuffer.wrap(mac.clone());
        if (seen.contains(key)) {
            throw new MikeyException(offset, MikeyErrorCode.INVALID_TIMESTAMP, "replayed message (seen within the last " + skew.multipliedBy(2) + ")");
        }
        if (seen.size() >= capacity) {
            throw new MikeyException(offset, MikeyErrorCode.UNSPECIFIED, "replay cache full (" + capacity + " live messages): refused");
        }
        seen.add(key);
        byAge.add(new Entry(key, sent.plus(skew).plus(skew)));
    }

    public synchronized int size() {
        forgetExpired(clock.instant());
        return seen.size();
    }

    private void forgetExpired(Instant now) {
        // entries are appended roughly in timestamp order; one out of order only stays a little longer
        while (!byAge.isEmpty() && byAge.peekFirst().forgetAt().isBefore(now)) {
            seen.remove(byAge.pollFirst().mac());
        }
    }

}
