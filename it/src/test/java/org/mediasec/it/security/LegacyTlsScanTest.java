package org.mediasec.it.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.mediasec.bearer.tls.SelfSignedCertificate;
import org.mediasec.bearer.tls.TlsDomain;
import org.mediasec.bearer.tls.TlsEngines;
import org.mediasec.bearer.tls.TlsProvider;
import org.mediasec.it.security.TlsScans.InShortForm;
import org.mediasec.testsupport.RequiresPeer;
import org.mediasec.testsupport.WireTest;

/**
 * SEC-5: the scans fail when the product offers a weak protocol. A legacy TLS domain, configured as docs/gateway.md
 * says for UEs that only speak an old version (TLSv1.1 listed, and the CBC suite it needs: TLS 1.1 has no AEAD
 * suite), is scanned like the default one: {@link TlsProfile} must report TLS 1.1 as offered by each scanner that
 * ran, and its departures and graded findings must all be those of TLS 1.1 and its suite — the default profile holds
 * for everything TLS 1.1 does not touch. In a JVM of its own (surefire execution {@code legacy-tls-scan}), since the
 * JDK's ban on TLS 1.1 is lifted process-wide before any TLS use, as the gateway does at start-up.
 *
 * <p>Why TLS 1.1 and not TLS 1.0: a list with a gap (TLSv1 without TLSv1.1) is not what BoringSSL offers. Netty
 * gives it the range from the lowest to the highest version listed, so TLS 1.1 comes too: this test found it (sslscan
 * and testssl.sh both saw TLS 1.1 offered by a domain listing TLSv1.3, TLSv1.2, TLSv1); docs/security.md.
 */
@RequiresPeer(command = TestSsl.COMMAND, debianPackage = TestSsl.PACKAGE)
@RequiresPeer(command = SslScan.COMMAND, debianPackage = SslScan.PACKAGE)
@Timeout(1800)
class LegacyTlsScanTest {

    /** TLS 1.1 has no AEAD suite: the one a legacy domain adds (as LegacyProtocolTlsTest's, TLS-7). */
    static final String LEGACY_SUITE = "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA";
    /** The same suite as the scanners name it (OpenSSL's name). */
    static final String LEGACY_SUITE_OPENSSL = "ECDHE-ECDSA-AES128-SHA";
    /**
     * The IDs of graded findings that TLS 1.1 or its CBC suite explain: the protocol itself, its CBC weaknesses (LUCKY13,
     * testssl.sh's "obsoleted CBC" category) and the downgrade that TLS_FALLBACK_SCSV guards against.
     */
    static final Set<String> TLS11_FINDINGS = Set.of("TLS1_1", "cipherlist_AVERAGE", "LUCKY13", "fallback_SCSV", "protocol TLSv1.1", "fallback");

    @TempDir
    Path work;

    @BeforeAll
    static void liftTheJdkBanAsTheGatewayDoesAtStartUp() {
        TlsEngines.allowLegacyProtocols(List.of("TLSv1.1"));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(TlsProvider.class)
    @Tag("SEC-5")
    @WireTest
    void aDomainOfferingTls11FailsTheProfileOnTls11AndItsSuiteAlone(TlsProvider provider) throws Exception {
        ScannerClient client = ScannerClient.generate(work);
        List<String> suites = new ArrayList<>(TlsDomain.DEFAULT_CIPHER_SUITES);
        suites.add(LEGACY_SUITE);
        TlsDomain domain = TlsDomain.defaults("legacy", SelfSignedCertificate.loadOrGenerate(work.resolve("legacy"), "mediasec legacy"))
                .withProtocols(List.of("TLSv1.3", "TLSv1.2", "TLSv1.1")).withCipherSuites(suites).withProvider(provider);
        // sslscan alone in CI (testssl.sh's 30 s of CPU go to the default endpoints); the full form adds testssl.sh
        List<Scan> scans;
        try (TlsScanEndpoint leg = new TlsScanEndpoint(domain, client.asExpected())) {
            scans = TlsScans.scan("legacy domain, " + provider, leg.port(), Optional.of(client), work, InShortForm.SSLSCAN_ONLY);
        }

        List<String> violations = TlsProfile.violations(scans);
        assertThat(violations).contains("sslscan protocol TLSv1.1: enabled");
        if (scans.stream().anyMatch(s -> s.scanner().equals(TestSsl.SCANNER))) {
            assertThat(violations).anyMatch(v -> v.startsWith("testssl.sh TLS1_1: offered"));
        }
        assertThat(violations).allMatch(v -> v.contains("TLS1_1:") || v.contains("TLSv1.1") || v.contains(LEGACY_SUITE_OPENSSL)
                || v.contains("cipherlist_AVERAGE"));
        assertThat(TlsScans.graded(scans)).allMatch(f -> TLS11_FINDINGS.contains(f.id()), "explained by TLS 1.1 or its suite");
        assertThat(TlsScans.failedChecks(scans)).isEmpty();
    }
}
