package org.mediasec.bearer.datagram;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mediasec.bearer.datagram.DatagramPeers.ANY_PORT;
import static org.mediasec.bearer.datagram.DatagramPeers.LOOPBACK;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.mediasec.bearer.BearerConfig;
import org.mediasec.bearer.BearerEvent;
import org.mediasec.bearer.BearerPlane;
import org.mediasec.bearer.ReleaseReason;
import org.mediasec.bearer.Side;
import org.mediasec.bearer.tls.CertificateFingerprint;
import org.mediasec.bearer.tls.SelfSignedCertificate;
import org.mediasec.bearer.tls.TlsDomain;
import org.mediasec.bearer.tls.TlsEngines;
import org.mediasec.testsupport.RequiresPeer;
import org.mediasec.testsupport.WireTest;

/**
 * DTLS legs against OpenSSL's command line as the UE ({@code s_client -dtls1_2}, {@code s_server -dtls1_2}), a plain
 * UDP socket as the core: both DTLS roles, the fingerprint check, a lost flight, and every way a pair is released.
 * The OpenSSL processes keep their standard input open (a pipe), since {@code s_server} exits at its end.
 */
@RequiresPeer(command = "openssl", debianPackage = "openssl")
@Timeout(120)
class OpensslDtlsTest {

    /** T38FaxMaxDatagram as commonly offered. */
    static final int MAX_DATAGRAM = 400;
    /** How long "no second Released" is watched for. */
    static final Duration QUIET = Duration.ofSeconds(2);

    @TempDir
    Path dir;
    private BearerPlane plane = new BearerPlane(BearerConfig.DEFAULT);
    private final List<BearerEvent> events = new CopyOnWriteArrayList<>();
    private final List<Process> processes = new ArrayList<>();
    private TlsEngines mg;
    private SelfSignedCertificate ue;
    private Path ueCert;
    private Path ueKey;

    @BeforeEach
    void setUp() throws Exception {
        mg = new TlsEngines(TlsDomain.defaults("access", SelfSignedCertificate.generate("mediasec access", Duration.ofDays(1)))
                .withHandshakeTimeout(Duration.ofSeconds(20)));
        ue = SelfSignedCertificate.generate("ue", Duration.ofDays(1));
        ueCert = dir.resolve("ue.pem");
        ueKey = dir.resolve("ue.key");
        ue.write(ueCert, ueKey);
    }

    @AfterEach
    void tearDown() {
        processes.forEach(Process::destroyForcibly);
        plane.close();
    }

    private List<CertificateFingerprint> ueFingerprint() {
        return List.of(CertificateFingerprint.of("sha-256", ue.certificate()));
    }

    private DatagramPair open(DatagramLegSpec access, DatagramLegSpec core) throws Exception {
        return plane.openDatagram(access, core, events::add).get(5, TimeUnit.SECONDS);
    }

    /** Leg A: DTLS towards the UE; leg B: plain UDP towards the core. */
    private DatagramPair e2ae(boolean client, Optional<InetSocketAddress> ueAddress, List<CertificateFingerprint> expected, DatagramPeers.Udp core)
            throws Exception {
        return open(new DatagramLegSpec(ANY_PORT, ueAddress, MAX_DATAGRAM, Optional.empty(), Optional.empty())
                        .withDtls(new DatagramLegSpec.Dtls(mg, client, expected)),
                DatagramLegSpec.udp(ANY_PORT, Optional.of(core.address()), MAX_DATAGRAM));
    }

    private Process openssl(String name, List<String> command) throws IOException {
        Process process = new ProcessBuilder(command).redirectOutput(dir.resolve(name + ".out").toFile())
                .redirectError(dir.resolve(name + ".err").toFile()).start();
        processes.add(process);
        return process;
    }

    private Process sClient(int port, String... options) throws IOException {
        List<String> command = new ArrayList<>(List.of("openssl", "s_client", "-dtls1_2", "-connect", "127.0.0.1:" + port,
                "-cert", ueCert.toString(), "-key", ueKey.toString()));
        command.addAll(List.of(options));
        return openssl("s_client", command);
    }

    private static void type(Process process, String line) throws IOException {
        OutputStream in = process.getOutputStream();
        in.write((line + "\n").getBytes(StandardCharsets.US_ASCII));
        in.flush();
    }

    private String output(String name) throws IOException {
        return Files.readString(dir.resolve(name + ".out"), StandardCharsets.ISO_8859_1);
    }

    private BearerEvent.TlsEstablished awaitDtls() {
        await().atMost(Duration.ofSeconds(20)).until(() -> events.stream().anyMatch(BearerEvent.TlsEstablished.class::isInstance));
        return events.stream().filter(BearerEvent.TlsEstablished.class::isInstance).map(BearerEvent.TlsEstablished.class::cast).findFirst().orElseThrow();
    }

    /** Exactly one Released: the first, then none more within {@link #QUIET}. */
    private BearerEvent.Released exactlyOneReleased(DatagramPair pair) throws Exception {
        BearerEvent.Released released = pair.released().get(30, TimeUnit.SECONDS);
        await().during(QUIET).atMost(QUIET.plusSeconds(2))
                .until(() -> events.stream().filter(BearerEvent.Released.class::isInstance).count() == 1);
        assertThat(plane.openDatagramPairs()).isZero();
        return released;
    }

    @Test
    @Tag("TLS-1")
    @WireTest
    void asDtlsServerItRelaysTheUesLinesToTheCoreAndBack() throws Exception {
        try (DatagramPeers.Udp core = new DatagramPeers.Udp()) {
            DatagramPair pair = e2ae(false, Optional.of(new InetSocketAddress(LOOPBACK, 0)), ueFingerprint(), core);
            Process client = sClient(pair.localAddress(Side.A).getPort());
            BearerEvent.TlsEstablished dtls = awaitDtls();
            assertThat(dtls.protocol()).isEqualTo("DTLSv1.2");
            assertThat(dtls.peerFingerprint()).contains(ueFingerprint().get(0));
            type(client, "from the UE");
            assertThat(core.receive(10_000)).hasValueSatisfying(datagram -> assertThat(new String(datagram, StandardCharsets.US_ASCII)).isEqualTo("from the UE\n"));
            core.send("from the core\n".getBytes(StandardCharsets.US_ASCII), pair.localAddress(Side.B));
            await().atMost(Duration.ofSeconds(10)).until(() -> output("s_client").contains("from the core"));
            assertThat(pair.forwarded(Side.A)).isEqualTo(1);
            assertThat(pair.forwarded(Side.B)).isEqualTo(1);
        }
    }

    @Test
    @Tag("TLS-1")
    @WireTest
    void asDtlsClientItRelaysTheUesLinesToTheCoreAndBack() throws Exception {
        int port;
        try (DatagramPeers.Udp free = new DatagramPeers.Udp()) {
            port = free.address().getPort();
        }
        Process server = openssl("s_server", List.of("openssl", "s_server", "-dtls1_2", "-accept", "127.0.0.1:" + port,
                "-cert", ueCert.toString(), "-key", ueKey.toString(), "-Verify", "1"));
        await().atMost(Duration.ofSeconds(10)).until(() -> output("s_server").contains("ACCEPT"));
        try (DatagramPeers.Udp core = new DatagramPeers.Udp()) {
            DatagramPair pair = e2ae(true, Optional.of(new InetSocketAddress(LOOPBACK, port)), ueFingerprint(), core);
            assertThat(awaitDtls().peerFingerprint()).contains(ueFingerprint().get(0));
            core.send("from the core\n".getBytes(StandardCharsets.US_ASCII), pair.localAddress(Side.B));
            await().atMost(Duration.ofSeconds(10)).until(() -> output("s_server").contains("from the core"));
            type(server, "from the UE");
            assertThat(core.receive(10_000)).hasValueSatisfying(datagram -> assertThat(new String(datagram, StandardCharsets.US_ASCII)).isEqualTo("from the UE\n"));
        }
    }

    @Test
    @Tag("TLS-4")
    @WireTest
    void aWrongFingerprintRefusesTheHandshakeAndNothingReachesTheCore() throws Exception {
        SelfSignedCertificate other = SelfSignedCertificate.generate("someone else", Duration.ofDays(1));
        try (DatagramPeers.Udp core = new DatagramPeers.Udp()) {
            DatagramPair pair = e2ae(false, Optional.of(new InetSocketAddress(LOOPBACK, 0)), List.of(CertificateFingerprint.of("sha-256", other.certificate())), core);
            Process client = sClient(pair.localAddress(Side.A).getPort());
            type(client, "must not pass");
            BearerEvent.Released released = exactlyOneReleased(pair);
            assertThat(released.reason()).isEqualTo(ReleaseReason.TLS_HANDSHAKE_FAILED);
            assertThat(released.detail()).contains("fingerprint mismatch");
            assertThat(events).anyMatch(BearerEvent.TlsFailed.class::isInstance).noneMatch(BearerEvent.TlsEstablished.class::isInstance);
            assertThat(core.receive(500)).isEmpty();
            assertThat(pair.forwarded(Side.A)).isZero();
        }
    }

    @Test
    void aFatalAlertFromTheUeReleasesThePairOnce() throws Exception {
        try (DatagramPeers.Udp core = new DatagramPeers.Udp()) {
            DatagramPair pair = e2ae(false, Optional.of(new InetSocketAddress(LOOPBACK, 0)), ueFingerprint(), core);
            // the UE trusts only its own certificate, so it refuses ours with a fatal alert
            sClient(pair.localAddress(Side.A).getPort(), "-verify_return_error", "-CAfile", ueCert.toString());
            BearerEvent.Released released = exactlyOneReleased(pair);
            assertThat(released.reason()).isEqualTo(ReleaseReason.TLS_HANDSHAKE_FAILED);
            assertThat(released.detail()).containsIgnoringCase("alert");
        }
    }

    @Test
    void closeNotifyFromTheUeReleasesThePairOnce() throws Exception {
        try (DatagramPeers.Udp core = new DatagramPeers.Udp()) {
            DatagramPair pair = e2ae(false, Optional.of(new InetSocketAddress(LOOPBACK, 0)), ueFingerprint(), core);
            Process client = sClient(pair.localAddress(Side.A).getPort());
            awaitDtls();
            type(client, "Q"); // s_client: end the connection (close_notify)
            BearerEvent.Released released = exactlyOneReleased(pair);
            assertThat(released.reason()).isEqualTo(ReleaseReason.TLS_CLOSE_NOTIFY);
            assertThat(released.side()).isEqualTo(Side.A);
        }
    }

    @Test
    void anIdlePairIsReleasedOnce() throws Exception {
        plane.close();
        plane = new BearerPlane(BearerConfig.DEFAULT.withIdleTimeout(Duration.ofSeconds(3)));
        try (DatagramPeers.Udp core = new DatagramPeers.Udp()) {
            DatagramPair pair = e2ae(false, Optional.of(new InetSocketAddress(LOOPBACK, 0)), ueFingerprint(), core);
            Process client = sClient(pair.localAddress(Side.A).getPort());
            awaitDtls();
            BearerEvent.Released released = exactlyOneReleased(pair);
            assertThat(released.reason()).isEqualTo(ReleaseReason.IDLE_TIMEOUT);
            // TLS-10's rule for DTLS: the UE was told with close_notify
            assertThat(client.waitFor(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void aLostFlightIsRecoveredByRetransmission() throws Exception {
        int port;
        try (DatagramPeers.Udp free = new DatagramPeers.Udp()) {
            port = free.address().getPort();
        }
        openssl("s_server", List.of("openssl", "s_server", "-dtls1_2", "-accept", "127.0.0.1:" + port,
                "-cert", ueCert.toString(), "-key", ueKey.toString(), "-Verify", "1"));
        await().atMost(Duration.ofSeconds(10)).until(() -> output("s_server").contains("ACCEPT"));
        AtomicInteger fromMg = new AtomicInteger();
        // the first flight we send (our ClientHello) is lost; s_server, passive, never retransmits: only our timer recovers
        try (DatagramPeers.Udp core = new DatagramPeers.Udp();
                LossyProxy proxy = new LossyProxy(new InetSocketAddress(LOOPBACK, port), datagram -> fromMg.incrementAndGet() == 1)) {
            DatagramPair pair = e2ae(true, Optional.of(proxy.address()), ueFingerprint(), core);
            awaitDtls();
            assertThat(proxy.dropped()).isEqualTo(1);
            assertThat(events).noneMatch(BearerEvent.Released.class::isInstance);
            core.send("after the loss\n".getBytes(StandardCharsets.US_ASCII), pair.localAddress(Side.B));
            await().atMost(Duration.ofSeconds(10)).until(() -> output("s_server").contains("after the loss"));
        }
    }

    /**
     * The soak's finding (docs/reliability.md): three retransmissions of a flight make the JDK's engine halve its
     * packet size (576 to 288 here) for the association; a payload near the leg's bound must still go out as one
     * record afterwards, not release the pair (TLS_ERROR, "did not fit one DTLS record").
     */
    @Test
    @Tag("GW-7")
    @WireTest
    void afterThreeRetransmittedFlightsAPayloadNearTheBoundStillGoesThrough() throws Exception {
        int port;
        try (DatagramPeers.Udp free = new DatagramPeers.Udp()) {
            port = free.address().getPort();
        }
        openssl("s_server", List.of("openssl", "s_server", "-dtls1_2", "-accept", "127.0.0.1:" + port,
                "-cert", ueCert.toString(), "-key", ueKey.toString(), "-Verify", "1"));
        await().atMost(Duration.ofSeconds(10)).until(() -> output("s_server").contains("ACCEPT"));
        AtomicInteger fromMg = new AtomicInteger();
        // our first three ClientHellos are lost: the fourth (after 1 + 2 + 4 s) goes through with the packet size halved
        try (DatagramPeers.Udp core = new DatagramPeers.Udp();
                LossyProxy proxy = new LossyProxy(new InetSocketAddress(LOOPBACK, port), datagram -> fromMg.incrementAndGet() <= 3)) {
            DatagramPair pair = e2ae(true, Optional.of(proxy.address()), ueFingerprint(), core);
            awaitDtls();
            assertThat(proxy.dropped()).isEqualTo(3);
            String line = "near the bound " + "x".repeat(MAX_DATAGRAM - 20) + " end";
            core.send((line + "\n").getBytes(StandardCharsets.US_ASCII), pair.localAddress(Side.B));
            await().atMost(Duration.ofSeconds(10)).until(() -> output("s_server").contains(line) || !events.stream()
                    .noneMatch(BearerEvent.Released.class::isInstance));
            assertThat(events).noneMatch(BearerEvent.Released.class::isInstance);
            assertThat(output("s_server")).contains(line);
        }
    }
}
