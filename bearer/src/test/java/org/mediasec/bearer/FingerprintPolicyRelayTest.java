package org.mediasec.bearer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mediasec.bearer.RelayTest.ANY_PORT;
import static org.mediasec.bearer.RelayTest.FROM_LOOPBACK;
import static org.mediasec.bearer.RelayTest.LOOPBACK;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import org.mediasec.bearer.tls.CertificateFingerprint;
import org.mediasec.bearer.tls.FingerprintPolicy;
import org.mediasec.bearer.tls.SelfSignedCertificate;
import org.mediasec.bearer.tls.TlsDomain;
import org.mediasec.bearer.tls.TlsEngines;
import org.mediasec.bearer.tls.TlsProvider;
import org.mediasec.testsupport.RequiresPeer;
import org.mediasec.testsupport.WireTest;

/**
 * SEC-3 on real sockets, {@code openssl s_client} as the UE, the fingerprints computed by {@code openssl x509}: a
 * SHA-1 fingerprint alone is refused by default and accepted by a domain configured for it; offered together, only
 * the sha-256 one decides, so a right sha-1 cannot make up for a wrong sha-256.
 */
@RequiresPeer(command = "openssl", debianPackage = "openssl")
@org.junit.jupiter.api.Timeout(120)
@ParameterizedClass(name = "{0}")
@EnumSource(TlsProvider.class)
class FingerprintPolicyRelayTest {

    private static final String FROM_THE_UE = "from the ue\n";

    @Parameter
    TlsProvider provider;

    @TempDir
    Path dir;
    private final BearerPlane plane = new BearerPlane(BearerConfig.DEFAULT.withPassiveWindow(Duration.ZERO)); // a failed handshake releases at once: no connect window (PendingHandshakes)
    private final List<SClient> clients = new ArrayList<>();
    private final SelfSignedCertificate mediasec = SelfSignedCertificate.generate("mediasec access", Duration.ofDays(1));
    private Path ueCert;
    private Path ueKey;
    private Path otherCert;

    @BeforeEach
    void setUp() throws Exception {
        ueCert = dir.resolve("ue.pem");
        ueKey = dir.resolve("ue.key");
        SelfSignedCertificate.generate("ue", Duration.ofDays(1)).write(ueCert, ueKey);
        otherCert = dir.resolve("other.pem");
        SelfSignedCertificate.generate("someone else", Duration.ofDays(1)).write(otherCert, dir.resolve("other.key"));
    }

    @AfterEach
    void tearDown() {
        clients.forEach(SClient::close);
        plane.close();
    }

    private TlsEngines domain(FingerprintPolicy policy) {
        return new TlsEngines(TlsDomain.defaults("access", mediasec).withProvider(provider).withFingerprintPolicy(policy));
    }

    /** The UE connects to a leg given {@code offered}: what the pair reported, what reached the core, what s_client said. */
    private record Outcome(List<BearerEvent> events, BearerEvent.Released released, String atCore, String ueSaid) {
        CertificateFingerprint authenticatedWith() {
            return events.stream().filter(BearerEvent.TlsEstablished.class::isInstance).map(BearerEvent.TlsEstablished.class::cast)
                    .findFirst().orElseThrow().peerFingerprint().orElseThrow();
        }

        String failure() {
            return events.stream().filter(BearerEvent.TlsFailed.class::isInstance).map(e -> ((BearerEvent.TlsFailed) e).reason())
                    .findFirst().orElseThrow();
        }
    }

    private Outcome connect(TlsEngines engines, List<CertificateFingerprint> offered) throws Exception {
        List<BearerEvent> events = new CopyOnWriteArrayList<>();
        try (ServerSocket core = new ServerSocket(0, 1, LOOPBACK)) {
            RelayPair pair = plane.open(LegSpec.passive(ANY_PORT, FROM_LOOPBACK).withTls(new LegSpec.Tls(engines, false, offered)),
                    LegSpec.active(ANY_PORT, (InetSocketAddress) core.getLocalSocketAddress()), events::add).get(5, TimeUnit.SECONDS);
            SClient ue = SClient.connect(dir, "s_client" + clients.size(), pair.localAddress(Side.A).getPort(),
                    List.of("-cert", ueCert.toString(), "-key", ueKey.toString()));
            clients.add(ue);
            ue.send(FROM_THE_UE);
            String atCore;
            try (Socket coreSide = core.accept()) {
                coreSide.setSoTimeout(10_000);
                await().atMost(Duration.ofSeconds(15)).until(() -> pair.released().isDone()
                        || events.stream().anyMatch(BearerEvent.TlsEstablished.class::isInstance));
                atCore = new String(pair.released().isDone() ? coreSide.getInputStream().readAllBytes()
                        : coreSide.getInputStream().readNBytes(FROM_THE_UE.length()), StandardCharsets.US_ASCII);
                ue.closeInput();
                assertThat(ue.exits(Duration.ofSeconds(10))).isTrue();
            }
            return new Outcome(events, OnlyRelease.of(pair, events), atCore, ue.output());
        }
    }

    private String refusedCertificateAlert() {
        return provider == TlsProvider.OPENSSL ? "SSL alert number 42" : "SSL alert number 46";
    }

    private void assertRefused(Outcome outcome) {
        assertThat(outcome.events()).noneMatch(BearerEvent.TlsEstablished.class::isInstance);
        assertThat(outcome.released().reason()).isEqualTo(ReleaseReason.TLS_HANDSHAKE_FAILED);
        assertThat(outcome.ueSaid()).contains(refusedCertificateAlert());
        assertThat(outcome.atCore()).isEmpty();
    }

    @Test
    @Tag("SEC-3")
    @Tag("TLS-4")
    @WireTest
    void aSha1FingerprintAloneIsRefusedByDefault() throws Exception {
        List<CertificateFingerprint> sha1 = List.of(Openssl.fingerprint(ueCert, "sha-1")); // the UE's own: right, but weak
        TlsEngines access = domain(FingerprintPolicy.DEFAULT);
        // the gateway can refuse before any bearer exists ...
        assertThat(access.domain().fingerprintPolicy().accept(sha1)).isInstanceOfSatisfying(FingerprintPolicy.Refused.class,
                refused -> assertThat(refused.refusal()).isEqualTo(FingerprintPolicy.Refusal.HASH_FUNCTION_NOT_ACCEPTED));
        // ... and a leg opened anyway authenticates nobody
        Outcome outcome = connect(access, sha1);
        assertRefused(outcome);
        assertThat(outcome.failure()).contains("offered [sha-1]");
    }

    @Test
    @Tag("SEC-3")
    @WireTest
    void aDomainConfiguredForSha1AcceptsIt() throws Exception {
        CertificateFingerprint sha1 = Openssl.fingerprint(ueCert, "sha-1");
        Outcome outcome = connect(domain(FingerprintPolicy.WITH_SHA1), List.of(sha1));
        assertThat(outcome.authenticatedWith()).isEqualTo(sha1);
        assertThat(outcome.atCore()).isEqualTo(FROM_THE_UE);
    }

    @Test
    @Tag("SEC-3")
    @Tag("TLS-4")
    @WireTest
    void withSha1AndSha256OnlySha256Decides() throws Exception {
        TlsEngines access = domain(FingerprintPolicy.WITH_SHA1); // sha-1 would do on its own here
        CertificateFingerprint rightSha1 = Openssl.fingerprint(ueCert, "sha-1");
        CertificateFingerprint wrongSha256 = Openssl.fingerprint(otherCert, "sha-256");
        List<CertificateFingerprint> offered = List.of(rightSha1, wrongSha256);
        assertThat(access.domain().fingerprintPolicy().accept(offered)).isEqualTo(new FingerprintPolicy.Enforced("sha-256", List.of(wrongSha256)));
        Outcome refused = connect(access, offered);
        assertRefused(refused);
        assertThat(refused.failure()).contains("fingerprint mismatch");

        CertificateFingerprint wrongSha1 = Openssl.fingerprint(otherCert, "sha-1");
        CertificateFingerprint rightSha256 = Openssl.fingerprint(ueCert, "sha-256");
        Outcome accepted = connect(access, List.of(wrongSha1, rightSha256));
        assertThat(accepted.authenticatedWith()).isEqualTo(rightSha256);
        assertThat(accepted.atCore()).isEqualTo(FROM_THE_UE);
    }
}
