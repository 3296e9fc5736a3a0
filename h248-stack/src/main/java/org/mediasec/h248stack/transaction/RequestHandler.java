package org.mediasec.h248stack.transaction;

import java.util.concurrent.CompletionStage;
import org.mediasec.h248.message.Transaction;

/**
 * The application side of an H.248 association (like the request callback of Erlang megaco's user module, but
 * typed): it gets each new request once, and answers with a reply, now or later. The engine handles duplicates,
 * TransactionPending and the reply cache; the transaction ID of the answer is set by the engine.
 */
@FunctionalInterface
public interface RequestHandler {

    CompletionStage<Transaction.TransactionReply> onTransactionRequest(Transaction.TransactionRequest request);
}
