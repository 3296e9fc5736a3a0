package org.mediasec.h248.message;

import java.util.List;
import java.util.Optional;

/** Annex B: {@code transactionList = 1*( transactionRequest / transactionReply / transactionPending / transactionResponseAck )}. */
public sealed interface Transaction {

    /** {@code Transaction = id { actionRequest *(, actionRequest) }}; the ID is a UINT32. */
    record TransactionRequest(long transactionId, List<ActionRequest> actions) implements Transaction {
        public TransactionRequest {
            Values.uint32(transactionId, "TransactionID");
            actions = List.copyOf(actions);
        }
    }

    /**
     * {@code Reply = id { [ImmAckRequired ,] ( errorDescriptor / actionReplyList ) }}: exactly one of
     * {@code error} and a non-empty {@code actions}.
     */
    record TransactionReply(long transactionId, boolean immAckRequired, Optional<ErrorDescriptor> error, List<ActionReply> actions)
            implements Transaction {
        public TransactionReply {
            Values.uint32(transactionId, "TransactionID");
            actions = List.copyOf(actions);
            if (error.isPresent() == !actions.isEmpty()) {
                throw new IllegalArgumentException("a reply holds either an error or action replies");
            }
        }

        public static TransactionReply of(long transactionId, List<ActionReply> actions) {
            return new TransactionReply(transactionId, false, Optional.empty(), actions);
        }

        public static TransactionReply error(long transactionId, ErrorDescriptor error) {
            return new TransactionReply(transactionId, false, Optional.of(error), List.of());
        }
    }

    /** {@code Pending = id { }}: the request is being worked on (H.248.1 8.2.3). */
    record TransactionPending(long transactionId) implements Transaction {
        public TransactionPending {
            Values.uint32(transactionId, "TransactionID");
        }
    }

    /** {@code TransactionResponseAck { 1, 3-7 }}. */
    record TransactionResponseAck(List<AckRange> acknowledged) implements Transaction {
        public TransactionResponseAck {
            acknowledged = List.copyOf(acknowledged);
            if (acknowledged.isEmpty()) {
                throw new IllegalArgumentException("TransactionResponseAck needs at least one transaction ID");
            }
        }
    }

    /** {@code transactionAck = TransactionID / (TransactionID "-" TransactionID)}. */
    record AckRange(long first, long last) {
        public AckRange {
            Values.uint32(first, "TransactionID");
            Values.uint32(last, "TransactionID");
        }

        public static AckRange of(long transactionId) {
            return new AckRange(transactionId, transactionId);
        }
    }
}
