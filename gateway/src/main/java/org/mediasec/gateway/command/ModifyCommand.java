package org.mediasec.gateway.command;

import java.util.List;
import java.util.Optional;
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

/**
 * Modify (H.248.1 7.2.2): the termination's leg planned again from what the descriptors restate; an open bearer
 * takes only what it can without reopening (its media decides, e.g. a passive leg learning its peer). A refused
 * Modify changes nothing.
 */
final class ModifyCommand {

    private ModifyCommand() {}

    static CommandReply execute(CommandEnvironment environment, ActionScope scope, Command.Modify modify) throws GatewayError {
        GatewayContext context = scope.requireContext();
        Termination termination = context.termination(modify.terminationId())
                .orElseThrow(() -> new GatewayError(ErrorCode.UNKNOWN_TERMINATION_ID, modify.terminationId() + " is not in context " + context.id()));
        TerminationUpdate update = DescriptorReader.read(modify.descriptors(), environment.config());
        Runnable applied;
        PlannedLeg planned;
        try {
            planned = LegPlanner.plan(Optional.of(termination.plan()), update, environment.config());
            applied = context.media().checkUpdate(context, termination, planned);
        } catch (GatewayError refused) {
            update.wipe();
            throw refused;
        }
        termination.apply(planned, update);
        applied.run();
        return new CommandReply.ModifyReply(termination.id(), List.of(Replies.localMedia(context, termination)));
    }
}
