package org.mediasec.bearer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.netty.channel.epoll.Epoll;
import java.io.IOException;
import java.io.InputStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.mediasec.testsupport.WireTest;

/**
 * A port held for a termination on the epoll transport, and the passive leg's listener made of that hold (issue 23):
 * the listener is the held socket itself (no second socket), the port is never free in between, and the descriptor
 * is closed exactly once, by whoever owns it at the end.
 */
@org.junit.jupiter.api.Timeout(60)
class PortHoldsTest {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final Optional<InetSocketAddress> FROM_LOOPBACK = Optional.of(new InetSocketAddress(LOOPBACK, 0));

    private final BearerPlane plane = new BearerPlane(BearerConfig.DEFAULT);
    private final List<BearerEvent> events = new CopyOnWriteArrayList<>();

    @AfterEach
    void close() {
        plane.close();
    }

    @Test
    @WireTest
    void aPassiveLegListensOnItsPortsHoldItselfAndTheDescriptorIsClosedOnceWhenThePairGoes() throws Exception {
        Assumptions.assumeTrue(Epoll.isAvailable() && plane.portHolds().available(), "the epoll transport (Linux) holds ports in the plane");
        warmUp();
        int port = freePort();
        InetSocketAddress address = new InetSocketAddress(LOOPBACK, port);
        assertThat(plane.portHolds().hold(address)).isTrue();
        assertRefusedToAnotherProcess(address);
        assertThat(plane.portHolds().hold(address)).as("held twice: the second replaces the first, which is closed").isTrue();
        long held = openFiles();

        try (ServerSocket core = new ServerSocket(0, 50, LOOPBACK)) {
            RelayPair pair = plane.open(LegSpec.passive(address, FROM_LOOPBACK), LegSpec.active(new InetSocketAddress(LOOPBACK, 0),
                    (InetSocketAddress) core.getLocalSocketAddress()), events::add).get(5, TimeUnit.SECONDS);
            assertThat(pair.localAddress(Side.A)).isEqualTo(address);
            assertThat(plane.portHolds().holds(address)).as("the listener took the hold").isFalse();
            try (Socket coreSide = core.accept()) {
                coreSide.setSoTimeout(10_000);
                // the listener is the held descriptor: since the hold, the core's listener and accepted socket (the
                // test's) and the leg's connection to it, and no listener of the leg's own (that would be + 4)
                assertThat(openFiles()).isEqualTo(held + 3);
                plane.portHolds().release(address); // what the gateway does at a Subtract: the listener is not the hold's any more
                try (Socket ue = new Socket(LOOPBACK, port)) {
                    ue.getOutputStream().write("ping".getBytes());
                    InputStream in = coreSide.getInputStream();
                    assertThat(in.readNBytes(4)).isEqualTo("ping".getBytes());
                }
                pair.release("test");
                await().atMost(Duration.ofSeconds(5)).until(() -> events.stream().anyMatch(BearerEvent.Released.class::isInstance));
            }
        }
        // every descriptor of the pair closed once: the count is back to before the hold, and the port is free
        await().atMost(Duration.ofSeconds(5)).until(() -> openFiles() == held - 1);
        try (ServerSocket next = new ServerSocket()) {
            next.setReuseAddress(false);
            next.bind(address);
        }
    }

    @Test
    @WireTest
    void aHoldNobodyListenedOnIsClosedByItsRelease() throws Exception {
        Assumptions.assumeTrue(Epoll.isAvailable() && plane.portHolds().available(), "the epoll transport (Linux) holds ports in the plane");
        InetSocketAddress address = new InetSocketAddress(LOOPBACK, freePort());
        long before = openFiles();
        assertThat(plane.portHolds().hold(address)).isTrue();
        assertThat(openFiles()).isEqualTo(before + 1);
        try (ServerSocket taken = new ServerSocket()) {
            taken.setReuseAddress(true);
            // a listener of another process with SO_REUSEADDR may bind beside a hold that never listens (UsablePorts says so)
            taken.bind(address);
        }
        plane.portHolds().release(address);
        plane.portHolds().release(address); // twice: nothing more is closed
        assertThat(openFiles()).isEqualTo(before);
        assertThat(plane.portHolds().holds(address)).isFalse();
    }

    /** One pair opened and released first, so that what the plane's loops open on first use is not counted below. */
    private void warmUp() throws Exception {
        try (ServerSocket core = new ServerSocket(0, 50, LOOPBACK)) {
            RelayPair pair = plane.open(LegSpec.passive(new InetSocketAddress(LOOPBACK, 0), Optional.empty()), LegSpec.active(new InetSocketAddress(LOOPBACK, 0),
                    (InetSocketAddress) core.getLocalSocketAddress()), events::add).get(5, TimeUnit.SECONDS);
            core.accept().close();
            pair.release("warm-up");
            await().atMost(Duration.ofSeconds(5)).until(() -> events.stream().anyMatch(BearerEvent.Released.class::isInstance));
        }
        events.clear();
    }

    private static void assertRefusedToAnotherProcess(InetSocketAddress address) {
        assertThatThrownBy(() -> {
            try (ServerSocket thief = new ServerSocket()) {
                thief.setReuseAddress(false);
                thief.bind(address);
            }
        }).isInstanceOf(BindException.class);
    }

    private static int freePort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, LOOPBACK)) {
            return probe.getLocalPort();
        }
    }

    private static long openFiles() throws IOException {
        try (var files = Files.list(Path.of("/proc/self/fd"))) {
            return files.count();
        }
    }
}
