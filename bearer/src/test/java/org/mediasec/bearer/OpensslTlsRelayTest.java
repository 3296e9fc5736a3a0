package org.mediasec.bearer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mediasec.bearer.RelayTest.ANY_PORT;
import static org.mediasec.bearer.RelayTest.FROM_LOOPBACK;
import static org.mediasec.bearer.RelayTest.LOOPBACK;

import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.mediasec.bearer.tls.CertificateFingerprint;
import org.mediasec.bearer.tls.SelfSignedCertificate;
import org.mediasec.bearer.tls.TlsDomain;
import org.mediasec.bearer.tls.TlsEngines;
import org.mediasec.bearer.tls.TlsProvider;
import org.mediasec.testsupport.RequiresPeer;
import org.mediasec.testsupport.WireTest;

/**
 * TLS legs against OpenSSL's command line as the UE ({@code s_client}) and as a TLS core ({@code s_server}), over
 * real sockets: e2ae TLS↔TCP with the fingerprint check, TLS↔TLS, and every refusal the profile demands, each seen
 * from the peer's side (the alert it received, or no ServerHello). Every case runs on both TLS providers (BoringSSL
 * through netty-tcnative, and the JDK). Fingerprints the tests expect are computed by {@code openssl x509}, not by
 * our own class.
 */
@RequiresPeer(command = "openssl", debianPackage = "openssl")
@org.junit.jupiter.api.Timeout(180)
@ParameterizedClass(name = "{0}")
@EnumSource(TlsProvider.class)
class OpensslTlsRelayTest {

    @Parameter
    TlsProvider provider;

    @TempDir
    Path dir;
    private final BearerPlane plane = new BearerPlane(BearerConfig.DEFAULT.withPassiveWindow(Duration.ZERO)); // a failed handshake releases at once: no connect window (PendingHandshakes)
    private final List<BearerEvent> events = new CopyOnWriteArrayList<>();
    private final List<AutoCloseable> peers = new ArrayList<>();
    private TlsEngines mg;
    private SelfSignedCertificate ue;
    private Path ueCert;
    private Path ueKey;

    @BeforeEach
    void setUp() throws Exception {
        mg = new TlsEngines(TlsDomain.defaults("access", SelfSignedCertificate.generate("mediasec access", Duration.ofDays(1))).withProvider(provider));
        ue = SelfSignedCertificate.generate("ue", Duration.ofDays(1));
        ueCert = dir.resolve("ue.pem");
        ueKey = dir.resolve("ue.key");
        ue.write(ueCert, ueKey);
    }

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable peer : peers) {
            peer.close();
        }
        plane.close();
    }

    /** e2ae: leg A is a passive TLS server for the UE, leg B an active TCP client to the core. */
    private RelayPair e2ae(TlsEngines engines, List<CertificateFingerprint> expected, ServerSocket core) throws Exception {
        return plane.open(LegSpec.passive(ANY_PORT, FROM_LOOPBACK).withTls(new LegSpec.Tls(engines, false, expected)),
                LegSpec.active(ANY_PORT, (InetSocketAddress) core.getLocalSocketAddress()), events::add).get(5, TimeUnit.SECONDS);
    }

    private SClient sClient(RelayPair pair, String name, String... options) throws Exception {
        List<String> all = new ArrayList<>(List.of("-cert", ueCert.toString(), "-key", ueKey.toString()));
        all.addAll(List.of(options));
        SClient client = SClient.connect(dir, name, pair.localAddress(Side.A).getPort(), all);
        peers.add(client);
        return client;
    }

    private Process sClientWithInput(int port, Path stdin, Path stdout, String... options) throws Exception {
        List<String> command = new ArrayList<>(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + port));
        command.addAll(List.of(options));
        Process process = new ProcessBuilder(command).redirectInput(stdin.toFile()).redirectOutput(stdout.toFile())
                .redirectError(dir.resolve("s_client.err").toFile()).start();
        peers.add(process::destroyForcibly);
        return process;
    }

    @Test
    @Tag("GW-1")
    @Tag("TLS-1")
    @Tag("TLS-3")
    @Tag("TLS-4")
    @Tag("TLS-5")
    @Tag("TLS-7")
    @Tag("TLS-8")
    @Tag("TLS-9")
    @Tag("TLS-10")
    @WireTest
    void e2aeRelaysAHundredMegabytesEachWayWithTheFingerprintChecked() throws Exception {
        long size = 100L << 20;
        Path upload = dir.resolve("upload.bin");
        String uploadDigest;
        try (var out = Files.newOutputStream(upload)) {
            uploadDigest = RelayTest.send(out, size, 11);
        }
        CertificateFingerprint ueFingerprint = Openssl.fingerprint(ueCert, "sha-256"); // as the UE's SDP would carry it
        try (ServerSocket core = new ServerSocket(0, 1, LOOPBACK)) {
            RelayPair pair = e2ae(mg, List.of(ueFingerprint), core);
            // TLS-3, TLS-8: the fingerprint for the SDP answer is the domain certificate's
            assertThat(pair.localFingerprint(Side.A)).contains(CertificateFingerprint.of("sha-256", mg.domain().certificate().certificate()));

            Path download = dir.resolve("download.bin");
            Process client = sClientWithInput(pair.localAddress(Side.A).getPort(), upload, download, "-cert", ueCert.toString(), "-key", ueKey.toString(), "-quiet");
            try (Socket coreSide = core.accept()) {
                // the core waits for the UE's TLS session: what it sent before would be early data, held only up to 64 KiB
                await().atMost(Duration.ofSeconds(10)).until(() -> events.stream().anyMatch(BearerEvent.TlsEstablished.class::isInstance));
                CompletableFuture<String> atCore = RelayTest.digestAsync(new LimitedInput(coreSide.getInputStream(), size));
                String downloadDigest = RelayTest.send(coreSide.getOutputStream(), size, 12);
                assertThat(atCore.get(60, TimeUnit.SECONDS)).isEqualTo(uploadDigest);
                coreSide.shutdownOutput(); // FIN from the core: our close_notify and FIN to the UE after the data (TCP-8)
                assertThat(client.waitFor(60, TimeUnit.SECONDS)).isTrue();
                try (InputStream in = Files.newInputStream(download)) {
                    assertThat(RelayTest.digest(in)).isEqualTo(downloadDigest);
                }
            }
            BearerEvent.Released released = OnlyRelease.of(pair, events);
            assertThat(released.side()).isEqualTo(Side.B);
            assertThat(released.reason()).isEqualTo(ReleaseReason.PEER_CLOSED);
            BearerEvent.TlsEstablished tls = events.stream().filter(BearerEvent.TlsEstablished.class::isInstance)
                    .map(BearerEvent.TlsEstablished.class::cast).findFirst().orElseThrow();
            assertThat(tls.protocol()).isEqualTo("TLSv1.3"); // TLS-7: the highest both allow
            assertThat(tls.peerFingerprint()).contains(ueFingerprint);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sha-256", "sha-384", "sha-512"})
    @Tag("TLS-3")
    @Tag("TLS-4")
    @WireTest
    void fingerprintsAreTheOnesOpensslComputes(String hash) throws Exception {
        TlsEngines engines = new TlsEngines(new TlsDomain("access", TlsDomain.DEFAULT_PROTOCOLS, TlsDomain.DEFAULT_CIPHER_SUITES,
                SelfSignedCertificate.generate("mediasec access", Duration.ofDays(1)), hash, false, false, Duration.ofSeconds(10), provider));
        CertificateFingerprint ueFingerprint = Openssl.fingerprint(ueCert, hash);
        try (ServerSocket core = new ServerSocket(0, 1, LOOPBACK)) {
            RelayPair pair = e2ae(engines, List.of(ueFingerprint), core);
            SClient client = sClient(pair, "s_client");
            try (Socket coreSide = core.accept()) {
                coreSide.getOutputStream().write("hello from the core\n".getBytes(StandardCharsets.US_ASCII));
                client.awaitOutput("hello from the core");
            }
            // TLS-4: the handshake matched the fingerprint openssl computed for the UE's certificate
            assertThat(events).filteredOn(BearerEvent.TlsEstablished.class::isInstance).singleElement()
                    .satisfies(e -> assertThat(((BearerEvent.TlsEstablished) e).peerFingerprint()).contains(ueFingerprint));
            // TLS-3: the fingerprint we give for the SDP answer is openssl's of the certificate the UE received
            String output = client.output();
            Path received = dir.resolve("received.pem");
            Files.writeString(received, output.substring(output.indexOf("-----BEGIN CERTIFICATE-----"), output.indexOf("-----END CERTIFICATE-----") + 25));
            assertThat(pair.localFingerprint(Side.A)).contains(Openssl.fingerprint(received, hash));
        }
    }

    /** Runs s_client against a fresh e2ae pair; returns the Released event, what the core received, and what s_client said. */
    private Refusal refused(List<CertificateFingerprint> expected, Path cert, Path key, String... options) throws Exception {
        try (ServerSocket core = new ServerSocket(0, 1, LOOPBACK)) {
            RelayPair pair = e2ae(mg, expected, core);
            List<String> all = new ArrayList<>(List.of("-cert", cert.toString(), "-key", key.toString()));
            all.addAll(List.of(options));
            SClient client = SClient.connect(dir, "s_client", pair.localAddress(Side.A).getPort(), all);
            peers.add(client);
            try {
                client.send("early hello\n"); // sent once the handshake is done, if ever
            } catch (java.io.IOException gone) {
                // s_client already gave up: its output says why
            }
            BearerEvent.Released released = pair.released().get(15, TimeUnit.SECONDS);
            assertThat(client.exits(Duration.ofSeconds(10))).as("s_client gives up").isTrue();
            int atCore;
            try (Socket coreSide = core.accept()) {
                coreSide.setSoTimeout(5000);
                atCore = coreSide.getInputStream().readAllBytes().length;
            }
            return new Refusal(released, atCore, events.stream().filter(BearerEvent.TlsFailed.class::isInstance)
                    .map(e -> ((BearerEvent.TlsFailed) e).reason()).findFirst(), client.output());
        }
    }

    private record Refusal(BearerEvent.Released released, int bytesAtCore, Optional<String> tlsFailure, String peerSaid) {}

    /**
     * The alert a refused certificate gets (RFC 8446 6.2), as s_client reports it: BoringSSL sends bad_certificate,
     * the JDK certificate_unknown; never internal_error, which would blame us.
     */
    private String refusedCertificateAlert() {
        return provider == TlsProvider.OPENSSL ? "SSL alert number 42" : "SSL alert number 46";
    }

    @Test
    @Tag("TLS-4")
    @Tag("TLS-11")
    @WireTest
    void aWrongFingerprintRefusesTheHandshakeWithBadCertificateAndNothingReachesTheCore() throws Exception {
        SelfSignedCertificate other = SelfSignedCertificate.generate("someone else", Duration.ofDays(1));
        Refusal refusal = refused(List.of(CertificateFingerprint.of("sha-256", other.certificate())), ueCert, ueKey);
        assertThat(refusal.released().reason()).isEqualTo(ReleaseReason.TLS_HANDSHAKE_FAILED);
        assertThat(refusal.tlsFailure()).hasValueSatisfying(reason -> assertThat(reason).contains("fingerprint mismatch"));
        assertThat(refusal.peerSaid()).contains(refusedCertificateAlert());
        assertThat(refusal.bytesAtCore()).isZero();
    }

    @Test
    @Tag("TLS-4")
    @WireTest
    void noFingerprintMeansNoPeerIsAuthenticated() throws Exception {
        Refusal refusal = refused(List.of(), ueCert, ueKey);
        assertThat(refusal.released().reason()).isEqualTo(ReleaseReason.TLS_HANDSHAKE_FAILED);
        assertThat(refusal.tlsFailure()).hasValueSatisfying(reason -> assertThat(reason).contains("no peer fingerprint"));
        assertThat(refusal.peerSaid()).contains(refusedCertificateAlert());
        assertThat(refusal.bytesAtCore()).isZero();
    }

    @Test
    @Tag("TLS-4")
    @WireTest
    void anExpiredCertificateIsRefusedEvenWithTheRightFingerprint() throws Exception {
        SelfSignedCertificate expired = SelfSignedCertificate.generate("expired ue", Instant.now().minus(Duration.ofDays(30)),
                Instant.now().minus(Duration.ofDays(1)));
        Path cert = dir.resolve("expired.pem");
        Path key = dir.resolve("expired.key");
        expired.write(cert, key);
        Refusal refusal = refused(List.of(Openssl.fingerprint(cert, "sha-256")), cert, key);
        assertThat(refusal.tlsFailure()).hasValueSatisfying(reason -> assertThat(reason).contains("validity"));
        // certificate_expired (45) from BoringSSL; the JDK's server side says certificate_unknown (46) for any refusal
        assertThat(refusal.peerSaid()).contains(provider == TlsProvider.OPENSSL ? "SSL alert number 45" : "SSL alert number 46");
        assertThat(refusal.bytesAtCore()).isZero();
    }

    @Test
    @Tag("TLS-4")
    @Tag("TLS-11")
    @WireTest
    void aClientLegRefusesAServerWithTheWrongFingerprintWithBadCertificate() throws Exception {
        SelfSignedCertificate coreCertificate = SelfSignedCertificate.generate("core", Duration.ofDays(1));
        Path coreCert = dir.resolve("core.pem");
        Path coreKey = dir.resolve("core.key");
        coreCertificate.write(coreCert, coreKey);
        int corePort = freePort();
        Path serverErr = dir.resolve("s_server.err");
        Process server = new ProcessBuilder("openssl", "s_server", "-accept", "127.0.0.1:" + corePort, "-cert", coreCert.toString(),
                "-key", coreKey.toString(), "-naccept", "1")
                .redirectOutput(dir.resolve("s_server.out").toFile()).redirectError(serverErr.toFile()).start();
        peers.add(server::destroyForcibly);
        awaitListening(corePort, server);
        try (ServerSocket access = new ServerSocket(0, 1, LOOPBACK)) {
            SelfSignedCertificate someoneElse = SelfSignedCertificate.generate("someone else", Duration.ofDays(1));
            RelayPair pair = plane.open(LegSpec.active(ANY_PORT, (InetSocketAddress) access.getLocalSocketAddress()),
                    LegSpec.active(ANY_PORT, new InetSocketAddress(LOOPBACK, corePort))
                            .withTls(new LegSpec.Tls(mg, true, List.of(CertificateFingerprint.of("sha-256", someoneElse.certificate())))),
                    events::add).get(5, TimeUnit.SECONDS);
            BearerEvent.Released released = pair.released().get(15, TimeUnit.SECONDS);
            assertThat(released.side()).isEqualTo(Side.B);
            assertThat(released.reason()).isEqualTo(ReleaseReason.TLS_HANDSHAKE_FAILED);
        }
        assertThat(server.waitFor(10, TimeUnit.SECONDS)).isTrue();
        String said = Files.readString(dir.resolve("s_server.out")) + Files.readString(serverErr);
        assertThat(said).contains(refusedCertificateAlert());
    }

    @Test
    @Tag("TLS-5")
    @WireTest
    void aClientWithoutCertificateIsRefused() throws Exception {
        Path stdin = dir.resolve("hello.txt");
        Files.writeString(stdin, "hello\n");
        try (ServerSocket core = new ServerSocket(0, 1, LOOPBACK)) {
            RelayPair pair = e2ae(mg, List.of(CertificateFingerprint.of("sha-256", ue.certificate())), core);
            sClientWithInput(pair.localAddress(Side.A).getPort(), stdin, dir.resolve("out.txt"));
            assertThat(pair.released().get(15, TimeUnit.SECONDS).reason()).isEqualTo(ReleaseReason.TLS_HANDSHAKE_FAILED);
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "-tls1 -cipher DEFAULT@SECLEVEL=0 | protocol version(70)", // TLS 1.0 is not in the default profile
            "-tls1_1 -cipher DEFAULT@SECLEVEL=0 | protocol version(70)",
            "-tls1_2 -cipher NULL-SHA256@SECLEVEL=0 | handshake failure(40)", // no encryption
            "-tls1_2 -cipher aNULL@SECLEVEL=0 | handshake failure(40)", // anonymous
            "-tls1_2 -cipher ECDHE-ECDSA-AES128-SHA256:ECDHE-ECDSA-AES256-SHA | handshake failure(40)" // CBC only: not AEAD
    })
    @Tag("TLS-6")
    @Tag("TLS-7")
    @WireTest
    void offersOutsideTheProfileAreRefused(String offer, String alert) throws Exception {
        List<String> options = new ArrayList<>(List.of(offer.split(" ")));
        options.add("-trace");
        Refusal refusal = refused(List.of(CertificateFingerprint.of("sha-256", ue.certificate())), ueCert, ueKey, options.toArray(String[]::new));
        // on the wire: s_client sent its ClientHello and got a fatal alert instead of a ServerHello
        assertThat(refusal.peerSaid()).contains("Sent Record").contains("ClientHello").doesNotContain("ServerHello")
                .contains("Level=fatal(2), description=" + alert);
        assertThat(refusal.released().reason()).isEqualTo(ReleaseReason.TLS_HANDSHAKE_FAILED);
        assertThat(events).noneMatch(BearerEvent.TlsEstablished.class::isInstance);
        assertThat(refusal.bytesAtCore()).isZero();
    }

    @Test
    @Tag("TLS-10")
    @Tag("TLS-12")
    @WireTest
    void aRefusedRenegotiationEndsThePairOnce() throws Exception {
        try (ServerSocket core = new ServerSocket(0, 1, LOOPBACK)) {
            RelayPair pair = e2ae(mg, List.of(CertificateFingerprint.of("sha-256", ue.certificate())), core);
            // TLS 1.2, since 1.3 has no renegotiation; without -quiet, s_client reads "R" as "renegotiate"
            SClient client = sClient(pair, "s_client", "-tls1_2");
            try (Socket coreSide = core.accept()) {
                coreSide.setSoTimeout(5000);
                await().atMost(Duration.ofSeconds(10)).until(() -> events.stream().anyMatch(BearerEvent.TlsEstablished.class::isInstance));
                client.send("R\n"); // its input stays open: whatever ends the session, it is not the UE leaving
                // the JDK refuses with handshake_failure, BoringSSL with no_renegotiation (RFC 5246 7.2.2), both fatal
                client.awaitOutput("RENEGOTIATING").awaitOutput(provider == TlsProvider.OPENSSL ? "SSL alert number 100" : "SSL alert number 40");
                BearerEvent.Released released = OnlyRelease.of(pair, events);
                assertThat(released.side()).isEqualTo(Side.A);
                assertThat(released.reason()).isEqualTo(ReleaseReason.TLS_ERROR);
                assertThat(coreSide.getInputStream().read()).as("the core's leg is closed too").isEqualTo(-1);
            }
            assertThat(client.exits(Duration.ofSeconds(10))).isTrue();
            assertThat(events).filteredOn(BearerEvent.TlsEstablished.class::isInstance).hasSize(1); // no second handshake
        }
    }

    @Test
    @Tag("GW-2")
    @Tag("TLS-1")
    @Tag("TLS-9")
    @WireTest
    void tlsToTlsRelaysBetweenTwoIndependentSessions() throws Exception {
        SelfSignedCertificate coreCertificate = SelfSignedCertificate.generate("core", Duration.ofDays(1));
        Path coreCert = dir.resolve("core.pem");
        Path coreKey = dir.resolve("core.key");
        coreCertificate.write(coreCert, coreKey);
        int corePort = freePort();
        Path serverOut = dir.resolve("server.out");
        Process server = new ProcessBuilder("openssl", "s_server", "-accept", "127.0.0.1:" + corePort, "-cert", coreCert.toString(),
                "-key", coreKey.toString(), "-Verify", "1", "-quiet")
                .redirectInput(ProcessBuilder.Redirect.PIPE).redirectOutput(serverOut.toFile())
                .redirectError(dir.resolve("s_server.err").toFile()).start();
        peers.add(server::destroyForcibly);
        awaitListening(corePort, server);

        TlsEngines core = new TlsEngines(TlsDomain.defaults("core", SelfSignedCertificate.generate("mediasec core", Duration.ofDays(1))).withProvider(provider));
        RelayPair pair = plane.open(
                LegSpec.passive(ANY_PORT, FROM_LOOPBACK).withTls(new LegSpec.Tls(mg, false, List.of(CertificateFingerprint.of("sha-256", ue.certificate())))),
                LegSpec.active(ANY_PORT, new InetSocketAddress(LOOPBACK, corePort))
                        .withTls(new LegSpec.Tls(core, true, List.of(Openssl.fingerprint(coreCert, "sha-256")))),
                events::add).get(5, TimeUnit.SECONDS);
        SClient client = sClient(pair, "s_client", "-quiet");
        client.send("MSRP a786hjs2 SEND\r\nTo-Path: msrp://core\r\n-------a786hjs2$\r\n");
        await().atMost(Duration.ofSeconds(15)).until(() -> Files.readString(serverOut).contains("-------a786hjs2$"));
        server.getOutputStream().write("MSRP a786hjs2 200 OK\n".getBytes(StandardCharsets.US_ASCII));
        server.getOutputStream().flush();
        client.awaitOutput("200 OK");

        List<BearerEvent.TlsEstablished> sessions = events.stream().filter(BearerEvent.TlsEstablished.class::isInstance)
                .map(BearerEvent.TlsEstablished.class::cast).toList();
        assertThat(sessions).extracting(BearerEvent.TlsEstablished::side).containsExactlyInAnyOrder(Side.A, Side.B);
        assertThat(sessions).filteredOn(s -> s.side() == Side.B).singleElement()
                .satisfies(s -> assertThat(s.peerFingerprint()).contains(CertificateFingerprint.of("sha-256", coreCertificate.certificate())));
        pair.release("done");
        assertThat(OnlyRelease.of(pair, events).reason()).isEqualTo(ReleaseReason.RELEASED);
    }

    @Test
    @Tag("TLS-13")
    @WireTest
    void plaintextSentToATlsLegNeverReachesTheCore() throws Exception {
        try (ServerSocket core = new ServerSocket(0, 1, LOOPBACK)) {
            RelayPair pair = e2ae(mg, List.of(CertificateFingerprint.of("sha-256", ue.certificate())), core);
            try (Socket raw = new Socket(LOOPBACK, pair.localAddress(Side.A).getPort())) {
                raw.getOutputStream().write("MSRP 1 SEND\r\nTo-Path: msrp://x\r\n\r\n-------1$\r\n".getBytes(StandardCharsets.US_ASCII));
                assertThat(pair.released().get(15, TimeUnit.SECONDS).reason()).isEqualTo(ReleaseReason.TLS_HANDSHAKE_FAILED);
            }
            try (Socket coreSide = core.accept()) {
                coreSide.setSoTimeout(5000);
                assertThat(coreSide.getInputStream().readAllBytes()).isEmpty();
            }
        }
    }

    static int freePort() throws Exception {
        try (ServerSocket probe = new ServerSocket(0, 1, LOOPBACK)) {
            return probe.getLocalPort();
        }
    }

    /** Waits until a peer process listens on {@code port}, without connecting to it (s_server -naccept counts every connection). */
    static void awaitListening(int port, Process process) {
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).until(() -> {
            assertThat(process.isAlive()).as("the peer process runs").isTrue();
            return listening(port);
        });
    }

    /** Whether a socket listens on 127.0.0.1:{@code port}, from /proc/net/tcp, without connecting to it. */
    private static boolean listening(int port) throws Exception {
        String local = String.format("0100007F:%04X", port);
        return Files.readAllLines(Path.of("/proc/net/tcp")).stream().map(String::trim)
                .anyMatch(line -> line.split("\\s+").length > 3 && line.split("\\s+")[1].equals(local) && line.split("\\s+")[3].equals("0A"));
    }
}
