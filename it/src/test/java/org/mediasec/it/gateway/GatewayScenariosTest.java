package org.mediasec.it.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.mediasec.bearer.tls.CertificateFingerprint;
import org.mediasec.bearer.tls.SelfSignedCertificate;
import org.mediasec.h248.message.ActionReply;
import org.mediasec.h248.message.CommandReply;
import org.mediasec.h248.message.ContextId;
import org.mediasec.h248.message.Descriptor;
import org.mediasec.h248.message.MediaParameter;
import org.mediasec.h248.message.MessageId;
import org.mediasec.h248.message.Transaction;
import org.mediasec.h248.text.H248TextParser;
import org.mediasec.h248stack.association.MgcRegistrar;
import org.mediasec.h248stack.association.MgcUser;
import org.mediasec.h248stack.transaction.TransactionTimers;
import org.mediasec.h248stack.transport.UdpEndpoint;
import org.mediasec.testsupport.RequiresPeer;
import org.mediasec.testsupport.WireTest;

/**
 * The call scenarios of the gateway issue against one {@code mediasec gateway} process (IMS-AGW, H.248 over UDP),
 * driven by an MGC on our H.248 stack, with {@code openssl s_client} UEs and plain TCP peers: TLS↔TLS between two
 * UEs, BFCP, FIN from the UE, RST from the core, a Subtract in the middle of a transfer, AuditValue of a context and
 * a realm running out of ports.
 */
@Timeout(300)
@RequiresPeer(command = "openssl", debianPackage = "openssl")
class GatewayScenariosTest {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final int PORTS = 12;
    /** How long a Notify count must stay put once both legs are closed, to call it "exactly one". */
    private static final Duration QUIET = Duration.ofSeconds(1);

    @TempDir
    static Path shared;
    @TempDir
    Path dir;
    private static Process gateway;
    private static UdpEndpoint mgc;
    private static InetSocketAddress gatewayAddress;
    private static final List<String> NOTIFIES = new CopyOnWriteArrayList<>();
    private static long transaction = 100;
    private final List<Process> processes = new ArrayList<>();

    @BeforeAll
    static void startGateway() throws Exception {
        int mgcPort = port(true);
        int gatewayPort = port(true);
        int firstBearerPort = 23000 + (int) (ProcessHandle.current().pid() % 500) * 16;
        AtomicReference<MgcRegistrar> registrar = new AtomicReference<>();
        MgcUser user = (context, notify) -> {
            NOTIFIES.add(notify.toString());
            return Optional.empty();
        };
        mgc = UdpEndpoint.bind(new InetSocketAddress(LOOPBACK, mgcPort), MessageId.ipv4("127.0.0.1", mgcPort), 3, TransactionTimers.DEFAULT,
                peer -> Optional.of(registrar.updateAndGet(r -> r != null ? r : new MgcRegistrar(Optional.empty(), 3, MgcUser.handler(user)))));
        Path config = shared.resolve("gateway.yaml");
        Files.writeString(config, """
                control: { address: 127.0.0.1, port: %d }
                mgcs: ["127.0.0.1:%d"]
                realms: [ { name: access, address: 127.0.0.1, ports: %d-%d } ]
                metrics: { port: 0 }
                """.formatted(gatewayPort, mgcPort, firstBearerPort, firstBearerPort + PORTS - 1));
        gateway = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "--enable-native-access=ALL-UNNAMED", "-cp",
                System.getProperty("java.class.path"), "org.mediasec.app.Main", "gateway", "--config", config.toString(), "--data-dir",
                shared.resolve("data").toString()).redirectErrorStream(true).redirectOutput(shared.resolve("gateway.out").toFile()).start();
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> registrar.get() != null && registrar.get().registration().isPresent());
        gatewayAddress = new InetSocketAddress(LOOPBACK, gatewayPort);
    }

    @AfterAll
    static void stopGateway() throws Exception {
        gateway.destroy();
        gateway.waitFor(20, TimeUnit.SECONDS);
        mgc.close();
    }

    @AfterEach
    void tearDown() {
        processes.forEach(Process::destroyForcibly);
    }

    private static int port(boolean udp) throws IOException {
        if (udp) {
            try (java.net.DatagramSocket probe = new java.net.DatagramSocket(0, LOOPBACK)) {
                return probe.getLocalPort();
            }
        }
        try (ServerSocket probe = new ServerSocket(0, 1, LOOPBACK)) {
            return probe.getLocalPort();
        }
    }

    private static synchronized ActionReply send(String actions) throws Exception {
        String text = "MEGACO/3 [127.0.0.1]:2944\nTransaction = " + (++transaction) + " {\n" + actions + "\n}\n";
        Transaction.TransactionRequest request = (Transaction.TransactionRequest) H248TextParser.parse(text).transactions().get(0);
        return mgc.request(gatewayAddress, request.actions()).get(15, TimeUnit.SECONDS).actions().get(0);
    }

    private static String local(CommandReply reply) {
        return ((CommandReply.AmmsReply) reply).localSdp(1).orElseThrow();
    }

    private static int mPort(CommandReply reply) {
        return Integer.parseInt(local(reply).lines().filter(l -> l.startsWith("m=")).findFirst().orElseThrow().split(" ")[1]);
    }

    private static long context(ActionReply reply) {
        return ((ContextId.Specific) reply.contextId()).value();
    }

    private Process ue(SelfSignedCertificate certificate, int port, Path stdin, Path stdout, String... more) throws Exception {
        Path cert = dir.resolve(certificate.certificate().getSerialNumber() + ".pem");
        Path key = dir.resolve(certificate.certificate().getSerialNumber() + ".key");
        certificate.write(cert, key);
        List<String> command = new ArrayList<>(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + port, "-cert", cert.toString(), "-key", key.toString()));
        command.addAll(List.of(more));
        Process process = new ProcessBuilder(command).redirectInput(stdin.toFile()).redirectOutput(stdout.toFile())
                .redirectError(dir.resolve("err-" + port).toFile()).start();
        processes.add(process);
        return process;
    }

    /** The gateway released this leg: end of stream (FIN) or a reset, whichever the release passed on. */
    static void assertReleased(Socket socket) throws IOException {
        socket.setSoTimeout(5000);
        try {
            assertThat(socket.getInputStream().read()).isEqualTo(-1);
        } catch (java.net.SocketException reset) {
            assertThat(reset.getMessage()).containsIgnoringCase("reset");
        }
    }

    /**
     * The one Notify after the first {@code before}: awaited, then (both legs being closed already, as the caller saw)
     * no second one for {@link #QUIET}.
     */
    private static String onlyNotifySince(int before) {
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> NOTIFIES.size() > before);
        Awaitility.await("no second Notify for " + QUIET).failFast("a second Notify: " + NOTIFIES, () -> NOTIFIES.size() > before + 1)
                .during(QUIET).atMost(QUIET.plus(Duration.ofSeconds(10))).until(() -> NOTIFIES.size() == before + 1);
        return NOTIFIES.get(before);
    }

    private static String fingerprint(SelfSignedCertificate certificate) {
        return CertificateFingerprint.of("sha-256", certificate.certificate()).toString();
    }

    @Test
    @Tag("GW-2")
    @Tag("TLS-1")
    @WireTest
    void twoUesTalkThroughTwoIndependentTlsSessions() throws Exception {
        SelfSignedCertificate alice = SelfSignedCertificate.generate("alice", Duration.ofDays(1));
        SelfSignedCertificate bob = SelfSignedCertificate.generate("bob", Duration.ofDays(1));
        ActionReply reply = send("Context = $ {\n" + AddRequests.add("TCP/TLS/MSRP", "active", 9, Optional.of(fingerprint(alice)), "") + ",\n"
                + AddRequests.add("TCP/TLS/MSRP", "active", 9, Optional.of(fingerprint(bob)), "") + "\n}");
        assertThat(reply.error()).isEmpty();
        Path message = dir.resolve("message.txt");
        Files.writeString(message, "MSRP b1 SEND\r\nTo-Path: msrps://bob/s;tcp\r\n-------b1$\r\n");
        Path nothing = dir.resolve("nothing.txt");
        Files.writeString(nothing, "");
        ue(bob, mPort(reply.replies().get(1)), nothing, dir.resolve("bob.out"), "-quiet");
        ue(alice, mPort(reply.replies().get(0)), message, dir.resolve("alice.out"), "-quiet");
        Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> Files.readString(dir.resolve("bob.out")).contains("-------b1$"));
        assertThat(send("Context = " + context(reply) + " { Subtract = * }").error()).isEmpty();
    }

    @Test
    @Tag("TCP-3")
    @Tag("TCP-8")
    @WireTest
    void bfcpIsRelayedAndAFinFromTheUeIsPassedOnAndNotifiedOnce() throws Exception {
        try (ServerSocket core = new ServerSocket(0, 1, LOOPBACK)) {
            ActionReply reply = send("Context = $ {\n" + AddRequests.add("TCP/BFCP", "active", 9, Optional.empty(), "tcpbcc/fail") + ",\n"
                    + AddRequests.add("TCP/BFCP", "passive", core.getLocalPort(), Optional.empty(), "") + "\n}");
            assertThat(reply.error()).isEmpty();
            assertThat(local(reply.replies().get(0))).contains("m=application").contains("TCP/BFCP");
            String termination = reply.replies().get(0).terminationId().id();
            int before = NOTIFIES.size();
            try (Socket client = new Socket(LOOPBACK, mPort(reply.replies().get(0))); Socket coreSide = core.accept()) {
                byte[] hello = {0x20, 0x0b, 0, 0, 0, 0, 0, 1, 0, 1, 0, 1};
                client.getOutputStream().write(hello);
                client.shutdownOutput(); // FIN from the UE
                coreSide.setSoTimeout(5000);
                assertThat(coreSide.getInputStream().readAllBytes()).isEqualTo(hello); // the bytes, then the FIN
                coreSide.shutdownOutput();
            }
            assertThat(onlyNotifySince(before)).contains(termination).contains("fin");
            assertThat(send("Context = " + context(reply) + " { Subtract = * }").error()).isEmpty();
        }
    }

    @Test
    @Tag("TCP-8")
    @WireTest
    void aResetFromTheCoreReleasesTheUesLegAndIsNotifiedOnTheCoreTermination() throws Exception {
        try (ServerSocket core = new ServerSocket(0, 1, LOOPBACK)) {
            ActionReply reply = send("Context = $ {\n" + AddRequests.add("TCP/MSRP", "active", 9, Optional.empty(), "") + ",\n"
                    + AddRequests.add("TCP/MSRP", "passive", core.getLocalPort(), Optional.empty(), "tcpbcc/fail, tcpbcc/estab") + "\n}");
            String coreTermination = reply.replies().get(1).terminationId().id();
            try (Socket client = new Socket(LOOPBACK, mPort(reply.replies().get(0)))) {
                Socket coreSide = core.accept();
                // the reset comes once the gateway has its connection to the core (before, it would be a failed connect)
                Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> NOTIFIES.stream().anyMatch(n -> n.contains(coreTermination) && n.contains("estab")));
                int before = NOTIFIES.size();
                coreSide.setSoLinger(true, 0);
                coreSide.close(); // RST from the core
                assertReleased(client);
                assertThat(onlyNotifySince(before)).contains(coreTermination).contains("rst");
            }
            assertThat(send("Context = " + context(reply) + " { Subtract = * }").error()).isEmpty();
        }
    }

    @Test
    @Tag("H248-7")
    @Tag("TLS-10")
    @WireTest
    void aSubtractInTheMiddleOfATransferAndTheAuditsAround() throws Exception {
        SelfSignedCertificate carol = SelfSignedCertificate.generate("carol", Duration.ofDays(1));
        try (ServerSocket core = new ServerSocket(0, 1, LOOPBACK)) {
            ActionReply reply = send("Context = $ {\n" + AddRequests.add("TCP/TLS/MSRP", "active", 9, Optional.of(fingerprint(carol)), "") + ",\n"
                    + AddRequests.add("TCP/MSRP", "passive", core.getLocalPort(), Optional.empty(), "") + "\n}");
            long context = context(reply);
            ActionReply audit = send("Context = " + context + " { AuditValue = * }");
            assertThat(((CommandReply.ContextTerminationAudit) audit.replies().get(0)).terminationIds()).hasSize(2);
            ActionReply one = send("Context = " + context + " { AuditValue = " + reply.replies().get(0).terminationId() + " { Audit { Media } } }");
            assertThat(one.toString()).contains("a=fingerprint:" + fingerprint(carol)); // the Remote we gave
            Path big = dir.resolve("big.txt");
            Files.writeString(big, "y".repeat(1 << 20));
            ue(carol, mPort(reply.replies().get(0)), big, dir.resolve("carol.out"), "-quiet");
            try (Socket coreSide = core.accept()) {
                assertThat(coreSide.getInputStream().readNBytes(4096)).hasSize(4096);
                ActionReply subtracted = send("Context = " + context + " { Subtract = * }");
                assertThat(subtracted.error()).isEmpty();
                assertThat(subtracted.toString()).contains("nt/or").contains("nt/os");
                coreSide.setSoTimeout(10_000);
                coreSide.getInputStream().readAllBytes(); // closed by the gateway
            }
            assertThat(send("Context = " + context + " { AuditValue = * }").error()).hasValueSatisfying(e -> assertThat(e.code()).isEqualTo(411));
        }
    }

    @Test
    @Tag("GW-9")
    @WireTest
    void whenTheRealmRunsOutOfPortsTheAddIsRefusedAndNothingLeaks() throws Exception {
        List<Long> contexts = new ArrayList<>();
        ActionReply refused = null;
        for (int i = 0; i <= PORTS; i++) {
            ActionReply reply = send("Context = $ {\n" + AddRequests.add("TCP/MSRP", "active", 9, Optional.empty(), "") + "\n}");
            if (reply.error().isPresent()) {
                refused = reply;
                break;
            }
            contexts.add(context(reply));
        }
        assertThat(refused).isNotNull();
        assertThat(refused.error().orElseThrow().code()).isEqualTo(510);
        for (long context : contexts) {
            assertThat(send("Context = " + context + " { Subtract = * }").error()).isEmpty();
        }
        // every port came back: as many Adds succeed again
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> {
            ActionReply again = send("Context = $ {\n" + AddRequests.add("TCP/MSRP", "active", 9, Optional.empty(), "") + "\n}");
            if (again.error().isEmpty()) {
                send("Context = " + context(again) + " { Subtract = * }");
            }
            return again.error().isEmpty();
        });
        assertThat(contexts).isNotEmpty();
    }
}
