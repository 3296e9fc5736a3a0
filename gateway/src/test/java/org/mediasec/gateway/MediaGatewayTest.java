package org.mediasec.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
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
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.mediasec.bearer.BearerConfig;
import org.mediasec.bearer.BearerPlane;
import org.mediasec.bearer.PortAllocator;
import org.mediasec.bearer.tls.CertificateFingerprint;
import org.mediasec.bearer.tls.SelfSignedCertificate;
import org.mediasec.bearer.tls.TlsDomain;
import org.mediasec.bearer.tls.TlsEngines;
import org.mediasec.gateway.profile.GatewayProfile;
import org.mediasec.gateway.profile.ImsAgwProfile;
import org.mediasec.gateway.profile.TrgwProfile;
import org.mediasec.h248.message.ActionReply;
import org.mediasec.h248.message.CommandReply;
import org.mediasec.h248.message.ContextId;
import org.mediasec.h248.message.Descriptor;
import org.mediasec.h248.message.MediaParameter;
import org.mediasec.h248.message.TerminationId;
import org.mediasec.h248.message.Transaction;
import org.mediasec.h248.text.H248TextParser;
import org.mediasec.testsupport.RequiresPeer;
import org.mediasec.testsupport.WireTest;

/**
 * The gateway's command handling over real bearer sockets: H.248 requests as an IMS-ALG sends them (text, parsed by
 * our codec), {@code openssl s_client} as the UE, a plain TCP socket as the core.
 */
@Timeout(120)
class MediaGatewayTest {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    /** How long a Notify count must stay put once the pair is released, to call it "exactly one": beyond a loop's turn on a loaded machine. */
    private static final Duration QUIET = Duration.ofSeconds(1);

    @TempDir
    Path dir;
    private final BearerPlane plane = new BearerPlane(BearerConfig.DEFAULT.withPassiveWindow(Duration.ZERO)); // a failed handshake releases at once: no connect window (PendingHandshakes)
    private final List<Process> processes = new ArrayList<>();
    private final List<String> notifies = new CopyOnWriteArrayList<>();
    private final SelfSignedCertificate ue = SelfSignedCertificate.generate("ue", Duration.ofDays(1));
    private final TlsEngines access = new TlsEngines(TlsDomain.defaults("access", SelfSignedCertificate.generate("mediasec", Duration.ofDays(1))));
    private MediaGateway gateway;

    private MediaGateway gateway(GatewayProfile profile, int ports) {
        int first = 10000 + (int) (ProcessHandle.current().pid() % 500) * 20; // below the ephemeral range
        gateway = new MediaGateway(new GatewayConfig(profile, List.of(new PortAllocator.Realm("access", LOOPBACK, first, first + ports - 1)),
                Map.of("access", access), "access", 100),
                plane, (context, termination, events) -> notifies.add(context + " " + termination + " " + events));
        return gateway;
    }

    @AfterEach
    void tearDown() {
        processes.forEach(Process::destroyForcibly);
        if (gateway != null) {
            gateway.close();
        }
        plane.close();
    }

    private Transaction.TransactionReply send(String actions) throws Exception {
        String text = "MEGACO/3 [127.0.0.1]:2944\nTransaction = 1 {\n" + actions + "\n}\n";
        Transaction.TransactionRequest request = (Transaction.TransactionRequest) H248TextParser.parse(text).transactions().get(0);
        return gateway.onTransactionRequest(request).toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static String addTlsAccess(String fingerprint) {
        return """
                  Add = ip/$ {
                    Media { Stream = 1 {
                      LocalControl { Mode = SendReceive },
                      Local {
                v=0
                c=IN IP4 $
                m=message $ TCP/TLS/MSRP *
                a=setup:passive
                a=fingerprint:$
                a=accept-types:message/cpim text/plain
                      },
                      Remote {
                v=0
                c=IN IP4 127.0.0.1
                m=message 9 TCP/TLS/MSRP *
                a=setup:active
                a=fingerprint:%s
                a=path:msrps://127.0.0.1:9/ue1;tcp
                      } } },
                    Events = 2001 { tlsbsc/fail, tcpbcc/fail }
                  }""".formatted(fingerprint);
    }

    private static String addTcpCore(int corePort) {
        return """
                  Add = ip/$ {
                    Media { Stream = 1 {
                      Local {
                v=0
                c=IN IP4 $
                m=message $ TCP/MSRP *
                      },
                      Remote {
                v=0
                c=IN IP4 127.0.0.1
                m=message %d TCP/MSRP *
                a=setup:passive
                      } } }
                  }""".formatted(corePort);
    }

    private static String localSdp(CommandReply reply) {
        return ((CommandReply.AmmsReply) reply).localSdp(1).orElseThrow();
    }

    private static int port(String sdp) {
        return Integer.parseInt(sdp.lines().filter(l -> l.startsWith("m=")).findFirst().orElseThrow().split(" ")[1]);
    }

    private Process ueClient(int port, String stdin, Path out) throws Exception {
        Path cert = dir.resolve("ue.pem");
        Path key = dir.resolve("ue.key");
        ue.write(cert, key);
        Path in = dir.resolve("ue-in.txt");
        Files.writeString(in, stdin);
        Process process = new ProcessBuilder("openssl", "s_client", "-connect", "127.0.0.1:" + port, "-cert", cert.toString(), "-key", key.toString(), "-quiet")
                .redirectInput(in.toFile()).redirectOutput(out.toFile()).redirectError(dir.resolve("ue.err").toFile()).start();
        processes.add(process);
        return process;
    }

    private static final String MSRP_SEND = "MSRP a1 SEND\r\nTo-Path: msrp://core/s;tcp\r\nFrom-Path: msrps://ue/s;tcp\r\nMessage-ID: 1\r\n"
            + "Byte-Range: 1-5/5\r\nContent-Type: text/plain\r\n\r\nhello\r\n-------a1$\r\n";

    @Test
    @RequiresPeer(command = "openssl", debianPackage = "openssl")
    @Tag("GW-1")
    @Tag("GW-9")
    @Tag("TLS-1")
    @Tag("TLS-2")
    @Tag("TLS-3")
    @Tag("TCP-1")
    @Tag("TCP-2")
    @Tag("TCP-3")
    @Tag("GW-5")
    @WireTest
    void e2aeAddsRelayMsrpFromATlsUeToATcpCoreAndSubtractReportsTheOctets() throws Exception {
        gateway(new ImsAgwProfile(), 10);
        try (ServerSocket core = new ServerSocket(0, 1, LOOPBACK)) {
            Transaction.TransactionReply reply = send("Context = $ {\n" + addTlsAccess(CertificateFingerprint.of("sha-256", ue.certificate()).toString())
                    + ",\n" + addTcpCore(core.getLocalPort()) + "\n}");
            ActionReply action = reply.actions().get(0);
            assertThat(action.error()).isEmpty();
            assertThat(action.contextId()).isInstanceOf(ContextId.Specific.class);
            String accessSdp = localSdp(action.replies().get(0));
            // TLS-3: our certificate's fingerprint, the port we listen on, and our role
            assertThat(accessSdp).contains("a=fingerprint:" + CertificateFingerprint.of("sha-256", access.domain().certificate().certificate()))
                    .contains("c=IN IP4 127.0.0.1").contains("a=setup:passive").contains("m=message " + port(accessSdp) + " TCP/TLS/MSRP *")
                    .contains("a=accept-types:message/cpim text/plain");
            assertThat(localSdp(action.replies().get(1))).contains("a=setup:active").doesNotContain("fingerprint");

            Process client = ueClient(port(accessSdp), MSRP_SEND, dir.resolve("ue-out.txt"));
            try (Socket coreSide = core.accept()) {
                coreSide.setSoTimeout(10_000);
                byte[] expected = MSRP_SEND.getBytes(StandardCharsets.US_ASCII);
                assertThat(coreSide.getInputStream().readNBytes(expected.length)).isEqualTo(expected);
                coreSide.getOutputStream().write("MSRP a1 200 OK\r\nTo-Path: msrps://ue/s;tcp\r\n-------a1$\r\n".getBytes(StandardCharsets.US_ASCII));
                Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> Files.readString(dir.resolve("ue-out.txt")).contains("200 OK"));

                Transaction.TransactionReply subtracted = send("Context = " + ((ContextId.Specific) action.contextId()).value() + " { Subtract = * }");
                assertThat(subtracted.actions().get(0).error()).isEmpty();
                String statistics = subtracted.toString();
                assertThat(statistics).contains("os").contains("or");
                CommandReply.SubtractReply first = (CommandReply.SubtractReply) subtracted.actions().get(0).replies().get(0);
                Descriptor.StatisticsDescriptor stats = (Descriptor.StatisticsDescriptor) first.descriptors().get(0);
                assertThat(stats.statistics()).anySatisfy(s -> {
                    assertThat(s.name().itemName()).isEqualTo("or");
                    assertThat(Long.parseLong(((org.mediasec.h248.message.PropertyValue.Single) s.value().orElseThrow()).value())).isEqualTo(expected.length);
                });
            }
            client.waitFor(10, TimeUnit.SECONDS);
        }
        assertThat(gateway.contexts()).isZero();
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> gateway.portsInUse() == 0); // once the sockets are closed
        assertThat(notifies).isEmpty(); // a Subtract is not reported back
    }

    @Test
    @RequiresPeer(command = "openssl", debianPackage = "openssl")
    @Tag("TLS-4")
    @Tag("TLS-10")
    @Tag("TLS-11")
    @WireTest
    void aWrongFingerprintIsNotifiedWithItsReasonAndNothingReachesTheCore() throws Exception {
        gateway(new ImsAgwProfile(), 10);
        SelfSignedCertificate someoneElse = SelfSignedCertificate.generate("other", Duration.ofDays(1));
        try (ServerSocket core = new ServerSocket(0, 1, LOOPBACK)) {
            ActionReply action = send("Context = $ {\n" + addTlsAccess(CertificateFingerprint.of("sha-256", someoneElse.certificate()).toString())
                    + ",\n" + addTcpCore(core.getLocalPort()) + "\n}").actions().get(0);
            assertThat(action.error()).isEmpty();
            ueClient(port(localSdp(action.replies().get(0))), MSRP_SEND, dir.resolve("ue-out.txt"));
            assertThat(onlyNotify(n -> true)).contains("tlsbsc").contains("fail").contains("handshake_failed");
            try (Socket coreSide = core.accept()) {
                coreSide.setSoTimeout(3000);
                assertThat(coreSide.getInputStream().readAllBytes()).isEmpty();
            }
        }
    }

    @Test
    @Tag("GW-9")
    void theTrgwRelaysTlsEndToEndAndRefusesToInterworkItWithTcp() throws Exception {
        gateway(new TrgwProfile(), 10);
        ActionReply refused = send("Context = $ {\n" + addTlsAccess("sha-256 " + "AB:".repeat(31) + "AB").replace(",\n                      Events", ",\n Events")
                .replace("a=fingerprint:$\n", "") + ",\n" + addTcpCore(9999) + "\n}").actions().get(0);
        assertThat(refused.error()).hasValueSatisfying(e -> assertThat(e.code()).isEqualTo(515));
        // the first Add stands (H.248.1 7.1: commands before the failed one are done); the refused one left nothing
        assertThat(refused.replies()).hasSize(1);
        assertThat(gateway.contexts()).isEqualTo(1);
        assertThat(gateway.portsInUse()).isEqualTo(1);
    }

    @Test
    @Tag("TCP-1")
    @Tag("TCP-7")
    @WireTest
    void anActpassLegListensButOpensNoBearerUntilTheAnswerDecidesItsRole() throws Exception {
        gateway(new ImsAgwProfile(), 4);
        // the core side of an offer: Local actpass, nothing known of the answerer yet (RFC 4145 4.1)
        String actpass = """
                  Add = ip/$ {
                    Media { Stream = 1 { Local {
                v=0
                c=IN IP4 $
                m=message $ TCP/MSRP *
                a=setup:actpass
                      } } }
                  }""";
        String ue = addTcpCore(9).replace("a=setup:passive", "a=setup:actpass");
        ActionReply added = send("Context = $ {\n" + ue + ",\n" + actpass + "\n}").actions().get(0);
        assertThat(added.error()).isEmpty();
        String offered = localSdp(added.replies().get(1));
        assertThat(offered).contains("a=setup:actpass");
        assertThat(port(offered)).isNotEqualTo(9);
        long context = ((ContextId.Specific) added.contextId()).value();
        TerminationId core = added.replies().get(1).terminationId();
        // the UE's actpass made the gateway passive towards it: a UE may connect from any port, only its address counts
        assertThat(gateway.bearersOpen()).isZero();
        // the answerer chose passive: the gateway becomes the active end on that leg, and the bearer opens
        try (java.net.ServerSocket answerer = new java.net.ServerSocket(0, 1, LOOPBACK)) {
            ActionReply modified = send("Context = " + context + " { Modify = " + core.id() + " { Media { Stream = 1 { Remote {\nv=0\nc=IN IP4 127.0.0.1\nm=message "
                    + answerer.getLocalPort() + " TCP/MSRP *\na=setup:passive\n} } } } }").actions().get(0);
            assertThat(modified.error()).isEmpty();
            assertThat(localSdp(modified.replies().get(0))).contains("a=setup:active");
            answerer.setSoTimeout(10_000);
            try (java.net.Socket connected = answerer.accept()) {
                assertThat(connected.isConnected()).isTrue();
            }
        }
    }

    @Test
    @Tag("GW-9")
    @Tag("H248-7")
    void requestsOutsideWhatTheGatewayDoesGetTheirH2488ErrorAndChangeNothing() throws Exception {
        gateway(new ImsAgwProfile(), 3);
        assertThat(send("Context = 77 { Subtract = ip/1 }").actions().get(0).error()).hasValueSatisfying(e -> assertThat(e.code()).isEqualTo(411));
        String rtp = addTcpCore(9999).replace("TCP/MSRP", "RTP/AVP");
        assertThat(send("Context = $ {\n" + rtp + "\n}").actions().get(0).error()).hasValueSatisfying(e -> assertThat(e.code()).isEqualTo(515));
        String badSdp = addTcpCore(9999).replace("v=0\nc=IN IP4 127.0.0.1", "v=0\nc=IN IP4");
        assertThat(send("Context = $ {\n" + badSdp + "\n}").actions().get(0).error()).hasValueSatisfying(e -> assertThat(e.code()).isIn(474, 449));
        String unknownEvent = addTcpCore(9999).replace("} } }\n", "} } },\n Events = 3 { g/cause }\n");
        assertThat(send("Context = $ {\n" + unknownEvent + "\n}").actions().get(0).error()).hasValueSatisfying(e -> assertThat(e.code()).isEqualTo(512));
        assertThat(send("Context = $ { Add = ip/7 { Media { Stream = 1 { Local {\nv=0\nm=message $ TCP/MSRP *\n} } } } }").actions().get(0).error())
                .hasValueSatisfying(e -> assertThat(e.code()).isEqualTo(430));
        assertThat(gateway.contexts()).isZero();
        assertThat(gateway.portsInUse()).isZero();

        // two terminations per context; the third Add is refused and leaves its port free
        ActionReply two = send("Context = $ {\n" + addTcpCore(9998) + ",\n" + addTcpCore(9999) + "\n}").actions().get(0);
        assertThat(two.error()).isEmpty();
        long context = ((ContextId.Specific) two.contextId()).value();
        assertThat(send("Context = " + context + " {\n" + addTcpCore(9997) + "\n}").actions().get(0).error())
                .hasValueSatisfying(e -> assertThat(e.code()).isEqualTo(434));
        assertThat(gateway.portsInUse()).isEqualTo(2);
        // the range has 3 ports: the fourth and fifth terminations find one, then none (510), nothing leaked
        ActionReply last = send("Context = $ {\n" + addTcpCore(9996) + ",\n" + addTcpCore(9995) + "\n}").actions().get(0);
        assertThat(last.error()).hasValueSatisfying(e -> assertThat(e.code()).isEqualTo(510));
        assertThat(last.replies()).hasSize(1);
        assertThat(gateway.portsInUse()).isEqualTo(3);
        assertThat(send("Context = " + context + " { Move = " + two.replies().get(0).terminationId() + " { Media { Stream = 1 { LocalControl { Mode = SendReceive } } } } }").actions().get(0).error())
                .hasValueSatisfying(e -> assertThat(e.code()).isEqualTo(433)); // already there
        // AuditValue of the context lists its terminations
        Transaction.TransactionReply audit = send("Context = " + context + " { AuditValue = * }");
        assertThat(audit.actions().get(0).replies().get(0)).isInstanceOf(CommandReply.ContextTerminationAudit.class);
        assertThat(((CommandReply.ContextTerminationAudit) audit.actions().get(0).replies().get(0)).terminationIds())
                .extracting(TerminationId::id).hasSize(2);
    }

    @Test
    @RequiresPeer(command = "openssl", debianPackage = "openssl")
    @Tag("GW-2")
    @Tag("TLS-1")
    @WireTest
    void twoUesWithTheirOwnTlsSessionsTalkThroughOneContext() throws Exception {
        gateway(new ImsAgwProfile(), 10);
        SelfSignedCertificate second = SelfSignedCertificate.generate("ue2", Duration.ofDays(1));
        ActionReply action = send("Context = $ {\n" + addTlsAccess(CertificateFingerprint.of("sha-256", ue.certificate()).toString())
                + ",\n" + addTlsAccess(CertificateFingerprint.of("sha-256", second.certificate()).toString()) + "\n}").actions().get(0);
        assertThat(action.error()).isEmpty();
        int port1 = port(localSdp(action.replies().get(0)));
        int port2 = port(localSdp(action.replies().get(1)));
        // UE 2 first (it only listens for what UE 1 sends), then UE 1
        Path cert2 = dir.resolve("ue2.pem");
        Path key2 = dir.resolve("ue2.key");
        second.write(cert2, key2);
        Path in2 = dir.resolve("ue2-in.txt");
        Files.writeString(in2, "");
        Process ue2 = new ProcessBuilder("openssl", "s_client", "-connect", "127.0.0.1:" + port2, "-cert", cert2.toString(), "-key", key2.toString(),
                "-quiet", "-ign_eof").redirectInput(ProcessBuilder.Redirect.PIPE).redirectOutput(dir.resolve("ue2-out.txt").toFile())
                .redirectError(dir.resolve("ue2.err").toFile()).start();
        processes.add(ue2);
        ueClient(port1, MSRP_SEND, dir.resolve("ue1-out.txt"));
        Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> Files.readString(dir.resolve("ue2-out.txt")).contains("-------a1$"));
        assertThat(Files.readString(dir.resolve("ue2-out.txt"))).contains("hello");
    }

    @Test
    @RequiresPeer(command = "openssl", debianPackage = "openssl")
    @Tag("GW-3")
    @Tag("GW-9")
    @WireTest
    void theTrgwForwardsEndToEndTlsUntouched() throws Exception {
        gateway(new TrgwProfile(), 10);
        SelfSignedCertificate core = SelfSignedCertificate.generate("far end", Duration.ofDays(1));
        Path coreCert = dir.resolve("core.pem");
        Path coreKey = dir.resolve("core.key");
        core.write(coreCert, coreKey);
        int corePort;
        try (ServerSocket probe = new ServerSocket(0, 1, LOOPBACK)) {
            corePort = probe.getLocalPort();
        }
        Path serverOut = dir.resolve("server.out");
        Process server = new ProcessBuilder("openssl", "s_server", "-accept", "127.0.0.1:" + corePort, "-cert", coreCert.toString(), "-key",
                coreKey.toString(), "-quiet").redirectInput(ProcessBuilder.Redirect.PIPE).redirectOutput(serverOut.toFile())
                .redirectError(dir.resolve("server.err").toFile()).start();
        processes.add(server);
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> {
            try (Socket probe = new Socket(LOOPBACK, corePort)) {
                return true;
            } catch (java.io.IOException notYet) {
                return false;
            }
        });
        String access = addTcpCore(9).replace("TCP/MSRP", "TCP/TLS/MSRP").replace("a=setup:passive", "a=setup:active");
        String towardsCore = addTcpCore(corePort).replace("TCP/MSRP", "TCP/TLS/MSRP");
        ActionReply action = send("Context = $ {\n" + access + ",\n" + towardsCore + "\n}").actions().get(0);
        assertThat(action.error()).isEmpty();
        String accessSdp = localSdp(action.replies().get(0));
        assertThat(accessSdp).doesNotContain("fingerprint"); // no TLS here: the certificates are the end points'
        ueClient(port(accessSdp), MSRP_SEND, dir.resolve("ue-out.txt"));
        // the UE's TLS session ends at s_server: the handshake and the records passed through the TrGW untouched
        Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> Files.readString(serverOut).contains("-------a1$"));
    }

    @Test
    @Tag("TCP-8")
    @Tag("TLS-9")
    @Tag("TLS-10")
    @WireTest
    void aFinFromTheCoreReleasesBothLegsAndIsNotifiedOnce() throws Exception {
        gateway(new ImsAgwProfile(), 10);
        try (ServerSocket core = new ServerSocket(0, 1, LOOPBACK)) {
            String coreAdd = addTcpCore(core.getLocalPort()).replace("} } }\n", "} } },\n Events = 9 { tcpbcc/fail, tcpbcc/estab }\n");
            String accessAdd = addTcpCore(9).replace("a=setup:passive", "a=setup:active");
            ActionReply action = send("Context = $ {\n" + accessAdd + ",\n" + coreAdd + "\n}").actions().get(0);
            assertThat(action.error()).isEmpty();
            try (Socket ue = new Socket(LOOPBACK, port(localSdp(action.replies().get(0)))); Socket coreSide = core.accept()) {
                Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> notifies.stream().anyMatch(n -> n.contains("estab")));
                ue.getOutputStream().write("MSRP x SEND\r\n-------x$\r\n".getBytes(StandardCharsets.US_ASCII));
                coreSide.shutdownOutput(); // FIN from the core
                coreSide.setSoTimeout(5000);
                assertThat(new String(coreSide.getInputStream().readNBytes(24), StandardCharsets.US_ASCII)).isEqualTo("MSRP x SEND\r\n-------x$\r\n");
                ue.setSoTimeout(5000);
                assertThat(ue.getInputStream().read()).isEqualTo(-1); // the FIN was passed on
                ue.shutdownOutput();
            }
            assertThat(onlyNotify(n -> n.contains("fail"))).contains("ip/").contains("tcpbcc").contains("fin");
        }
    }

    @Test
    @Tag("TCP-8")
    @WireTest
    void aResetFromTheUeReleasesBothLegsAndIsNotifiedOnceOnTheUesTermination() throws Exception {
        gateway(new ImsAgwProfile(), 10);
        try (ServerSocket core = new ServerSocket(0, 1, LOOPBACK)) {
            String accessAdd = addTcpCore(9).replace("a=setup:passive", "a=setup:active")
                    .replace("} } }\n", "} } },\n Events = 5 { tcpbcc/fail, tcpbcc/estab }\n");
            ActionReply action = send("Context = $ {\n" + accessAdd + ",\n" + addTcpCore(core.getLocalPort()) + "\n}").actions().get(0);
            Socket ue = new Socket(LOOPBACK, port(localSdp(action.replies().get(0))));
            try (Socket coreSide = core.accept()) {
                Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> notifies.stream().anyMatch(n -> n.contains("estab")));
                notifies.clear();
                ue.setSoLinger(true, 0);
                ue.close(); // RST
                coreSide.setSoTimeout(5000);
                try {
                    assertThat(coreSide.getInputStream().read()).isEqualTo(-1); // the core leg is closed too (FIN ...
                } catch (java.net.SocketException reset) {
                    assertThat(reset.getMessage()).containsIgnoringCase("reset"); // ... or the reset passed on)
                }
            }
            assertThat(onlyNotify(n -> true)).contains("ip/").contains("tcpbcc").contains("rst");
        }
    }

    @Test
    @RequiresPeer(command = "openssl", debianPackage = "openssl")
    @Tag("TLS-10")
    @WireTest
    void aSubtractInTheMiddleOfATransferReleasesEverythingAndReportsWhatWasRelayed() throws Exception {
        gateway(new ImsAgwProfile(), 10);
        try (ServerSocket core = new ServerSocket(0, 1, LOOPBACK)) {
            ActionReply action = send("Context = $ {\n" + addTlsAccess(CertificateFingerprint.of("sha-256", ue.certificate()).toString())
                    + ",\n" + addTcpCore(core.getLocalPort()) + "\n}").actions().get(0);
            Path big = dir.resolve("big.txt");
            Files.writeString(big, "x".repeat(1 << 20));
            Path cert = dir.resolve("ue.pem");
            Path key = dir.resolve("ue.key");
            ue.write(cert, key);
            processes.add(new ProcessBuilder("openssl", "s_client", "-connect", "127.0.0.1:" + port(localSdp(action.replies().get(0))), "-cert",
                    cert.toString(), "-key", key.toString(), "-quiet", "-ign_eof").redirectInput(big.toFile())
                    .redirectOutput(dir.resolve("out.txt").toFile()).redirectError(dir.resolve("err.txt").toFile()).start());
            try (Socket coreSide = core.accept()) {
                byte[] some = coreSide.getInputStream().readNBytes(1000); // the core reads a little, then stops reading
                assertThat(some).hasSize(1000);
                Transaction.TransactionReply subtracted = send("Context = " + ((ContextId.Specific) action.contextId()).value() + " { Subtract = * }");
                assertThat(subtracted.actions().get(0).error()).isEmpty();
                assertThat(subtracted.actions().get(0).replies()).hasSize(2);
                coreSide.setSoTimeout(10_000);
                coreSide.getInputStream().readAllBytes(); // the core leg closes
            }
        }
        assertThat(gateway.contexts()).isZero();
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> gateway.portsInUse() == 0);
        assertThat(notifies).isEmpty();
    }

    @Test
    @Tag("TCP-3")
    @WireTest
    void bfcpStreamsAreRelayedLikeMsrp() throws Exception {
        gateway(new ImsAgwProfile(), 10);
        try (ServerSocket core = new ServerSocket(0, 1, LOOPBACK)) {
            String access = addTcpCore(9).replace("message", "application").replace("TCP/MSRP *", "TCP/BFCP *").replace("a=setup:passive", "a=setup:active");
            String towardsCore = addTcpCore(core.getLocalPort()).replace("message", "application").replace("TCP/MSRP *", "TCP/BFCP *");
            ActionReply action = send("Context = $ {\n" + access + ",\n" + towardsCore + "\n}").actions().get(0);
            assertThat(action.error()).isEmpty();
            assertThat(localSdp(action.replies().get(0))).contains("m=application").contains("TCP/BFCP");
            try (Socket client = new Socket(LOOPBACK, port(localSdp(action.replies().get(0)))); Socket coreSide = core.accept()) {
                byte[] hello = {0x20, 0x0b, 0, 0, 0, 0, 0, 1, 0, 1, 0, 1}; // a BFCP Hello header (RFC 8855), relayed as bytes
                client.getOutputStream().write(hello);
                coreSide.setSoTimeout(5000);
                assertThat(coreSide.getInputStream().readNBytes(hello.length)).isEqualTo(hello);
            }
        }
    }

    @Test
    @Tag("H248-7")
    @WireTest
    void moveTakesATerminationIntoAnotherContextAndItsBearerFollows() throws Exception {
        gateway(new ImsAgwProfile(), 10);
        try (ServerSocket core = new ServerSocket(0, 1, LOOPBACK)) {
            // context 1: the UE's leg alone; context 2: a leg towards the core alone
            ActionReply first = send("Context = $ {\n" + addTcpCore(9).replace("a=setup:passive", "a=setup:active") + "\n}").actions().get(0);
            ActionReply second = send("Context = $ {\n" + addTcpCore(core.getLocalPort()) + "\n}").actions().get(0);
            long one = ((ContextId.Specific) first.contextId()).value();
            long two = ((ContextId.Specific) second.contextId()).value();
            TerminationId moved = first.replies().get(0).terminationId();
            ActionReply move = send("Context = " + two + " { Move = " + moved + " { Media { Stream = 1 { LocalControl { Mode = SendReceive } } } } }")
                    .actions().get(0);
            assertThat(move.error()).isEmpty();
            assertThat(move.replies().get(0)).isInstanceOf(CommandReply.MoveReply.class);
            assertThat(gateway.contexts()).isEqualTo(1); // context 1 was left empty
            assertThat(send("Context = " + one + " { AuditValue = * }").actions().get(0).error())
                    .hasValueSatisfying(e -> assertThat(e.code()).isEqualTo(411));
            try (Socket ue = new Socket(LOOPBACK, port(localSdp(first.replies().get(0)))); Socket coreSide = core.accept()) {
                ue.getOutputStream().write("MSRP m SEND\r\n-------m$\r\n".getBytes(StandardCharsets.US_ASCII));
                coreSide.setSoTimeout(5000);
                assertThat(new String(coreSide.getInputStream().readNBytes(24), StandardCharsets.US_ASCII)).isEqualTo("MSRP m SEND\r\n-------m$\r\n");
            }
        }
    }

    @Test
    @Tag("GW-9")
    void whenTheBearerCannotOpenTheAddsOfTheActionAreUndone() throws Exception {
        gateway(new ImsAgwProfile(), 10);
        plane.close(); // the bearer plane is going down: no pair can open
        ActionReply reply = send("Context = $ {\n" + addTcpCore(9).replace("a=setup:passive", "a=setup:active") + ",\n" + addTcpCore(9999) + "\n}")
                .actions().get(0);
        assertThat(reply.error()).hasValueSatisfying(e -> assertThat(e.code()).isEqualTo(510));
        assertThat(reply.replies()).isEmpty();
        assertThat(gateway.contexts()).isZero();
        assertThat(gateway.portsInUse()).isZero();
    }

    @Test
    @RequiresPeer(command = "openssl", debianPackage = "openssl")
    @Tag("TLS-10")
    @Tag("TLS-9")
    @WireTest
    void theUeEndingItsTlsSessionIsReportedOnceOnItsTermination() throws Exception {
        gateway(new ImsAgwProfile(), 10);
        try (ServerSocket core = new ServerSocket(0, 1, LOOPBACK)) {
            String access = addTlsAccess(CertificateFingerprint.of("sha-256", ue.certificate()).toString())
                    .replace("Events = 2001 { tlsbsc/fail, tcpbcc/fail }", "Events = 2001 { tlsbsc/fail, tcpbcc/fail, tlsbsc/estab }");
            ActionReply action = send("Context = $ {\n" + access + ",\n" + addTcpCore(core.getLocalPort()) + "\n}").actions().get(0);
            Path cert = dir.resolve("ue.pem");
            Path key = dir.resolve("ue.key");
            ue.write(cert, key);
            Path in = dir.resolve("in.txt");
            Files.writeString(in, MSRP_SEND);
            // without -quiet, s_client ends its session (close_notify) at the end of its input
            processes.add(new ProcessBuilder("openssl", "s_client", "-connect", "127.0.0.1:" + port(localSdp(action.replies().get(0))), "-cert",
                    cert.toString(), "-key", key.toString()).redirectInput(in.toFile()).redirectOutput(dir.resolve("out.txt").toFile())
                    .redirectError(dir.resolve("err.txt").toFile()).start());
            try (Socket coreSide = core.accept()) {
                coreSide.setSoTimeout(10_000);
                assertThat(coreSide.getInputStream().readNBytes(MSRP_SEND.length())).isEqualTo(MSRP_SEND.getBytes(StandardCharsets.US_ASCII));
                Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> notifies.stream().anyMatch(n -> n.contains("fail")));
            }
            TerminationId access1 = action.replies().get(0).terminationId();
            assertThat(onlyNotify(n -> n.contains("fail"))).contains(access1.id()).contains("tlsbsc").contains("close_notify");
            assertThat(notifies).filteredOn(n -> n.contains("estab")).singleElement().satisfies(n -> assertThat(n).contains(access1.id()));
        }
    }

    @Test
    @RequiresPeer(command = "openssl", debianPackage = "openssl")
    @Tag("TLS-10")
    @WireTest
    void theOctetsOfABearerReleasedBeforeItsSubtractAreStillReported() throws Exception {
        gateway(new ImsAgwProfile(), 10);
        try (ServerSocket core = new ServerSocket(0, 1, LOOPBACK)) {
            ActionReply action = send("Context = $ {\n" + addTlsAccess(CertificateFingerprint.of("sha-256", ue.certificate()).toString()) + ",\n"
                    + addTcpCore(core.getLocalPort()) + "\n}").actions().get(0);
            Path cert = dir.resolve("ue.pem");
            Path key = dir.resolve("ue.key");
            ue.write(cert, key);
            Path in = dir.resolve("in.txt");
            Files.writeString(in, MSRP_SEND);
            // without -quiet, s_client ends its session (close_notify) at the end of its input: the pair goes by itself
            processes.add(new ProcessBuilder("openssl", "s_client", "-connect", "127.0.0.1:" + port(localSdp(action.replies().get(0))), "-cert",
                    cert.toString(), "-key", key.toString()).redirectInput(in.toFile()).redirectOutput(dir.resolve("out.txt").toFile())
                    .redirectError(dir.resolve("err.txt").toFile()).start());
            try (Socket coreSide = core.accept()) {
                coreSide.setSoTimeout(10_000);
                assertThat(coreSide.getInputStream().readNBytes(MSRP_SEND.length())).isEqualTo(MSRP_SEND.getBytes(StandardCharsets.US_ASCII));
                Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> notifies.stream().anyMatch(n -> n.contains("fail")));
            }
            Transaction.TransactionReply subtracted = send("Context = " + ((ContextId.Specific) action.contextId()).value() + " { Subtract = * }");
            List<CommandReply> replies = subtracted.actions().get(0).replies();
            assertThat(statistic(replies.get(0), "or")).isEqualTo(MSRP_SEND.length()); // the UE's leg received the SEND
            assertThat(statistic(replies.get(0), "os")).isZero();
            assertThat(statistic(replies.get(1), "os")).isEqualTo(MSRP_SEND.length()); // the core's leg sent it on
            assertThat(statistic(replies.get(1), "or")).isZero();
        }
    }

    @Test
    @Tag("TCP-8")
    @WireTest
    void aBearerThatWentByItselfIsNotOpenedAgainByALaterModify() throws Exception {
        gateway(new ImsAgwProfile(), 10);
        try (ServerSocket core = new ServerSocket(0, 5, LOOPBACK)) {
            ActionReply action = send("Context = $ {\n" + addTcpCore(9).replace("a=setup:passive", "a=setup:active") + ",\n"
                    + addTcpCore(core.getLocalPort()) + "\n}").actions().get(0);
            long context = ((ContextId.Specific) action.contextId()).value();
            try (Socket coreSide = core.accept()) {
                try (Socket ue = new Socket(LOOPBACK, port(localSdp(action.replies().get(0))))) {
                    ue.getOutputStream().write('x');
                    coreSide.setSoTimeout(10_000);
                    assertThat(coreSide.getInputStream().read()).isEqualTo('x');
                }
                assertThat(coreSide.getInputStream().read()).isEqualTo(-1); // TCP-8: the UE's FIN released both legs
            }
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> gateway.bearersOpen() == 0);
            assertThat(send("Context = " + context + " { Modify = " + action.replies().get(1).terminationId() + " { Events = 9 { tcpbcc/fail } } }")
                    .actions().get(0).error()).isEmpty();
            core.setSoTimeout(1000);
            assertThatThrownBy(core::accept).isInstanceOf(java.net.SocketTimeoutException.class); // no second connection to the core
            assertThat(gateway.bearersOpen()).isZero();
        }
    }

    @Test
    @Tag("SEC-3")
    @WireTest
    void anAuditReportsTheFingerprintsEnforcedAndAnOpenBearerKeepsThem() throws Exception {
        gateway(new ImsAgwProfile(), 10);
        String sha256 = CertificateFingerprint.of("sha-256", ue.certificate()).toString();
        String sha1 = "sha-1 " + CertificateFingerprint.of("sha-1", ue.certificate()).value();
        try (ServerSocket core = new ServerSocket(0, 1, LOOPBACK)) {
            ActionReply action = send("Context = $ {\n" + addTlsAccess(sha256 + "\na=fingerprint:" + sha1) + ",\n" + addTcpCore(core.getLocalPort()) + "\n}")
                    .actions().get(0);
            assertThat(action.error()).isEmpty();
            long context = ((ContextId.Specific) action.contextId()).value();
            TerminationId access = action.replies().get(0).terminationId();
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> gateway.bearersOpen() == 1);
            String audited = send("Context = " + context + " { AuditValue = " + access + " { Audit { Media } } }").toString();
            assertThat(audited).contains(sha256).doesNotContain("sha-1"); // SEC-3: only what the handshake will be held to
            // the open bearer was given its fingerprints: another one now is refused, and the audit still says the first
            String other = CertificateFingerprint.of("sha-256", SelfSignedCertificate.generate("other", Duration.ofDays(1)).certificate()).toString();
            ActionReply modified = send("Context = " + context + " {\n" + addTlsAccess(other).replace("Add = ip/$", "Modify = " + access) + "\n}").actions().get(0);
            assertThat(modified.error()).hasValueSatisfying(e -> assertThat(e.code()).isEqualTo(501));
            assertThat(send("Context = " + context + " { AuditValue = " + access + " { Audit { Media } } }").toString()).contains(sha256).doesNotContain(other);
        }
    }

    /**
     * The one Notify that {@code which} selects: the first is awaited, then the pair's release (no bearer open), then
     * no second one for {@link #QUIET}.
     */
    private String onlyNotify(Predicate<String> which) {
        Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> notifies.stream().anyMatch(which));
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> gateway.bearersOpen() == 0);
        Awaitility.await("no second such Notify for " + QUIET).failFast("a second Notify: " + notifies, () -> notifies.stream().filter(which).count() > 1)
                .during(QUIET).atMost(QUIET.plus(Duration.ofSeconds(10))).until(() -> notifies.stream().filter(which).count() == 1);
        return notifies.stream().filter(which).findFirst().orElseThrow();
    }

    private static long statistic(CommandReply reply, String name) {
        Descriptor.StatisticsDescriptor statistics = (Descriptor.StatisticsDescriptor) ((CommandReply.SubtractReply) reply).descriptors().get(0);
        return statistics.statistics().stream().filter(s -> s.name().itemName().equals(name))
                .mapToLong(s -> Long.parseLong(((org.mediasec.h248.message.PropertyValue.Single) s.value().orElseThrow()).value())).findFirst().orElseThrow();
    }
}
