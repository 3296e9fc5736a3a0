package org.mediasec.h248stack.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The bounded peer table on a manual clock: least recently heard quiet peers make room, busy ones never. */
class PeerTableTest {

    private final AtomicLong nanos = new AtomicLong();
    private final Set<String> busy = new HashSet<>();
    private final List<String> forgotten = new ArrayList<>();
    private final PeerTable<String> table = new PeerTable<>(3, Duration.ofSeconds(10), value -> !busy.contains(value),
            (address, value) -> forgotten.add(value), nanos::get);

    private static InetSocketAddress peer(int port) {
        return new InetSocketAddress("127.0.0.1", port);
    }

    private boolean add(int port) {
        if (!table.makeRoom()) {
            return false;
        }
        table.put(peer(port), "p" + port);
        return true;
    }

    @Test
    void theLeastRecentlyHeardQuietPeerMakesRoom() {
        add(1);
        add(2);
        add(3);
        table.heard(peer(1)); // 2 is now the least recently heard
        assertThat(add(4)).isTrue();
        assertThat(forgotten).containsExactly("p2");
        assertThat(table.size()).isEqualTo(3);
    }

    @Test
    void aBusyPeerIsNeverForgottenAndANewPeerIsRefusedWhenAllAreBusy() {
        add(1);
        add(2);
        add(3);
        busy.addAll(List.of("p1", "p2", "p3"));
        assertThat(add(4)).isFalse();
        assertThat(forgotten).isEmpty();
        busy.remove("p3");
        assertThat(add(4)).isTrue();
        assertThat(forgotten).containsExactly("p3");
    }

    @Test
    void idleQuietPeersAreSweptAway() {
        add(1);
        add(2);
        busy.add("p2");
        nanos.addAndGet(Duration.ofSeconds(9).toNanos());
        table.sweep();
        assertThat(forgotten).isEmpty();
        nanos.addAndGet(Duration.ofSeconds(1).toNanos());
        table.sweep();
        assertThat(forgotten).containsExactly("p1"); // p2 is idle too, but holds something
        assertThat(table.evicted()).isEqualTo(1);
    }
}
