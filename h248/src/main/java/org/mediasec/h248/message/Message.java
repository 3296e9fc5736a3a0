package org.mediasec.h248.message;

import java.util.List;

/**
 * One H.248.1 message (Annex B: {@code message = MegacopToken SLASH Version SEP mId SEP messageBody}).
 *
 * @param version protocol version 1 to 3, from the header; it decides which constructs are allowed
 * @param mId the sender's message identifier
 * @param body a list of transactions, or a message-level error
 */
public record Message(int version, MessageId mId, MessageBody body) {

    public Message {
        if (version < 1 || version > 99) {
            throw new IllegalArgumentException("version " + version);
        }
    }

    public static Message of(int version, MessageId mId, List<? extends Transaction> transactions) {
        return new Message(version, mId, new MessageBody.Transactions(List.copyOf(transactions)));
    }

    /** The transactions of the message (empty when the body is a message-level error). */
    public List<Transaction> transactions() {
        return body instanceof MessageBody.Transactions t ? t.transactions() : List.of();
    }
}
