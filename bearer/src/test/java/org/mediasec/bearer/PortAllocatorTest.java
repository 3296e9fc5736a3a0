package org.mediasec.bearer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PortAllocatorTest {

    private final PortAllocator allocator = new PortAllocator(List.of(
            new PortAllocator.Realm("access", InetAddress.getLoopbackAddress(), 20_000, 20_009),
            new PortAllocator.Realm("core", InetAddress.getLoopbackAddress(), 30_000, 30_999)));

    @Test
    void givesEachPortOnceAndSaysWhenTheRealmIsFull() throws Exception {
        Set<Integer> ports = new HashSet<>();
        for (int i = 0; i < 10; i++) {
            ports.add(allocator.allocate("access").port());
        }
        assertThat(ports).hasSize(10).allSatisfy(port -> assertThat(port).isBetween(20_000, 20_009));
        assertThatThrownBy(() -> allocator.allocate("access")).isInstanceOf(PortAllocator.NoPortAvailable.class)
                .hasMessageContaining("access").hasMessageContaining("10");
        assertThat(allocator.allocate("core").port()).isBetween(30_000, 30_999); // realms are independent
    }

    @Test
    void aReleasedPortIsNotReusedAtOnce() throws Exception {
        PortAllocator.Allocation first = allocator.allocate("access");
        allocator.release(first);
        assertThat(allocator.allocate("access").port()).isNotEqualTo(first.port());
    }

    @Test
    void aHundredThousandAllocationsAndReleasesLeakNothing() throws Exception {
        Random random = new Random(5);
        Deque<PortAllocator.Allocation> held = new ArrayDeque<>();
        for (int i = 0; i < 100_000; i++) {
            if (held.size() < 1000 && (held.isEmpty() || random.nextBoolean())) {
                held.add(allocator.allocate("core"));
            } else {
                allocator.release(random.nextBoolean() ? held.pollFirst() : held.pollLast());
            }
        }
        assertThat(allocator.inUse("core")).isEqualTo(held.size());
        while (!held.isEmpty()) {
            allocator.release(held.poll());
        }
        assertThat(allocator.inUse("core")).isZero();
        for (int i = 0; i < 1000; i++) {
            allocator.allocate("core"); // every port can be had again
        }
    }

    @Test
    void misuseIsRefusedClearly() throws Exception {
        PortAllocator.Allocation allocation = allocator.allocate("access");
        allocator.release(allocation);
        assertThatThrownBy(() -> allocator.release(allocation)).isInstanceOf(IllegalStateException.class).hasMessageContaining("not allocated");
        assertThatThrownBy(() -> allocator.allocate("dmz")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("access");
        assertThatThrownBy(() -> new PortAllocator.Realm("x", InetAddress.getLoopbackAddress(), 10, 5)).isInstanceOf(IllegalArgumentException.class);
    }
}
