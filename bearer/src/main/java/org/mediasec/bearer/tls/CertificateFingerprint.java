package org.mediasec.bearer.tls;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;

/**
 * A certificate fingerprint as SDP carries it (RFC 8122 5: {@code a=fingerprint:sha-256 AB:CD:…}): the hash of the
 * certificate's DER encoding under a named hash function. MD2 and MD5 are refused (RFC 8122 5 forbids them).
 */
public final class CertificateFingerprint {

    /** RFC 8122 / IANA hash function names and their JCA names. */
    private static final Map<String, String> HASH_FUNCTIONS = Map.of(
            "sha-1", "SHA-1", "sha-224", "SHA-224", "sha-256", "SHA-256", "sha-384", "SHA-384", "sha-512", "SHA-512");

    private final String hashFunction;
    private final byte[] digest;

    private CertificateFingerprint(String hashFunction, byte[] digest) {
        this.hashFunction = hashFunction;
        this.digest = digest;
    }

    /** From SDP's two fields, e.g. {@code ("sha-256", "AB:CD:…")}; case-insensitive. */
    public static CertificateFingerprint parse(String hashFunction, String colonHex) {
        String name = checkedName(hashFunction);
        byte[] value;
        try {
            value = HexFormat.ofDelimiter(":").parseHex(colonHex.strip().toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("fingerprint is not colon-separated hex: " + colonHex, e);
        }
        int expected = digest(name).getDigestLength();
        if (value.length != expected) {
            throw new IllegalArgumentException(name + " fingerprint has " + value.length + " bytes, expected " + expected);
        }
        return new CertificateFingerprint(name, value);
    }

    /**
     * From a hash function's name and the digest itself (e.g. an SDP attribute already parsed into octets), without a
     * round trip through text; the digest's length must be the hash function's.
     */
    public static CertificateFingerprint of(String hashFunction, byte[] digest) {
        String name = checkedName(hashFunction);
        int expected = digest(name).getDigestLength();
        if (digest.length != expected) {
            throw new IllegalArgumentException(name + " fingerprint has " + digest.length + " bytes, expected " + expected);
        }
        return new CertificateFingerprint(name, digest.clone());
    }

    /** The fingerprint of a certificate under a hash function. */
    public static CertificateFingerprint of(String hashFunction, X509Certificate certificate) {
        String name = checkedName(hashFunction);
        try {
            return new CertificateFingerprint(name, digest(name).digest(certificate.getEncoded()));
        } catch (CertificateEncodingException e) {
            throw new IllegalArgumentException("certificate cannot be encoded", e);
        }
    }

    /** Whether {@code certificate} hashes to this fingerprint; compared in constant time. */
    public boolean matches(X509Certificate certificate) {
        try {
            return MessageDigest.isEqual(digest, digest(hashFunction).digest(certificate.getEncoded()));
        } catch (CertificateEncodingException e) {
            return false;
        }
    }

    public String hashFunction() {
        return hashFunction;
    }

    /** The digest's octets (a copy). */
    public byte[] digest() {
        return digest.clone();
    }

    /** Upper-case colon-separated hex, as SDP writes it. */
    public String value() {
        return HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest);
    }

    private static String checkedName(String hashFunction) {
        String name = hashFunction.strip().toLowerCase(Locale.ROOT);
        if (!HASH_FUNCTIONS.containsKey(name)) {
            throw new IllegalArgumentException("hash function " + hashFunction + " is not allowed for fingerprints (RFC 8122 5: "
                    + HASH_FUNCTIONS.keySet().stream().sorted().toList() + ")");
        }
        return name;
    }

    private static MessageDigest digest(String name) {
        try {
            return MessageDigest.getInstance(HASH_FUNCTIONS.get(name));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(name + " is missing from this JDK", e);
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof CertificateFingerprint that && hashFunction.equals(that.hashFunction) && Arrays.equals(digest, that.digest);
    }

    @Override
    public int hashCode() {
        return hashFunction.hashCode() * 31 + Arrays.hashCode(digest);
    }

    @Override
    public String toString() {
        return hashFunction + " " + value();
    }
}
