package org.mediasec.h248stack.association;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.mediasec.h248.ErrorCode;
import org.mediasec.h248.message.ActionReply;
import org.mediasec.h248.message.ActionRequest;
import org.mediasec.h248.message.Command;
import org.mediasec.h248.message.CommandReply;
import org.mediasec.h248.message.CommandRequest;
import org.mediasec.h248.message.ContextId;
import org.mediasec.h248.message.ErrorDescriptor;
import org.mediasec.h248.message.Transaction;
import org.mediasec.h248stack.transaction.RequestHandler;

/**
 * What an MGC application hears from a registered MG, one typed callback per command an MG may send (H.248.1 7.2):
 * Notify (events it was asked to report) and ServiceChange on terminations (ServiceChange on ROOT is registration,
 * handled by {@link MgcRegistrar}). Each callback answers with an error for that command, or none. Commands an MG
 * has no business sending to its MGC (Add, Modify, …) are answered with 443 "Unsupported or unknown command"
 * without reaching the application. Use {@link #handler} as the registrar's application.
 */
public interface MgcUser {

    /** An MG reports observed events on a termination; the reply carries the error returned, if any. */
    Optional<ErrorDescriptor> onNotify(ContextId context, Command.Notify notify);

    /** An MG takes a termination out of service or back (Forced, Graceful, Restart…). */
    default Optional<ErrorDescriptor> onServiceChange(ContextId context, Command.ServiceChange change) {
        return Optional.empty();
    }

    /** The request handler that dispatches a transaction's commands to {@code user}, in order. */
    static RequestHandler handler(MgcUser user) {
        return request -> dispatch(user, request);
    }

    private static CompletionStage<Transaction.TransactionReply> dispatch(MgcUser user, Transaction.TransactionRequest request) {
        List<ActionReply> actions = new ArrayList<>();
        for (ActionRequest action : request.actions()) {
            List<CommandReply> replies = new ArrayList<>();
            for (CommandRequest command : action.commands()) {
                CommandReply reply = switch (command.command()) {
                    case Command.Notify notify -> new CommandReply.NotifyReply(notify.terminationId(), user.onNotify(action.contextId(), notify));
                    case Command.ServiceChange change -> new CommandReply.ServiceChangeReply(change.terminationId(),
                            user.onServiceChange(action.contextId(), change), Optional.empty());
                    default -> null;
                };
                if (reply == null) {
                    // H.248.1 7.2: only Notify and ServiceChange go from MG to MGC
                    actions.add(new ActionReply(action.contextId(), List.of(), replies,
                            Optional.of(ErrorDescriptor.of(ErrorCode.UNSUPPORTED_COMMAND, command.command().getClass().getSimpleName() + " from an MG"))));
                    replies = null;
                    break;
                }
                replies.add(reply);
            }
            if (replies != null) {
                actions.add(ActionReply.of(action.contextId(), replies));
            }
        }
        return CompletableFuture.completedFuture(Transaction.TransactionReply.of(request.transactionId(), actions));
    }
}
