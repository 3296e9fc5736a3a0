package org.mediasec.ng;

/** An ng message that cannot be read: why, and the byte offset (in the document, or the datagram for cookies). */
public final class NgParseException extends Exception {

    private static final long serialVersionUID = 1L;

    private final int offset;
    private final NgParseError error;

    public NgParseException(int offset, NgParseError error) {
        this(offset, error, error.description());
    }

    public NgParseException(int offset, NgParseError error, String detail) {
        super(detail + " at offset " + offset);
        this.offset = offset;
        this.error = error;
    }

    public int offset() {
        return offset;
    }

    public NgParseError error() {
        return error;
    }
}
