package org.mediasec.mikey;

/** The MAC algorithms of KEMAC and V (RFC 3830 6.2, 6.9; 0 and 1 checked against tshark 4.0). */
public final class MacAlgorithm {

    private MacAlgorithm() {}

    public static final int NULL = 0;
    /** HMAC-SHA-1 with its full 160-bit output (RFC 3830 4.2.4). */
    public static final int HMAC_SHA_1_160 = 1;
    /** HMAC-SHA-256 with its full 256-bit output (RFC 6043 6.2; value UNVERIFIED). */
    public static final int HMAC_SHA_256_256 = 2;

    public static boolean known(int algorithm) {
        return algorithm >= NULL && algorithm <= HMAC_SHA_256_256;
    }

    /** The JCA name of the HMAC, for the non-NULL algorithms. */
    public static String jcaName(int algorithm) {
        return switch (algorithm) {
            case HMAC_SHA_1_160 -> "HmacSHA1";
            case HMAC_SHA_256_256 -> "HmacSHA256";
            default -> throw new IllegalArgumentException("MAC algorithm " + algorithm + " has no HMAC");
        };
    }

    /** The MAC length in bytes; an algorithm we do not know is refused. */
    public static int length(int algorithm) {
        return switch (algorithm) {
            case NULL -> 0;
            case HMAC_SHA_1_160 -> 20;
            case HMAC_SHA_256_256 -> 32;
            default -> throw new IllegalArgumentException("MAC algorithm " + algorithm + " is not supported");
        };
    }
}
