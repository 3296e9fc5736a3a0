package org.mediasec.h248.message;

import java.util.List;

/** Annex B: {@code messageBody = ( errorDescriptor / transactionList )}. */
public sealed interface MessageBody {

    record Transactions(List<Transaction> transactions) implements MessageBody {
        public Transactions {
            transactions = List.copyOf(transactions);
            if (transactions.isEmpty()) {
                throw new IllegalArgumentException("a transaction list holds at least one transaction");
            }
        }
    }

    record MessageError(ErrorDescriptor error) implements MessageBody {}
}
