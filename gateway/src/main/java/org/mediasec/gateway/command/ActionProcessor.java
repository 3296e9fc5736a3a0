package org.mediasec.gateway.command;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.mediasec.gateway.GatewayError;
import org.mediasec.gateway.context.GatewayContext;
import org.mediasec.gateway.context.Termination;
import org.mediasec.h248.ErrorCode;
import org.mediasec.h248.message.ActionReply;
import org.mediasec.h248.message.ActionRequest;
import org.mediasec.h248.message.Command;
import org.mediasec.h248.message.CommandReply;
import org.mediasec.h248.message.CommandRequest;
import org.mediasec.h248.message.ContextId;
import org.mediasec.h248.message.ErrorDescriptor;
import org.mediasec.h248.message.TerminationId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One action (H.248.1 7.1): its commands in order on its context, stopping at the first that fails (an optional
 * command's failure does not stop it), the earlier ones' effects kept; CHOOSE ($) creates the context at the first
 * Add; a context left without terminations goes (6.1.1); once the commands ran, the context's bearers whose legs are
 * complete open, and if that fails the action's Adds are undone (a failed Add leaves nothing allocated) and the
 * reply says 510.
 *
 * <p>Concurrency: the action runs on its context's loop, after every action submitted to that context before it
 * ({@link GatewayContext#submit}); actions on other contexts run in parallel. An action that moves terminations in
 * also holds their contexts, taken in ascending ID order so that two Moves can never wait for each other. Actions
 * without a context (NULL, ALL) run on the caller's thread and read only what contexts published.
 */
final class ActionProcessor {

    private static final Logger LOG = LoggerFactory.getLogger(ActionProcessor.class);

    private final CommandEnvironment environment;

    ActionProcessor(CommandEnvironment environment) {
        this.environment = environment;
    }

    CompletableFuture<ActionReply> execute(ActionRequest action) {
        return switch (action.contextId()) {
            case ContextId.Specific specific -> environment.contexts().get(specific.value())
                    .map(context -> onContext(action, context))
                    .orElseGet(() -> CompletableFuture.completedFuture(new ActionReply(action.contextId(), List.of(), List.of(),
                            Optional.of(ErrorDescriptor.of(ErrorCode.UNKNOWN_CONTEXT_ID, "no context " + specific.value())))));
            case ContextId.Choose choose when action.commands().stream().anyMatch(c -> c.command() instanceof Command.Add) -> {
                GatewayContext created = environment.contexts().create(environment.services().plane().nextLoop(),
                        environment.config().profile().newContextMedia(environment.services()));
                yield created.submit(() -> run(action, ActionScope.choosing(created)));
            }
            case ContextId.Choose choose -> run(action, ActionScope.none(action.contextId()));
            case ContextId.Null none -> run(action, ActionScope.none(action.contextId()));
            case ContextId.All all -> run(action, ActionScope.none(action.contextId()));
        };
    }

    private CompletableFuture<ActionReply> onContext(ActionRequest action, GatewayContext context) {
        ActionScope scope = ActionScope.of(action.contextId(), context);
        Set<GatewayContext> sources = action.commands().stream()
                .map(CommandRequest::command).filter(Command.Move.class::isInstance)
                .flatMap(move -> environment.contexts().contextOf(move.terminationId()).stream())
                .filter(source -> source != context)
                .collect(Collectors.toSet());
        if (sources.isEmpty()) {
            return context.submit(() -> run(action, scope));
        }
        scope.hold(sources);
        List<GatewayContext> held = new ArrayList<>(sources);
        held.add(context);
        held.sort(Comparator.comparingLong(GatewayContext::id));
        return holding(held, 0, context, () -> run(action, scope));
    }

    /** Holds {@code contexts} (in their order) and runs {@code work} on {@code home}'s loop while they are held. */
    private static <T> CompletableFuture<T> holding(List<GatewayContext> contexts, int index, GatewayContext home, Supplier<CompletableFuture<T>> work) {
        if (index == contexts.size()) {
            return home.onLoop(work).thenCompose(result -> result);
        }
        return contexts.get(index).submit(() -> holding(contexts, index + 1, home, work));
    }

    /** The commands from the first on, then the context's fate and its bearers. */
    private CompletableFuture<ActionReply> run(ActionRequest action, ActionScope scope) {
        List<CommandReply> replies = new ArrayList<>();
        return runFrom(action.commands(), 0, scope, replies).thenCompose(error -> finish(action, scope, replies, error));
    }

    /** Runs commands from {@code index}; completes with the error that stopped the action, if one did. */
    private CompletableFuture<Optional<ErrorDescriptor>> runFrom(List<CommandRequest> commands, int index, ActionScope scope, List<CommandReply> replies) {
        for (int i = index; i < commands.size(); i++) {
            CommandRequest request = commands.get(i);
            if (request.command() instanceof Command.Move move) {
                int next = i + 1;
                Executor here = scope.context().<Executor>map(GatewayContext::loop).orElse(Runnable::run);
                return MoveCommand.execute(environment, scope, move).handleAsync((reply, failure) -> {
                    if (failure == null) {
                        replies.add(reply);
                        environment.services().metrics().command(move, Optional.empty());
                        return runFrom(commands, next, scope, replies);
                    }
                    GatewayError refused = refusal(failure);
                    environment.services().metrics().command(move, Optional.of(refused.error()));
                    return request.optional() ? runFrom(commands, next, scope, replies) : CompletableFuture.completedFuture(Optional.of(refused.error()));
                }, here).thenCompose(rest -> rest);
            }
            try {
                replies.addAll(dispatch(scope, request.command()));
                environment.services().metrics().command(request.command(), Optional.empty());
            } catch (GatewayError refused) {
                environment.services().metrics().command(request.command(), Optional.of(refused.error()));
                if (!request.optional()) {
                    return CompletableFuture.completedFuture(Optional.of(refused.error()));
                }
            }
        }
        return CompletableFuture.completedFuture(Optional.empty());
    }

    private List<CommandReply> dispatch(ActionScope scope, Command command) throws GatewayError {
        return switch (command) {
            case Command.Add add -> List.of(AddCommand.execute(environment, scope, add));
            case Command.Modify modify -> List.of(ModifyCommand.execute(environment, scope, modify));
            case Command.Subtract subtract -> SubtractCommand.execute(environment, scope, subtract);
            case Command.AuditValue audit -> List.of(AuditCommand.auditValue(environment, scope, audit));
            case Command.AuditCapabilities audit -> List.of(AuditCommand.auditCapabilities(audit));
            case Command.Move move -> throw new IllegalStateException("a Move runs asynchronously (runFrom)");
            case Command.ServiceChange change when change.terminationId().isRoot() ->
                    List.of(new CommandReply.ServiceChangeReply(TerminationId.ROOT, Optional.empty(), Optional.empty()));
            case Command.ServiceChange change -> throw new GatewayError(ErrorCode.COMMAND_NOT_ALLOWED_ON_THIS_TERMINATION,
                    "ServiceChange from the MGC is accepted on ROOT only");
            case Command.Notify notify -> throw new GatewayError(ErrorCode.UNSUPPORTED_COMMAND, "an MG does not accept Notify");
        };
    }

    /** A context without terminations goes; one with terminations is addressable and its complete bearers open. */
    private CompletableFuture<ActionReply> finish(ActionRequest action, ActionScope scope, List<CommandReply> replies, Optional<ErrorDescriptor> error) {
        if (scope.context().isEmpty()) {
            return CompletableFuture.completedFuture(reply(action.contextId(), replies, error));
        }
        GatewayContext context = scope.context().get();
        if (context.terminations().isEmpty()) {
            if (scope.created()) {
                environment.contexts().unreserve();
            } else {
                environment.contexts().remove(context);
                context.media().close(context, "its last termination went");
            }
            return CompletableFuture.completedFuture(reply(action.contextId(), replies, error));
        }
        if (scope.created()) {
            environment.contexts().enter(context);
        }
        ContextId answered = ContextId.of(context.id());
        if (error.isPresent()) {
            return CompletableFuture.completedFuture(reply(answered, replies, error));
        }
        return context.media().open(context).handle((opened, problem) -> problem == null ? reply(answered, replies, Optional.empty())
                : undoAdds(action, scope, context, replies, problem));
    }

    /** The bearer could not be opened (e.g. a port taken meanwhile): the action's Adds go, the context is as before it. */
    private ActionReply undoAdds(ActionRequest action, ActionScope scope, GatewayContext context, List<CommandReply> replies, Throwable problem) {
        List<CommandReply> kept = new ArrayList<>(replies);
        for (Termination added : scope.added()) {
            if (context.termination(added.id()).isPresent()) {
                environment.contexts().displace(context, added);
                context.media().remove(context, added, "its bearer could not be opened");
                kept.removeIf(reply -> reply instanceof CommandReply.AddReply && reply.terminationId().equals(added.id()));
            }
        }
        ContextId answered = ContextId.of(context.id());
        if (context.terminations().isEmpty()) {
            environment.contexts().remove(context);
            context.media().close(context, "its bearer could not be opened");
            answered = action.contextId();
        }
        String reason = rootMessage(problem);
        LOG.atWarn().addKeyValue("context", context.id()).log("bearer could not be opened, the action's Adds are undone: {}", reason);
        return new ActionReply(answered, List.of(), kept, Optional.of(ErrorDescriptor.of(ErrorCode.INSUFFICIENT_RESOURCES,
                "bearer could not be opened: " + reason)));
    }

    private static ActionReply reply(ContextId context, List<CommandReply> replies, Optional<ErrorDescriptor> error) {
        if (replies.isEmpty() && error.isEmpty()) {
            error = Optional.of(ErrorDescriptor.of(ErrorCode.SYNTAX_ERROR_IN_ACTION, "the action holds no command"));
        }
        return new ActionReply(context, List.of(), replies, error);
    }

    /** The command's refusal behind a failed stage; anything else is our bug and goes on as such. */
    private static GatewayError refusal(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (cause instanceof GatewayError refused) {
            return refused;
        }
        throw failure instanceof CompletionException completion ? completion : new CompletionException(failure);
    }

    private static String rootMessage(Throwable problem) {
        Throwable cause = problem;
        while (cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause.getMessage() == null ? cause.toString() : cause.getMessage();
    }
}
