package org.mediasec.h248.message;

import java.util.List;
import java.util.Optional;

/**
 * Annex B: {@code actionReply = CtxToken EQUAL ContextID LBRKT ( errorDescriptor / commandReply / (commandReply
 * COMMA errorDescriptor) ) RBRKT}, {@code commandReply = (( contextProperties [COMMA commandReplyList] ) /
 * commandReplyList)}. The error after replies means the commands before it succeeded and the next one failed.
 */
public record ActionReply(ContextId contextId, List<ContextProperty> contextProperties, List<CommandReply> replies, Optional<ErrorDescriptor> error) {

    public ActionReply {
        contextProperties = List.copyOf(contextProperties);
        replies = List.copyOf(replies);
        if (contextProperties.isEmpty() && replies.isEmpty() && error.isEmpty()) {
            throw new IllegalArgumentException("an action reply holds an error, context properties or command replies");
        }
    }

    public static ActionReply of(ContextId contextId, List<CommandReply> replies) {
        return new ActionReply(contextId, List.of(), replies, Optional.empty());
    }
}
