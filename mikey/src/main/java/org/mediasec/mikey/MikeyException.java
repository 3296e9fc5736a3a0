package org.mediasec.mikey;

/**
 * A MIKEY message that cannot be accepted: where (byte offset in the message), why, and the Error payload code to
 * answer with (RFC 3830 5.1.2: the responder answers with an Error message, or drops an unauthenticated one).
 */
public final class MikeyException extends Exception {

    private static final long serialVersionUID = 1L;

    private final int offset;
    private final MikeyErrorCode error;

    public MikeyException(int offset, MikeyErrorCode error, String message) {
        super("MIKEY at byte " + offset + ": " + message + " (" + error + ")");
        this.offset = offset;
        this.error = error;
    }

    public int offset() {
        return offset;
    }

    public MikeyErrorCode error() {
        return error;
    }
}
