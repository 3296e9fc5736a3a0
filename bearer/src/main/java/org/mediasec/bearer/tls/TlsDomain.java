package org.mediasec.bearer.tls;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import org.mediasec.traceability.Implements;

/**
 * A TLS domain (TS 23.334 5.11.2.x.4.1, TLS-8): TLS parameters provisioned in the MG, not negotiated over H.248; a
 * leg names the domain it uses. The profile follows TS 33.310 Annex E and TS 33.328 Annex M (TLS-6): TLS 1.2 and
 * 1.3 by default, TLS 1.0/1.1 only when listed; AEAD suites by default; suites without encryption or without
 * authentication are refused outright; no compression (the JDK has none); renegotiation refused; resumption off
 * unless enabled (TLS-12); peer fingerprints under sha-256 or stronger only, unless configured (SEC-3).
 *
 * @param protocols JSSE names, e.g. TLSv1.3, TLSv1.2
 * @param cipherSuites IANA/JSSE names, in preference order
 * @param certificate our certificate and key (self-signed is the e2ae norm)
 * @param fingerprintHash the RFC 8122 hash function of the fingerprint we report for our certificate
 * @param resumption whether sessions may be resumed (TLS-12: off by default)
 * @param certificatePerStream a fresh self-signed certificate for every leg, so that the fingerprint in each SDP
 *     answer is tied to one stream (TLS-3)
 * @param handshakeTimeout a handshake not done within this fails the leg
 * @param provider the TLS implementation: OpenSSL (BoringSSL through netty-tcnative, the default where it loads) or
 *     the JDK's; both enforce the same profile and pass the same tests
 * @param fingerprintPolicy which of the peer's fingerprints are enforced (SEC-3: sha-256 and stronger by default)
 */
@Implements("TLS-8")
public record TlsDomain(String name, List<String> protocols, List<String> cipherSuites, SelfSignedCertificate certificate, String fingerprintHash,
        boolean resumption, boolean certificatePerStream, Duration handshakeTimeout, TlsProvider provider, FingerprintPolicy fingerprintPolicy) {

    static {
        ProcessTlsSettings.apply();
    }

    public static final List<String> DEFAULT_PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

    /** AEAD only (TLS-6: confidentiality by default), ECDHE for TLS 1.2. */
    public static final List<String> DEFAULT_CIPHER_SUITES = List.of(
            "TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");

    private static final Set<String> KNOWN_PROTOCOLS = Set.of("TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3");

    @Implements({"TLS-5", "TLS-6"})
    public TlsDomain {
        protocols = List.copyOf(protocols);
        cipherSuites = List.copyOf(cipherSuites);
        if (protocols.isEmpty() || !KNOWN_PROTOCOLS.containsAll(protocols)) {
            throw new IllegalArgumentException("TLS domain " + name + ": protocols " + protocols + " must be among " + KNOWN_PROTOCOLS);
        }
        if (cipherSuites.isEmpty()) {
            throw new IllegalArgumentException("TLS domain " + name + ": no cipher suite");
        }
        for (String suite : cipherSuites) {
            String upper = suite.toUpperCase(Locale.ROOT);
            // TLS-6: never without encryption; e2ae needs certificates, so never anonymous; nothing broken
            for (String banned : List.of("_NULL_", "_ANON_", "_EXPORT", "_RC4_", "_3DES_", "_DES_", "_DES40_", "_MD5")) {
                if (upper.contains(banned) || upper.endsWith("_NULL")) {
                    throw new IllegalArgumentException("TLS domain " + name + ": cipher suite " + suite + " is not allowed (TLS-6: no NULL, anonymous, "
                            + "export, RC4, DES or 3DES suites)");
                }
            }
            if (upper.contains("PSK")) {
                throw new IllegalArgumentException("TLS domain " + name + ": " + suite + ": pre-shared keys are never used for e2ae (TLS-5)");
            }
        }
        CertificateFingerprint.of(fingerprintHash, certificate.certificate()); // validates the hash name
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(fingerprintPolicy, "fingerprintPolicy");
        if (handshakeTimeout.isNegative() || handshakeTimeout.isZero()) {
            throw new IllegalArgumentException("TLS domain " + name + ": handshake timeout must be positive");
        }
    }

    /** A domain with the default fingerprint policy (SEC-3). */
    public TlsDomain(String name, List<String> protocols, List<String> cipherSuites, SelfSignedCertificate certificate, String fingerprintHash,
            boolean resumption, boolean certificatePerStream, Duration handshakeTimeout, TlsProvider provider) {
        this(name, protocols, cipherSuites, certificate, fingerprintHash, resumption, certificatePerStream, handshakeTimeout, provider,
                FingerprintPolicy.DEFAULT);
    }

    /** A domain with the default profile around a certificate, on the default provider. */
    public static TlsDomain defaults(String name, SelfSignedCertificate certificate) {
        return new TlsDomain(name, DEFAULT_PROTOCOLS, DEFAULT_CIPHER_SUITES, certificate, "sha-256", false, false, Duration.ofSeconds(10),
                TlsProvider.preferred(), FingerprintPolicy.DEFAULT);
    }

    /** The TLS versions below 1.2 this domain enables (only when configured explicitly, TLS-7). */
    public List<String> legacyProtocols() {
        return protocols.stream().filter(p -> p.equals("TLSv1") || p.equals("TLSv1.1")).toList();
    }

    public TlsDomain withProvider(TlsProvider provider) {
        return new TlsDomain(name, protocols, cipherSuites, certificate, fingerprintHash, resumption, certificatePerStream, handshakeTimeout, provider, fingerprintPolicy);
    }

    public TlsDomain withProtocols(List<String> protocols) {
        return new TlsDomain(name, protocols, cipherSuites, certificate, fingerprintHash, resumption, certificatePerStream, handshakeTimeout, provider, fingerprintPolicy);
    }

    public TlsDomain withCipherSuites(List<String> suites) {
        return new TlsDomain(name, protocols, suites, certificate, fingerprintHash, resumption, certificatePerStream, handshakeTimeout, provider, fingerprintPolicy);
    }

    public TlsDomain withResumption(boolean enabled) {
        return new TlsDomain(name, protocols, cipherSuites, certificate, fingerprintHash, enabled, certificatePerStream, handshakeTimeout, provider, fingerprintPolicy);
    }

    public TlsDomain withCertificatePerStream(boolean enabled) {
        return new TlsDomain(name, protocols, cipherSuites, certificate, fingerprintHash, resumption, enabled, handshakeTimeout, provider, fingerprintPolicy);
    }

    public TlsDomain withFingerprintPolicy(FingerprintPolicy policy) {
        return new TlsDomain(name, protocols, cipherSuites, certificate, fingerprintHash, resumption, certificatePerStream, handshakeTimeout, provider, policy);
    }

    public TlsDomain withHandshakeTimeout(Duration timeout) {
        return new TlsDomain(name, protocols, cipherSuites, certificate, fingerprintHash, resumption, certificatePerStream, timeout, provider, fingerprintPolicy);
    }
}
