package org.mediasec.mikey;

/**
 * HDR (RFC 3830 6.1): version 1, the data type (which message), whether a verification message is requested (V),
 * the PRF (MIKEY-1 0: P-SHA-1; RFC 6043's PRF-HMAC-SHA-256, value UNVERIFIED), the crypto session bundle ID and the
 * crypto session map.
 */
public record CommonHeader(int dataType, boolean verificationRequested, int prf, long cryptoSessionBundleId, CryptoSessionMap map) {

    public static final int VERSION = 1;
    public static final int PRF_MIKEY_1 = 0;
    public static final int PRF_HMAC_SHA_256 = 1; // UNVERIFIED

    public CommonHeader {
        if (dataType < 0 || dataType > 255 || prf < 0 || prf > 127 || cryptoSessionBundleId < 0 || cryptoSessionBundleId > 0xffffffffL) {
            throw new IllegalArgumentException("common header field out of range");
        }
        if (map.sessions() > 255) {
            throw new IllegalArgumentException("more than 255 crypto sessions");
        }
    }
}
