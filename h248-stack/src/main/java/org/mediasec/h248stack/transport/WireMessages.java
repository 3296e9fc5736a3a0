package org.mediasec.h248stack.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import java.util.List;
import org.mediasec.h248.ErrorCode;
import org.mediasec.h248.H248SyntaxError;
import org.mediasec.h248.message.ErrorDescriptor;
import org.mediasec.h248.message.Message;
import org.mediasec.h248.message.MessageBody;
import org.mediasec.h248.message.MessageId;
import org.mediasec.h248.message.Transaction;
import org.mediasec.h248.text.H248TextWriter;
import org.mediasec.h248.text.TextStyle;

/** What both transports put on the wire: our messages in compact text, and the answers to bad input. */
final class WireMessages {

    private final MessageId mId;
    private final int version;

    WireMessages(MessageId mId, int version) {
        this.mId = mId;
        this.version = version;
    }

    Message wrap(Transaction transaction) {
        return wrap(List.of(transaction));
    }

    /** One message carrying {@code transactions}, in order (H.248.1 D.1.4: e.g. a TransactionResponseAck riding on a request). */
    Message wrap(List<Transaction> transactions) {
        return new Message(version, mId, new MessageBody.Transactions(transactions));
    }

    ByteBuf encode(ByteBufAllocator allocator, Message message) {
        StringBuilder text = new StringBuilder(256);
        H248TextWriter.write(message, TextStyle.COMPACT, text);
        return ByteBufUtil.writeUtf8(allocator, text);
    }

    /** The answer to a message that did not parse: its H.248.8 code, in the transaction when its ID was read. */
    Message answerTo(H248SyntaxError error) {
        ErrorDescriptor descriptor = ErrorDescriptor.of(error.errorCode(), error.reason());
        return error.transactionId().isPresent()
                ? wrap(Transaction.TransactionReply.error(error.transactionId().getAsLong(), descriptor))
                : new Message(version, mId, new MessageBody.MessageError(descriptor));
    }

    /** The answer to a peer that is not configured (H.248.8 402). */
    Message unauthorized() {
        return new Message(version, mId, new MessageBody.MessageError(ErrorDescriptor.of(ErrorCode.UNAUTHORIZED)));
    }
}
