package org.mediasec.bfcp;

import java.util.List;
import java.util.Optional;

/**
 * A BFCP message (RFC 8855 5): the common header and the attributes in order. Over TCP and TLS the version is 1
 * and neither the R nor the F bit is set (RFC 8855 5.1), so the record has no place for them.
 *
 * @param transactionId 0 in messages that answer nothing and expect no answer: a server's notifications over a
 *     reliable transport (RFC 8855 8)
 */
public record BfcpMessage(int version, BfcpPrimitive primitive, long conferenceId, int transactionId, int userId,
        List<BfcpAttribute> attributes) {

    /** The version for reliable transports (RFC 8855 5.1). */
    public static final int VERSION_RELIABLE = 1;

    public BfcpMessage {
        Checks.range(version, 1, 7, "version");
        Checks.range(conferenceId, 0, 0xffffffffL, "Conference ID");
        Checks.unsigned16(transactionId, "Transaction ID");
        Checks.unsigned16(userId, "User ID");
        attributes = List.copyOf(attributes);
    }

    public static BfcpMessage of(BfcpPrimitive primitive, long conferenceId, int transactionId, int userId, BfcpAttribute... attributes) {
        return new BfcpMessage(VERSION_RELIABLE, primitive, conferenceId, transactionId, userId, List.of(attributes));
    }

    public <T extends BfcpAttribute> Optional<T> first(Class<T> kind) {
        return attributes.stream().filter(kind::isInstance).map(kind::cast).findFirst();
    }

    public <T extends BfcpAttribute> List<T> all(Class<T> kind) {
        return attributes.stream().filter(kind::isInstance).map(kind::cast).toList();
    }

    /** An Error answering this message (RFC 8855 13: same conference, transaction and user). */
    public BfcpMessage error(BfcpErrorCode code, String info) {
        return of(BfcpPrimitive.ERROR, conferenceId, transactionId, userId, BfcpAttribute.ErrorCode.of(code), new BfcpAttribute.ErrorInfo(info));
    }

    @Override
    public String toString() {
        return primitive.rfcName() + "[conf=" + conferenceId + " tid=" + transactionId + " user=" + userId + " " + attributes + "]";
    }
}
