package org.mediasec.gateway.command;

import java.util.ArrayList;
import java.util.List;
import org.mediasec.gateway.GatewayError;
import org.mediasec.gateway.context.GatewayContext;
import org.mediasec.gateway.context.Termination;
import org.mediasec.h248.ErrorCode;
import org.mediasec.h248.message.Command;
import org.mediasec.h248.message.CommandReply;
import org.mediasec.h248.message.TerminationId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Subtract (H.248.1 7.2.3): the terminations leave the context, each reply with its statistics (nt/os, nt/or,
 * nt/dur; one reply per termination for {@code *}, 6.2); their bearer is released (TCP-8, TLS-10: "MGC release"),
 * and their ports come back once its sockets are closed.
 */
final class SubtractCommand {

    private static final Logger LOG = LoggerFactory.getLogger(SubtractCommand.class);

    private SubtractCommand() {}

    static List<CommandReply> execute(CommandEnvironment environment, ActionScope scope, Command.Subtract subtract) throws GatewayError {
        GatewayContext context = scope.requireContext();
        TerminationId requested = subtract.terminationId();
        List<Termination> leaving = requested.isAll() ? List.copyOf(context.terminations())
                : List.of(context.termination(requested).orElseThrow(() -> new GatewayError(ErrorCode.UNKNOWN_TERMINATION_ID,
                        requested + " is not in context " + context.id())));
        if (leaving.isEmpty()) {
            throw new GatewayError(ErrorCode.NO_TERMINATION_ID_MATCHED_WILDCARD, "context " + context.id() + " has no termination");
        }
        List<CommandReply> replies = new ArrayList<>();
        for (Termination termination : leaving) {
            replies.add(new CommandReply.SubtractReply(termination.id(), List.of(Replies.statistics(context, termination))));
        }
        for (Termination termination : leaving) {
            environment.contexts().displace(context, termination);
            context.media().remove(context, termination, "Subtract");
        }
        LOG.atInfo().addKeyValue("context", context.id()).addKeyValue("termination", leaving.stream().map(t -> t.id().id()).toList()).log("subtracted");
        return replies;
    }
}
