package org.mediasec.mikey;

/** The MAC algorithms of KEMAC and V (RFC 3830 6.2, 6.9; values checked against tshark 4.0). */
public final class MacAlgorithm {

    private MacAlgorithm() {}

    public static final int NULL = 0;
    /** HMAC-SHA-1 with its full 160-bit output (RFC 3830 4.2.4). */
    public static final int HMAC_SHA_1_160 = 1;

    /** The MAC length in bytes; an algorithm we do not know is refused. */
    public static int length(int algorithm) {
        return switch (algorithm) {
            case NULL -> 0;
            case HMAC_SHA_1_160 -> 20;
            default -> throw new IllegalArgumentException("MAC algorithm " + algorithm + " is not supported");
        };
    }
}
