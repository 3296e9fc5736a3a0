package org.mediasec.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
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
import org.mediasec.gateway.profile.ImsAgwProfile;
import org.mediasec.h248.message.ActionReply;
import org.mediasec.h248.message.CommandReply;
import org.mediasec.h248.message.ContextId;
import org.mediasec.h248.message.Descriptor;
import org.mediasec.h248.message.PropertyValue;
import org.mediasec.h248.message.Transaction;
import org.mediasec.h248.text.H248TextParser;
import org.mediasec.t38.FaxSessionGenerator;
import org.mediasec.t38.RedundancyEncoder;
import org.mediasec.testsupport.FreePorts;
import org.mediasec.testsupport.RequiresPeer;
import org.mediasec.testsupport.WireTest;

/**
 * T.38 fax terminations of the IMS-AGW over real sockets (GW-7): H.248 as an IMS-ALG sends it, {@code openssl
 * s_client -dtls1_2} or {@code s_server -dtls1_2} as the UE (their standard input kept open), a plain UDP socket as the
 * core. What the UE sends is UDPTL written to OpenSSL's standard input one datagram at a time, so each becomes one
 * DTLS record.
 */
@Timeout(120)
@RequiresPeer(command = "openssl", debianPackage = "openssl")
class FaxGatewayTest {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final int MAX_DATAGRAM = 400;
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;
    private final BearerPlane plane = new BearerPlane(BearerConfig.DEFAULT);
    private final List<Process> processes = new ArrayList<>();
    private final List<String> notifies = new CopyOnWriteArrayList<>();
    private final SelfSignedCertificate ue = SelfSignedCertificate.generate("ue", Duration.ofDays(1));
    private final SelfSignedCertificate impostor = SelfSignedCertificate.generate("impostor", Duration.ofDays(1));
    private final TlsEngines access = new TlsEngines(TlsDomain.defaults("access", SelfSignedCertificate.generate("mediasec", Duration.ofDays(1))));
    private final List<byte[]> fax = new RedundancyEncoder(2, 0).datagrams(FaxSessionGenerator.session(1, "+4930111", "+4940222").calling());
    private MediaGateway gateway;

    @AfterEach
    void tearDown() {
        processes.forEach(Process::destroyForcibly);
        if (gateway != null) {
            gateway.close();
        }
        plane.close();
    }

    private void startGateway() {
        startGateway(plane);
    }

    private void startGateway(BearerPlane bearers) {
        int first = 14000 + (int) (ProcessHandle.current().pid() % 500) * 20; // below the ephemeral range
        gateway = new MediaGateway(new GatewayConfig(new ImsAgwProfile(), List.of(new PortAllocator.Realm("access", LOOPBACK, first, first + 9)),
                Map.of("access", access), "access", 100),
                bearers, (context, termination, events) -> notifies.add(context + " " + termination + " " + events));
    }

    private Transaction.TransactionReply send(String actions) throws Exception {
        String text = "MEGACO/3 [127.0.0.1]:2944\nTransaction = 1 {\n" + actions + "\n}\n";
        Transaction.TransactionRequest request = (Transaction.TransactionRequest) H248TextParser.parse(text).transactions().get(0);
        return gateway.onTransactionRequest(request).toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /** The UE's leg: DTLS towards the UE at {@code uePort}, whose a=setup and certificate fingerprint are given. */
    private static String addDtlsAccess(int uePort, String ueSetup, String fingerprint) {
        return """
                  Add = ip/$ {
                    Media { Stream = 1 {
                      LocalControl { Mode = SendReceive },
                      Local {
                v=0
                c=IN IP4 $
                m=image $ UDP/TLS/UDPTL t38
                a=fingerprint:$
                a=T38FaxVersion:0
                a=T38FaxMaxDatagram:400
                      },
                      Remote {
                v=0
                c=IN IP4 127.0.0.1
                m=image %d UDP/TLS/UDPTL t38
                a=setup:%s
                a=fingerprint:%s
                a=T38FaxVersion:0
                a=T38FaxMaxDatagram:400
                      } } },
                    Events = 2001 { tlsbsc/estab, tlsbsc/fail, nt/netfail }
                  }""".formatted(uePort, ueSetup, fingerprint);
    }

    private static String addUdptl(int peerPort) {
        return """
                  Add = ip/$ {
                    Media { Stream = 1 {
                      Local {
                v=0
                c=IN IP4 $
                m=image $ udptl t38
                a=T38FaxMaxDatagram:400
                      },
                      Remote {
                v=0
                c=IN IP4 127.0.0.1
                m=image %d udptl t38
                a=T38FaxMaxDatagram:400
                      } } },
                    Events = 2002 { nt/netfail }
                  }""".formatted(peerPort);
    }

    private static String localSdp(CommandReply reply) {
        return ((CommandReply.AmmsReply) reply).localSdp(1).orElseThrow();
    }

    private static int port(String sdp) {
        return Integer.parseInt(sdp.lines().filter(l -> l.startsWith("m=")).findFirst().orElseThrow().split(" ")[1]);
    }

    private static long context(ActionReply action) {
        return ((ContextId.Specific) action.contextId()).value();
    }

    private String fingerprint(SelfSignedCertificate certificate) {
        return CertificateFingerprint.of("sha-256", certificate.certificate()).toString();
    }

    private Process openssl(String name, SelfSignedCertificate certificate, String... arguments) throws IOException {
        Path cert = dir.resolve(name + ".pem");
        Path key = dir.resolve(name + ".key");
        certificate.write(cert, key);
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(arguments));
        command.addAll(List.of("-dtls1_2", "-cert", cert.toString(), "-key", key.toString(), "-quiet"));
        Process process = new ProcessBuilder(command).redirectOutput(dir.resolve(name + ".out").toFile())
                .redirectError(dir.resolve(name + ".err").toFile()).start();
        processes.add(process);
        return process;
    }

    /** One datagram into OpenSSL's standard input: it goes out as one DTLS record. */
    private static void write(Process process, byte[] datagram) throws IOException {
        OutputStream in = process.getOutputStream();
        in.write(datagram);
        in.flush();
    }

    private static Optional<byte[]> receive(DatagramSocket socket, int millis) throws IOException {
        byte[] buffer = new byte[65_536];
        DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
        socket.setSoTimeout(millis);
        try {
            socket.receive(packet);
        } catch (SocketTimeoutException e) {
            return Optional.empty();
        }
        return Optional.of(Arrays.copyOf(buffer, packet.getLength()));
    }

    private static long statistic(Transaction.TransactionReply subtracted, int reply, String name) {
        CommandReply.SubtractReply subtract = (CommandReply.SubtractReply) subtracted.actions().get(0).replies().get(reply);
        Descriptor.StatisticsDescriptor statistics = (Descriptor.StatisticsDescriptor) subtract.descriptors().get(0);
        return statistics.statistics().stream().filter(s -> s.name().itemName().equals(name))
                .map(s -> Long.parseLong(((PropertyValue.Single) s.value().orElseThrow()).value())).findFirst().orElseThrow();
    }

    @Test
    @Tag("GW-7")
    @Tag("TLS-1")
    @Tag("TLS-3")
    @WireTest
    void anActiveUesDtlsFaxReachesThePlainCoreDatagramByDatagramAndBack() throws Exception {
        startGateway();
        int uePort = FreePorts.udp();
        try (DatagramSocket core = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
            ActionReply action = send("Context = $ {\n" + addDtlsAccess(uePort, "active", fingerprint(ue)) + ",\n" + addUdptl(core.getLocalPort())
                    + "\n}").actions().get(0);
            assertThat(action.error()).isEmpty();
            String accessSdp = localSdp(action.replies().get(0));
            // TLS-3: our fingerprint; TLS-1: the UE is active, so we are DTLS server (passive); a UDP port is a real port
            assertThat(accessSdp).contains("a=fingerprint:" + fingerprint(access.domain().certificate())).contains("a=setup:passive")
                    .contains("m=image " + port(accessSdp) + " UDP/TLS/UDPTL t38").contains("a=T38FaxMaxDatagram:400");
            String coreSdp = localSdp(action.replies().get(1));
            assertThat(coreSdp).contains("udptl t38").doesNotContain("fingerprint").doesNotContain("a=setup");

            Process client = openssl("ue", ue, "s_client", "-connect", "127.0.0.1:" + port(accessSdp), "-bind", "127.0.0.1:" + uePort);
            await().atMost(WAIT).until(() -> notifies.stream().anyMatch(n -> n.contains("estab")));
            assertThat(notifies).singleElement().satisfies(n -> assertThat(n).contains("tlsbsc"));
            int octets = 0;
            for (byte[] datagram : fax.subList(0, 12)) {
                write(client, datagram);
                assertThat(receive(core, 10_000)).as("datagram %d at the core", octets).hasValueSatisfying(d -> assertThat(d).isEqualTo(datagram));
                octets += datagram.length;
            }
            byte[] answer = fax.get(1);
            core.send(new DatagramPacket(answer, answer.length, new InetSocketAddress(LOOPBACK, port(coreSdp))));
            await().atMost(WAIT).until(() -> Files.size(dir.resolve("ue.out")) >= answer.length);
            assertThat(Files.readAllBytes(dir.resolve("ue.out"))).isEqualTo(answer);

            Transaction.TransactionReply subtracted = send("Context = " + context(action) + " { Subtract = * }");
            assertThat(statistic(subtracted, 0, "or")).as("nt/or of the UE's leg").isEqualTo(octets);
            assertThat(statistic(subtracted, 0, "os")).as("nt/os of the UE's leg").isEqualTo(answer.length);
            assertThat(statistic(subtracted, 1, "os")).as("nt/os of the core's leg").isEqualTo(octets);
        }
        await().atMost(WAIT).until(() -> gateway.portsInUse() == 0);
        assertThat(notifies).hasSize(1); // a Subtract is not reported back
    }

    @Test
    @Tag("GW-7")
    @Tag("TLS-1")
    @WireTest
    void aPassiveUeMakesTheGatewayDtlsClient() throws Exception {
        startGateway();
        int uePort = FreePorts.udp();
        Process server = openssl("ue", ue, "s_server", "-accept", "127.0.0.1:" + uePort, "-verify", "1");
        try (DatagramSocket core = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
            ActionReply action = send("Context = $ {\n" + addDtlsAccess(uePort, "passive", fingerprint(ue)) + ",\n" + addUdptl(core.getLocalPort())
                    + "\n}").actions().get(0);
            assertThat(action.error()).isEmpty();
            assertThat(localSdp(action.replies().get(0))).contains("a=setup:active");
            await().atMost(WAIT).until(() -> notifies.stream().anyMatch(n -> n.contains("estab")));
            byte[] datagram = fax.get(3);
            int corePort = port(localSdp(action.replies().get(1)));
            core.send(new DatagramPacket(datagram, datagram.length, new InetSocketAddress(LOOPBACK, corePort)));
            await().atMost(WAIT).until(() -> Files.size(dir.resolve("ue.out")) >= datagram.length);
            assertThat(Files.readAllBytes(dir.resolve("ue.out"))).isEqualTo(datagram);
            write(server, fax.get(4));
            assertThat(receive(core, 10_000)).hasValueSatisfying(d -> assertThat(d).isEqualTo(fax.get(4)));
            // the UE asked for and saw the gateway's (self-signed) certificate: mutual authentication (TLS-3)
            assertThat(Files.readString(dir.resolve("ue.err"))).contains("CN = mediasec");
        }
    }

    @Test
    @Tag("GW-7")
    @Tag("TLS-4")
    @WireTest
    void aUeWhoseCertificateIsNotItsFingerprintsIsRefusedAndNothingReachesTheCore() throws Exception {
        startGateway();
        int uePort = FreePorts.udp();
        try (DatagramSocket core = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
            ActionReply action = send("Context = $ {\n" + addDtlsAccess(uePort, "active", fingerprint(ue)) + ",\n" + addUdptl(core.getLocalPort())
                    + "\n}").actions().get(0);
            Process client = openssl("impostor", impostor, "s_client", "-connect", "127.0.0.1:" + port(localSdp(action.replies().get(0))),
                    "-bind", "127.0.0.1:" + uePort);
            write(client, fax.get(0));
            await().atMost(WAIT).until(() -> !notifies.isEmpty());
            assertThat(notifies).singleElement().satisfies(n -> assertThat(n).contains("tlsbsc").contains("fail").contains("handshake_failed"));
            assertThat(receive(core, 2000)).as("no datagram at the core").isEmpty();
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4)).until(() -> notifies.size() == 1);
            Transaction.TransactionReply subtracted = send("Context = " + context(action) + " { Subtract = * }");
            assertThat(statistic(subtracted, 1, "os")).isZero();
        }
    }

    @Test
    @Tag("GW-7")
    @WireTest
    void aPlainUdptlRelayForwardsOnlyUdptlAndHoldsAsItsModesSay() throws Exception {
        startGateway();
        try (DatagramSocket a = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0)); DatagramSocket b = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
            ActionReply action = send("Context = $ {\n" + addUdptl(a.getLocalPort()) + ",\n" + addUdptl(b.getLocalPort()) + "\n}").actions().get(0);
            assertThat(action.error()).isEmpty();
            InetSocketAddress towardsA = new InetSocketAddress(LOOPBACK, port(localSdp(action.replies().get(0))));
            InetSocketAddress towardsB = new InetSocketAddress(LOOPBACK, port(localSdp(action.replies().get(1))));
            byte[] notUdptl = "hello, fax".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            a.send(new DatagramPacket(notUdptl, notUdptl.length, towardsA));
            byte[] oversize = new byte[MAX_DATAGRAM + 1];
            a.send(new DatagramPacket(oversize, oversize.length, towardsA));
            a.send(new DatagramPacket(fax.get(5), fax.get(5).length, towardsA));
            assertThat(receive(b, 10_000)).as("only the UDPTL packet, the others dropped").hasValueSatisfying(d -> assertThat(d).isEqualTo(fax.get(5)));

            String termination = localTermination(action, 0);
            assertThat(send("Context = " + context(action) + " { Modify = " + termination + " { Media { Stream = 1 { LocalControl { Mode = SendOnly } } } } }")
                    .actions().get(0).error()).isEmpty();
            a.send(new DatagramPacket(fax.get(6), fax.get(6).length, towardsA));
            b.send(new DatagramPacket(fax.get(7), fax.get(7).length, towardsB));
            assertThat(receive(a, 10_000)).as("towards A still flows").hasValueSatisfying(d -> assertThat(d).isEqualTo(fax.get(7)));
            assertThat(receive(b, 1000)).as("A's datagrams are held (SendOnly: A's leg takes nothing in)").isEmpty();
            assertThat(send("Context = " + context(action) + " { Modify = " + termination + " { Media { Stream = 1 { LocalControl { Mode = SendReceive } } } } }")
                    .actions().get(0).error()).isEmpty();
            a.send(new DatagramPacket(fax.get(8), fax.get(8).length, towardsA));
            assertThat(receive(b, 10_000)).hasValueSatisfying(d -> assertThat(d).isEqualTo(fax.get(8)));
        }
    }

    @Test
    @Tag("GW-7")
    @WireTest
    void anIdleUdpRelayIsReportedOnceAsANetworkFailure() throws Exception {
        try (BearerPlane idle = new BearerPlane(BearerConfig.DEFAULT.withIdleTimeout(Duration.ofSeconds(1)));
                DatagramSocket a = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0)); DatagramSocket b = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
            startGateway(idle);
            // the MGC asks for tcpbcc/fail too: the gateway must not report a TCP failure on a UDP leg
            String tcpAsWell = "Events = 2002 { tcpbcc/fail, nt/netfail }";
            ActionReply action = send("Context = $ {\n" + addUdptl(a.getLocalPort()).replace("Events = 2002 { nt/netfail }", tcpAsWell) + ",\n"
                    + addUdptl(b.getLocalPort()).replace("Events = 2002 { nt/netfail }", tcpAsWell) + "\n}").actions().get(0);
            assertThat(action.error()).isEmpty();
            await().atMost(WAIT).until(() -> !notifies.isEmpty());
            // a UDP leg has no TCP: the release is nt/netfail with its cause, never tcpbcc/fail
            assertThat(notifies).singleElement().satisfies(n -> assertThat(n).contains("netfail").contains("idle_timeout").doesNotContain("tcpbcc"));
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4)).until(() -> notifies.size() == 1);
            gateway.close();
            gateway = null;
        }
    }

    @Test
    void aContextDoesNotRelayUdpToTcp() throws Exception {
        startGateway();
        String tcp = """
                  Add = ip/$ { Media { Stream = 1 { Local {
                v=0
                c=IN IP4 $
                m=message $ TCP/MSRP *
                a=setup:passive
                  } } } }""";
        ActionReply action = send("Context = $ {\n" + addUdptl(FreePorts.udp()) + ",\n" + tcp + "\n}").actions().get(0);
        assertThat(action.error()).hasValueSatisfying(error -> assertThat(error.code()).isEqualTo(515));
    }

    private static String localTermination(ActionReply action, int index) {
        return action.replies().get(index).terminationId().toString();
    }
}
