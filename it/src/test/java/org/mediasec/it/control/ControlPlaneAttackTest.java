package org.mediasec.it.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.mediasec.h248.message.MessageId;
import org.mediasec.h248.message.ServiceChangeParameter;
import org.mediasec.h248.message.TerminationId;
import org.mediasec.h248stack.client.CommandClient;
import org.mediasec.h248stack.client.CommandFailedException;
import org.mediasec.testsupport.WireTest;

/**
 * The gateway's control plane attacked as an attacker on the MGC's own host (or anywhere on the network) would:
 * commands and a HandOff from the MGC's address but another port, a HandOff towards an MGC of the sender's choosing,
 * a flood from 100,000 rotating sources, and the gateway as a 402 reflector. Each runs against a {@code mediasec
 * gateway} process on real sockets; the real MGC is an MGC on our stack in this JVM.
 */
@Timeout(300)
class ControlPlaneAttackTest {

    /** How long "nothing happens" is watched for, after the attack datagram is known to have been processed. */
    private static final Duration QUIET = Duration.ofSeconds(2);

    @TempDir
    Path dir;
    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable resource : open.reversed()) {
            resource.close();
        }
    }

    private record Setup(TestMgc mgc, GatewayProcess gateway, InetSocketAddress gatewayAddress, int metricsPort) {}

    private Setup registeredGateway(String controlExtra) throws Exception {
        int mgcPort = GatewayProcess.udpPort();
        int gatewayPort = GatewayProcess.udpPort();
        int metricsPort = GatewayProcess.tcpPort();
        int bearer = GatewayProcess.bearerPorts(23000);
        TestMgc mgc = TestMgc.udp(mgcPort);
        open.add(mgc);
        GatewayProcess gateway = GatewayProcess.start(dir, "gateway", """
                control: { address: 127.0.0.1, port: %d%s }
                mgcs: ["127.0.0.1:%d"]
                realms: [ { name: access, address: 127.0.0.1, ports: %d-%d } ]
                metrics: { port: %d }
                """.formatted(gatewayPort, controlExtra, mgcPort, bearer, bearer + 9, metricsPort));
        open.add(gateway);
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> !mgc.registrations().isEmpty());
        return new Setup(mgc, gateway, new InetSocketAddress(TestMgc.LOOPBACK, gatewayPort), metricsPort);
    }

    private static String add(long transaction) {
        return """
                MEGACO/3 [127.0.0.1]:2944
                Transaction = %d { Context = $ { Add = ip/$ { Media { Stream = 1 {
                  Local { v=0
                c=IN IP4 $
                m=message $ TCP/MSRP *
                 }, Remote { v=0
                c=IN IP4 127.0.0.1
                m=message 9 TCP/MSRP *
                a=setup:active
                 } } } } } }
                """.formatted(transaction);
    }

    private static String handOff(long transaction, int towardsPort) {
        return "MEGACO/3 [127.0.0.1]:2944\nTransaction = " + transaction + " { Context = - { ServiceChange = ROOT { Services { Method = HandOff, "
                + "Reason = 903, MgcIdToTry = [127.0.0.1]:" + towardsPort + " } } } }\n";
    }

    /** The MGC asks for every context: 431 "no TerminationID matched" when there is none. */
    private static String auditAll(long transaction) {
        return "MEGACO/3 [127.0.0.1]:2944\nTransaction = " + transaction + " { Context = * { AuditValue = * } }\n";
    }

    private static void send(DatagramSocket socket, InetSocketAddress to, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        socket.send(new DatagramPacket(bytes, bytes.length, to));
    }

    private static List<String> receiveAll(DatagramSocket socket, Duration quiet) throws IOException {
        List<String> received = new ArrayList<>();
        socket.setSoTimeout((int) quiet.toMillis());
        byte[] buffer = new byte[65_536];
        while (true) {
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                socket.receive(packet);
            } catch (SocketTimeoutException e) {
                return received;
            }
            received.add(new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8));
        }
    }

    @Test
    @Tag("SEC-1")
    @WireTest
    void anAddFromTheMgcsAddressButAnotherPortIsNotExecuted() throws Exception {
        Setup setup = registeredGateway("");
        try (DatagramSocket attacker = new DatagramSocket(new InetSocketAddress(TestMgc.LOOPBACK, 0))) {
            send(attacker, setup.gatewayAddress(), add(77));

            // nothing comes back; the MGC's audit, sent after the attack, sees no context; and the gateway did read the attack
            assertThat(receiveAll(attacker, QUIET)).isEmpty();
            assertThat(setup.mgc().send(setup.gatewayAddress(), auditAll(1)).toString()).contains("431");
            assertThat(GatewayProcess.metric(setup.metricsPort(), "mediasec_h248_refused_messages_total")).isEqualTo(1);
        }
    }

    @Test
    @Tag("SEC-1")
    @WireTest
    void aHandOffFromAnotherPortOfTheMgcsAddressDoesNotRehomeTheGateway() throws Exception {
        Setup setup = registeredGateway("");
        try (TestMgc rogue = TestMgc.udp(GatewayProcess.udpPort());
                DatagramSocket attacker = new DatagramSocket(new InetSocketAddress(TestMgc.LOOPBACK, 0))) {
            send(attacker, setup.gatewayAddress(), handOff(78, rogue.address().getPort()));

            Awaitility.await().during(QUIET).atMost(QUIET.plusSeconds(1)).until(() -> rogue.registrations().isEmpty());
            assertThat(receiveAll(attacker, Duration.ofMillis(100))).isEmpty();
            // still controlled by its MGC (a command from it is executed), and the gateway did read the attack
            assertThat(setup.mgc().send(setup.gatewayAddress(), add(2)).actions().get(0).error()).isEmpty();
            assertThat(GatewayProcess.metric(setup.metricsPort(), "mediasec_h248_refused_messages_total")).isEqualTo(1);
        }
    }

    @Test
    @Tag("SEC-1")
    @WireTest
    void aHandOffFromTheRegisteredMgcTowardsAnUnconfiguredMgcIsRefused() throws Exception {
        Setup setup = registeredGateway("");
        try (TestMgc unconfigured = TestMgc.udp(GatewayProcess.udpPort())) {
            CommandClient client = new CommandClient(actions -> setup.mgc().endpoint().request(setup.gatewayAddress(), actions));

            assertThatThrownBy(() -> client.serviceChange(TerminationId.ROOT, ServiceChangeParameter.ServiceChangeMethod.HAND_OFF, "903",
                    List.of(new ServiceChangeParameter.MgcIdToTry(MessageId.ipv4("127.0.0.1", unconfigured.address().getPort())))).get(10, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).cause().isInstanceOfSatisfying(CommandFailedException.class,
                            failure -> assertThat(failure.error().code()).isEqualTo(402));
            Awaitility.await().during(QUIET).atMost(QUIET.plusSeconds(1)).until(() -> unconfigured.registrations().isEmpty());
        }
    }

    @Test
    @Tag("SEC-1")
    @WireTest
    void unauthorizedRepliesAreRateLimitedSoTheGatewayIsNoReflector() throws Exception {
        Setup setup = registeredGateway(", unknownPeers: { answer: 402, repliesPerSecond: 10 }");
        List<DatagramSocket> sources = new ArrayList<>();
        try {
            for (int i = 1; i <= 20; i++) {
                DatagramSocket source = new DatagramSocket(new InetSocketAddress(InetAddress.getByName("127.2.0." + i), 0));
                sources.add(source);
            }
            long started = System.nanoTime();
            for (int round = 0; round < 100; round++) {
                for (DatagramSocket source : sources) {
                    send(source, setup.gatewayAddress(), add(1000 + round));
                }
                if (round % 10 == 9) {
                    // paced by the MGC's round trip, so that the gateway's receive buffer never overflows
                    assertThat(setup.mgc().send(setup.gatewayAddress(), auditAll(round)).toString()).contains("431");
                }
            }
            // the gateway has read (and counted) them all: the replies it sent are on their way or here
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> GatewayProcess.metric(setup.metricsPort(), "mediasec_h248_refused_messages_total") >= 1900);
            double seconds = (System.nanoTime() - started) / 1e9;
            int replies = 0;
            for (DatagramSocket source : sources) {
                List<String> received = receiveAll(source, Duration.ofMillis(300));
                assertThat(received).allSatisfy(reply -> assertThat(reply).contains("402"));
                replies += received.size();
            }
            // a burst of 10, then 10 a second: 2,000 datagrams from strangers draw a handful of replies, not 2,000
            assertThat(replies).isPositive().isLessThanOrEqualTo(10 + (int) Math.ceil(10 * seconds));
        } finally {
            sources.forEach(DatagramSocket::close);
        }
    }

    @Test
    @Tag("SEC-1")
    @WireTest
    void aFloodFromOneHundredThousandSourcesKeepsTheHeapFlatAndTheMgcServed() throws Exception {
        Setup setup = registeredGateway("");
        long before = setup.gateway().heapUsedAfterGcKib();
        byte[] attack = add(4242).getBytes(StandardCharsets.UTF_8);
        int sent = 0;
        // half from the MGC's own address on rotating ports, half from rotating addresses of 127.0.0.0/8
        for (int i = 0; i < 100_000; i++) {
            InetAddress from = i % 2 == 0 ? TestMgc.LOOPBACK
                    : InetAddress.getByAddress(new byte[] {127, 3, (byte) ((i >> 8) & 0xFF), (byte) (1 + (i & 0xFF) % 254)});
            try (DatagramChannel source = DatagramChannel.open()) {
                source.bind(new InetSocketAddress(from, 0));
                source.send(ByteBuffer.wrap(attack), setup.gatewayAddress());
                sent++;
            }
            if (i % 200 == 199) {
                // the real MGC is served all along; its round trip also paces the flood so that the gateway's receive
                // buffer never overflows (the gateway reads its socket in order: the reply comes after the flood so far)
                assertThat(setup.mgc().send(setup.gatewayAddress(), auditAll(10 + i)).toString()).contains("431");
            }
        }
        long after = setup.gateway().heapUsedAfterGcKib();
        System.out.printf("gateway heap after GC: %d KiB before the flood, %d KiB after %d datagrams%n", before, after, sent);
        assertThat(after - before).as("heap growth in KiB after GC (%d before, %d after)", before, after).isLessThan(16 * 1024);
        // every datagram reached the gateway and was counted (what a lost datagram would not prove)
        assertThat(GatewayProcess.metric(setup.metricsPort(), "mediasec_h248_refused_messages_total")).isGreaterThanOrEqualTo(sent * 0.99);
    }
}
