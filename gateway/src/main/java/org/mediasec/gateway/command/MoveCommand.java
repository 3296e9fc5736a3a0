package org.mediasec.gateway.command;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.mediasec.gateway.GatewayError;
import org.mediasec.gateway.context.GatewayContext;
import org.mediasec.gateway.context.Termination;
import org.mediasec.gateway.leg.DescriptorReader;
import org.mediasec.gateway.leg.LegPlanner;
import org.mediasec.gateway.leg.PlannedLeg;
import org.mediasec.gateway.leg.TerminationUpdate;
import org.mediasec.h248.ErrorCode;
import org.mediasec.h248.message.Command;
import org.mediasec.h248.message.CommandReply;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Move (H.248.1 7.2.4): the termination leaves its context (whose bearer, if open, is released: a pair is two legs)
 * and joins the action's context, where a new bearer opens once both legs are known. It keeps its port, SDP and
 * events; descriptors in the Move apply as in a Modify. Both contexts are held by the action (see
 * {@link ActionProcessor}); each one's state is touched on its own loop, in four steps: plan (source), admit
 * (destination), leave (source, once its bearer's sockets are closed), join (destination).
 */
final class MoveCommand {

    private static final Logger LOG = LoggerFactory.getLogger(MoveCommand.class);

    private MoveCommand() {}

    private record Leaving(Termination termination, PlannedLeg planned) {}

    private record Admitted(Leaving leaving, Runnable joined) {}

    static CompletableFuture<CommandReply> execute(CommandEnvironment environment, ActionScope scope, Command.Move move) {
        GatewayContext target;
        GatewayContext source;
        TerminationUpdate update;
        try {
            target = scope.context().orElseThrow(() -> new GatewayError(ErrorCode.UNKNOWN_ACTION, "Move needs an existing destination context, not "
                    + scope.requested()));
            source = environment.contexts().contextOf(move.terminationId())
                    .orElseThrow(() -> new GatewayError(ErrorCode.UNKNOWN_TERMINATION_ID, "no termination " + move.terminationId()));
            target.media().checkMoveIn();
            if (source == target) {
                throw new GatewayError(ErrorCode.TERMINATION_ID_ALREADY_IN_CONTEXT, move.terminationId() + " is already in context " + target.id());
            }
            if (!scope.holds(source)) {
                throw new GatewayError(ErrorCode.UNKNOWN_TERMINATION_ID, move.terminationId() + " moved to another context meanwhile");
            }
            update = DescriptorReader.read(move.descriptors(), environment.config());
        } catch (GatewayError refused) {
            return CompletableFuture.failedFuture(refused);
        }
        return source.onLoop(() -> plan(environment, source, move, update))
                .thenCompose(leaving -> target.onLoop(() -> new Admitted(leaving, admit(target, leaving))))
                .thenCompose(admitted -> source.onLoop(() -> leave(environment, source, admitted.leaving().termination()))
                        .thenCompose(closed -> closed)
                        .thenApply(closed -> admitted))
                .thenCompose(admitted -> target.onLoop(() -> join(environment, target, source, admitted.leaving(), update, admitted.joined())))
                .whenComplete((reply, failure) -> {
                    if (failure != null) {
                        update.wipe();
                    }
                });
    }

    private static Leaving plan(CommandEnvironment environment, GatewayContext source, Command.Move move, TerminationUpdate update) {
        try {
            Termination termination = source.termination(move.terminationId())
                    .orElseThrow(() -> new GatewayError(ErrorCode.UNKNOWN_TERMINATION_ID, "no termination " + move.terminationId()));
            return new Leaving(termination, LegPlanner.plan(Optional.of(termination.plan()), update, environment.config()));
        } catch (GatewayError refused) {
            throw new CompletionException(refused);
        }
    }

    private static Runnable admit(GatewayContext target, Leaving leaving) {
        try {
            return target.media().admit(target, leaving.termination(), leaving.planned());
        } catch (GatewayError refused) {
            throw new CompletionException(refused);
        }
    }

    /** On the source's loop: the termination leaves; an emptied source context goes. */
    private static CompletableFuture<?> leave(CommandEnvironment environment, GatewayContext source, Termination termination) {
        environment.contexts().displace(source, termination);
        CompletableFuture<?> closed = source.media().detach(source, termination, "Move of " + termination.id());
        if (source.terminations().isEmpty()) {
            environment.contexts().remove(source);
            source.media().close(source, "its last termination moved out");
        }
        return closed;
    }

    /** On the destination's loop: the termination joins with the Move's descriptors applied. */
    private static CommandReply join(CommandEnvironment environment, GatewayContext target, GatewayContext source, Leaving leaving,
            TerminationUpdate update, Runnable joined) {
        Termination termination = leaving.termination();
        termination.apply(leaving.planned(), update);
        environment.contexts().place(target, termination);
        joined.run();
        LOG.atInfo().addKeyValue("context", target.id()).addKeyValue("termination", termination.id()).log("moved in from context {}", source.id());
        return new CommandReply.MoveReply(termination.id(), List.of(Replies.localMedia(target, termination)));
    }
}
