package org.mediasec.h248stack.client;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.mediasec.h248.message.ActionReply;
import org.mediasec.h248.message.ActionRequest;
import org.mediasec.h248.message.Command;
import org.mediasec.h248.message.CommandReply;
import org.mediasec.h248.message.CommandRequest;
import org.mediasec.h248.message.ContextId;
import org.mediasec.h248.message.Descriptor;
import org.mediasec.h248.message.ServiceChangeParameter;
import org.mediasec.h248.message.TerminationId;
import org.mediasec.h248.message.Transaction;

/**
 * Typed commands over an association: one command per transaction, its reply typed, an Error descriptor turned into
 * a failed future ({@link CommandFailedException}), a missing reply into the engine's TransactionException. The
 * context the MG chose comes back with the reply ({@link Result#contextId()}).
 */
public final class CommandClient {

    /** A command's reply and the context it ran in (for Add with CHOOSE: the context the MG created). */
    public record Result<R extends CommandReply>(ContextId contextId, R reply) {}

    /** The replies of an action's commands, in order, and the context the action ran in. */
    public record ActionResult(ContextId contextId, List<CommandReply> replies) {}

    private final Function<List<ActionRequest>, CompletableFuture<Transaction.TransactionReply>> transport;

    /** @param transport sends one transaction's actions to the peer, e.g. {@code actions -> endpoint.request(peer, actions)} */
    public CommandClient(Function<List<ActionRequest>, CompletableFuture<Transaction.TransactionReply>> transport) {
        this.transport = transport;
    }

    public CompletableFuture<Result<CommandReply.AddReply>> add(ContextId context, TerminationId termination, List<Descriptor> descriptors) {
        return send(context, new Command.Add(termination, descriptors), CommandReply.AddReply.class);
    }

    public CompletableFuture<Result<CommandReply.ModifyReply>> modify(ContextId context, TerminationId termination, List<Descriptor> descriptors) {
        return send(context, new Command.Modify(termination, descriptors), CommandReply.ModifyReply.class);
    }

    public CompletableFuture<Result<CommandReply.SubtractReply>> subtract(ContextId context, TerminationId termination, Optional<Descriptor.AuditDescriptor> audit) {
        return send(context, new Command.Subtract(termination, audit), CommandReply.SubtractReply.class);
    }

    public CompletableFuture<Result<CommandReply.AuditReply>> auditValue(ContextId context, TerminationId termination, Descriptor.AuditDescriptor audit) {
        return send(context, new Command.AuditValue(termination, Optional.of(audit)), CommandReply.AuditReply.class);
    }

    public CompletableFuture<Result<CommandReply.NotifyReply>> notify(ContextId context, TerminationId termination, Descriptor.ObservedEventsDescriptor events) {
        return send(context, new Command.Notify(termination, events, Optional.empty()), CommandReply.NotifyReply.class);
    }

    /**
     * Several commands in one action, one transaction (H.248.1 7.1: executed in order, stopping at the first
     * failure), e.g. the two Adds of a context. Completes with the replies in order when every command succeeded;
     * fails with the first error (a command before it may have succeeded: the MG keeps what it did).
     */
    public CompletableFuture<ActionResult> action(ContextId context, List<Command> commands) {
        return transport.apply(List.of(ActionRequest.of(context, commands.stream().map(CommandRequest::of).toList()))).thenCompose(reply -> {
            if (reply.error().isPresent()) {
                return CompletableFuture.failedFuture(new CommandFailedException(reply.error().get()));
            }
            ActionReply action = reply.actions().get(0);
            for (CommandReply commandReply : action.replies()) {
                Optional<org.mediasec.h248.message.ErrorDescriptor> error = error(commandReply);
                if (error.isPresent()) {
                    return CompletableFuture.failedFuture(new CommandFailedException(error.get()));
                }
            }
            if (action.error().isPresent()) {
                return CompletableFuture.failedFuture(new CommandFailedException(action.error().get()));
            }
            if (action.replies().size() != commands.size()) {
                return CompletableFuture.failedFuture(new IllegalStateException(commands.size() + " commands, " + action.replies().size() + " replies: " + action));
            }
            return CompletableFuture.completedFuture(new ActionResult(action.contextId(), action.replies()));
        });
    }

    /** ServiceChange on a termination or ROOT, e.g. an MGC's Forced or Graceful (H.248.1 7.2.8). */
    public CompletableFuture<Result<CommandReply.ServiceChangeReply>> serviceChange(TerminationId termination,
            ServiceChangeParameter.ServiceChangeMethod method, String reason, List<ServiceChangeParameter> more) {
        List<ServiceChangeParameter> parameters = new java.util.ArrayList<>();
        parameters.add(ServiceChangeParameter.Method.of(method));
        parameters.add(new ServiceChangeParameter.Reason(reason));
        parameters.addAll(more);
        return send(ContextId.NULL, new Command.ServiceChange(termination, new Descriptor.ServiceChangeDescriptor(parameters)),
                CommandReply.ServiceChangeReply.class);
    }

    private <R extends CommandReply> CompletableFuture<Result<R>> send(ContextId context, Command command, Class<R> expected) {
        return transport.apply(List.of(ActionRequest.of(context, List.of(CommandRequest.of(command))))).thenCompose(reply -> {
            if (reply.error().isPresent()) {
                return CompletableFuture.failedFuture(new CommandFailedException(reply.error().get()));
            }
            ActionReply action = reply.actions().get(0);
            if (action.error().isPresent() && action.replies().isEmpty()) {
                return CompletableFuture.failedFuture(new CommandFailedException(action.error().get()));
            }
            Optional<R> typed = action.replies().stream().filter(expected::isInstance).map(expected::cast).findFirst();
            Optional<org.mediasec.h248.message.ErrorDescriptor> commandError = typed.flatMap(CommandClient::error);
            if (typed.isEmpty()) {
                return CompletableFuture.failedFuture(new IllegalStateException("reply without " + expected.getSimpleName() + ": " + action));
            }
            if (commandError.isPresent()) {
                return CompletableFuture.failedFuture(new CommandFailedException(commandError.get()));
            }
            return CompletableFuture.completedFuture(new Result<>(action.contextId(), typed.get()));
        });
    }

    /** An error inside a command reply (Notify/ServiceChange replies carry one directly; others as a descriptor). */
    private static Optional<org.mediasec.h248.message.ErrorDescriptor> error(CommandReply reply) {
        return switch (reply) {
            case CommandReply.NotifyReply notify -> notify.error();
            case CommandReply.ServiceChangeReply change -> change.error();
            case CommandReply.AmmsReply amms -> amms.descriptors().stream().filter(org.mediasec.h248.message.ErrorDescriptor.class::isInstance)
                    .map(org.mediasec.h248.message.ErrorDescriptor.class::cast).findFirst();
            case CommandReply.AuditValueReply audit -> audit.descriptors().stream().filter(org.mediasec.h248.message.ErrorDescriptor.class::isInstance)
                    .map(org.mediasec.h248.message.ErrorDescriptor.class::cast).findFirst();
            case CommandReply.AuditCapabilitiesReply audit -> audit.descriptors().stream().filter(org.mediasec.h248.message.ErrorDescriptor.class::isInstance)
                    .map(org.mediasec.h248.message.ErrorDescriptor.class::cast).findFirst();
            case CommandReply.ContextTerminationAudit audit -> audit.error();
        };
    }
}
