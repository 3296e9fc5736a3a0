package org.mediasec.bearer.msrp;

import java.io.IOException;
import org.mediasec.msrp.MsrpParseException;

/**
 * The peer of an MSRP-aware leg broke the protocol (GW-6): a malformed or oversized frame, or a flood of requests for
 * another session. An {@link IOException}: the peer's fault, not ours; the leg releases its pair as
 * {@code MSRP_ERROR}. Carries the MSRP status code that names the problem (RFC 4975 10: 400, 413).
 */
public final class MsrpStreamException extends IOException {

    private static final long serialVersionUID = 1L;

    private final int statusCode;

    public MsrpStreamException(MsrpParseException cause) {
        super("MSRP " + cause.getMessage(), cause);
        this.statusCode = cause.statusCode();
    }

    public MsrpStreamException(int statusCode, String reason) {
        super("MSRP " + statusCode + " " + reason);
        this.statusCode = statusCode;
    }

    public int statusCode() {
        return statusCode;
    }
}
