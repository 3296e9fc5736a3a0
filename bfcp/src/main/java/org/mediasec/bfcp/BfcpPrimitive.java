package org.mediasec.bfcp;

import java.util.Optional;

/** The BFCP primitives (RFC 8855 5.1, table 1), with their wire codes. */
public enum BfcpPrimitive {
    FLOOR_REQUEST(1, "FloorRequest"),
    FLOOR_RELEASE(2, "FloorRelease"),
    FLOOR_REQUEST_QUERY(3, "FloorRequestQuery"),
    FLOOR_REQUEST_STATUS(4, "FloorRequestStatus"),
    USER_QUERY(5, "UserQuery"),
    USER_STATUS(6, "UserStatus"),
    FLOOR_QUERY(7, "FloorQuery"),
    FLOOR_STATUS(8, "FloorStatus"),
    CHAIR_ACTION(9, "ChairAction"),
    CHAIR_ACTION_ACK(10, "ChairActionAck"),
    HELLO(11, "Hello"),
    HELLO_ACK(12, "HelloAck"),
    ERROR(13, "Error"),
    FLOOR_REQUEST_STATUS_ACK(14, "FloorRequestStatusAck"),
    ERROR_ACK(15, "ErrorAck"),
    FLOOR_STATUS_ACK(16, "FloorStatusAck"),
    GOODBYE(17, "Goodbye"),
    GOODBYE_ACK(18, "GoodbyeAck");

    private static final BfcpPrimitive[] BY_CODE = new BfcpPrimitive[19];

    static {
        for (BfcpPrimitive primitive : values()) {
            BY_CODE[primitive.code] = primitive;
        }
    }

    private final int code;
    private final String rfcName;

    BfcpPrimitive(int code, String rfcName) {
        this.code = code;
        this.rfcName = rfcName;
    }

    public int code() {
        return code;
    }

    /** The name RFC 8855 spells (FloorRequest, HelloAck, ...). */
    public String rfcName() {
        return rfcName;
    }

    public static Optional<BfcpPrimitive> of(int code) {
        return code > 0 && code < BY_CODE.length ? Optional.of(BY_CODE[code]) : Optional.empty();
    }

    /** The acknowledgements that exist only over unreliable transports (RFC 8855 6.2); never sent over TCP. */
    public boolean unreliableOnly() {
        return this == FLOOR_REQUEST_STATUS_ACK || this == ERROR_ACK || this == FLOOR_STATUS_ACK;
    }

    /** Sent by a floor control server to a client, never the other way (RFC 8855 4). */
    public boolean sentByServer() {
        return switch (this) {
            case FLOOR_REQUEST_STATUS, USER_STATUS, FLOOR_STATUS, CHAIR_ACTION_ACK, HELLO_ACK, ERROR, GOODBYE_ACK -> true;
            default -> false;
        };
    }
}
