package org.mediasec.h248stack.transport;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

/**
 * The state an endpoint keeps per peer address, bounded (SEC-1): at most {@code maxPeers} entries, in least recently
 * heard order. A new peer beyond the bound takes the place of the least recently heard entry that is {@code quiet}
 * (holds nothing that forgetting it would break: over UDP, no open request either way and no reply kept for
 * duplicates, so that no request ever runs twice); when none is quiet, the new peer is refused. {@link #sweep()}
 * forgets quiet entries not heard for {@code idleTimeout}. Not thread-safe: one thread (the endpoint's event loop).
 */
final class PeerTable<T> {

    private record Entry<T>(T value, long[] heardAt) {}

    private final int maxPeers;
    private final long idleNanos;
    private final Predicate<T> quiet;
    private final BiConsumer<InetSocketAddress, T> forgotten;
    private final LongSupplier nanoClock;
    private final LinkedHashMap<InetSocketAddress, Entry<T>> entries = new LinkedHashMap<>(16, 0.75f, true);
    private long evicted;

    PeerTable(int maxPeers, Duration idleTimeout, Predicate<T> quiet, BiConsumer<InetSocketAddress, T> forgotten, LongSupplier nanoClock) {
        this.maxPeers = maxPeers;
        this.idleNanos = idleTimeout.toNanos();
        this.quiet = quiet;
        this.forgotten = forgotten;
        this.nanoClock = nanoClock;
    }

    /** The entry of a peer, marked as heard now. */
    Optional<T> heard(InetSocketAddress peer) {
        Entry<T> entry = entries.get(peer);
        if (entry == null) {
            return Optional.empty();
        }
        entry.heardAt()[0] = nanoClock.getAsLong();
        return Optional.of(entry.value());
    }

    /** The entry of a peer without marking it (for counters). */
    Optional<T> peek(InetSocketAddress peer) {
        Entry<T> entry = entries.get(peer);
        return entry == null ? Optional.empty() : Optional.of(entry.value());
    }

    /** Whether there is room for one more peer, making it by forgetting the least recently heard quiet one if need be. */
    boolean makeRoom() {
        if (entries.size() < maxPeers) {
            return true;
        }
        for (Iterator<Map.Entry<InetSocketAddress, Entry<T>>> it = entries.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<InetSocketAddress, Entry<T>> oldest = it.next();
            if (quiet.test(oldest.getValue().value())) {
                it.remove();
                evicted++;
                forgotten.accept(oldest.getKey(), oldest.getValue().value());
                return true;
            }
        }
        return false;
    }

    /** Adds a peer; call {@link #makeRoom()} first. */
    void put(InetSocketAddress peer, T value) {
        if (entries.size() >= maxPeers) {
            throw new IllegalStateException("no room for " + peer + ": call makeRoom() first");
        }
        entries.put(peer, new Entry<>(value, new long[] {nanoClock.getAsLong()}));
    }

    /** Forgets the quiet peers not heard for the idle timeout. */
    void sweep() {
        long now = nanoClock.getAsLong();
        List<Map.Entry<InetSocketAddress, Entry<T>>> idle = new ArrayList<>();
        for (Map.Entry<InetSocketAddress, Entry<T>> entry : entries.entrySet()) {
            if (now - entry.getValue().heardAt()[0] >= idleNanos && quiet.test(entry.getValue().value())) {
                idle.add(entry);
            }
        }
        for (Map.Entry<InetSocketAddress, Entry<T>> entry : idle) {
            entries.remove(entry.getKey());
            evicted++;
            forgotten.accept(entry.getKey(), entry.getValue().value());
        }
    }

    /** Removes every entry, handing each to {@code action}. */
    void clear(BiConsumer<InetSocketAddress, T> action) {
        List<Map.Entry<InetSocketAddress, Entry<T>>> all = new ArrayList<>(entries.entrySet());
        entries.clear();
        all.forEach(entry -> action.accept(entry.getKey(), entry.getValue().value()));
    }

    int size() {
        return entries.size();
    }

    /** Entries forgotten so far (to make room, or idle). */
    long evicted() {
        return evicted;
    }
}
