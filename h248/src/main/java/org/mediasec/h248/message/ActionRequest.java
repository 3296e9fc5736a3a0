package org.mediasec.h248.message;

import java.util.List;

/**
 * Annex B: {@code actionRequest = CtxToken EQUAL ContextID LBRKT (( contextRequest [COMMA commandRequestList]) /
 * commandRequestList) RBRKT}.
 *
 * @param contextProperties properties to set on the context (topology, priority, emergency, IEPS, attributes)
 * @param contextAudit context items to audit ({@code ContextAudit {...}}); empty when not audited
 */
public record ActionRequest(
        ContextId contextId, List<ContextProperty> contextProperties, List<ContextAuditItem> contextAudit, List<CommandRequest> commands) {

    public ActionRequest {
        contextProperties = List.copyOf(contextProperties);
        contextAudit = List.copyOf(contextAudit);
        commands = List.copyOf(commands);
        if (contextProperties.isEmpty() && contextAudit.isEmpty() && commands.isEmpty()) {
            throw new IllegalArgumentException("an action holds a context request or commands");
        }
    }

    public static ActionRequest of(ContextId contextId, List<CommandRequest> commands) {
        return new ActionRequest(contextId, List.of(), List.of(), commands);
    }
}
