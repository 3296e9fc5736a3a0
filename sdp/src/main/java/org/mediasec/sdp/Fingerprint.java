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
        String function = knownFunction(text, space);
        if (function == null) {
            reason[0] = "unknown hash function " + text.substring(0, space).toLowerCase(Locale.ROOT);
            return Optional.empty();
        }
        // read in place: every offer and answer carries one or two of these, and splitting the hex into one String
        // per octet was a tenth of the controller's allocation under load (docs/performance.md)
        int start = space + 1;
        while (start < text.length() && Character.isWhitespace(text.charAt(start))) {
            start++;
        }
        int octets = 1;
        for (int i = start; i < text.length(); i++) {
            if (text.charAt(i) == ':') {
                octets++;
            }
        }
        byte[] bytes = new byte[octets];
        int from = start;
        for (int octet = 0; octet < octets; octet++) {
            int colon = text.indexOf(':', from);
            int to = colon < 0 ? text.length() : colon;
            int high = to - from == 2 ? Character.digit(text.charAt(from), 16) : -1;
            int low = to - from == 2 ? Character.digit(text.charAt(from + 1), 16) : -1;
            if (high < 0 || low < 0) {
                reason[0] = "fingerprint octet " + (octet + 1) + " is not two hex digits";
                return Optional.empty();
            }
            bytes[octet] = (byte) (high << 4 | low);
            from = to + 1;
        }
        if (bytes.length != LENGTHS.get(function)) {
            reason[0] = function + " fingerprint needs " + LENGTHS.get(function) + " octets, has " + bytes.length;
            return Optional.empty();
        }
        return Optional.of(new Fingerprint(function, bytes));
    }

    /**
     * The registry's name of the hash function that {@code text} starts with ({@code length} characters, ASCII letters
     * in any case), or null. ASCII only, as the lower-casing it replaces: no other character lower-cases to a letter of
     * these names.
     */
    private static String knownFunction(String text, int length) {
        for (String function : LENGTHS.keySet()) {
            if (function.length() == length && asciiIgnoringCase(text, function)) {
                return function;
            }
        }
        return null;
    }

    private static boolean asciiIgnoringCase(String text, String lowerCase) {
        for (int i = 0; i < lowerCase.length(); i++) {
            char c = text.charAt(i);
            if ((c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c) != lowerCase.charAt(i)) {
                return false;
            }
        }
        return true;
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
