package org.mediasec.bearer.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Fingerprints (RFC 8122), certificates, and what a TLS domain may be configured with (TLS-6, TLS-8). */
class TlsProfileTest {

    private static final SelfSignedCertificate CERTIFICATE = SelfSignedCertificate.generate("test", Duration.ofDays(1));

    @Test
    @Tag("TLS-3")
    void fingerprintsParseCompareAndPrintAsSdpDoes() {
        CertificateFingerprint computed = CertificateFingerprint.of("SHA-256", CERTIFICATE.certificate());
        CertificateFingerprint parsed = CertificateFingerprint.parse("sha-256", computed.value().toLowerCase());
        assertThat(parsed).isEqualTo(computed);
        assertThat(parsed.matches(CERTIFICATE.certificate())).isTrue();
        assertThat(computed.value()).matches("([0-9A-F]{2}:){31}[0-9A-F]{2}");
        assertThat(CertificateFingerprint.of("sha-1", CERTIFICATE.certificate()).matches(SelfSignedCertificate.generate("other", Duration.ofDays(1)).certificate()))
                .isFalse();
    }

    @Test
    void badFingerprintsAreRefusedWithTheReason() {
        assertThatThrownBy(() -> CertificateFingerprint.parse("md5", "AB:CD")).hasMessageContaining("not allowed");
        assertThatThrownBy(() -> CertificateFingerprint.parse("sha-256", "AB:CD")).hasMessageContaining("2 bytes, expected 32");
        assertThatThrownBy(() -> CertificateFingerprint.parse("sha-256", "zz:zz")).hasMessageContaining("colon-separated hex");
    }

    @Test
    void certificatesSurviveAWriteAndARead(@TempDir Path dir) throws Exception {
        SelfSignedCertificate stored = SelfSignedCertificate.loadOrGenerate(dir, "mediasec");
        SelfSignedCertificate again = SelfSignedCertificate.loadOrGenerate(dir, "mediasec");
        assertThat(again.certificate()).isEqualTo(stored.certificate());
        assertThat(again.key().getEncoded()).isEqualTo(stored.key().getEncoded());
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLS_RSA_WITH_NULL_SHA256", "TLS_ECDH_anon_WITH_AES_128_CBC_SHA", "SSL_RSA_EXPORT_WITH_RC4_40_MD5",
            "TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA", "TLS_PSK_WITH_AES_128_GCM_SHA256"})
    @Tag("TLS-6")
    @Tag("TLS-5")
    void suitesOutsideTheProfileCannotBeConfigured(String suite) {
        assertThatThrownBy(() -> TlsDomain.defaults("d", CERTIFICATE).withCipherSuites(List.of(suite))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(suite);
    }

    @Test
    @Tag("TLS-8")
    void domainsAreIndependentAndEachLegGetsItsOwnCertificateWhenAsked() {
        TlsEngines shared = new TlsEngines(TlsDomain.defaults("shared", CERTIFICATE));
        TlsEngines perStream = new TlsEngines(TlsDomain.defaults("per-stream", CERTIFICATE).withCertificatePerStream(true));
        assertThat(shared.prepare(List.of()).localFingerprint()).isEqualTo(shared.prepare(List.of()).localFingerprint());
        assertThat(perStream.prepare(List.of()).localFingerprint()).isNotEqualTo(perStream.prepare(List.of()).localFingerprint());
        assertThat(TlsDomain.defaults("d", CERTIFICATE).protocols()).containsExactly("TLSv1.3", "TLSv1.2");
        assertThat(TlsDomain.defaults("d", CERTIFICATE).cipherSuites()).allSatisfy(suite -> assertThat(suite).containsAnyOf("GCM", "CHACHA20"));
    }

    @Test
    @Tag("TLS-7")
    void aJdkDomainListingTls10WithoutTheStartUpLiftFailsWithTheReason() {
        // this JVM never called TlsEngines.allowLegacyProtocols (LegacyProtocolTlsTest runs in a JVM of its own)
        TlsDomain legacy = TlsDomain.defaults("old", CERTIFICATE).withProvider(TlsProvider.JDK).withProtocols(List.of("TLSv1.2", "TLSv1"));
        assertThat(legacy.legacyProtocols()).containsExactly("TLSv1");
        assertThatThrownBy(() -> new TlsEngines(legacy)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("TLSv1").hasMessageContaining("jdk.tls.disabledAlgorithms");
    }

    @Test
    void aListWithAGapIsRefusedForOpenSslWhichWouldOfferTheMissingVersion() {
        // SEC-5's scanners saw TLS 1.1 offered by BoringSSL for TLSv1.3, TLSv1.2, TLSv1: it takes a minimum and a maximum
        assertThatThrownBy(() -> TlsDomain.defaults("old", CERTIFICATE).withProvider(TlsProvider.OPENSSL).withProtocols(List.of("TLSv1.3", "TLSv1.2", "TLSv1")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("gap").hasMessageContaining("jdk provider");
        assertThat(TlsDomain.defaults("old", CERTIFICATE).withProvider(TlsProvider.OPENSSL).withProtocols(List.of("TLSv1.3", "TLSv1.2", "TLSv1.1")).protocols())
                .containsExactly("TLSv1.3", "TLSv1.2", "TLSv1.1");
        // the JDK keeps to the list as given
        assertThat(TlsDomain.defaults("old", CERTIFICATE).withProvider(TlsProvider.JDK).withProtocols(List.of("TLSv1.3", "TLSv1")).protocols())
                .containsExactly("TLSv1.3", "TLSv1");
    }

    @Test
    void providersAreNamedInConfigurationAndOpenSslIsPreferredWhereItLoads() {
        assertThat(TlsProvider.parse("OpenSSL")).isEqualTo(TlsProvider.OPENSSL);
        assertThat(TlsProvider.parse("jdk")).isEqualTo(TlsProvider.JDK);
        assertThatThrownBy(() -> TlsProvider.parse("gnutls")).hasMessageContaining("use openssl or jdk");
        assertThat(io.netty.handler.ssl.OpenSsl.isAvailable()).as("netty-tcnative BoringSSL loads on linux-x86_64").isTrue();
        assertThat(TlsProvider.preferred()).isEqualTo(TlsProvider.OPENSSL);
        assertThat(TlsDomain.defaults("d", CERTIFICATE).provider()).isEqualTo(TlsProvider.OPENSSL);
    }
}
