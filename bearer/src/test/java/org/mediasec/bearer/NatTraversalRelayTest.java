package org.mediasec.bearer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The bearer's part of NAT traversal over real sockets on 127.0.0.1: a delayed leg (TCP-4) refuses and counts until
 * it is told to establish, a latching leg (TCP-6) takes the first source its policy accepts, a merging leg (TCP-5)
 * gets one connection whichever way it comes. Through a real NAT: the it module's NatTraversalTest.
 */
@Timeout(60)
class NatTraversalRelayTest {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final InetSocketAddress ANY_PORT = new InetSocketAddress(LOOPBACK, 0);
    private static final Optional<InetSocketAddress> FROM_LOOPBACK = Optional.of(new InetSocketAddress(LOOPBACK, 0));
    /** How long "nothing more comes" is watched. */
    private static final Duration QUIET = Duration.ofMillis(1500);

    private final BearerPlane plane = new BearerPlane(BearerConfig.DEFAULT);
    private final List<BearerEvent> events = new CopyOnWriteArrayList<>();

    @AfterEach
    void close() {
        plane.close();
    }

    private RelayPair open(LegSpec a, LegSpec b) throws Exception {
        return plane.open(a, b, events::add).get(5, TimeUnit.SECONDS);
    }

    private static LegSpec delayed(LegSpec spec) {
        return spec.withTraversal(new LegSpec.Traversal(true, false, Optional.empty()));
    }

    /** Bytes from {@code from} arrive at {@code to}, both ways. */
    private static void exchange(Socket ue, Socket core) throws IOException {
        ue.setSoTimeout(10_000);
        core.setSoTimeout(10_000);
        ue.getOutputStream().write("from the UE".getBytes(StandardCharsets.US_ASCII));
        assertThat(new String(core.getInputStream().readNBytes(11), StandardCharsets.US_ASCII)).isEqualTo("from the UE");
        core.getOutputStream().write("from the core".getBytes(StandardCharsets.US_ASCII));
        assertThat(new String(ue.getInputStream().readNBytes(13), StandardCharsets.US_ASCII)).isEqualTo("from the core");
    }

    /** A connection the gateway reset: reading it ends in a reset or end of stream, never in data. */
    private static void assertRefused(Socket socket) throws IOException {
        socket.setSoTimeout(10_000);
        assertThatThrownBy(() -> {
            if (socket.getInputStream().read() == -1) {
                throw new IOException("closed");
            }
        }).isInstanceOf(IOException.class).isNotInstanceOf(SocketTimeoutException.class);
    }

    @Test
    void aDelayedPassiveLegRefusesAndCountsEvenItsPeerUntilEstablishedThenAccepts() throws Exception {
        try (ServerSocket core = new ServerSocket(0, 1, LOOPBACK)) {
            RelayPair pair = open(delayed(LegSpec.passive(ANY_PORT, FROM_LOOPBACK)), LegSpec.active(ANY_PORT, (InetSocketAddress) core.getLocalSocketAddress()));
            int port = pair.localAddress(Side.A).getPort();
            try (Socket early = new Socket(LOOPBACK, port)) { // the expected address, but before the MGC said so
                assertRefused(early);
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> plane.refusedConnections() == 1);
            assertThat(events).filteredOn(BearerEvent.ConnectionRefused.class::isInstance).hasSize(1);
            pair.establish(Side.A).get(5, TimeUnit.SECONDS);
            try (Socket ue = new Socket(LOOPBACK, port); Socket coreSide = core.accept()) {
                exchange(ue, coreSide);
            }
            assertThat(plane.refusedConnections()).isEqualTo(1);
        }
    }

    @Test
    void aDelayedActiveLegConnectsOnlyWhenEstablished() throws Exception {
        try (ServerSocket core = new ServerSocket(0, 1, LOOPBACK)) {
            core.setSoTimeout((int) QUIET.toMillis());
            RelayPair pair = open(LegSpec.passive(ANY_PORT, FROM_LOOPBACK), delayed(LegSpec.active(ANY_PORT, (InetSocketAddress) core.getLocalSocketAddress())));
            try (Socket ue = new Socket(LOOPBACK, pair.localAddress(Side.A).getPort())) {
                assertThatThrownBy(core::accept).as("no connection before the establish signal").isInstanceOf(SocketTimeoutException.class);
                pair.establish(Side.B);
                core.setSoTimeout(10_000);
                try (Socket coreSide = core.accept()) {
                    exchange(ue, coreSide);
                }
            }
        }
    }

    @Test
    void aLatchingLegTakesTheFirstSourceThePolicyAcceptsAndReportsIt() throws Exception {
        LegSpec latching = LegSpec.passive(ANY_PORT, Optional.empty())
                .withTraversal(new LegSpec.Traversal(false, false, Optional.of(RemoteAddressPolicy.oneMachine(Set.of()))));
        try (ServerSocket core = new ServerSocket(0, 1, LOOPBACK)) {
            RelayPair pair = open(latching, LegSpec.active(ANY_PORT, (InetSocketAddress) core.getLocalSocketAddress()));
            try (Socket ue = new Socket(LOOPBACK, pair.localAddress(Side.A).getPort()); Socket coreSide = core.accept()) {
                exchange(ue, coreSide);
                assertThat(events).filteredOn(BearerEvent.Latched.class::isInstance).singleElement()
                        .isEqualTo(new BearerEvent.Latched(Side.A, (InetSocketAddress) ue.getLocalSocketAddress()));
            }
        }
    }

    @Test
    void aLatchingLegRefusesASourceThePolicyRefuses() throws Exception {
        // SEC-2: loopback is not allowed by a strict policy, so nothing on 127.0.0.1 may latch
        LegSpec latching = LegSpec.passive(ANY_PORT, Optional.empty())
                .withTraversal(new LegSpec.Traversal(false, false, Optional.of(RemoteAddressPolicy.strict(Set.of()))));
        try (ServerSocket core = new ServerSocket(0, 1, LOOPBACK)) {
            RelayPair pair = open(latching, LegSpec.active(ANY_PORT, (InetSocketAddress) core.getLocalSocketAddress()));
            try (Socket attacker = new Socket(LOOPBACK, pair.localAddress(Side.A).getPort())) {
                assertRefused(attacker);
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> plane.refusedConnections() == 1);
            assertThat(events).noneMatch(BearerEvent.Latched.class::isInstance);
        }
    }

    @Test
    void aMergingLegConnectsFromItsListeningPortToAPeerThatListens() throws Exception {
        try (ServerSocket ueListening = new ServerSocket(0, 1, LOOPBACK); ServerSocket core = new ServerSocket(0, 1, LOOPBACK)) {
            LegSpec merging = LegSpec.passive(ANY_PORT, Optional.of((InetSocketAddress) ueListening.getLocalSocketAddress()))
                    .withTraversal(new LegSpec.Traversal(false, true, Optional.empty()));
            RelayPair pair = open(merging, LegSpec.active(ANY_PORT, (InetSocketAddress) core.getLocalSocketAddress()));
            ueListening.setSoTimeout(10_000);
            try (Socket ue = ueListening.accept(); Socket coreSide = core.accept()) {
                // one port for both: the connection comes from the port the leg listens on (announced in SDP)
                assertThat(ue.getPort()).isEqualTo(pair.localAddress(Side.A).getPort());
                exchange(ue, coreSide);
            }
        }
    }

    @Test
    void aMergingLegRetriesUntilThePeerListensThenStops() throws Exception {
        int uePort;
        try (ServerSocket probe = new ServerSocket(0, 1, LOOPBACK)) {
            uePort = probe.getLocalPort();
        }
        try (ServerSocket core = new ServerSocket(0, 1, LOOPBACK)) {
            LegSpec merging = LegSpec.passive(ANY_PORT, Optional.of(new InetSocketAddress(LOOPBACK, uePort)))
                    .withTraversal(new LegSpec.Traversal(false, true, Optional.empty()));
            RelayPair pair = open(merging, LegSpec.active(ANY_PORT, (InetSocketAddress) core.getLocalSocketAddress()));
            // the first attempts meet a closed port (RST): let a few of them fail before the UE listens (an interval
            // the result does not depend on: with it or without it, one attempt after the UE listens gets through)
            await().pollDelay(Duration.ofMillis(600)).atMost(Duration.ofSeconds(2)).until(() -> true);
            try (ServerSocket ueListening = new ServerSocket(uePort, 1, LOOPBACK)) {
                ueListening.setSoTimeout(10_000);
                try (Socket ue = ueListening.accept(); Socket coreSide = core.accept()) {
                    assertThat(ue.getPort()).isEqualTo(pair.localAddress(Side.A).getPort());
                    exchange(ue, coreSide);
                    ueListening.setSoTimeout((int) QUIET.toMillis());
                    assertThatThrownBy(ueListening::accept).as("one connection: the attempts stopped").isInstanceOf(SocketTimeoutException.class);
                }
            }
        }
    }

    @Test
    void aMergingLegAcceptsThePeerThatConnectsFirstAndStopsConnecting() throws Exception {
        int uePort;
        try (ServerSocket probe = new ServerSocket(0, 1, LOOPBACK)) {
            uePort = probe.getLocalPort();
        }
        try (ServerSocket core = new ServerSocket(0, 1, LOOPBACK)) {
            LegSpec merging = LegSpec.passive(ANY_PORT, Optional.of(new InetSocketAddress(LOOPBACK, uePort)))
                    .withTraversal(new LegSpec.Traversal(false, true, Optional.empty()));
            RelayPair pair = open(merging, LegSpec.active(ANY_PORT, (InetSocketAddress) core.getLocalSocketAddress()));
            try (Socket ue = new Socket(LOOPBACK, pair.localAddress(Side.A).getPort(), LOOPBACK, 0); Socket coreSide = core.accept()) {
                exchange(ue, coreSide);
                try (ServerSocket ueListening = new ServerSocket(uePort, 1, LOOPBACK)) {
                    ueListening.setSoTimeout((int) QUIET.toMillis());
                    assertThatThrownBy(ueListening::accept).as("the leg has its connection: no attempt after it").isInstanceOf(SocketTimeoutException.class);
                }
            }
        }
    }
}
