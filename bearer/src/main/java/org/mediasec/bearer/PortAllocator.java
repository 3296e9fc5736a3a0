package org.mediasec.bearer;

import java.net.InetAddress;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Hands out local ports for legs from configured ranges, one range set per realm (an address the MG serves, e.g. the
 * access side and the core side). A port is given to one leg at a time and comes back with {@link #release}; the
 * next allocation starts after the last one, so a port just released is not reused at once (a late segment of the
 * old connection cannot reach the new leg). Thread-safe.
 */
public final class PortAllocator {

    /** A realm: the address legs bind to and its port range (inclusive). */
    public record Realm(String name, InetAddress address, int firstPort, int lastPort) {
        public Realm {
            if (firstPort < 1 || lastPort > 65535 || firstPort > lastPort) {
                throw new IllegalArgumentException("realm " + name + ": port range " + firstPort + "-" + lastPort + " is not within 1-65535");
            }
        }

        int size() {
            return lastPort - firstPort + 1;
        }
    }

    /** A port given out: give it back with {@link PortAllocator#release}. */
    public record Allocation(Realm realm, int port) {}

    /** Every port of the realm is in use (maps to H.248.8 510 "Insufficient resources"). */
    public static final class NoPortAvailable extends Exception {
        private static final long serialVersionUID = 1L;

        public NoPortAvailable(String realm, int size) {
            super("no port available in realm " + realm + ": all " + size + " in use");
        }
    }

    private final Map<String, State> realms = new LinkedHashMap<>();

    private static final class State {
        final Realm realm;
        final BitSet used;
        int next;
        int inUse;

        State(Realm realm) {
            this.realm = realm;
            this.used = new BitSet(realm.size());
        }
    }

    public PortAllocator(List<Realm> realms) {
        for (Realm realm : realms) {
            if (this.realms.put(realm.name(), new State(realm)) != null) {
                throw new IllegalArgumentException("realm " + realm.name() + " is configured twice");
            }
        }
    }

    public Optional<Realm> realm(String name) {
        return Optional.ofNullable(realms.get(name)).map(state -> state.realm);
    }

    /** The next free port of the realm, round robin. */
    public synchronized Allocation allocate(String realmName) throws NoPortAvailable {
        State state = realms.get(realmName);
        if (state == null) {
            throw new IllegalArgumentException("no realm named " + realmName + " (configured: " + realms.keySet() + ")");
        }
        int size = state.realm.size();
        if (state.inUse == size) {
            throw new NoPortAvailable(realmName, size);
        }
        int index = state.used.nextClearBit(state.next);
        if (index >= size) {
            index = state.used.nextClearBit(0);
        }
        state.used.set(index);
        state.inUse++;
        state.next = index + 1 == size ? 0 : index + 1;
        return new Allocation(state.realm, state.realm.firstPort() + index);
    }

    /** Gives a port back; releasing one that is not allocated is a bug and throws. */
    public synchronized void release(Allocation allocation) {
        State state = realms.get(allocation.realm().name());
        int index = allocation.port() - allocation.realm().firstPort();
        if (state == null || state.realm != allocation.realm() || index < 0 || index >= state.realm.size() || !state.used.get(index)) {
            throw new IllegalStateException("port " + allocation.port() + " of realm " + allocation.realm().name() + " is not allocated");
        }
        state.used.clear(index);
        state.inUse--;
    }

    /** Ports in use in a realm. */
    public synchronized int inUse(String realmName) {
        State state = realms.get(realmName);
        return state == null ? 0 : state.inUse;
    }
}
