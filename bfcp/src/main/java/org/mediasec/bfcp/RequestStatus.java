package org.mediasec.bfcp;

import java.util.Optional;

/** REQUEST-STATUS values (RFC 8855 5.2.5, table 4). */
public enum RequestStatus {
    PENDING(1),
    ACCEPTED(2),
    GRANTED(3),
    DENIED(4),
    CANCELLED(5),
    RELEASED(6),
    REVOKED(7);

    private final int code;

    RequestStatus(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** Denied, Cancelled, Released and Revoked end a floor request (RFC 8855 9). */
    public boolean terminal() {
        return code >= DENIED.code;
    }

    public static Optional<RequestStatus> of(int code) {
        return code >= 1 && code <= 7 ? Optional.of(values()[code - 1]) : Optional.empty();
    }
}
