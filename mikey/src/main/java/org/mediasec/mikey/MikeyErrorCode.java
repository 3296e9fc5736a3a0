package org.mediasec.mikey;

/**
 * The Error payload's codes (RFC 3830 6.12; values checked against tshark 4.0's MIKEY dissector). A message that
 * cannot be processed is answered with an Error message carrying one of these, or dropped where the RFC says so.
 */
public enum MikeyErrorCode {
    AUTHENTICATION_FAILURE(0),
    INVALID_TIMESTAMP(1),
    INVALID_PRF(2),
    INVALID_MAC(3),
    INVALID_ENCRYPTION_ALGORITHM(4),
    INVALID_HASH_ALGORITHM(5),
    INVALID_DH_GROUP(6),
    INVALID_ID(7),
    INVALID_CERTIFICATE(8),
    INVALID_SECURITY_POLICY(9),
    INVALID_SECURITY_POLICY_PARAMETER(10),
    INVALID_DATA_TYPE(11),
    UNSPECIFIED(12);

    private final int code;

    MikeyErrorCode(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** The code's name, or empty for a value RFC 3830 does not define. */
    public static java.util.Optional<MikeyErrorCode> of(int code) {
        for (MikeyErrorCode error : values()) {
            if (error.code == code) {
                return java.util.Optional.of(error);
            }
        }
        return java.util.Optional.empty();
    }
}
