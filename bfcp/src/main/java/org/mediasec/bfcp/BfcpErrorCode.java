package org.mediasec.bfcp;

import java.util.Optional;

/** ERROR-CODE values (RFC 8855 5.2.6, table 5). */
public enum BfcpErrorCode {
    CONFERENCE_DOES_NOT_EXIST(1),
    USER_DOES_NOT_EXIST(2),
    UNKNOWN_PRIMITIVE(3),
    UNKNOWN_MANDATORY_ATTRIBUTE(4),
    UNAUTHORIZED_OPERATION(5),
    INVALID_FLOOR_ID(6),
    FLOOR_REQUEST_ID_DOES_NOT_EXIST(7),
    MAX_ONGOING_FLOOR_REQUESTS_REACHED(8),
    USE_TLS(9),
    UNABLE_TO_PARSE_MESSAGE(10),
    USE_DTLS(11),
    UNSUPPORTED_VERSION(12),
    INCORRECT_MESSAGE_LENGTH(13),
    GENERIC_ERROR(14);

    private final int code;

    BfcpErrorCode(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public static Optional<BfcpErrorCode> of(int code) {
        for (BfcpErrorCode value : values()) {
            if (value.code == code) {
                return Optional.of(value);
            }
        }
        return Optional.empty();
    }
}
