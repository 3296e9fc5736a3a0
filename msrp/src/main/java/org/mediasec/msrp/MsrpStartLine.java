package org.mediasec.msrp;

import java.util.Optional;

/** The first line of an MSRP frame (RFC 4975 9): {@code MSRP tid METHOD} or {@code MSRP tid 200 OK}. */
public sealed interface MsrpStartLine {

    /** Transaction identifier: also closes the frame in its end-line. */
    String transactionId();

    /** {@code MSRP transact-id SP method}: method = 1*UPALPHA (SEND, REPORT, AUTH of RFC 4976, others). */
    record Request(String transactionId, String method) implements MsrpStartLine {}

    /** {@code MSRP transact-id SP status-code [SP comment]}: status-code = 3DIGIT. */
    record Response(String transactionId, int statusCode, Optional<String> comment) implements MsrpStartLine {}
}
