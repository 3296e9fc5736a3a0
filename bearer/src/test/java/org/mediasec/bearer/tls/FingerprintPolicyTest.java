package org.mediasec.bearer.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** SEC-3 (RFC 8122 5): which fingerprints a domain enforces, and why it refuses to enforce any. */
class FingerprintPolicyTest {

    private static final SelfSignedCertificate PEER = SelfSignedCertificate.generate("peer", Duration.ofDays(1));
    private static final SelfSignedCertificate OTHER = SelfSignedCertificate.generate("other", Duration.ofDays(1));

    private static CertificateFingerprint of(String hash, SelfSignedCertificate certificate) {
        return CertificateFingerprint.of(hash, certificate.certificate());
    }

    @Test
    void strongHashFunctionsOnlyByDefault() {
        assertThat(FingerprintPolicy.DEFAULT.accepted()).containsExactly("sha-512", "sha-384", "sha-256");
        for (String hash : List.of("sha-256", "sha-384", "sha-512")) {
            assertThat(FingerprintPolicy.DEFAULT.accept(List.of(of(hash, PEER)))).isEqualTo(new FingerprintPolicy.Enforced(hash, List.of(of(hash, PEER))));
        }
        for (String weak : List.of("sha-1", "sha-224")) {
            assertThat(FingerprintPolicy.DEFAULT.accept(List.of(of(weak, PEER)))).isInstanceOfSatisfying(FingerprintPolicy.Refused.class, refused -> {
                assertThat(refused.refusal()).isEqualTo(FingerprintPolicy.Refusal.HASH_FUNCTION_NOT_ACCEPTED);
                assertThat(refused.reason()).contains("offered [" + weak + "]").contains("accepted [sha-512, sha-384, sha-256]");
            });
        }
        assertThat(TlsDomain.defaults("d", PEER).fingerprintPolicy()).isEqualTo(FingerprintPolicy.DEFAULT);
    }

    @Test
    void noFingerprintIsRefusedWithItsOwnReason() {
        assertThat(FingerprintPolicy.DEFAULT.accept(List.of())).isInstanceOfSatisfying(FingerprintPolicy.Refused.class,
                refused -> assertThat(refused.refusal()).isEqualTo(FingerprintPolicy.Refusal.NO_FINGERPRINT));
    }

    @Test
    void theStrongestOfferedHashFunctionDecidesAlone() {
        List<CertificateFingerprint> offered = List.of(of("sha-256", PEER), of("sha-512", OTHER), of("sha-1", PEER), of("sha-512", PEER));
        assertThat(FingerprintPolicy.WITH_SHA1.accept(offered)).isEqualTo(new FingerprintPolicy.Enforced("sha-512", List.of(of("sha-512", OTHER), of("sha-512", PEER))));
        // an accepted weaker function decides only where no stronger one is offered
        assertThat(FingerprintPolicy.WITH_SHA1.accept(List.of(of("sha-1", PEER), of("sha-256", OTHER)))).isEqualTo(new FingerprintPolicy.Enforced("sha-256", List.of(of("sha-256", OTHER))));
        assertThat(FingerprintPolicy.WITH_SHA1.accept(List.of(of("sha-1", PEER)))).isEqualTo(new FingerprintPolicy.Enforced("sha-1", List.of(of("sha-1", PEER))));
        // a stronger function the domain does not accept does not count
        FingerprintPolicy only256 = new FingerprintPolicy(Set.of("SHA-256"));
        assertThat(only256.accept(List.of(of("sha-512", OTHER), of("sha-256", PEER)))).isEqualTo(new FingerprintPolicy.Enforced("sha-256", List.of(of("sha-256", PEER))));
    }

    @Test
    void aLegCarriesTheDecision() {
        TlsEngines engines = new TlsEngines(TlsDomain.defaults("d", PEER));
        assertThat(engines.prepare(List.of(of("sha-1", OTHER))).fingerprints()).isInstanceOf(FingerprintPolicy.Refused.class);
        assertThat(engines.prepare(List.of(of("sha-1", OTHER), of("sha-384", OTHER))).fingerprints())
                .isEqualTo(new FingerprintPolicy.Enforced("sha-384", List.of(of("sha-384", OTHER))));
    }

    @Test
    void onlyRfc8122HashFunctionsCanBeConfigured() {
        assertThatThrownBy(() -> new FingerprintPolicy(Set.of("md5"))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("md5");
        assertThatThrownBy(() -> new FingerprintPolicy(Set.of())).isInstanceOf(IllegalArgumentException.class);
    }
}
