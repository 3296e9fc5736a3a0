package org.mediasec.it.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;

/**
 * What the fault tests share: a {@code mediasec gateway} process ({@link SoakGateway}, with extra {@code limits}) under
 * our MGC ({@link SoakMgc}), the Notifies it sends as "termination event" lines, and calls opened with their UE and core
 * clients connected. Thread rule: the test's thread; the Notify list is concurrent.
 */
final class FaultRig implements AutoCloseable {

    private static final Duration REGISTRATION = Duration.ofSeconds(60);
    private static final Duration CONNECT = Duration.ofSeconds(10);

    SoakGateway gateway;
    final SoakMgc mgc;
    final List<String> notifies;

    private FaultRig(SoakGateway gateway, SoakMgc mgc, List<String> notifies) {
        this.gateway = gateway;
        this.mgc = mgc;
        this.notifies = notifies;
    }

    /** A gateway sized by {@code sizing}, its {@code limits} extended by {@code extraLimits} (", key: value"). */
    static FaultRig start(Path directory, SoakGateway.Sizing sizing, String extraLimits) throws Exception {
        int mgcPort = udpPort();
        SoakGateway gateway = SoakGateway.start(directory, udpPort(), mgcPort, sizing, 1, extraLimits);
        List<String> notifies = new CopyOnWriteArrayList<>();
        SoakMgc mgc = SoakMgc.start(mgcPort, gateway.control(), (termination, event) -> notifies.add(termination + " " + event));
        mgc.awaitRegistration(REGISTRATION, gateway.process().log());
        return new FaultRig(gateway, mgc, notifies);
    }

    /** A call whose UE and core clients are connected, the gateway relaying between them. */
    record Call(SoakMgc.Opened opened, Socket ue, Socket core) implements AutoCloseable {
        Socket leg(Leg leg) {
            return leg == Leg.ACCESS ? ue : core;
        }

        Socket otherThan(Leg leg) {
            return leg == Leg.ACCESS ? core : ue;
        }

        String termination(Leg leg) {
            return (leg == Leg.ACCESS ? opened.access() : opened.core()).toString();
        }

        @Override
        public void close() throws IOException {
            try (ue; core) {
                // both closed
            }
        }
    }

    enum Leg { ACCESS, CORE }

    Call call() throws Exception {
        SoakMgc.Opened opened = mgc.open();
        InetAddress loopback = InetAddress.getLoopbackAddress();
        Socket ue = new Socket();
        Socket core = new Socket();
        ue.connect(new InetSocketAddress(loopback, opened.accessPort()), (int) CONNECT.toMillis());
        core.connect(new InetSocketAddress(loopback, opened.corePort()), (int) CONNECT.toMillis());
        ue.setSoTimeout((int) SoakLoad.READ_TIMEOUT.toMillis());
        core.setSoTimeout((int) SoakLoad.READ_TIMEOUT.toMillis());
        return new Call(opened, ue, core);
    }

    /** {@code bytes} each way, checked byte for byte: the relay is up. */
    static void exchange(Call call, int bytes, long seed) throws IOException {
        StreamCheck towardsCore = new StreamCheck(seed);
        StreamCheck towardsUe = new StreamCheck(seed + 1);
        call.ue().getOutputStream().write(towardsCore.next(bytes));
        towardsCore.arrived(call.core().getInputStream().readNBytes(bytes), bytes);
        call.core().getOutputStream().write(towardsUe.next(bytes));
        towardsUe.arrived(call.ue().getInputStream().readNBytes(bytes), bytes);
        assertThat(towardsCore.intact() && towardsUe.intact()).as("bytes relayed unchanged both ways").isTrue();
    }

    /** The gateway released this client's leg: end of stream (FIN) or a reset, within {@code limit}, after any bytes still queued. */
    static void assertReleased(Socket socket, Duration limit) throws IOException {
        socket.setSoTimeout((int) limit.toMillis());
        try {
            while (socket.getInputStream().read() != -1) {
                // bytes relayed before the release
            }
        } catch (SocketException reset) {
            assertThat(reset.getMessage()).containsIgnoringCase("reset");
        }
    }

    /** Waits until the gateway holds no context, port or relay pair and its fds are at most {@code fds} + the soak's slack. */
    void assertNothingHeld(long fds) {
        Awaitility.await("nothing held").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            assertThat(gateway.metric("mediasec_contexts")).as("contexts").isZero();
            assertThat(gateway.metric("mediasec_ports_in_use")).as("ports").isZero();
            assertThat(gateway.metric("mediasec_bearers_open")).as("relay pairs").isZero();
            assertThat(gateway.openFiles()).as("open fds").isLessThanOrEqualTo(fds + SoakVerdict.FD_SLACK);
        });
    }

    @Override
    public void close() {
        mgc.close();
        gateway.close();
    }

    static int udpPort() throws IOException {
        try (DatagramSocket probe = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        }
    }
}
