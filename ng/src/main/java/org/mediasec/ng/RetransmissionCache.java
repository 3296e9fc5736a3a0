package org.mediasec.ng;

import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * The replies already sent, by source and cookie, so that a retransmitted request (same cookie: Kamailio resends
 * every second, five times by default) is answered with the same bytes without running its command again
 * (rtpengine ng protocol: "The message cookie is used ... to detect retransmissions"). A request still being
 * handled is {@link Pending}: its retransmission is not run either (rtpengine makes it wait for the first one's
 * reply; the reply to the first reaches the same source).
 *
 * <p>rtpengine keys by cookie alone; we key by source as well, so that one client cannot be answered another's
 * reply by guessing its cookie. Bounded three ways, the oldest entry going first: by age ({@code maxAge} since the
 * entry began, rtpengine keeps its cookies 30 to 60 s), by count, and by the bytes of the cached replies. A reply
 * larger than the byte bound is not cached.
 *
 * <p>Pure: time comes from the injected clock (nanoseconds, monotonic). Not thread-safe: one owner thread (the ng
 * endpoint's event loop).
 *
 * @param <S> the source's type (a socket address)
 */
public final class RetransmissionCache<S> {

    /** A source and a cookie. */
    public record Key<S>(S source, NgCookie cookie) {

        public Key {
            Objects.requireNonNull(source);
            Objects.requireNonNull(cookie);
        }
    }

    /** What a received cookie is. */
    public sealed interface Lookup {}

    /** Not seen: it is now pending; the caller runs the command and calls {@link #complete}. */
    public record Fresh() implements Lookup {}

    /** Seen and not answered yet: a retransmission during the first one's handling. */
    public record Pending() implements Lookup {}

    /** Seen and answered: send these bytes again. */
    public record Answered(byte[] reply) implements Lookup {}

    private static final class Entry {
        final long createdNanos;
        final byte[] reply;

        Entry(long createdNanos, byte[] reply) {
            this.createdNanos = createdNanos;
            this.reply = reply;
        }
    }

    private final int maxEntries;
    private final long maxBytes;
    private final long maxAgeNanos;
    private final LongSupplier nanoClock;
    /** In order of creation: the head is always the oldest. */
    private final LinkedHashMap<Key<S>, Entry> entries = new LinkedHashMap<>();
    private long bytes;

    public RetransmissionCache(int maxEntries, long maxBytes, Duration maxAge, LongSupplier nanoClock) {
        if (maxEntries < 1 || maxBytes < 1 || maxAge.isNegative() || maxAge.isZero()) {
            throw new IllegalArgumentException("bounds must be positive");
        }
        this.maxEntries = maxEntries;
        this.maxBytes = maxBytes;
        this.maxAgeNanos = maxAge.toNanos();
        this.nanoClock = nanoClock;
    }

    /** Looks {@code cookie} from {@code source} up; a fresh one is recorded as pending. */
    public Lookup begin(S source, NgCookie cookie) {
        long now = nanoClock.getAsLong();
        expire(now);
        Key<S> key = new Key<>(source, cookie);
        Entry existing = entries.get(key);
        if (existing != null) {
            return existing.reply == null ? new Pending() : new Answered(existing.reply.clone());
        }
        entries.put(key, new Entry(now, null));
        evictBeyondBounds();
        return new Fresh();
    }

    /** Records the reply sent for {@code cookie}; its age counts from now. */
    public void complete(S source, NgCookie cookie, byte[] reply) {
        long now = nanoClock.getAsLong();
        Key<S> key = new Key<>(source, cookie);
        remove(key);
        expire(now);
        if (reply.length > maxBytes) {
            return;
        }
        entries.put(key, new Entry(now, reply.clone()));
        bytes += reply.length;
        evictBeyondBounds();
    }

    /** Forgets a pending cookie whose command produced no reply to cache. */
    public void abandon(S source, NgCookie cookie) {
        remove(new Key<>(source, cookie));
    }

    /** Entries held, pending or answered. */
    public int size() {
        return entries.size();
    }

    /** Bytes of the replies held. */
    public long bytes() {
        return bytes;
    }

    private void remove(Key<S> key) {
        Entry removed = entries.remove(key);
        if (removed != null && removed.reply != null) {
            bytes -= removed.reply.length;
        }
    }

    private void expire(long now) {
        Iterator<Entry> oldestFirst = entries.values().iterator();
        while (oldestFirst.hasNext()) {
            Entry entry = oldestFirst.next();
            if (now - entry.createdNanos < maxAgeNanos) {
                return;
            }
            dropped(entry);
            oldestFirst.remove();
        }
    }

    private void evictBeyondBounds() {
        Iterator<Map.Entry<Key<S>, Entry>> oldestFirst = entries.entrySet().iterator();
        while ((entries.size() > maxEntries || bytes > maxBytes) && oldestFirst.hasNext()) {
            dropped(oldestFirst.next().getValue());
            oldestFirst.remove();
        }
    }

    private void dropped(Entry entry) {
        if (entry.reply != null) {
            bytes -= entry.reply.length;
        }
    }
}
