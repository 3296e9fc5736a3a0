package org.mediasec.gateway.command;

import java.util.List;
import java.util.Optional;
import org.mediasec.bearer.PortAllocator;
import org.mediasec.gateway.GatewayError;
import org.mediasec.gateway.context.GatewayContext;
import org.mediasec.gateway.context.Termination;
import org.mediasec.gateway.leg.DescriptorReader;
import org.mediasec.gateway.leg.LegPlan;
import org.mediasec.gateway.leg.LegPlanner;
import org.mediasec.gateway.leg.PlannedLeg;
import org.mediasec.gateway.leg.TerminationUpdate;
import org.mediasec.h248.ErrorCode;
import org.mediasec.h248.message.Command;
import org.mediasec.h248.message.CommandReply;
import org.mediasec.h248.message.TerminationId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Add (H.248.1 7.2.1): an ephemeral {@code ip/$} termination chosen by the MG, with a port of the realm, its leg
 * planned from the descriptors and admitted by the context's media (GW-9); the reply carries our Local. A failed Add
 * leaves nothing allocated.
 */
final class AddCommand {

    private static final Logger LOG = LoggerFactory.getLogger(AddCommand.class);

    private AddCommand() {}

    static CommandReply execute(CommandEnvironment environment, ActionScope scope, Command.Add add) throws GatewayError {
        GatewayContext context = scope.contextForAdd(environment.contexts());
        TerminationId requested = add.terminationId();
        if (!requested.isChoose() || !(requested.prefix().equals("ip") || requested.id().equals("$"))) {
            throw new GatewayError(ErrorCode.UNKNOWN_TERMINATION_ID, "ephemeral terminations are chosen by the MG: Add ip/$ (not " + requested + ")");
        }
        TerminationUpdate update = DescriptorReader.read(add.descriptors(), environment.config());
        PortAllocator.Allocation allocation = null;
        try {
            PlannedLeg planned = LegPlanner.plan(Optional.empty(), update, environment.config());
            allocation = environment.services().ports().allocate(planned.plan().datagram());
            Termination termination = new Termination(environment.contexts().newTerminationId(), allocation, planned, update);
            Runnable joined = context.media().admit(context, termination, planned);
            environment.contexts().place(context, termination);
            joined.run();
            scope.added(termination);
            log(context, termination);
            return new CommandReply.AddReply(termination.id(), List.of(Replies.localMedia(context, termination)));
        } catch (GatewayError refused) {
            update.wipe();
            if (allocation != null) {
                environment.services().ports().release(allocation);
            }
            throw refused;
        }
    }

    private static void log(GatewayContext context, Termination termination) {
        LegPlan plan = termination.plan();
        String layer = plan.tls().map(tls -> (plan.pskTls() ? "TLS-PSK " : plan.datagram() ? "DTLS " : "TLS ") + (tls.client() ? "client" : "server"))
                .orElse(plan.datagram() ? "UDP" : "TCP");
        LOG.atInfo().addKeyValue("context", context.id()).addKeyValue("termination", termination.id())
                .log("added ({} {}, {} leg on {})", plan.transport(), layer, plan.role(), termination.localAddress());
    }
}
