package org.mediasec.it.security;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * What SEC-5 asks of every TLS endpoint, checked finding by finding in both scanners' reports rather than left to
 * their severity grades: no SSLv2, SSLv3, TLS 1.0 or 1.1 (RFC 7568, RFC 8996); no NULL, anonymous, export, low or
 * other weak cipher, and no CBC one (the profile is AEAD only); forward-secret suites only (ECDHE or DHE in TLS 1.2,
 * every TLS 1.3 suite); no client-initiated renegotiation; no compression (CRIME). A check that a scanner should have
 * made but did not report is a violation too: a scan that looked at nothing must not pass. Compression is testssl.sh's
 * to check ({@code CRIME_TLS}, on its own sockets): sslscan asks its OpenSSL, and Debian's has no zlib ("OpenSSL
 * version does not support compression", no element in its XML), so a compression finding of sslscan's counts only
 * where there is one.
 */
final class TlsProfile {

    /** testssl.sh's protocol IDs that must read "not offered". */
    static final List<String> TESTSSL_LEGACY_PROTOCOLS = List.of("SSLv2", "SSLv3", "TLS1", "TLS1_1");
    /** testssl.sh's cipher categories ({@code -s}) that must read "not offered"; AVERAGE is its "obsoleted CBC". */
    static final List<String> TESTSSL_WEAK_CIPHER_CATEGORIES = List.of("cipherlist_NULL", "cipherlist_aNULL", "cipherlist_EXPORT", "cipherlist_LOW",
            "cipherlist_3DES_IDEA", "cipherlist_AVERAGE");
    /** sslscan's protocol findings ({@link SslScan}) that must read "not enabled". */
    static final List<String> SSLSCAN_LEGACY_PROTOCOLS = List.of("protocol SSLv2", "protocol SSLv3", "protocol TLSv1.0", "protocol TLSv1.1");
    /** sslscan's cipher strengths that pass (its others: medium, weak, anonymous, null). */
    static final Set<String> SSLSCAN_STRONG = Set.of("strong", "acceptable");
    /** OpenSSL names of TLS 1.2 suites with an ephemeral key exchange; TLS 1.3 suites (TLS_*) all have one (RFC 8446 2). */
    static final List<String> FORWARD_SECRET_PREFIXES = List.of("ECDHE-", "DHE-", "TLS_");
    /** Parts of OpenSSL suite names that mark what the profile never offers, whatever a scanner's grade. */
    static final List<String> WEAK_NAME_PARTS = List.of("NULL", "ANON", "ADH", "AECDH", "EXP", "RC4", "DES", "IDEA", "SEED", "MD5");
    /** Parts of OpenSSL TLS 1.2 suite names that mark an AEAD cipher; any other TLS 1.2 suite is CBC (or worse). */
    static final List<String> AEAD_NAME_PARTS = List.of("GCM", "CHACHA20-POLY1305", "CCM");

    private TlsProfile() {}

    /** Every way the scans show the endpoint departing from the profile; empty when it keeps to it. */
    static List<String> violations(List<Scan> scans) {
        List<String> violations = new ArrayList<>();
        for (Scan scan : scans) {
            switch (scan.scanner()) {
                case TestSsl.SCANNER -> testssl(scan, violations);
                case SslScan.SCANNER -> sslscan(scan, violations);
                default -> violations.add("unknown scanner " + scan.scanner());
            }
        }
        return violations;
    }

    private static void testssl(Scan scan, List<String> violations) {
        for (String id : TESTSSL_LEGACY_PROTOCOLS) {
            expect(scan, id, List.of("not offered"), violations);
        }
        for (String id : TESTSSL_WEAK_CIPHER_CATEGORIES) {
            expect(scan, id, List.of("not offered"), violations);
        }
        expect(scan, "secure_client_renego", List.of("not vulnerable"), violations);
        // RFC 8446 4.1.2: TLS 1.3 has no compression, so testssl.sh does not try it on a TLS 1.3-only server
        expect(scan, "CRIME_TLS", List.of("not vulnerable", "TLS 1.3 only server"), violations);
    }

    private static void expect(Scan scan, String id, List<String> wanted, List<String> violations) {
        Optional<Finding> finding = scan.findings().stream().filter(f -> f.id().equals(id)).findFirst();
        if (finding.isEmpty()) {
            violations.add("testssl.sh reported no " + id);
        } else if (wanted.stream().noneMatch(finding.get().text()::startsWith)) {
            violations.add("testssl.sh " + id + ": " + finding.get().text());
        }
    }

    private static void sslscan(Scan scan, List<String> violations) {
        for (String id : SSLSCAN_LEGACY_PROTOCOLS) {
            Optional<Finding> protocol = scan.findings().stream().filter(f -> f.id().equals(id)).findFirst();
            if (protocol.isEmpty()) {
                violations.add("sslscan reported no " + id);
            } else if (!protocol.get().text().equals("not enabled")) {
                violations.add("sslscan " + id + ": " + protocol.get().text());
            }
        }
        List<Finding> ciphers = scan.findings().stream().filter(f -> f.id().startsWith("cipher ")).toList();
        if (ciphers.isEmpty()) {
            violations.add("sslscan found no cipher suite accepted");
        }
        for (Finding cipher : ciphers) {
            String name = cipher.id().substring(cipher.id().lastIndexOf(' ') + 1);
            String strength = cipher.text().substring(0, cipher.text().indexOf(','));
            String upper = name.toUpperCase(Locale.ROOT);
            if (!SSLSCAN_STRONG.contains(strength) || WEAK_NAME_PARTS.stream().anyMatch(upper::contains)) {
                violations.add("sslscan " + cipher.id() + ": " + cipher.text());
            } else if (!name.startsWith("TLS_") && AEAD_NAME_PARTS.stream().noneMatch(upper::contains)) {
                violations.add("sslscan " + cipher.id() + ": not AEAD");
            }
            if (FORWARD_SECRET_PREFIXES.stream().noneMatch(name::startsWith)) {
                violations.add("sslscan " + cipher.id() + ": no forward secrecy");
            }
        }
        scan.findings().stream().filter(f -> f.id().equals("compression") && !f.text().equals("none"))
                .forEach(f -> violations.add("sslscan compression: " + f.text()));
        scan.findings().stream().filter(f -> f.id().equals("renegotiation") && f.text().startsWith("insecure"))
                .forEach(f -> violations.add("sslscan renegotiation: " + f.text()));
    }
}
