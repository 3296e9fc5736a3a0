package org.mediasec.mikey.ticket;

import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.mediasec.mikey.MikeyErrorCode;
import org.mediasec.mikey.MikeyException;

/**
 * Timestamp check and replay protection for received MIKEY messages (RFC 3830 5.4): a message whose timestamp is
 * further than the allowed clock skew from our clock is refused (Invalid TS); one seen before within that window is
 * a replay and refused the same way. A message is remembered by its MAC, which covers its timestamp and RAND, for
 * the window plus the skew: after that its timestamp alone refuses it.
 *
 * <p>Clock steps and restarts (issue 24): a message is forgotten once our clock has passed its timestamp by twice the
 * skew, so a clock stepped forward and then back (an NTP correction) would find a forgotten message inside the
 * window again, and a cache that replaces a lost one (a restart) has forgotten everything. Either way the cache keeps
 * the newest timestamp it can no longer vouch for ({@code takesFrom}: just after the newest of the forgotten
 * messages', or the start of a cache that replaces a lost one) and refuses every message sent before it. In steady time this
 * refuses nothing the window does not: a forgotten message's timestamp is already further than the skew behind.
 *
 * <p>Bounded twice, and full means refused, never forgotten (a replay must never pass): each sender may have at most
 * {@code perSender} live messages, so one sender that sends fast fills only its own share and cannot lock the others
 * out (SEC-4); all senders together at most {@code capacity}, which bounds memory. With {@code capacity} at least
 * {@code perSender} times the number of senders, no sender is ever refused for another's traffic.
 *
 * <p>Thread rule: every method holds this object's monitor.
 */
public final class ReplayCache {

    /** Memory bound: about 150 bytes per live message, so 15 MB at most. */
    public static final int DEFAULT_CAPACITY = 100_000;
    /** One sender's share: over a 4-minute window (twice the default skew) that is about 4 messages a second, sustained. */
    public static final int DEFAULT_PER_SENDER = 1_000;

    private record Entry(ByteBuffer mac, String sender, Instant sent, Instant forgetAt) {}

    private final Clock clock;
    private final Duration skew;
    private final int capacity;
    private final int perSender;
    private final Set<ByteBuffer> seen = new HashSet<>();
    private final Map<String, Integer> liveBySender = new HashMap<>();
    private final ArrayDeque<Entry> byAge = new ArrayDeque<>();
    /** NTP's 2^-32 s fractions: an instant read back from a timestamp is off by less than this. */
    private static final Duration NTP_ROUNDING = Duration.ofNanos(1);

    /** Messages sent before this may have been seen and forgotten: refused. */
    private Instant takesFrom;

    public ReplayCache(Clock clock, Duration skew, int capacity, int perSender) {
        this(clock, skew, capacity, perSender, Instant.MIN);
    }

    private ReplayCache(Clock clock, Duration skew, int capacity, int perSender, Instant takesFrom) {
        if (skew.isNegative() || capacity <= 0 || perSender <= 0 || perSender > capacity) {
            throw new IllegalArgumentException("skew must be positive, capacity and per-sender share at least 1, the share at most the capacity");
        }
        this.clock = clock;
        this.skew = skew;
        this.capacity = capacity;
        this.perSender = perSender;
        this.takesFrom = takesFrom;
    }

    /**
     * A cache that replaces one that was lost (the process restarted): a message sent before now may have been taken
     * by the lost cache, so only messages sent from now on are taken. A peer whose message is refused for it sends a
     * new one (a new timestamp, RFC 3830 5.4); a peer whose clock is behind ours is refused until it passes our start.
     */
    public static ReplayCache replacingALostOne(Clock clock, Duration skew, int capacity, int perSender) {
        return new ReplayCache(clock, skew, capacity, perSender, clock.instant().minus(NTP_ROUNDING));
    }

    public ReplayCache(Clock clock) {
        this(clock, TicketProfile.DEFAULT_CLOCK_SKEW, DEFAULT_CAPACITY, DEFAULT_PER_SENDER);
    }

    /**
     * Refuses a stale, future or replayed message, or one over its sender's share or the capacity; otherwise remembers
     * it. {@code sender}: who the message says it is from (where it is authenticated before this call, as at the KMS,
     * a sender only ever uses up its own share); {@code offset}: where its T payload is.
     */
    public synchronized void accept(String sender, long ntpTimestamp, byte[] mac, int offset) throws MikeyException {
        Instant now = clock.instant();
        Instant sent = NtpTime.toInstant(ntpTimestamp);
        if (sent.isBefore(now.minus(skew)) || sent.isAfter(now.plus(skew))) {
            throw new MikeyException(offset, MikeyErrorCode.INVALID_TIMESTAMP, "timestamp " + sent + " is outside " + skew + " of " + now);
        }
        forgetExpired(now);
        if (sent.isBefore(takesFrom)) {
            throw new MikeyException(offset, MikeyErrorCode.INVALID_TIMESTAMP, "timestamp " + sent + " is before " + takesFrom
                    + ": messages sent before it may have been seen and forgotten (a clock stepped back, or a restart)");
        }
        ByteBuffer key = ByteBuffer.wrap(mac.clone());
        if (seen.contains(key)) {
            throw new MikeyException(offset, MikeyErrorCode.INVALID_TIMESTAMP, "replayed message (seen within the last " + skew.multipliedBy(2) + ")");
        }
        int live = liveBySender.getOrDefault(sender, 0);
        if (live >= perSender) {
            throw new MikeyException(offset, MikeyErrorCode.UNSPECIFIED, sender + " has " + perSender + " live messages, its share of the replay cache: refused");
        }
        if (seen.size() >= capacity) {
            throw new MikeyException(offset, MikeyErrorCode.UNSPECIFIED, "replay cache full (" + capacity + " live messages): refused");
        }
        seen.add(key);
        liveBySender.put(sender, live + 1);
        byAge.add(new Entry(key, sender, sent, sent.plus(skew).plus(skew)));
    }

    public synchronized int size() {
        forgetExpired(clock.instant());
        return seen.size();
    }

    /** Live messages remembered for {@code sender}. */
    public synchronized int size(String sender) {
        forgetExpired(clock.instant());
        return liveBySender.getOrDefault(sender, 0);
    }

    private void forgetExpired(Instant now) {
        // entries are appended roughly in timestamp order; one out of order only stays a little longer
        while (!byAge.isEmpty() && byAge.peekFirst().forgetAt().isBefore(now)) {
            Entry entry = byAge.pollFirst();
            seen.remove(entry.mac());
            if (!entry.sent().isBefore(takesFrom)) {
                takesFrom = entry.sent().plus(NTP_ROUNDING);
            }
            liveBySender.computeIfPresent(entry.sender(), (sender, live) -> live == 1 ? null : live - 1);
        }
    }

}
