package org.mediasec.it.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.mediasec.bearer.tls.CertificateFingerprint;
import org.mediasec.bearer.tls.SelfSignedCertificate;
import org.mediasec.h248.message.ActionReply;
import org.mediasec.h248.message.ActionRequest;
import org.mediasec.h248.message.CommandReply;
import org.mediasec.h248.message.ContextId;
import org.mediasec.h248.message.MessageId;
import org.mediasec.h248.message.ServiceChangeParameter;
import org.mediasec.h248.message.Transaction;
import org.mediasec.h248.text.H248TextParser;
import org.mediasec.h248stack.association.MgcRegistrar;
import org.mediasec.h248stack.association.MgcUser;
import org.mediasec.h248stack.transaction.TransactionTimers;
import org.mediasec.h248stack.transport.TcpEndpoint;
import org.mediasec.h248stack.transport.UdpEndpoint;
import org.mediasec.it.wire.WireCapture;
import org.mediasec.testsupport.RequiresPeer;
import org.mediasec.testsupport.WireTest;

/**
 * {@code mediasec gateway} as a process of its own, driven by an MGC built on our H.248 stack. Each test starts its
 * own gateway, so that one fault fails the requirements it touches and no others: registration (Restart) and, on
 * SIGTERM, deregistration (Forced) with exit 0; an e2ae Add pair (TLS towards an {@code openssl s_client} UE, TCP
 * towards a plain core socket) relaying real MSRP both ways and ended by Subtract; a UE with the wrong certificate
 * refused and reported with one Notify; the metrics an operator scrapes; a restart that keeps no context; H.248 over
 * TCP with the TrGW profile. A bad configuration exits 2 with the key named.
 */
@Timeout(180)
@RequiresPeer(command = "openssl", debianPackage = "openssl")
@RequiresPeer(command = "tshark", debianPackage = "tshark")
class GatewayProcessTest {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    /** Bearer ports per gateway: each pair needs two, the tests open at most two pairs at a time. */
    private static final int BEARER_PORTS = 10;
    /** How long "no second Notify" is watched for once the pair is released. */
    private static final Duration QUIET = Duration.ofSeconds(2);

    @TempDir
    Path dir;
    private final List<Process> processes = new ArrayList<>();
    private final List<String> notifies = new CopyOnWriteArrayList<>();
    private final List<MgcRegistrar.Registration> registrations = new CopyOnWriteArrayList<>();
    private final AtomicReference<MgcRegistrar> registrar = new AtomicReference<>();
    private final WireCapture control = new WireCapture();
    private UdpEndpoint mgc;

    /** A started gateway: its process, where its H.248 listens, its metrics port and its output. */
    private record Gateway(Process process, InetSocketAddress address, int mgcPort, int metricsPort, Path out) {}

    @AfterEach
    void tearDown() {
        processes.forEach(Process::destroyForcibly);
        if (mgc != null) {
            mgc.close();
        }
    }

    private Process gateway(String yaml, Path out) throws IOException {
        Path config = dir.resolve("gateway.yaml");
        Files.writeString(config, yaml);
        String java = ProcessHandle.current().info().command().orElse("java");
        Process process = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                "org.mediasec.app.Main", "gateway", "--config", config.toString(), "--data-dir", dir.resolve("data").toString())
                .redirectErrorStream(true).redirectOutput(out.toFile()).start();
        processes.add(process);
        return process;
    }

    /**
     * An IMS-AGW gateway process registered with our MGC over UDP (the MGC's side of the conversation is captured for
     * tshark); returns once both sides know of the registration.
     */
    private Gateway registeredGateway() throws Exception {
        int mgcPort = freePort();
        int gatewayPort = freePort();
        int metricsPort = tcpPort();
        int firstBearerPort = bearerPorts();
        MgcUser user = (context, notify) -> {
            notifies.add(notify.toString());
            return Optional.empty();
        };
        mgc = UdpEndpoint.bind(new InetSocketAddress(LOOPBACK, mgcPort), MessageId.ipv4("127.0.0.1", mgcPort), 3, TransactionTimers.DEFAULT,
                peer -> Optional.of(registrar.updateAndGet(r -> r != null ? r
                        : new MgcRegistrar(Optional.empty(), 3, MgcUser.handler(user), registrations::add))));
        mgc.tap(control);
        Path out = dir.resolve("gateway.out");
        Process process = gateway("""
                profile: ims-agw
                control: { address: 127.0.0.1, port: %d }
                mgcs: ["127.0.0.1:%d"]
                realms: [ { name: access, address: 127.0.0.1, ports: %d-%d } ]
                metrics: { port: %d }
                # no UE follows the one that speaks no TLS: its failed handshake releases the pair after a 1 s window
                limits: { passiveWindowSeconds: 1 }
                """.formatted(gatewayPort, mgcPort, firstBearerPort, firstBearerPort + BEARER_PORTS - 1, metricsPort), out);
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> registrar.get() != null && registrar.get().registration().isPresent());
        // and the gateway has our reply: from now on it deregisters when stopped
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> Files.readString(out).contains("registered with"));
        return new Gateway(process, new InetSocketAddress(LOOPBACK, gatewayPort), mgcPort, metricsPort, out);
    }

    private static String msrpSend(String id) {
        return "MSRP " + id + " SEND\r\nTo-Path: msrp://core/s;tcp\r\nFrom-Path: msrps://ue/s;tcp\r\nMessage-ID: 1\r\nByte-Range: 1-5/5\r\n"
                + "Content-Type: text/plain\r\n\r\nhello\r\n-------" + id + "$\r\n";
    }

    private List<ActionRequest> actions(String text) throws Exception {
        return ((Transaction.TransactionRequest) H248TextParser.parse(text).transactions().get(0)).actions();
    }

    private Transaction.TransactionReply send(Gateway gateway, String text) throws Exception {
        return mgc.request(gateway.address(), actions(text)).get(10, TimeUnit.SECONDS);
    }

    /** The UE's certificate and key, written for openssl. */
    private SelfSignedCertificate ue() throws Exception {
        SelfSignedCertificate ue = SelfSignedCertificate.generate("ue", Duration.ofDays(1));
        ue.write(dir.resolve("ue.pem"), dir.resolve("ue.key"));
        return ue;
    }

    private Process sClient(int port, Path in, String name) throws IOException {
        Process client = new ProcessBuilder("openssl", "s_client", "-connect", "127.0.0.1:" + port, "-cert", dir.resolve("ue.pem").toString(), "-key",
                dir.resolve("ue.key").toString(), "-quiet").redirectInput(in.toFile()).redirectOutput(dir.resolve(name + ".out").toFile())
                .redirectError(dir.resolve(name + ".err").toFile()).start();
        processes.add(client);
        return client;
    }

    private static int port(String sdp) {
        return Integer.parseInt(sdp.lines().filter(l -> l.startsWith("m=")).findFirst().orElseThrow().split(" ")[1]);
    }

    private String scrape(Gateway gateway) throws IOException {
        return new String(URI.create("http://127.0.0.1:" + gateway.metricsPort() + "/metrics").toURL().openStream().readAllBytes(), StandardCharsets.UTF_8);
    }

    @Test
    @Tag("H248-4")
    @WireTest
    void registersWithRestartAndOnSigtermDeregistersWithForcedAndExitsZero() throws Exception {
        Gateway gateway = registeredGateway();

        assertThat(registrar.get().registration().orElseThrow().method()).isEqualTo(ServiceChangeParameter.ServiceChangeMethod.RESTART);
        assertThat(Files.readString(gateway.out())).contains("on udp /127.0.0.1:" + gateway.address().getPort()).contains("certificate fingerprint sha-256 ");
        gateway.process().destroy(); // SIGTERM
        assertThat(gateway.process().waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(gateway.process().exitValue()).isZero();
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> registrations.stream()
                .anyMatch(heard -> heard.method() == ServiceChangeParameter.ServiceChangeMethod.FORCED));
        assertThat(registrar.get().registration()).as("out of service (H.248.1 7.2.8.1.1) until its next Restart").isEmpty();
        // both ServiceChanges, the gateway's and our replies, dissect cleanly as H.248
        control.assertDissectsCleanly(Path.of("target", "gateway-control-registration.pcap"), gateway.mgcPort(), gateway.mgcPort());
    }

    @Test
    @Tag("GW-1")
    @Tag("GW-9")
    @Tag("H248-5")
    @Tag("TLS-3")
    @Tag("TLS-8")
    @Tag("TCP-1")
    @WireTest
    void anE2aePairRelaysMsrpBetweenATlsUeAndAPlainCoreUntilSubtract() throws Exception {
        Gateway gateway = registeredGateway();
        String startup = Files.readString(gateway.out());
        SelfSignedCertificate ue = ue();
        try (ServerSocket core = new ServerSocket(0, 1, LOOPBACK)) {
            Transaction.TransactionReply reply = send(gateway, AddRequests.e2aePair(1, CertificateFingerprint.of("sha-256", ue.certificate()).toString(),
                    core.getLocalPort()));
            assertThat(reply.actions().get(0).error()).isEmpty();
            long context = ((ContextId.Specific) reply.actions().get(0).contextId()).value();
            String accessSdp = local(reply.actions().get(0).replies().get(0));
            // TLS-3, TLS-8: the fingerprint of the access domain's certificate, as printed at start-up
            String fingerprint = accessSdp.lines().filter(l -> l.startsWith("a=fingerprint:")).findFirst().orElseThrow().substring(14);
            assertThat(startup).contains("certificate fingerprint " + fingerprint);

            Path in = dir.resolve("in.txt");
            Files.writeString(in, msrpSend("t1"));
            sClient(port(accessSdp), in, "ue");
            try (Socket coreSide = core.accept()) {
                coreSide.setSoTimeout(10_000);
                byte[] expected = msrpSend("t1").getBytes(StandardCharsets.US_ASCII);
                assertThat(coreSide.getInputStream().readNBytes(expected.length)).isEqualTo(expected);
                byte[] answer = "MSRP t1 200 OK\r\nTo-Path: msrps://ue/s;tcp\r\nFrom-Path: msrp://core/s;tcp\r\n-------t1$\r\n".getBytes(StandardCharsets.US_ASCII);
                coreSide.getOutputStream().write(answer);
                // the core leg carries valid MSRP, as tshark reads it
                WireCapture.assertMsrpDissectsCleanly(Path.of("target", "gateway-core-leg.pcap"), core.getLocalPort(), coreSide.getPort(),
                        List.of(expected), List.of(answer));
                Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> Files.readString(dir.resolve("ue.out")).contains("200 OK"));
                Transaction.TransactionReply subtracted = send(gateway, "MEGACO/3 [127.0.0.1]:2944\nTransaction = 2 { Context = " + context
                        + " { Subtract = * } }");
                assertThat(subtracted.actions().get(0).error()).isEmpty();
                assertThat(subtracted.actions().get(0).replies()).hasSize(2);
            }
        }
        // every H.248 message of the conversation (registration, Add with both SDPs, Subtract) dissects cleanly as H.248
        control.assertDissectsCleanly(Path.of("target", "gateway-control.pcap"), gateway.mgcPort(), gateway.mgcPort());
    }

    @Test
    @Tag("H248-5")
    @Tag("TLS-4")
    @Tag("TLS-10")
    @WireTest
    void aUeWithAnotherCertificateIsRefusedReportedWithOneNotifyAndReachesNothing() throws Exception {
        Gateway gateway = registeredGateway();
        ue();
        SelfSignedCertificate stranger = SelfSignedCertificate.generate("stranger", Duration.ofDays(1));
        try (ServerSocket core = new ServerSocket(0, 1, LOOPBACK)) {
            Transaction.TransactionReply added = send(gateway, AddRequests.e2aePair(3, CertificateFingerprint.of("sha-256", stranger.certificate()).toString(),
                    core.getLocalPort()));
            Path in = dir.resolve("in.txt");
            Files.writeString(in, msrpSend("t2"));
            sClient(port(local(added.actions().get(0).replies().get(0))), in, "ue2");
            Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> !notifies.isEmpty());
            assertThat(notifies.getFirst()).contains("tlsbsc").contains("fail").contains("handshake_failed");
            try (Socket coreSide = core.accept()) {
                coreSide.setSoTimeout(3000);
                assertThat(coreSide.getInputStream().readAllBytes()).isEmpty();
            }
        }
        // the pair is released: one Notify, and no second one within the window
        Awaitility.await().during(QUIET).atMost(QUIET.multipliedBy(2)).until(() -> notifies.size() == 1);
    }

    @Test
    @Tag("TCP-10")
    @WireTest
    void operatorsSeeCommandsHandshakeFailuresContextsAndBytesInTheMetrics() throws Exception {
        Gateway gateway = registeredGateway();
        SelfSignedCertificate ue = ue();
        try (ServerSocket core = new ServerSocket(0, 1, LOOPBACK)) {
            // a plain pair relays a message, then is subtracted
            String plain = "MEGACO/3 [127.0.0.1]:2944\nTransaction = 1 { Context = $ {\n" + AddRequests.add("TCP/MSRP", "active", 9, Optional.empty(), "")
                    + ",\n" + AddRequests.add("TCP/MSRP", "passive", core.getLocalPort(), Optional.empty(), "") + "\n} }\n";
            ActionReply relayed = send(gateway, plain).actions().get(0);
            assertThat(relayed.error()).isEmpty();
            try (Socket access = new Socket(LOOPBACK, port(local(relayed.replies().get(0)))); Socket coreSide = core.accept()) {
                byte[] message = msrpSend("m1").getBytes(StandardCharsets.US_ASCII);
                access.getOutputStream().write(message);
                coreSide.setSoTimeout(5000);
                assertThat(coreSide.getInputStream().readNBytes(message.length)).isEqualTo(message);
            }
            assertThat(send(gateway, "MEGACO/3 [127.0.0.1]:2944\nTransaction = 2 { Context = " + ((ContextId.Specific) relayed.contextId()).value()
                    + " { Subtract = * } }").actions().get(0).error()).isEmpty();
            // an e2ae pair whose UE speaks no TLS: the handshake fails, the context stays until the MGC subtracts it
            ActionReply refused = send(gateway, AddRequests.e2aePair(3, CertificateFingerprint.of("sha-256", ue.certificate()).toString(), core.getLocalPort()))
                    .actions().get(0);
            try (Socket plaintext = new Socket(LOOPBACK, port(local(refused.replies().get(0))))) {
                plaintext.getOutputStream().write(msrpSend("m2").getBytes(StandardCharsets.US_ASCII));
                Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> !notifies.isEmpty());
            }
        }

        // operators see it in the metrics: the commands, the failure by reason, the contexts, the bytes
        Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(scrape(gateway))
                .contains("mediasec_h248_commands_total{command=\"Add\",result=\"ok\"} 4.0")
                .contains("mediasec_tls_handshake_failures_total{reason=\"handshake_failed\"} 1.0").contains("mediasec_contexts 1.0")
                .containsPattern("mediasec_bearer_bytes_total [1-9]"));
    }

    @Test
    @Tag("H248-4")
    @Tag("H248-7")
    @WireTest
    void aRestartedGatewayRegistersAgainWithRestartAndHasNoContextLeft() throws Exception {
        Gateway gateway = registeredGateway();
        try (ServerSocket core = new ServerSocket(0, 1, LOOPBACK)) {
            String plain = "MEGACO/3 [127.0.0.1]:2944\nTransaction = 1 { Context = $ {\n" + AddRequests.add("TCP/MSRP", "active", 9, Optional.empty(), "")
                    + ",\n" + AddRequests.add("TCP/MSRP", "passive", core.getLocalPort(), Optional.empty(), "") + "\n} }\n";
            assertThat(send(gateway, plain).actions().get(0).error()).isEmpty();
        }
        gateway.process().destroyForcibly(); // a crash: no ServiceChange, the context dies with the process
        assertThat(gateway.process().waitFor(20, TimeUnit.SECONDS)).isTrue();

        // restarted, the gateway registers again (Restart) and has no context left from before
        Process again = gateway(Files.readString(dir.resolve("gateway.yaml")), dir.resolve("again.out"));
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> registrations.stream()
                .filter(r -> r.method() == ServiceChangeParameter.ServiceChangeMethod.RESTART).count() == 2);
        Transaction.TransactionReply audit = send(gateway, "MEGACO/3 [127.0.0.1]:2944\nTransaction = 9 { Context = * { AuditValue = * } }");
        assertThat(audit.toString()).contains("431");
        again.destroy();
        assertThat(again.waitFor(20, TimeUnit.SECONDS)).isTrue();
    }

    private static int tcpPort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, LOOPBACK)) {
            return probe.getLocalPort();
        }
    }

    private static int freePort() throws IOException {
        try (java.net.DatagramSocket probe = new java.net.DatagramSocket(0, LOOPBACK)) {
            return probe.getLocalPort();
        }
    }

    /** A block of {@link #BEARER_PORTS} ports below the ephemeral range that nothing listens on now. */
    private static int bearerPorts() throws IOException {
        while (true) {
            int first = 20000 + ThreadLocalRandom.current().nextInt(0, 1000) * BEARER_PORTS;
            List<ServerSocket> probes = new ArrayList<>();
            try {
                for (int port = first; port < first + BEARER_PORTS; port++) {
                    probes.add(new ServerSocket(port, 1, LOOPBACK));
                }
                return first;
            } catch (IOException taken) {
                // another block
            } finally {
                for (ServerSocket probe : probes) {
                    probe.close();
                }
            }
        }
    }

    private static String local(CommandReply reply) {
        return ((CommandReply.AmmsReply) reply).localSdp(1).orElseThrow();
    }

    @Test
    @Tag("GW-3")
    @Tag("H248-5")
    @WireTest
    void overTcpTheGatewayConnectsToItsMgcRegistersAndRelays() throws Exception {
        int mgcPort = tcpPort();
        AtomicReference<MgcRegistrar> registrar = new AtomicReference<>();
        MgcUser quiet = (context, notify) -> Optional.empty();
        TcpEndpoint listening = TcpEndpoint.listen(new InetSocketAddress(LOOPBACK, mgcPort), MessageId.ipv4("127.0.0.1", mgcPort), 3,
                TransactionTimers.DEFAULT, Duration.ofMinutes(5),
                peer -> Optional.of(registrar.updateAndGet(r -> r != null ? r : new MgcRegistrar(Optional.empty(), 3, MgcUser.handler(quiet)))));
        try (TcpEndpoint tcpMgc = listening;
                ServerSocket core = new ServerSocket(0, 1, LOOPBACK)) {
            int firstBearerPort = bearerPorts();
            gateway("""
                    profile: trgw
                    control: { address: 127.0.0.1, port: %d, transport: tcp }
                    mgcs: ["127.0.0.1:%d"]
                    realms: [ { name: core, address: 127.0.0.1, ports: %d-%d } ]
                    metrics: { port: 0 }
                    """.formatted(tcpPort(), mgcPort, firstBearerPort, firstBearerPort + BEARER_PORTS - 1), dir.resolve("tcp.out"));
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> registrar.get() != null && registrar.get().registration().isPresent());
            InetSocketAddress gatewayPeer = tcpMgc.peers().iterator().next();
            String add = "MEGACO/3 [127.0.0.1]:2944\nTransaction = 1 { Context = $ {\n" + AddRequests.add("TCP/MSRP", "active", 9, Optional.empty(), "")
                    + ",\n" + AddRequests.add("TCP/MSRP", "passive", core.getLocalPort(), Optional.empty(), "") + "\n} }\n";
            Transaction.TransactionReply reply = tcpMgc.request(gatewayPeer, actions(add)).get(10, TimeUnit.SECONDS);
            assertThat(reply.actions().get(0).error()).isEmpty();
            int accessPort = Integer.parseInt(local(reply.actions().get(0).replies().get(0)).lines().filter(l -> l.startsWith("m=")).findFirst()
                    .orElseThrow().split(" ")[1]);
            try (Socket ue = new Socket(LOOPBACK, accessPort); Socket coreSide = core.accept()) {
                byte[] message = msrpSend("c1").getBytes(StandardCharsets.US_ASCII);
                ue.getOutputStream().write(message);
                coreSide.setSoTimeout(5000);
                assertThat(coreSide.getInputStream().readNBytes(message.length)).isEqualTo(message);
            }
        }
    }

    @Test
    void aBadConfigurationStartsNothingAndNamesTheKey() throws Exception {
        Path out = dir.resolve("bad.out");
        Process gateway = gateway("realms: [ { name: access, address: 127.0.0.1, ports: 3000-20 } ]\n", out);
        assertThat(gateway.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(gateway.exitValue()).isEqualTo(2);
        assertThat(Files.readString(out)).contains("configuration: realms[0].ports: the range 3000-20 is empty");
        Process unknown = gateway("profil: trgw\n", dir.resolve("unknown.out"));
        assertThat(unknown.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(unknown.exitValue()).isEqualTo(2);
        assertThat(Files.readString(dir.resolve("unknown.out"))).contains("configuration: profil: unknown key");
    }
}
