package org.mediasec.kms.admin;

/** An admin request or reply that does not parse: where (byte offset) and why; answered {@code bad-request}. */
public final class AdminProtocolException extends Exception {

    private static final long serialVersionUID = 1L;

    private final int offset;

    public AdminProtocolException(int offset, String reason) {
        super("admin protocol, byte " + offset + ": " + reason);
        this.offset = offset;
    }

    public int offset() {
        return offset;
    }
}
