package org.mediasec.h248stack.transport;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;

/**
 * A certificate fingerprint that a TLS control link accepts (pins), written as in SDP (RFC 8122 5): the hash function
 * and the colon-separated upper-case hex of the digest of the DER certificate, e.g. {@code sha-256 4A:AD:…}. Each side
 * prints its own for the other side's operator to pin; there is no CA in between.
 */
public record CertificatePin(String hashFunction, String value) {

    /** The hash functions a pin may name (RFC 8122's strong ones); new pins are made with the first. */
    private static final Map<String, String> ALGORITHMS = Map.of("sha-256", "SHA-256", "sha-384", "SHA-384", "sha-512", "SHA-512");
    private static final String DEFAULT_HASH = "sha-256";
    private static final HexFormat HEX = HexFormat.ofDelimiter(":").withUpperCase();

    public CertificatePin {
        hashFunction = hashFunction.toLowerCase(Locale.ROOT);
        if (!ALGORITHMS.containsKey(hashFunction)) {
            throw new IllegalArgumentException("hash function '" + hashFunction + "' is not one of " + ALGORITHMS.keySet());
        }
        byte[] digest;
        try {
            digest = HEX.parseHex(value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + value + "' is not colon-separated hex", e);
        }
        if (digest.length != digestLength(hashFunction)) {
            throw new IllegalArgumentException(hashFunction + " fingerprint of " + digest.length + " octets (expected " + digestLength(hashFunction) + ")");
        }
        value = HEX.formatHex(digest);
    }

    /** Parses {@code "sha-256 4A:AD:…"}. */
    public static CertificatePin parse(String text) {
        String[] parts = text.strip().split("\\s+");
        if (parts.length != 2) {
            throw new IllegalArgumentException("'" + text + "' is not 'hash-function XX:XX:…'");
        }
        return new CertificatePin(parts[0], parts[1]);
    }

    /** The SHA-256 fingerprint of a certificate. */
    public static CertificatePin of(X509Certificate certificate) {
        return of(DEFAULT_HASH, certificate);
    }

    public static CertificatePin of(String hashFunction, X509Certificate certificate) {
        return new CertificatePin(hashFunction, HEX.formatHex(digest(hashFunction.toLowerCase(Locale.ROOT), certificate)));
    }

    public boolean matches(X509Certificate certificate) {
        return MessageDigest.isEqual(HEX.parseHex(value), digest(hashFunction, certificate));
    }

    private static byte[] digest(String hashFunction, X509Certificate certificate) {
        String algorithm = ALGORITHMS.get(hashFunction);
        if (algorithm == null) {
            throw new IllegalArgumentException("hash function '" + hashFunction + "' is not one of " + ALGORITHMS.keySet());
        }
        try {
            return MessageDigest.getInstance(algorithm).digest(certificate.getEncoded());
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            throw new IllegalStateException("cannot digest a certificate with " + algorithm, e);
        }
    }

    private static int digestLength(String hashFunction) {
        return switch (hashFunction) {
            case "sha-256" -> 32;
            case "sha-384" -> 48;
            default -> 64;
        };
    }

    @Override
    public String toString() {
        return hashFunction + " " + value;
    }
}
