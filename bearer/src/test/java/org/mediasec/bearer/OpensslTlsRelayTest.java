package org.mediasec.bearer;

import static org.assertj.core.api.Assertions.assertThat;
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
 * real sockets: e2ae TLS↔TCP with the fingerprint check, TLS↔TLS, and every refusal the profile demands. Every case
 * runs on both TLS providers (BoringSSL through netty-tcnative, and the JDK).
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
    private final BearerPlane plane = new BearerPlane(BearerConfig.DEFAULT);
    private final List<BearerEvent> events = new CopyOnWriteArrayList<>();
    private final List<Process> processes = new ArrayList<>();
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
    void tearDown() {
        processes.forEach(Process::destroyForcibly);
        plane.close();
    }

    /** e2ae: leg A is a passive TLS server for the UE, leg B an active TCP client to the core. */
    private RelayPair e2ae(TlsEngines engines, List<CertificateFingerprint> expected, ServerSocket core) throws Exception {
        return plane.open(LegSpec.passive(ANY_PORT, FROM_LOOPBACK).withTls(new LegSpec.Tls(engines, false, expected)),
                LegSpec.active(ANY_PORT, (InetSocketAddress) core.getLocalSocketAddress()), events::add).get(5, TimeUnit.SECONDS);
    }

    private Process sClient(int port, Path stdin, Path stdout, String... options) throws Exception {
        List<String> command = new ArrayList<>(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + port));
        command.addAll(List.of(options));
        Process process = new ProcessBuilder(command).redirectInput(stdin.toFile()).redirectOutput(stdout.toFile())
                .redirectError(dir.resolve("s_client.err").toFile()).start();
        processes.add(process);
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
        try (ServerSocket core = new ServerSocket(0, 1, LOOPBACK)) {
            RelayPair pair = e2ae(mg, List.of(CertificateFingerprint.of("sha-256", ue.certificate())), core);
            // TLS-3, TLS-8: the fingerprint for the SDP answer is the domain certificate's
            assertThat(pair.localFingerprint(Side.A)).contains(CertificateFingerprint.of("sha-256", mg.domain().certificate().certificate()));

            Path download = dir.resolve("download.bin");
            Process client = sClient(pair.localAddress(Side.A).getPort(), upload, download, "-cert", ueCert.toString(), "-key", ueKey.toString(), "-quiet");
            try (Socket coreSide = core.accept()) {
                // the core waits for the UE's TLS session: what it sent before would be early data, held only up to 64 KiB
                org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> events.stream().anyMatch(BearerEvent.TlsEstablished.class::isInstance));
                CompletableFuture<String> atCore = CompletableFuture.supplyAsync(() -> {
                    try {
                        return RelayTest.digest(new LimitedInput(coreSide.getInputStream(), size));
                    } catch (Exception e) {
                        throw new RuntimeException(e);
                    }
                });
                String downloadDigest = RelayTest.send(coreSide.getOutputStream(), size, 12);
                assertThat(atCore.get(60, TimeUnit.SECONDS)).isEqualTo(uploadDigest);
                coreSide.shutdownOutput(); // FIN from the core: close_notify and FIN to the UE after the data
                assertThat(client.waitFor(60, TimeUnit.SECONDS)).isTrue();
                try (InputStream in = Files.newInputStream(download)) {
                    assertThat(RelayTest.digest(in)).isEqualTo(downloadDigest);
                }
            }
            BearerEvent.Released released = pair.released().get(10, TimeUnit.SECONDS);
            assertThat(released.reason()).isIn(ReleaseReason.PEER_CLOSED, ReleaseReason.TLS_CLOSE_NOTIFY, ReleaseReason.RESET);
            BearerEvent.TlsEstablished tls = events.stream().filter(BearerEvent.TlsEstablished.class::isInstance)
                    .map(BearerEvent.TlsEstablished.class::cast).findFirst().orElseThrow();
            assertThat(tls.protocol()).isEqualTo("TLSv1.3"); // TLS-7: the highest both allow
            assertThat(tls.peerFingerprint()).contains(CertificateFingerprint.of("sha-256", ue.certificate()));
            assertThat(events).filteredOn(BearerEvent.Released.class::isInstance).hasSize(1);
        }
    }

    /** Runs s_client against a fresh e2ae pair; returns the Released event and what the core received. */
    private Refusal refused(List<CertificateFingerprint> expected, Path cert, Path key, String... options) throws Exception {
        Path stdin = dir.resolve("hello.txt");
        Files.writeString(stdin, "early hello\n");
        try (ServerSocket core = new ServerSocket(0, 1, LOOPBACK)) {
            RelayPair pair = e2ae(mg, expected, core);
            List<String> all = new ArrayList<>(List.of("-cert", cert.toString(), "-key", key.toString()));
            all.addAll(List.of(options));
            Process client = sClient(pair.localAddress(Side.A).getPort(), stdin, dir.resolve("out.txt"), all.toArray(String[]::new));
            BearerEvent.Released released = pair.released().get(15, TimeUnit.SECONDS);
            client.waitFor(10, TimeUnit.SECONDS);
            int atCore;
            try (Socket coreSide = core.accept()) {
                coreSide.setSoTimeout(5000);
                atCore = coreSide.getInputStream().readAllBytes().length;
            }
            return new Refusal(released, atCore, events.stream().filter(BearerEvent.TlsFailed.class::isInstance)
                    .map(e -> ((BearerEvent.TlsFailed) e).reason()).findFirst());
        }
    }

    private record Refusal(BearerEvent.Released released, int bytesAtCore, Optional<String> tlsFailure) {}

    @Test
    @Tag("TLS-4")
    @Tag("TLS-11")
    @WireTest
    void aWrongFingerprintRefusesTheHandshakeAndNothingReachesTheCore() throws Exception {
        SelfSignedCertificate other = SelfSignedCertificate.generate("someone else", Duration.ofDays(1));
        Refusal refusal = refused(List.of(CertificateFingerprint.of("sha-256", other.certificate())), ueCert, ueKey);
        assertThat(refusal.released().reason()).isEqualTo(ReleaseReason.TLS_HANDSHAKE_FAILED);
        assertThat(refusal.tlsFailure()).hasValueSatisfying(reason -> assertThat(reason).contains("fingerprint mismatch"));
        assertThat(refusal.bytesAtCore()).isZero();
    }

    @Test
    @Tag("TLS-4")
    @WireTest
    void noFingerprintMeansNoPeerIsAuthenticated() throws Exception {
        Refusal refusal = refused(List.of(), ueCert, ueKey);
        assertThat(refusal.tlsFailure()).hasValueSatisfying(reason -> assertThat(reason).contains("no peer fingerprint"));
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
        Refusal refusal = refused(List.of(CertificateFingerprint.of("sha-256", expired.certificate())), cert, key);
        assertThat(refusal.tlsFailure()).hasValueSatisfying(reason -> assertThat(reason).contains("validity"));
        assertThat(refusal.bytesAtCore()).isZero();
    }

    @Test
    @Tag("TLS-5")
    @WireTest
    void aClientWithoutCertificateIsRefused() throws Exception {
        Path stdin = dir.resolve("hello.txt");
        Files.writeString(stdin, "hello\n");
        try (ServerSocket core = new ServerSocket(0, 1, LOOPBACK)) {
            RelayPair pair = e2ae(mg, List.of(CertificateFingerprint.of("sha-256", ue.certificate())), core);
            sClient(pair.localAddress(Side.A).getPort(), stdin, dir.resolve("out.txt"));
            assertThat(pair.released().get(15, TimeUnit.SECONDS).reason()).isEqualTo(ReleaseReason.TLS_HANDSHAKE_FAILED);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "-tls1 -cipher DEFAULT@SECLEVEL=0", // TLS 1.0 is not in the default profile
            "-tls1_1 -cipher DEFAULT@SECLEVEL=0",
            "-tls1_2 -cipher NULL-SHA256@SECLEVEL=0", // no encryption
            "-tls1_2 -cipher aNULL@SECLEVEL=0", // anonymous
            "-tls1_2 -cipher ECDHE-ECDSA-AES128-SHA256:ECDHE-ECDSA-AES256-SHA" // CBC only: not AEAD
    })
    @Tag("TLS-6")
    @Tag("TLS-7")
    @WireTest
    void offersOutsideTheProfileAreRefused(String offer) throws Exception {
        List<String> options = new ArrayList<>(List.of(offer.split(" ")));
        Refusal refusal = refused(List.of(CertificateFingerprint.of("sha-256", ue.certificate())), ueCert, ueKey, options.toArray(String[]::new));
        assertThat(refusal.released().reason()).isIn(ReleaseReason.TLS_HANDSHAKE_FAILED, ReleaseReason.RESET, ReleaseReason.PEER_CLOSED);
        assertThat(events).noneMatch(BearerEvent.TlsEstablished.class::isInstance);
        assertThat(refusal.bytesAtCore()).isZero();
    }

    @Test
    @Tag("TLS-12")
    @WireTest
    void renegotiationIsRefused() throws Exception {
        Path stdin = dir.resolve("renegotiate.txt");
        Files.writeString(stdin, "R\n");
        try (ServerSocket core = new ServerSocket(0, 1, LOOPBACK)) {
            RelayPair pair = e2ae(mg, List.of(CertificateFingerprint.of("sha-256", ue.certificate())), core);
            Path out = dir.resolve("out.txt");
            // without -quiet, s_client reads "R" from stdin as "renegotiate"; TLS 1.2, since 1.3 has no renegotiation
            Process client = sClient(pair.localAddress(Side.A).getPort(), stdin, out, "-cert", ueCert.toString(), "-key", ueKey.toString(), "-tls1_2");
            // the JDK answers with a fatal alert and the pair is released; BoringSSL with a no_renegotiation alert
            // (RFC 5246 7.2.2), after which s_client gives up: either way there is no second handshake
            assertThat(client.waitFor(15, TimeUnit.SECONDS)).isTrue();
            String said = Files.readString(dir.resolve("s_client.err")) + Files.readString(out);
            assertThat(said).contains("RENEGOTIATING").containsAnyOf("alert handshake failure", "alert no renegotiation");
            assertThat(events).filteredOn(BearerEvent.TlsEstablished.class::isInstance).hasSize(1);
            pair.release("test over");
            BearerEvent.Released released = pair.released().get(15, TimeUnit.SECONDS);
            assertThat(released.reason()).isIn(ReleaseReason.TLS_ERROR, ReleaseReason.RESET, ReleaseReason.TLS_CLOSE_NOTIFY, ReleaseReason.PEER_CLOSED,
                    ReleaseReason.RELEASED);
            assertThat(events).filteredOn(BearerEvent.Released.class::isInstance).hasSize(1);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"-tls1_2", "-tls1_3"})
    @Tag("TLS-12")
    @WireTest
    void sessionsAreNotResumed(String version) throws Exception {
        Path session = dir.resolve("session.pem");
        Path stdin = dir.resolve("empty.txt");
        Files.writeString(stdin, "");
        List<String> outputs = new ArrayList<>();
        for (int round = 0; round < 2; round++) {
            try (ServerSocket core = new ServerSocket(0, 1, LOOPBACK)) {
                RelayPair pair = e2ae(mg, List.of(CertificateFingerprint.of("sha-256", ue.certificate())), core);
                Path out = dir.resolve("out" + round + ".txt");
                List<String> options = new ArrayList<>(List.of("-cert", ueCert.toString(), "-key", ueKey.toString(), version));
                if (round == 0) {
                    options.addAll(List.of("-sess_out", session.toString()));
                } else if (Files.exists(session)) {
                    options.addAll(List.of("-sess_in", session.toString()));
                }
                Process client = sClient(pair.localAddress(Side.A).getPort(), stdin, out, options.toArray(String[]::new));
                assertThat(client.waitFor(15, TimeUnit.SECONDS)).isTrue();
                outputs.add(Files.readString(out));
                pair.release("done");
                pair.released().get(5, TimeUnit.SECONDS);
            }
        }
        assertThat(outputs.get(0)).contains("New, ");
        assertThat(outputs.get(1)).contains("New, ").doesNotContain("Reused, ");
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
        int corePort;
        try (ServerSocket probe = new ServerSocket(0, 1, LOOPBACK)) {
            corePort = probe.getLocalPort();
        }
        Path serverOut = dir.resolve("server.out");
        Process server = new ProcessBuilder("openssl", "s_server", "-accept", "127.0.0.1:" + corePort, "-cert", coreCert.toString(),
                "-key", coreKey.toString(), "-Verify", "1", "-quiet")
                .redirectInput(ProcessBuilder.Redirect.PIPE).redirectOutput(serverOut.toFile()).redirectErrorStream(false)
                .redirectError(dir.resolve("s_server.err").toFile()).start();
        processes.add(server);
        awaitListening(corePort);

        TlsEngines core = new TlsEngines(TlsDomain.defaults("core", SelfSignedCertificate.generate("mediasec core", Duration.ofDays(1))).withProvider(provider));
        RelayPair pair = plane.open(
                LegSpec.passive(ANY_PORT, FROM_LOOPBACK).withTls(new LegSpec.Tls(mg, false, List.of(CertificateFingerprint.of("sha-256", ue.certificate())))),
                LegSpec.active(ANY_PORT, new InetSocketAddress(LOOPBACK, corePort))
                        .withTls(new LegSpec.Tls(core, true, List.of(CertificateFingerprint.of("sha-256", coreCertificate.certificate())))),
                events::add).get(5, TimeUnit.SECONDS);
        Path stdin = dir.resolve("message.txt");
        Files.writeString(stdin, "MSRP a786hjs2 SEND\r\nTo-Path: msrp://core\r\n-------a786hjs2$\r\n");
        Path clientOut = dir.resolve("client.out");
        sClient(pair.localAddress(Side.A).getPort(), stdin, clientOut, "-cert", ueCert.toString(), "-key", ueKey.toString(), "-quiet");
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(15))
                .until(() -> Files.readString(serverOut).contains("-------a786hjs2$"));
        server.getOutputStream().write("MSRP a786hjs2 200 OK\n".getBytes(StandardCharsets.US_ASCII));
        server.getOutputStream().flush();
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> Files.readString(clientOut).contains("200 OK"));

        List<BearerEvent.TlsEstablished> sessions = events.stream().filter(BearerEvent.TlsEstablished.class::isInstance)
                .map(BearerEvent.TlsEstablished.class::cast).toList();
        assertThat(sessions).extracting(BearerEvent.TlsEstablished::side).containsExactlyInAnyOrder(Side.A, Side.B);
        assertThat(sessions).filteredOn(s -> s.side() == Side.B).singleElement()
                .satisfies(s -> assertThat(s.peerFingerprint()).contains(CertificateFingerprint.of("sha-256", coreCertificate.certificate())));
        pair.release("done");
        assertThat(pair.released().get(5, TimeUnit.SECONDS).reason()).isEqualTo(ReleaseReason.RELEASED);
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

    private static void awaitListening(int port) {
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).until(() -> {
            try (Socket probe = new Socket(LOOPBACK, port)) {
                return true;
            } catch (java.io.IOException notYet) {
                return false;
            }
        });
    }
}
