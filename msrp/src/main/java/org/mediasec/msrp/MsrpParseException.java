package org.mediasec.msrp;

/**
 * Bad MSRP input: a frame, a header or a URI that does not follow RFC 4975 section 9. Carries the byte offset in
 * the input where the problem was found and the MSRP status code a receiver answers with (400 for a malformed
 * request, RFC 4975 7.3 and 10; 413 when a frame is larger than this receiver accepts).
 */
public final class MsrpParseException extends Exception {

    private static final long serialVersionUID = 1L;

    private final long offset;
    private final int statusCode;

    public MsrpParseException(long offset, int statusCode, String reason) {
        super("offset " + offset + ": " + statusCode + " " + reason);
        this.offset = offset;
        this.statusCode = statusCode;
    }

    public MsrpParseException(long offset, String reason) {
        this(offset, 400, reason);
    }

    /** Bytes from the start of the input (for a stream: from the start of the connection). */
    public long offset() {
        return offset;
    }

    /** The MSRP status code to answer with where an answer is due (RFC 4975 10). */
    public int statusCode() {
        return statusCode;
    }
}
