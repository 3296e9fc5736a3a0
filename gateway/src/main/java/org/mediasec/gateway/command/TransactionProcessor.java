package org.mediasec.gateway.command;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import org.mediasec.gateway.GatewayConfig;
import org.mediasec.gateway.context.ContextTable;
import org.mediasec.gateway.context.MediaServices;
import org.mediasec.h248.ErrorCode;
import org.mediasec.h248.message.ActionReply;
import org.mediasec.h248.message.ActionRequest;
import org.mediasec.h248.message.ErrorDescriptor;
import org.mediasec.h248.message.Transaction;
import org.mediasec.h248stack.client.InSequence;
import org.mediasec.h248stack.transaction.RequestHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A transaction's actions, one after the other (H.248.1 8: "the actions of a transaction are executed in order"),
 * each answered in the reply even when an earlier one failed (7.1). A failure that is not a command's refusal is
 * our bug: logged at error level, answered 500 for its action only. Thread-safe; the reply may complete on any
 * thread (the transaction engine hands it to its own).
 */
public final class TransactionProcessor implements RequestHandler {

    private static final Logger LOG = LoggerFactory.getLogger(TransactionProcessor.class);

    private final ActionProcessor actions;

    public TransactionProcessor(GatewayConfig config, ContextTable contexts, MediaServices services) {
        this.actions = new ActionProcessor(new CommandEnvironment(config, contexts, services));
    }

    @Override
    public CompletionStage<Transaction.TransactionReply> onTransactionRequest(Transaction.TransactionRequest request) {
        return InSequence.map(request.actions(), action -> actions.execute(action).exceptionally(failure -> unexpected(request, action, failure)))
                .thenApply(replies -> Transaction.TransactionReply.of(request.transactionId(), replies));
    }

    private static ActionReply unexpected(Transaction.TransactionRequest request, ActionRequest action, Throwable failure) {
        Throwable cause = failure.getCause() != null && failure instanceof java.util.concurrent.CompletionException ? failure.getCause() : failure;
        if (cause instanceof RejectedExecutionException) {
            // the context's event loop no longer runs tasks: the gateway is shutting down
            return new ActionReply(action.contextId(), List.of(), List.of(),
                    Optional.of(ErrorDescriptor.of(ErrorCode.INSUFFICIENT_RESOURCES, "the gateway is shutting down")));
        }
        LOG.atError().setCause(cause).addKeyValue("transaction", request.transactionId()).addKeyValue("context", action.contextId())
                .log("internal error while executing an action");
        return new ActionReply(action.contextId(), List.of(), List.of(),
                Optional.of(ErrorDescriptor.of(ErrorCode.INTERNAL_SOFTWARE_FAILURE, "internal error in the MG (logged)")));
    }
}
