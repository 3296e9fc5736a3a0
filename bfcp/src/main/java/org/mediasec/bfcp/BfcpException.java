package org.mediasec.bfcp;

import java.util.List;
import java.util.Optional;

/**
 * A BFCP message that cannot be accepted: where (byte offset in the message), why, and the ERROR-CODE to answer
 * with (RFC 8855 13). When the common header could be read, {@link #header()} gives what the Error answers
 * (conference, transaction and user IDs); {@link #unknownMandatoryAttributes()} lists the types behind error 4.
 */
public final class BfcpException extends Exception {

    private static final long serialVersionUID = 1L;

    /** The common header's identifiers, as far as they were read. */
    public record Header(int version, int primitive, long conferenceId, int transactionId, int userId) {}

    private final int offset;
    private final BfcpErrorCode error;
    private final transient Optional<Header> header;
    private final List<Integer> unknownMandatoryAttributes;

    public BfcpException(int offset, BfcpErrorCode error, String message, Optional<Header> header, List<Integer> unknownMandatoryAttributes) {
        super("BFCP at byte " + offset + ": " + message + " (error " + error.code() + " " + error + ")");
        this.offset = offset;
        this.error = error;
        this.header = header;
        this.unknownMandatoryAttributes = List.copyOf(unknownMandatoryAttributes);
    }

    public int offset() {
        return offset;
    }

    public BfcpErrorCode error() {
        return error;
    }

    public Optional<Header> header() {
        return header;
    }

    public List<Integer> unknownMandatoryAttributes() {
        return unknownMandatoryAttributes;
    }

    /**
     * The Error message that answers the refused message, when its header was readable (without it there is no
     * transaction to answer, RFC 8855 13, and the connection is closed instead).
     */
    public Optional<BfcpMessage> errorReply() {
        return header.map(h -> {
            BfcpAttribute.ErrorCode code = error == BfcpErrorCode.UNKNOWN_MANDATORY_ATTRIBUTE
                    ? BfcpAttribute.ErrorCode.unknownMandatoryAttributes(unknownMandatoryAttributes)
                    : BfcpAttribute.ErrorCode.of(error);
            String info = getMessage().length() > 200 ? getMessage().substring(0, 200) : getMessage();
            return BfcpMessage.of(BfcpPrimitive.ERROR, h.conferenceId(), h.transactionId(), h.userId(), code, new BfcpAttribute.ErrorInfo(info));
        });
    }
}
