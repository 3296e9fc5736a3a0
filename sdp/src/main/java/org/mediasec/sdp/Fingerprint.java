package org.mediasec.sdp;

import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * {@code a=fingerprint:<hash-func> <colon-separated upper-case hex>} (RFC 8122 5): the hash of the peer's
 * certificate (TLS-3). The value's length must match the hash function.
 */
public record Fingerprint(String hashFunction, byte[] value) {

    /** Hash functions of the IANA "Hash Function Textual Names" registry and their output lengths in bytes. */
    private static final Map<String, Integer> LENGTHS = Map.of(
            "md2", 16, "md5", 16, "sha-1", 20, "sha-224", 28, "sha-256", 32, "sha-384", 48, "sha-512", 64);

    public Fingerprint {
        hashFunction = hashFunction.toLowerCase(Locale.ROOT);
        value = value.clone();
        Integer length = LENGTHS.get(hashFunction);
        if (length == null) {
            throw new IllegalArgumentException("unknown hash function " + hashFunction);
        }
        if (value.length != length) {
            throw new IllegalArgumentException(hashFunction + " fingerprint needs " + length + " bytes, has " + value.length);
        }
    }

    @Override
    public byte[] value() {
        return value.clone();
    }

    /** The JDK MessageDigest name for the hash function (sha-256 → SHA-256). */
    public String digestAlgorithm() {
        return hashFunction.toUpperCase(Locale.ROOT);
    }

    /** Parses the attribute value; empty with the reason in {@code reason[0]} when it is not a fingerprint. */
    public static Optional<Fingerprint> parse(String attributeValue, String[] reason) {
        String text = attributeValue.strip();
        int space = text.indexOf(' ');
        if (space <= 0) {
            reason[0] = "expected '<hash-func> <hex>'";
            return Optional.empty();
        }
        String function = text.substring(0, space).toLowerCase(Locale.ROOT);
        if (!LENGTHS.containsKey(function)) {
            reason[0] = "unknown hash function " + function;
            return Optional.empty();
        }
        String hex = text.substring(space + 1).strip();
        String[] octets = hex.split(":", -1);
        byte[] bytes = new byte[octets.length];
        for (int i = 0; i < octets.length; i++) {
            if (octets[i].length() != 2 || Character.digit(octets[i].charAt(0), 16) < 0 || Character.digit(octets[i].charAt(1), 16) < 0) {
                reason[0] = "fingerprint octet " + (i + 1) + " is not two hex digits";
                return Optional.empty();
            }
            bytes[i] = (byte) Integer.parseInt(octets[i], 16);
        }
        if (bytes.length != LENGTHS.get(function)) {
            reason[0] = function + " fingerprint needs " + LENGTHS.get(function) + " octets, has " + bytes.length;
            return Optional.empty();
        }
        return Optional.of(new Fingerprint(function, bytes));
    }

    /** {@code sha-256 4A:AD:…}: upper-case hex, as RFC 8122 5 requires. */
    public String attributeValue() {
        StringBuilder out = new StringBuilder(hashFunction).append(' ');
        HexFormat hex = HexFormat.ofDelimiter(":").withUpperCase();
        return out.append(hex.formatHex(value)).toString();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Fingerprint that && hashFunction.equals(that.hashFunction) && java.util.Arrays.equals(value, that.value);
    }

    @Override
    public int hashCode() {
        return hashFunction.hashCode() * 31 + java.util.Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return attributeValue();
    }
}
