package org.mediasec.h248;

import java.util.OptionalLong;

/**
 * A message that does not follow H.248.1 Annex B, with where and why, and the H.248.8 error code the receiver
 * answers with: 400 for the message header and structure, 403/404/405 inside a TransactionRequest/Reply/Pending,
 * 406 for a version this codec does not speak. The transaction ID is given when it was read before the error, so
 * that a stack can answer that transaction with an error reply (H.248.1 8.2.2).
 */
public final class H248SyntaxError extends Exception {

    private static final long serialVersionUID = 1L;

    private final int line;
    private final int column;
    private final int offset;
    private final String token;
    private final transient ErrorCode errorCode;
    private final long transactionId;
    private final String reason;

    public H248SyntaxError(ErrorCode errorCode, int line, int column, int offset, String token, OptionalLong transactionId, String reason) {
        super(line + ":" + column + ": error " + errorCode.code() + " (" + errorCode.reason() + "): " + reason
                + (token.isEmpty() ? "" : ", found '" + token + "'"));
        this.errorCode = errorCode;
        this.line = line;
        this.column = column;
        this.offset = offset;
        this.token = token;
        this.transactionId = transactionId.orElse(-1);
        this.reason = reason;
    }

    /** 1-based line of the offending token. */
    public int line() {
        return line;
    }

    /** 1-based column (in bytes) of the offending token. */
    public int column() {
        return column;
    }

    /** 0-based byte offset of the offending token. */
    public int offset() {
        return offset;
    }

    /** The offending text (at most 40 printable characters; empty at the end of the input). */
    public String token() {
        return token;
    }

    public ErrorCode errorCode() {
        return errorCode;
    }

    /** What was expected or what is wrong, without position. */
    public String reason() {
        return reason;
    }

    /** The ID of the transaction in which the error was found, when it could be read. */
    public OptionalLong transactionId() {
        return transactionId < 0 ? OptionalLong.empty() : OptionalLong.of(transactionId);
    }
}
