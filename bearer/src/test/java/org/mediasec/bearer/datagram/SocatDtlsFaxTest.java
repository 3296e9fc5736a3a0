package org.mediasec.bearer.datagram;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mediasec.bearer.datagram.DatagramPeers.ANY_PORT;
import static org.mediasec.bearer.datagram.DatagramPeers.LOOPBACK;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.mediasec.bearer.BearerConfig;
import org.mediasec.bearer.BearerEvent;
import org.mediasec.bearer.BearerPlane;
import org.mediasec.bearer.Side;
import org.mediasec.bearer.tls.CertificateFingerprint;
import org.mediasec.bearer.tls.SelfSignedCertificate;
import org.mediasec.bearer.tls.TlsDomain;
import org.mediasec.bearer.tls.TlsEngines;
import org.mediasec.t38.FaxSessionGenerator;
import org.mediasec.t38.IfpCodec;
import org.mediasec.t38.RedundancyEncoder;
import org.mediasec.t38.UdptlCodec;
import org.mediasec.t38.UdptlPacket;
import org.mediasec.testsupport.RequiresPeer;
import org.mediasec.testsupport.WireTest;

/**
 * GW-7 end to end: a fax (the generated T.38 session, UDPTL with redundancy) from a UE whose DTLS is socat's
 * ({@code OPENSSL-DTLS-CLIENT}: one UDP datagram in, one DTLS record out) through the pair to a plain UDPTL core, and
 * the called side's answers back.
 */
@RequiresPeer(command = "socat", debianPackage = "socat")
@Timeout(120)
class SocatDtlsFaxTest {

    private static final int MAX_DATAGRAM = 400;
    private static final int REDUNDANCY = 3;
    /** Datagrams in flight at most: a loopback socket buffer holds about a hundred small datagrams. */
    private static final int WINDOW = 16;

    @TempDir
    Path dir;
    private final BearerPlane plane = new BearerPlane(BearerConfig.DEFAULT);
    private final List<BearerEvent> events = new CopyOnWriteArrayList<>();
    private Process socat;

    @AfterEach
    void tearDown() {
        if (socat != null) {
            socat.destroyForcibly();
        }
        plane.close();
    }

    @Test
    @Tag("GW-7")
    @WireTest
    void aFaxCrossesFromDtlsToPlainUdptlAndBackWithEveryIfpInOrder() throws Exception {
        TlsEngines mg = new TlsEngines(TlsDomain.defaults("access", SelfSignedCertificate.generate("mediasec access", Duration.ofDays(1))));
        SelfSignedCertificate ue = SelfSignedCertificate.generate("ue", Duration.ofDays(1));
        Path cert = dir.resolve("ue.pem");
        Path key = dir.resolve("ue.key");
        ue.write(cert, key);
        var fax = FaxSessionGenerator.session(1, "+4930111", "+4940222");
        List<byte[]> calling = new RedundancyEncoder(REDUNDANCY, 0).datagrams(fax.calling());
        List<byte[]> called = new RedundancyEncoder(REDUNDANCY, 0).datagrams(fax.called());

        try (var uePlain = new DatagramPeers.Udp(); var core = new DatagramPeers.Udp()) {
            DatagramPair pair = plane.openDatagram(
                    new DatagramLegSpec(ANY_PORT, Optional.of(new InetSocketAddress(LOOPBACK, 0)), MAX_DATAGRAM, Optional.empty(), Optional.empty())
                            .withDtls(new DatagramLegSpec.Dtls(mg, false, List.of(CertificateFingerprint.of("sha-256", ue.certificate())))),
                    DatagramLegSpec.udp(ANY_PORT, Optional.of(core.address()), MAX_DATAGRAM).withPayloadCheck(DatagramRelayTest.UdptlChecks::isUdptl),
                    events::add).get(5, TimeUnit.SECONDS);
            int socatPort;
            try (var free = new DatagramPeers.Udp()) {
                socatPort = free.address().getPort();
            }
            socat = new ProcessBuilder("socat", "-b", "65536", "UDP-LISTEN:" + socatPort + ",bind=127.0.0.1",
                    "OPENSSL-DTLS-CLIENT:127.0.0.1:" + pair.localAddress(Side.A).getPort() + ",cert=" + cert + ",key=" + key + ",verify=0,bind=127.0.0.1")
                    .redirectErrorStream(true).redirectOutput(dir.resolve("socat.log").toFile()).start();
            InetSocketAddress socatUdp = new InetSocketAddress(LOOPBACK, socatPort);
            // socat opens its DTLS association on the first datagram; wait for our side of it before the rest
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).until(() -> {
                uePlain.send(calling.get(0), socatUdp);
                return events.stream().anyMatch(BearerEvent.TlsEstablished.class::isInstance);
            });
            List<byte[]> atCore = new ArrayList<>();
            // CNG went first (possibly more than once before the association was up: copies of seq 0 are skipped). At
            // most WINDOW datagrams are in flight, so that no socket buffer on the way (socat's first) overflows.
            for (int i = 1; i < calling.size(); i++) {
                uePlain.send(calling.get(i), socatUdp);
                while (i - atCore.size() >= WINDOW || (i == calling.size() - 1 && atCore.size() < calling.size() - 1)) {
                    byte[] datagram = core.receive(10_000).orElseThrow(() -> new AssertionError("the core got " + atCore.size() + " datagrams; at A "
                            + pair.datagramsReceived(Side.A) + " received, " + pair.forwarded(Side.A) + " forwarded"));
                    if (UdptlCodec.decode(datagram).sequenceNumber() != 0) {
                        atCore.add(datagram);
                    }
                }
            }
            for (int i = 1; i < calling.size(); i++) {
                assertThat(atCore.get(i - 1)).as("datagram %d", i).isEqualTo(calling.get(i));
                UdptlPacket packet = UdptlCodec.decode(atCore.get(i - 1));
                assertThat(((UdptlPacket.Redundancy) packet.errorRecovery()).secondaries()).hasSize(Math.min(i, REDUNDANCY));
                IfpCodec.decode(packet.primary());
            }
            for (byte[] expected : called) {
                core.send(expected, pair.localAddress(Side.B));
                assertThat(uePlain.receive(10_000)).hasValueSatisfying(datagram -> assertThat(datagram).isEqualTo(expected));
            }
            assertThat(pair.dropped(Side.A, DropReason.NOT_READY) + pair.forwarded(Side.A)).isGreaterThanOrEqualTo(calling.size());
            // counted once sent: the last datagram can reach the UE a moment before its count
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(pair.forwarded(Side.B)).isEqualTo(called.size()));
            for (DropReason reason : List.of(DropReason.WRONG_SOURCE, DropReason.OVERSIZE, DropReason.REPLAY, DropReason.INVALID_RECORD, DropReason.INVALID_PAYLOAD)) {
                assertThat(pair.dropped(Side.A, reason) + pair.dropped(Side.B, reason)).as(reason.name()).isZero();
            }
        }
    }
}
