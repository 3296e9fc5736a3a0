package org.mediasec.gateway.command;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.mediasec.gateway.GatewayError;
import org.mediasec.gateway.context.GatewayContext;
import org.mediasec.gateway.context.Termination;
import org.mediasec.h248.ErrorCode;
import org.mediasec.h248.message.Command;
import org.mediasec.h248.message.CommandReply;
import org.mediasec.h248.message.ContextId;
import org.mediasec.h248.message.Descriptor;
import org.mediasec.h248.message.MediaParameter;
import org.mediasec.h248.message.TerminationId;
import org.mediasec.traceability.Implements;

/**
 * AuditValue and AuditCapabilities (H.248.1 7.2.5, 7.2.6; H248-7): ROOT answers the packages we implement; over all
 * contexts (or none) the terminations that exist; in a context its terminations, or one termination's Local (as
 * answered), Remote, Events and statistics. Across contexts only what each context published is read, so the audit
 * holds no context.
 */
@Implements("H248-7")
final class AuditCommand {

    private AuditCommand() {}

    static CommandReply auditValue(CommandEnvironment environment, ActionScope scope, Command.AuditValue audit) throws GatewayError {
        TerminationId id = audit.terminationId();
        if (id.isRoot()) {
            return new CommandReply.AuditValueReply(TerminationId.ROOT, List.of(Replies.packages()));
        }
        Optional<GatewayContext> context = scope.context();
        if (scope.requested() instanceof ContextId.All || context.isEmpty()) {
            List<TerminationId> all = environment.contexts().all().stream().flatMap(c -> c.terminationIds().stream())
                    .filter(t -> id.isAll() || t.equals(id)).toList();
            if (all.isEmpty()) {
                throw new GatewayError(id.isAll() ? ErrorCode.NO_TERMINATION_ID_MATCHED_WILDCARD : ErrorCode.UNKNOWN_TERMINATION_ID, "no termination " + id);
            }
            return new CommandReply.ContextTerminationAudit(false, all, Optional.empty());
        }
        GatewayContext audited = context.get();
        if (id.isAll()) {
            return new CommandReply.ContextTerminationAudit(false, audited.terminations().stream().map(Termination::id).toList(), Optional.empty());
        }
        Termination termination = audited.termination(id)
                .orElseThrow(() -> new GatewayError(ErrorCode.UNKNOWN_TERMINATION_ID, id + " is not in context " + audited.id()));
        List<MediaParameter.StreamParameter> stream = new ArrayList<>();
        Descriptor.MediaDescriptor local = Replies.localMedia(audited, termination);
        stream.addAll(((MediaParameter.StreamDescriptor) local.parameters().get(0)).parameters());
        if (!termination.remoteSdp().isBlank()) {
            stream.add(new MediaParameter.RemoteDescriptor(termination.auditedRemoteSdp()));
        }
        List<Descriptor> descriptors = new ArrayList<>();
        descriptors.add(new Descriptor.MediaDescriptor(List.of(new MediaParameter.StreamDescriptor(1, stream))));
        termination.events().descriptor().ifPresent(descriptors::add);
        descriptors.add(Replies.statistics(audited, termination));
        return new CommandReply.AuditValueReply(id, descriptors);
    }

    static CommandReply auditCapabilities(Command.AuditCapabilities audit) {
        return new CommandReply.AuditCapabilitiesReply(audit.terminationId(), List.of(Replies.packages()));
    }
}
