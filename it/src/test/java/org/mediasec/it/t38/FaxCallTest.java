package org.mediasec.it.t38;

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
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.mediasec.app.demo.DemoNetwork;
import org.mediasec.bearer.tls.CertificateFingerprint;
import org.mediasec.bearer.tls.SelfSignedCertificate;
import org.mediasec.controller.alg.CallListener;
import org.mediasec.controller.alg.CallProcedures;
import org.mediasec.controller.alg.CallSide;
import org.mediasec.controller.alg.ImsAlgPolicy;
import org.mediasec.controller.alg.Party;
import org.mediasec.controller.alg.TlsRolePolicy;
import org.mediasec.controller.mgc.GatewayEvent;
import org.mediasec.it.wire.PcapWriter;
import org.mediasec.sdp.MediaDescription;
import org.mediasec.sdp.SdpParser;
import org.mediasec.sdp.SessionDescription;
import org.mediasec.sdp.Setup;
import org.mediasec.sdp.Transport;
import org.mediasec.t38.FaxSessionGenerator;
import org.mediasec.t38.RedundancyEncoder;
import org.mediasec.testsupport.FreePorts;
import org.mediasec.testsupport.Peers;
import org.mediasec.testsupport.RequiresPeer;
import org.mediasec.testsupport.WireTest;

/**
 * T.38 fax with e2ae through the IMS-ALG and a {@code mediasec gateway} process (GW-7): a UE with DTLS ({@code socat
 * OPENSSL-DTLS-CLIENT} with its certificate, or {@code openssl s_client -dtls1_2}) and a plain UDP core exchange a
 * generated fax ({@link FaxSessionGenerator}, UDPTL with redundancy). The SDP is handed to the procedures as a SIP
 * server would; every claim is observed on the sockets, and tshark dissects what crossed each leg.
 */
@Timeout(180)
@RequiresPeer(command = "socat", debianPackage = "socat")
@RequiresPeer(command = "openssl", debianPackage = "openssl")
@RequiresPeer(command = "tshark", debianPackage = "tshark")
class FaxCallTest {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final Party UE = Party.accessUe(true);
    private static final Party CORE = Party.core();
    private static final Duration WAIT = Duration.ofSeconds(20);
    /** Datagrams in flight before the sender waits for the core (loopback keeps order; this keeps buffers small). */
    private static final int WINDOW = 16;
    private static final String T38 = """
            a=T38FaxVersion:0\r
            a=T38MaxBitRate:14400\r
            a=T38FaxRateManagement:transferredTCF\r
            a=T38FaxMaxBuffer:262\r
            a=T38FaxMaxDatagram:400\r
            a=T38FaxUdpEC:t38UDPRedundancy\r
            """;

    @TempDir
    static Path directory;
    private static DemoNetwork network;
    @TempDir
    Path dir;
    private final List<Process> processes = new ArrayList<>();
    private final SelfSignedCertificate ue = SelfSignedCertificate.generate("ue", Duration.ofDays(1));
    private final FaxSessionGenerator.FaxSession session = FaxSessionGenerator.session(1, "+4930111", "+4940222");
    private final List<byte[]> calling = new RedundancyEncoder(2, 0).datagrams(session.calling());
    private final List<byte[]> called = new RedundancyEncoder(2, 0).datagrams(session.called());

    @BeforeAll
    static void startNetwork() throws Exception {
        network = DemoNetwork.start(directory, 1, Duration.ofSeconds(30));
    }

    @AfterAll
    static void stopNetwork() throws Exception {
        if (network != null) {
            network.close();
        }
    }

    @AfterEach
    void stopPeers() {
        processes.forEach(Process::destroyForcibly);
    }

    /** What the procedures report: bearer events and calls released by the media plane. */
    private static final class Recorder implements CallListener {
        final List<GatewayEvent> events = new CopyOnWriteArrayList<>();
        final List<String> released = new CopyOnWriteArrayList<>();

        @Override
        public void onCallReleased(String callId, String reason) {
            released.add(callId + ": " + reason);
        }

        @Override
        public void onBearerEvent(String callId, int mediaIndex, boolean towardsOfferer, GatewayEvent event) {
            events.add(event);
        }

        boolean dtlsUp() {
            return events.stream().anyMatch(e -> e instanceof GatewayEvent.Established established && established.layer() == GatewayEvent.Layer.TLS);
        }
    }

    private static CallProcedures alg(Recorder recorder) {
        return new CallProcedures(network.controller(), DemoNetwork.ACCESS_REALM, new ImsAlgPolicy(), TlsRolePolicy.DEFAULT, Optional.empty(), recorder);
    }

    private static SessionDescription sdp(String owner, int version, String media) throws Exception {
        return SdpParser.parse("v=0\r\no=" + owner + " 1 " + version + " IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n" + media);
    }

    private String fingerprint(SelfSignedCertificate certificate) {
        return CertificateFingerprint.of("sha-256", certificate.certificate()).toString();
    }

    /** The UE's DTLS fax m-line (RFC 7345, RFC 8842) with the e2ae request (TS 24.229). */
    private String ueFax(int port, String setup) {
        return "m=image " + port + " UDP/TLS/UDPTL t38\r\na=setup:" + setup + "\r\na=fingerprint:" + fingerprint(ue)
                + "\r\na=tls-id:ue4RsSNdi2eTrP4ow0Ob3c\r\na=3ge2ae:requested\r\n" + T38;
    }

    private static String coreFax(int port) {
        return "m=image " + port + " udptl t38\r\n" + T38;
    }

    private static InetSocketAddress gatewayEnd(SessionDescription sdp) {
        MediaDescription media = sdp.media().get(0);
        String host = sdp.connectionData(media).orElseThrow().split(" ")[2];
        return new InetSocketAddress(host, media.mediaLine().portNumber().orElseThrow());
    }

    /** socat as the UE's DTLS stack: plain UDPTL into its UDP port, one DTLS record per datagram out towards {@code to}. */
    private Process socat(int plainPort, InetSocketAddress to, Optional<Integer> bindPort) throws IOException {
        Path cert = dir.resolve("ue.pem");
        Path key = dir.resolve("ue.key");
        ue.write(cert, key);
        Process process = new ProcessBuilder("socat", "-b", "65536", "UDP-LISTEN:" + plainPort + ",bind=127.0.0.1",
                "OPENSSL-DTLS-CLIENT:127.0.0.1:" + to.getPort() + ",cert=" + cert + ",key=" + key + ",verify=0,bind=127.0.0.1"
                        + bindPort.map(p -> ":" + p).orElse(""))
                .redirectErrorStream(true).redirectOutput(dir.resolve("socat.log").toFile()).start();
        processes.add(process);
        return process;
    }

    private static void send(DatagramSocket socket, byte[] datagram, InetSocketAddress to) throws IOException {
        socket.send(new DatagramPacket(datagram, datagram.length, to));
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

    /**
     * Sends {@code fax} from the UE's plain side through socat: the first datagram until the DTLS association is up
     * (socat opens it on the first datagram; copies sent before may be lost), then the rest, at most {@link #WINDOW}
     * ahead of the core. Returns what reached the core, in order.
     */
    private static List<byte[]> sendFax(List<byte[]> fax, DatagramSocket uePlain, InetSocketAddress socatUdp, DatagramSocket core, Recorder recorder) throws Exception {
        await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).until(() -> {
            send(uePlain, fax.get(0), socatUdp);
            return recorder.dtlsUp();
        });
        List<byte[]> atCore = new ArrayList<>();
        int received = 0;
        for (int i = 1; i < fax.size(); i++) {
            send(uePlain, fax.get(i), socatUdp);
            while (i - received >= WINDOW || (i == fax.size() - 1 && received < fax.size() - 1)) {
                byte[] datagram = receive(core, 10_000).orElseThrow(() -> new AssertionError("the core waits for a datagram"));
                atCore.add(datagram);
                if (!Arrays.equals(datagram, fax.get(0))) {
                    received++;
                }
            }
        }
        return atCore;
    }

    /** The fax as it must arrive: every datagram, in order, byte for byte (the IFPs with their redundancy). */
    private static void assertWhole(List<byte[]> atCore, List<byte[]> fax) {
        List<byte[]> distinct = new ArrayList<>(atCore);
        while (distinct.size() > 1 && Arrays.equals(distinct.get(0), fax.get(0)) && Arrays.equals(distinct.get(1), fax.get(0))) {
            distinct.remove(0); // copies of the first datagram, sent until the association was up
        }
        List<byte[]> expected = Arrays.equals(distinct.get(0), fax.get(0)) ? fax : fax.subList(1, fax.size());
        assertThat(distinct).as("the fax at the core").hasSameSizeAs(expected);
        for (int i = 0; i < expected.size(); i++) {
            assertThat(distinct.get(i)).as("datagram %d", i).isEqualTo(expected.get(i));
        }
    }

    @Test
    @Tag("GW-7")
    @Tag("CTRL-1")
    @Tag("TLS-1")
    @Tag("TLS-3")
    @WireTest
    void anE2aeFaxFromOurUeReachesThePlainCoreWholeAndInOrder() throws Exception {
        Recorder recorder = new Recorder();
        CallProcedures alg = alg(recorder);
        try (DatagramTap tap = new DatagramTap(); DatagramSocket uePlain = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0));
                DatagramSocket core = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
            SessionDescription toCore = alg.onOffer("fax-1", UE, CORE, sdp("ue", 1, ueFax(tap.port(), "actpass"))).get(10, TimeUnit.SECONDS);
            MediaDescription offered = toCore.media().get(0);
            // CTRL-1 for image: plain udptl towards the core, no fingerprint, no e2ae, no tls-id, no role; T.38 untouched
            assertThat(offered.transport()).isEqualTo(Transport.UDPTL);
            assertThat(offered.fingerprints()).isEmpty();
            assertThat(offered.e2aeIndicator()).isEmpty();
            assertThat(offered.setup()).isEmpty();
            assertThat(offered.attribute("tls-id")).isEmpty();
            assertThat(toCore.write()).contains(T38);
            SessionDescription toUe = alg.onAnswer("fax-1", sdp("core", 1, coreFax(core.getLocalPort()))).get(10, TimeUnit.SECONDS);
            MediaDescription answered = toUe.media().get(0);
            assertThat(answered.transport()).isEqualTo(Transport.UDP_TLS_UDPTL);
            assertThat(answered.setup()).as("the UE connects out: the gateway is DTLS server").contains(Setup.PASSIVE);
            assertThat(answered.fingerprints()).singleElement().satisfies(f -> assertThat(f.attributeValue()).isNotEqualTo(fingerprint(ue)));
            assertThat(answered.e2aeIndicator()).contains("applied");
            assertThat(answered.attribute("tls-id")).isPresent().isNotEqualTo(Optional.of("ue4RsSNdi2eTrP4ow0Ob3c"));
            assertThat(toUe.write()).contains(T38);

            InetSocketAddress gatewayAccess = gatewayEnd(toUe);
            tap.peer(gatewayAccess);
            int socatPort = FreePorts.udp();
            socat(socatPort, new InetSocketAddress(LOOPBACK, tap.port()), Optional.empty());
            InetSocketAddress socatUdp = new InetSocketAddress(LOOPBACK, socatPort);
            List<byte[]> atCore = sendFax(calling, uePlain, socatUdp, core, recorder);
            assertWhole(atCore, calling);
            // the called side's answers go back through DTLS to the UE
            InetSocketAddress gatewayCore = gatewayEnd(toCore);
            for (byte[] datagram : called.subList(0, 10)) {
                send(core, datagram, gatewayCore);
                assertThat(receive(uePlain, 10_000)).hasValueSatisfying(d -> assertThat(d).isEqualTo(datagram));
            }
            alg.onRelease("fax-1").get(10, TimeUnit.SECONDS);
            assertThat(recorder.released).isEmpty();

            Path pcap = pcap(tap, atCore, gatewayCore.getPort(), core.getLocalPort());
            List<String> decodeAs = List.of("-o", "t38.use_pre_corrigendum_asn1_specification:FALSE",
                    "-d", "udp.port==" + core.getLocalPort() + ",t38", "-d", "udp.port==" + gatewayAccess.getPort() + ",dtls");
            assertThat(frames(pcap, decodeAs, "t38 && udp.dstport==" + core.getLocalPort())).as("UDPTL on the core leg").hasSize(atCore.size());
            assertThat(frames(pcap, decodeAs, "t38.secondary_ifp_packets")).as("with redundancy").hasSizeGreaterThan(calling.size() - 2);
            assertThat(frames(pcap, decodeAs, "dtls.handshake.type == 1")).as("a ClientHello on the access leg").isNotEmpty();
            assertThat(frames(pcap, decodeAs, "dtls.record.content_type == 23 && dtls.record.version == 0xfefd"))
                    .as("DTLS 1.2 application data on the access leg").hasSizeGreaterThanOrEqualTo(calling.size() - 1);
            assertThat(frames(pcap, decodeAs, "t38 && udp.port==" + gatewayAccess.getPort())).as("no UDPTL in clear on the access leg").isEmpty();
            assertThat(frames(pcap, decodeAs, "_ws.malformed || _ws.expert.severity == error")).as("frames tshark flags").isEmpty();
        }
    }

    @Test
    @Tag("GW-7")
    @Tag("TLS-4")
    @WireTest
    void aUeWhoseCertificateIsNotItsFingerprintsIsRefusedAndTheCallReleased() throws Exception {
        Recorder recorder = new Recorder();
        CallProcedures alg = alg(recorder);
        SelfSignedCertificate impostor = SelfSignedCertificate.generate("impostor", Duration.ofDays(1));
        int uePort = FreePorts.udp();
        try (DatagramSocket core = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
            alg.onOffer("fax-2", UE, CORE, sdp("ue", 1, ueFax(uePort, "active"))).get(10, TimeUnit.SECONDS);
            SessionDescription toUe = alg.onAnswer("fax-2", sdp("core", 1, coreFax(core.getLocalPort()))).get(10, TimeUnit.SECONDS);
            Path cert = dir.resolve("impostor.pem");
            Path key = dir.resolve("impostor.key");
            impostor.write(cert, key);
            Process client = new ProcessBuilder("openssl", "s_client", "-dtls1_2", "-connect", "127.0.0.1:" + gatewayEnd(toUe).getPort(),
                    "-bind", "127.0.0.1:" + uePort, "-cert", cert.toString(), "-key", key.toString(), "-quiet")
                    .redirectOutput(dir.resolve("s_client.out").toFile()).redirectError(dir.resolve("s_client.err").toFile()).start();
            processes.add(client);
            OutputStream stdin = client.getOutputStream(); // kept open: s_client would end at its end
            stdin.write(calling.get(1));
            stdin.flush();
            await().atMost(WAIT).until(() -> !recorder.released.isEmpty());
            assertThat(recorder.released).singleElement().satisfies(r -> assertThat(r).startsWith("fax-2: ").contains("handshake_failed"));
            assertThat(receive(core, 2000)).as("no datagram at the core").isEmpty();
            await().atMost(WAIT).until(() -> alg.calls() == 0);
        }
    }

    @Test
    @Tag("GW-7")
    @Tag("CTRL-2")
    @Tag("CTRL-7")
    @WireTest
    void anAudioCallSwitchedToFaxByTheCoresReOfferGetsDtlsTowardsOurUe() throws Exception {
        Recorder recorder = new Recorder();
        CallProcedures alg = alg(recorder);
        String audio = "m=audio %d RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n";
        SessionDescription audioOffer = sdp("ue", 1, audio.formatted(49170));
        assertThat(alg.onOffer("fax-3", UE, CORE, audioOffer).get(10, TimeUnit.SECONDS)).as("audio passes untouched").isEqualTo(audioOffer);
        SessionDescription audioAnswer = sdp("core", 1, audio.formatted(5004));
        assertThat(alg.onAnswer("fax-3", audioAnswer).get(10, TimeUnit.SECONDS)).isEqualTo(audioAnswer);
        assertThat(alg.gatewayOf("fax-3")).as("nothing anchored for audio").isEmpty();

        int uePort = FreePorts.udp();
        try (DatagramSocket uePlain = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0));
                DatagramSocket core = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
            // the called fax's gateway heard CED and re-INVITEs: m=audio becomes m=image (T.38 Annex D)
            SessionDescription toUe = alg.onReOffer("fax-3", CallSide.CALLEE, sdp("core", 2, coreFax(core.getLocalPort()))).get(10, TimeUnit.SECONDS);
            MediaDescription offered = toUe.media().get(0);
            // CTRL-2 for image: DTLS towards our UE with the gateway's fingerprint and the e2ae indication
            assertThat(offered.transport()).isEqualTo(Transport.UDP_TLS_UDPTL);
            assertThat(offered.fingerprints()).hasSize(1);
            assertThat(offered.e2aeIndicator()).contains("applied");
            assertThat(offered.setup()).contains(Setup.ACTPASS);
            assertThat(toUe.write()).contains(T38);
            SessionDescription toCore = alg.onAnswer("fax-3", sdp("ue", 2, ueFax(uePort, "active").replace("a=3ge2ae:requested\r\n", "")))
                    .get(10, TimeUnit.SECONDS);
            MediaDescription answered = toCore.media().get(0);
            assertThat(answered.transport()).isEqualTo(Transport.UDPTL);
            assertThat(answered.fingerprints()).isEmpty();
            assertThat(alg.gatewayOf("fax-3")).isPresent();

            int socatPort = FreePorts.udp();
            socat(socatPort, gatewayEnd(toUe), Optional.of(uePort));
            List<byte[]> fax = calling.subList(0, 60);
            assertWhole(sendFax(fax, uePlain, new InetSocketAddress(LOOPBACK, socatPort), core, recorder), fax);
            send(core, called.get(0), gatewayEnd(toCore));
            assertThat(receive(uePlain, 10_000)).hasValueSatisfying(d -> assertThat(d).isEqualTo(called.get(0)));
            alg.onRelease("fax-3").get(10, TimeUnit.SECONDS);
            assertThat(recorder.released).isEmpty();
        }
    }

    private static Path pcap(DatagramTap tap, List<byte[]> atCore, int gatewayCorePort, int corePort) throws IOException {
        PcapWriter pcap = new PcapWriter();
        for (DatagramTap.Captured datagram : tap.captured()) {
            pcap.udp(datagram.from(), datagram.to(), datagram.payload());
        }
        for (byte[] datagram : atCore) {
            pcap.udp(gatewayCorePort, corePort, datagram);
        }
        Files.createDirectories(Path.of("target"));
        Path file = Path.of("target", "fax-call.pcap");
        Files.write(file, pcap.bytes());
        return file;
    }

    private static List<String> frames(Path file, List<String> options, String filter) throws Exception {
        List<String> command = new ArrayList<>(List.of("tshark", "-n", "-r", file.toString()));
        command.addAll(options);
        command.addAll(List.of("-Y", filter, "-T", "fields", "-e", "frame.number"));
        Peers.Result result = Peers.run(command, new byte[0], Duration.ofSeconds(60));
        assertThat(result.exitCode()).as(result.stderr()).isZero();
        return result.stdout().lines().filter(line -> !line.isBlank()).toList();
    }
}
