package org.mediasec.gateway.context;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.BindException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mediasec.bearer.PortAllocator;
import org.mediasec.bearer.PortHolds;
import org.mediasec.gateway.GatewayError;
import org.mediasec.testsupport.WireTest;

/**
 * The port race of issue 23: a port announced in the Add's SDP must still be ours when the Modify opens its leg, whatever
 * another process does in between, and a port another process holds is never handed out.
 */
class UsablePortsTest {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    @ParameterizedTest(name = "holds on epoll: {0}")
    @ValueSource(booleans = {false, true})
    @WireTest
    void aHeldPortCannotBeTakenByAnotherSocketUntilReleasedButOurListenerBindsBesideIt(boolean epollHolds) throws Exception {
        int port = freePortPair();
        UsablePorts ports = new UsablePorts(List.of(new PortAllocator.Realm("access", LOOPBACK, port, port)), new PortHolds(epollHolds));
        PortAllocator.Allocation allocation = ports.allocate(false);
        assertThat(allocation.port()).isEqualTo(port);
        InetSocketAddress address = new InetSocketAddress(LOOPBACK, port);

        // another process between the Add and the Modify does not get the port
        assertAnotherListenerIsRefused(address);

        // the leg's listener (SO_REUSEADDR, as LegSockets binds it) binds, listens and accepts beside the hold
        try (ServerSocket leg = new ServerSocket()) {
            leg.setReuseAddress(true);
            leg.bind(address);
            try (Socket peer = new Socket(LOOPBACK, port); Socket accepted = leg.accept()) {
                OutputStream out = peer.getOutputStream();
                out.write(42);
                out.flush();
                InputStream in = accepted.getInputStream();
                assertThat(in.read()).isEqualTo(42);
            }
        }

        ports.release(allocation);
        assertThat(ports.inUse()).isZero();
        // let go of: a listener binds (SO_REUSEADDR: the test's connection is in TIME_WAIT on the port)
        try (ServerSocket next = new ServerSocket()) {
            next.setReuseAddress(true);
            next.bind(address);
        }
    }

    @ParameterizedTest(name = "holds on epoll: {0}")
    @ValueSource(booleans = {false, true})
    @WireTest
    void aUdpLegBindsTheHeldPortOnceTheUdpHoldLetsGo(boolean epollHolds) throws Exception {
        int port = freePortPair();
        UsablePorts ports = new UsablePorts(List.of(new PortAllocator.Realm("access", LOOPBACK, port, port)), new PortHolds(epollHolds));
        PortAllocator.Allocation allocation = ports.allocate(true);
        InetSocketAddress address = new InetSocketAddress(LOOPBACK, port);
        assertThatThrownBy(() -> {
            try (DatagramSocket thief = new DatagramSocket(null)) {
                thief.bind(address);
            }
        }).as("a datagram termination's port is held for UDP").isInstanceOf(BindException.class);
        ports.openingDatagramLeg(allocation);
        try (DatagramSocket leg = new DatagramSocket(null)) {
            leg.bind(new InetSocketAddress(LOOPBACK, port));
        }
        ports.release(allocation);
    }

    @ParameterizedTest(name = "holds on epoll: {0}")
    @ValueSource(booleans = {false, true})
    @WireTest
    void aPortAnotherProcessHoldsIsSkippedAndTheNextOneHandedOut(boolean epollHolds) throws Exception {
        int port = freePortPair();
        UsablePorts ports = new UsablePorts(List.of(new PortAllocator.Realm("access", LOOPBACK, port, port + 1)), new PortHolds(epollHolds));
        try (ServerSocket other = new ServerSocket()) {
            other.bind(new InetSocketAddress(LOOPBACK, port));
            PortAllocator.Allocation allocation = ports.allocate(false);
            assertThat(allocation.port()).isEqualTo(port + 1);
            // both ports now taken: the next Add gets 510, and the skipped port is not counted as in use
            assertThatThrownBy(() -> ports.allocate(false)).isInstanceOf(GatewayError.class);
            assertThat(ports.inUse()).isEqualTo(1);
            ports.release(allocation);
        }
    }

    @ParameterizedTest(name = "holds on epoll: {0}")
    @ValueSource(booleans = {false, true})
    @WireTest
    void onceTheLegsConnectionHoldsThePortTheHoldsLetGoAndNoOtherListenerGetsIt(boolean epollHolds) throws Exception {
        int port = freePortPair();
        UsablePorts ports = new UsablePorts(List.of(new PortAllocator.Realm("access", LOOPBACK, port, port)), new PortHolds(epollHolds));
        PortAllocator.Allocation allocation = ports.allocate(false);
        InetSocketAddress address = new InetSocketAddress(LOOPBACK, port);
        try (ServerSocket leg = new ServerSocket()) {
            leg.setReuseAddress(true);
            leg.bind(address);
            try (Socket peer = new Socket(LOOPBACK, port); Socket accepted = leg.accept()) {
                leg.close(); // one connection per leg: the listener goes once it has its connection
                long before = openFiles();
                ports.heldByConnection(allocation);
                assertThat(openFiles()).as("the hold's socket is closed").isEqualTo(before - 1);

                // the connection keeps another socket off the port as the hold did (one with SO_REUSEADDR could bind
                // beside either, as the class says: the hold never stopped that one, nor can it take our connection)
                assertAnotherListenerIsRefused(address);
                assertThat(ports.inUse()).as("still allocated until the release").isEqualTo(1);
                assertThatThrownBy(() -> ports.allocate(false)).isInstanceOf(GatewayError.class);
            }
        }
        ports.release(allocation);
        assertThat(ports.inUse()).isZero();
    }

    /** A socket of another process (no SO_REUSEADDR) cannot bind the port. */
    private static void assertAnotherListenerIsRefused(InetSocketAddress address) {
        assertThatThrownBy(() -> {
            try (ServerSocket thief = new ServerSocket()) {
                thief.setReuseAddress(false);
                thief.bind(address);
            }
        }).isInstanceOf(BindException.class);
    }

    private static long openFiles() throws IOException {
        try (var files = java.nio.file.Files.list(java.nio.file.Path.of("/proc/self/fd"))) {
            return files.count();
        }
    }

    /** A port p with p and p + 1 free for TCP and UDP a moment ago (below the kernel's ephemeral range is not needed here). */
    private static int freePortPair() throws IOException {
        for (int attempt = 0; attempt < 50; attempt++) {
            int port;
            try (ServerSocket probe = new ServerSocket(0, 1, LOOPBACK)) {
                port = probe.getLocalPort();
            }
            if (port < 65535 && free(port) && free(port + 1)) {
                return port;
            }
        }
        throw new IOException("no two adjacent free ports on loopback");
    }

    private static boolean free(int port) {
        try (ServerSocket tcp = new ServerSocket(); DatagramSocket udp = new DatagramSocket(null)) {
            tcp.bind(new InetSocketAddress(LOOPBACK, port));
            udp.bind(new InetSocketAddress(LOOPBACK, port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
