package org.mediasec.it.t38;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mediasec.bearer.BearerConfig;
import org.mediasec.bearer.BearerEvent;
import org.mediasec.bearer.BearerPlane;
import org.mediasec.bearer.Side;
import org.mediasec.bearer.datagram.DatagramLegSpec;
import org.mediasec.bearer.datagram.DatagramPair;
import org.mediasec.bearer.tls.CertificateFingerprint;
import org.mediasec.bearer.tls.SelfSignedCertificate;
import org.mediasec.bearer.tls.TlsDomain;
import org.mediasec.bearer.tls.TlsEngines;
import org.mediasec.it.wire.PcapWriter;
import org.mediasec.t38.FaxSessionGenerator;
import org.mediasec.t38.RedundancyEncoder;
import org.mediasec.testsupport.Peers;
import org.mediasec.testsupport.RequiresPeer;

/**
 * GW-7 on the wire: a generated fax from socat's DTLS client through a datagram pair to a plain core socket. What
 * crossed the access leg (captured by a forwarding socket in front of the pair) and the core leg goes into a pcap;
 * tshark must see DTLS 1.2 application data on the access leg and T.38 UDPTL (decode-as, the 2002 ASN.1) on the
 * core leg, one T.38 packet per datagram, nothing malformed.
 */
@RequiresPeer(command = "tshark", debianPackage = "tshark")
@RequiresPeer(command = "socat", debianPackage = "socat")
class T38WireTest {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final int MAX_DATAGRAM = 400;
    private static final int WINDOW = 16;

    @Test
    void tsharkSeesDtlsOnTheAccessLegAndUdptlOnTheCoreLeg(@TempDir Path dir) throws Exception {
        TlsEngines mg = new TlsEngines(TlsDomain.defaults("access", SelfSignedCertificate.generate("mediasec access", Duration.ofDays(1))));
        SelfSignedCertificate ue = SelfSignedCertificate.generate("ue", Duration.ofDays(1));
        Path cert = dir.resolve("ue.pem");
        Path key = dir.resolve("ue.key");
        ue.write(cert, key);
        List<byte[]> fax = new RedundancyEncoder(2, 0).datagrams(FaxSessionGenerator.session(1, "+4930111", "+4940222").calling());
        List<BearerEvent> events = new CopyOnWriteArrayList<>();
        Process socat = null;
        try (BearerPlane plane = new BearerPlane(BearerConfig.DEFAULT);
                DatagramSocket uePlain = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0));
                DatagramSocket core = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0));
                DatagramTap tap = new DatagramTap()) {
            DatagramPair pair = plane.openDatagram(
                    new DatagramLegSpec(new InetSocketAddress(LOOPBACK, 0), Optional.of(new InetSocketAddress(LOOPBACK, tap.port())),
                            MAX_DATAGRAM, Optional.empty(), Optional.empty())
                            .withDtls(new DatagramLegSpec.Dtls(mg, false, List.of(CertificateFingerprint.of("sha-256", ue.certificate())))),
                    DatagramLegSpec.udp(new InetSocketAddress(LOOPBACK, 0), Optional.of((InetSocketAddress) core.getLocalSocketAddress()), MAX_DATAGRAM),
                    events::add).get(5, TimeUnit.SECONDS);
            int pairAccess = pair.localAddress(Side.A).getPort();
            tap.peer(pair.localAddress(Side.A));
            int socatPort;
            try (DatagramSocket free = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
                socatPort = free.getLocalPort();
            }
            socat = new ProcessBuilder("socat", "-b", "65536", "UDP-LISTEN:" + socatPort + ",bind=127.0.0.1",
                    "OPENSSL-DTLS-CLIENT:127.0.0.1:" + tap.port() + ",cert=" + cert + ",key=" + key + ",verify=0,bind=127.0.0.1")
                    .redirectErrorStream(true).redirectOutput(dir.resolve("socat.log").toFile()).start();
            InetSocketAddress socatUdp = new InetSocketAddress(LOOPBACK, socatPort);
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).until(() -> {
                send(uePlain, fax.get(0), socatUdp);
                return events.stream().anyMatch(BearerEvent.TlsEstablished.class::isInstance);
            });
            int received = 0;
            core.setSoTimeout(10_000);
            List<byte[]> atCore = new ArrayList<>();
            for (int i = 1; i < fax.size(); i++) {
                send(uePlain, fax.get(i), socatUdp);
                while (i - received >= WINDOW || (i == fax.size() - 1 && received < fax.size() - 1)) {
                    byte[] buffer = new byte[65_536];
                    DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                    core.receive(packet);
                    byte[] datagram = Arrays.copyOf(buffer, packet.getLength());
                    atCore.add(datagram);
                    if ((datagram[0] | datagram[1]) != 0) { // copies of seq 0 (sent until the association was up) aside
                        received++;
                    }
                }
            }
            pair.release("end of fax");
            pair.released().get(5, TimeUnit.SECONDS);

            PcapWriter pcap = new PcapWriter();
            for (DatagramTap.Captured datagram : tap.captured()) {
                pcap.udp(datagram.from(), datagram.to(), datagram.payload());
            }
            int pairCore = pair.localAddress(Side.B).getPort();
            for (byte[] datagram : atCore) {
                pcap.udp(pairCore, core.getLocalPort(), datagram);
            }
            Path file = dir.resolve("t38.pcap");
            Files.write(file, pcap.bytes());
            Files.createDirectories(Path.of("target"));
            Files.write(Path.of("target", "t38.pcap"), pcap.bytes());

            List<String> decodeAs = List.of("-o", "t38.use_pre_corrigendum_asn1_specification:FALSE",
                    "-d", "udp.port==" + core.getLocalPort() + ",t38", "-d", "udp.port==" + pairAccess + ",dtls");
            assertThat(frames(file, decodeAs, "t38 && udp.dstport==" + core.getLocalPort())).as("UDPTL packets on the core leg").hasSize(atCore.size());
            assertThat(frames(file, decodeAs, "t38.t30_indicator == 1")).as("CNG").isNotEmpty();
            assertThat(frames(file, decodeAs, "t38.secondary_ifp_packets")).as("redundancy").hasSizeGreaterThan(fax.size() - 2);
            assertThat(frames(file, decodeAs, "dtls.handshake.type == 1")).as("ClientHello on the access leg").isNotEmpty();
            assertThat(frames(file, decodeAs, "dtls.record.content_type == 23 && dtls.record.version == 0xfefd"))
                    .as("DTLS 1.2 application data on the access leg").hasSizeGreaterThanOrEqualTo(fax.size() - 1);
            assertThat(frames(file, decodeAs, "_ws.malformed || _ws.expert.severity == error")).as("frames tshark flags (see target/t38.pcap)").isEmpty();
        } finally {
            if (socat != null) {
                socat.destroyForcibly();
            }
        }
    }

    private static void send(DatagramSocket socket, byte[] payload, InetSocketAddress to) throws java.io.IOException {
        socket.send(new DatagramPacket(payload, payload.length, to));
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
