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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.mediasec.bearer.tls.CertificateFingerprint;
import org.mediasec.bearer.tls.SelfSignedCertificate;
import org.mediasec.h248.message.ActionRequest;
import org.mediasec.h248.message.CommandReply;
import org.mediasec.h248.message.ContextId;
import org.mediasec.h248.message.Descriptor;
import org.mediasec.h248.message.MediaParameter;
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

/**
 * {@code mediasec gateway} as a process of its own, driven by an MGC built on our H.248 stack: it registers, takes an
 * e2ae Add pair (TLS towards an {@code openssl s_client} UE, TCP towards a plain core socket), relays real MSRP both
 * ways, reports a TLS failure with Notify, returns statistics on Subtract, and on SIGTERM deregisters (ServiceChange
 * Forced) and exits 0. A bad configuration exits 2 with the key named.
 */
@Timeout(180)
@RequiresPeer(command = "openssl", debianPackage = "openssl")
@RequiresPeer(command = "tshark", debianPackage = "tshark")
class GatewayProcessTest {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    @TempDir
    Path dir;
    private final List<Process> processes = new ArrayList<>();
    private final List<String> notifies = new CopyOnWriteArrayList<>();
    private UdpEndpoint mgc;

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

    private static String msrpSend(String id) {
        return "MSRP " + id + " SEND\r\nTo-Path: msrp://core/s;tcp\r\nFrom-Path: msrps://ue/s;tcp\r\nMessage-ID: 1\r\nByte-Range: 1-5/5\r\n"
                + "Content-Type: text/plain\r\n\r\nhello\r\n-------" + id + "$\r\n";
    }

    private List<ActionRequest> actions(String text) throws Exception {
        return ((Transaction.TransactionRequest) H248TextParser.parse(text).transactions().get(0)).actions();
    }

    @Test
    @Tag("GW-1")
    @Tag("GW-9")
    @Tag("H248-5")
    @Tag("TLS-3")
    @Tag("TLS-4")
    @Tag("TLS-8")
    @Tag("TLS-10")
    @Tag("TCP-1")
    @Tag("TCP-10")
    @Tag("H248-7")
    void aGatewayProcessRegistersRelaysE2aeMsrpReportsFailuresAndDeregistersOnSigterm() throws Exception {
        int mgcPort = freePort();
        int gatewayPort = freePort();
        int metricsPort = tcpPort();
        int firstBearerPort = 20000 + (int) (ProcessHandle.current().pid() % 1000) * 10; // below the ephemeral range
        AtomicReference<MgcRegistrar> registrar = new AtomicReference<>();
        MgcUser user = (context, notify) -> {
            notifies.add(notify.toString());
            return Optional.empty();
        };
        mgc = UdpEndpoint.bind(new InetSocketAddress(LOOPBACK, mgcPort), MessageId.ipv4("127.0.0.1", mgcPort), 3, TransactionTimers.DEFAULT,
                peer -> Optional.of(registrar.updateAndGet(r -> r != null ? r : new MgcRegistrar(Optional.empty(), 3, MgcUser.handler(user)))));
        WireCapture control = new WireCapture();
        mgc.tap(control);
        Path out = dir.resolve("gateway.out");
        Process gateway = gateway("""
                profile: ims-agw
                control: { address: 127.0.0.1, port: %d }
                mgcs: ["127.0.0.1:%d"]
                realms: [ { name: access, address: 127.0.0.1, ports: %d-%d } ]
                metrics: { port: %d }
                """.formatted(gatewayPort, mgcPort, firstBearerPort, firstBearerPort + 9, metricsPort), out);
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> registrar.get() != null && registrar.get().registration().isPresent());
        assertThat(registrar.get().registration().orElseThrow().method()).isEqualTo(ServiceChangeParameter.ServiceChangeMethod.RESTART);
        String startup = Files.readString(out);
        assertThat(startup).contains("on udp /127.0.0.1:" + gatewayPort).contains("certificate fingerprint sha-256 ");
        InetSocketAddress gatewayAddress = new InetSocketAddress(LOOPBACK, gatewayPort);

        SelfSignedCertificate ue = SelfSignedCertificate.generate("ue", Duration.ofDays(1));
        Path cert = dir.resolve("ue.pem");
        Path key = dir.resolve("ue.key");
        ue.write(cert, key);
        try (ServerSocket core = new ServerSocket(0, 1, LOOPBACK)) {
            Transaction.TransactionReply reply = mgc.request(gatewayAddress,
                    actions(AddRequests.e2aePair(1, CertificateFingerprint.of("sha-256", ue.certificate()).toString(), core.getLocalPort()))).get(10, TimeUnit.SECONDS);
            assertThat(reply.actions().get(0).error()).isEmpty();
            long context = ((ContextId.Specific) reply.actions().get(0).contextId()).value();
            String accessSdp = local(reply.actions().get(0).replies().get(0));
            // TLS-3: the domain's fingerprint, as printed at start-up
            String fingerprint = accessSdp.lines().filter(l -> l.startsWith("a=fingerprint:")).findFirst().orElseThrow().substring(14);
            assertThat(startup).contains("certificate fingerprint " + fingerprint);
            int accessPort = Integer.parseInt(accessSdp.lines().filter(l -> l.startsWith("m=")).findFirst().orElseThrow().split(" ")[1]);

            Path in = dir.resolve("in.txt");
            Files.writeString(in, msrpSend("t1"));
            Process client = new ProcessBuilder("openssl", "s_client", "-connect", "127.0.0.1:" + accessPort, "-cert", cert.toString(), "-key", key.toString(),
                    "-quiet").redirectInput(in.toFile()).redirectOutput(dir.resolve("ue.out").toFile()).redirectError(dir.resolve("ue.err").toFile()).start();
            processes.add(client);
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
                Transaction.TransactionReply subtracted = mgc.request(gatewayAddress, actions("MEGACO/3 [127.0.0.1]:2944\nTransaction = 2 { Context = "
                        + context + " { Subtract = * } }")).get(10, TimeUnit.SECONDS);
                assertThat(subtracted.actions().get(0).error()).isEmpty();
                assertThat(subtracted.actions().get(0).replies()).hasSize(2);
            }

            // a UE with another certificate: the handshake fails, the MGC hears tlsbsc/fail, the core gets nothing
            SelfSignedCertificate stranger = SelfSignedCertificate.generate("stranger", Duration.ofDays(1));
            Transaction.TransactionReply second = mgc.request(gatewayAddress,
                    actions(AddRequests.e2aePair(3, CertificateFingerprint.of("sha-256", stranger.certificate()).toString(), core.getLocalPort()))).get(10, TimeUnit.SECONDS);
            int port = Integer.parseInt(local(second.actions().get(0).replies().get(0)).lines().filter(l -> l.startsWith("m=")).findFirst().orElseThrow()
                    .split(" ")[1]);
            processes.add(new ProcessBuilder("openssl", "s_client", "-connect", "127.0.0.1:" + port, "-cert", cert.toString(), "-key", key.toString(),
                    "-quiet").redirectInput(in.toFile()).redirectOutput(dir.resolve("ue2.out").toFile()).redirectError(dir.resolve("ue2.err").toFile()).start());
            Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> !notifies.isEmpty());
            assertThat(notifies).singleElement().satisfies(n -> assertThat(n).contains("tlsbsc").contains("fail").contains("handshake_failed"));
            try (Socket coreSide = core.accept()) {
                coreSide.setSoTimeout(3000);
                assertThat(coreSide.getInputStream().readAllBytes()).isEmpty();
            }
        }

        // operators see it in the metrics: the commands, the release by reason, the bytes
        String scraped = new String(java.net.URI.create("http://127.0.0.1:" + metricsPort + "/metrics").toURL().openStream().readAllBytes(),
                StandardCharsets.UTF_8);
        assertThat(scraped).contains("mediasec_h248_commands_total{command=\"Add\",result=\"ok\"} 4.0")
                .contains("mediasec_tls_handshake_failures_total{reason=\"handshake_failed\"} 1.0").contains("mediasec_contexts 1.0")
                .containsPattern("mediasec_bearer_bytes_total [1-9]");
        gateway.destroy(); // SIGTERM
        assertThat(gateway.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(gateway.exitValue()).isZero();
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> registrar.get().registration().orElseThrow().method()
                == ServiceChangeParameter.ServiceChangeMethod.FORCED);
        // every H.248 message of the conversation, ours and the gateway's, dissects cleanly as H.248
        control.assertDissectsCleanly(Path.of("target", "gateway-control.pcap"), mgcPort, mgcPort);

        // restarted, the gateway registers again (Restart) and has no context left from before
        Process again = gateway(Files.readString(dir.resolve("gateway.yaml")), dir.resolve("again.out"));
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> registrar.get().registration().orElseThrow().method()
                == ServiceChangeParameter.ServiceChangeMethod.RESTART);
        Transaction.TransactionReply audit = mgc.request(gatewayAddress, actions("MEGACO/3 [127.0.0.1]:2944\nTransaction = 9 { Context = * { AuditValue = * } }"))
                .get(10, TimeUnit.SECONDS);
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

    private static String local(CommandReply reply) {
        return ((CommandReply.AmmsReply) reply).localSdp(1).orElseThrow();
    }

    @Test
    @Tag("GW-3")
    @Tag("H248-5")
    void overTcpTheGatewayConnectsToItsMgcRegistersAndRelays() throws Exception {
        int mgcPort = tcpPort();
        AtomicReference<MgcRegistrar> registrar = new AtomicReference<>();
        MgcUser quiet = (context, notify) -> Optional.empty();
        TcpEndpoint listening = TcpEndpoint.listen(new InetSocketAddress(LOOPBACK, mgcPort), MessageId.ipv4("127.0.0.1", mgcPort), 3,
                TransactionTimers.DEFAULT, Duration.ofMinutes(5),
                peer -> Optional.of(registrar.updateAndGet(r -> r != null ? r : new MgcRegistrar(Optional.empty(), 3, MgcUser.handler(quiet)))));
        try (TcpEndpoint tcpMgc = listening;
                ServerSocket core = new ServerSocket(0, 1, LOOPBACK)) {
            int firstBearerPort = 22000 + (int) (ProcessHandle.current().pid() % 500) * 10;
            gateway("""
                    profile: trgw
                    control: { address: 127.0.0.1, port: %d, transport: tcp }
                    mgcs: ["127.0.0.1:%d"]
                    realms: [ { name: core, address: 127.0.0.1, ports: %d-%d } ]
                    metrics: { port: 0 }
                    """.formatted(tcpPort(), mgcPort, firstBearerPort, firstBearerPort + 9), dir.resolve("tcp.out"));
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
