package org.mediasec.gateway.command;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.mediasec.gateway.GatewayError;
import org.mediasec.gateway.context.ContextTable;
import org.mediasec.gateway.context.GatewayContext;
import org.mediasec.gateway.context.Termination;
import org.mediasec.h248.ErrorCode;
import org.mediasec.h248.message.ContextId;

/**
 * The context one action works on (H.248.1 7.1, 6.1.1): a specific context, the context CHOOSE creates (it exists
 * from the action's first Add on), or none (NULL, ALL); and the terminations the action added, which are undone if
 * the bearer they were added for cannot open. One per action, used on the context's loop.
 */
final class ActionScope {

    private final ContextId requested;
    private final Optional<GatewayContext> chosen;
    private GatewayContext context;
    private final List<Termination> added = new ArrayList<>();
    private java.util.Set<GatewayContext> held = java.util.Set.of();

    private ActionScope(ContextId requested, GatewayContext context, Optional<GatewayContext> chosen) {
        this.requested = requested;
        this.context = context;
        this.chosen = chosen;
    }

    static ActionScope of(ContextId requested, GatewayContext context) {
        return new ActionScope(requested, context, Optional.empty());
    }

    /** CHOOSE: {@code created} becomes the action's context at its first Add. */
    static ActionScope choosing(GatewayContext created) {
        return new ActionScope(ContextId.CHOOSE, null, Optional.of(created));
    }

    static ActionScope none(ContextId requested) {
        return new ActionScope(requested, null, Optional.empty());
    }

    ContextId requested() {
        return requested;
    }

    Optional<GatewayContext> context() {
        return Optional.ofNullable(context);
    }

    /** The context a command other than Add needs (411 never: the action's context exists; 421 for none). */
    GatewayContext requireContext() throws GatewayError {
        if (context == null) {
            throw new GatewayError(ErrorCode.UNKNOWN_ACTION, "the command needs a specific context, not " + requested);
        }
        return context;
    }

    /** The context an Add goes into: CHOOSE's is counted against the limit at its first Add (412 when full). */
    GatewayContext contextForAdd(ContextTable contexts) throws GatewayError {
        if (context == null && chosen.isPresent()) {
            contexts.reserve();
            context = chosen.get();
        }
        if (context == null) {
            throw new GatewayError(ErrorCode.UNKNOWN_ACTION, "Add needs context $ or an existing context");
        }
        return context;
    }

    /** Whether the context is the one CHOOSE created for this action (not yet in the table). */
    boolean created() {
        return context != null && chosen.isPresent();
    }

    /** The contexts the action holds besides its own (the sources of its Moves). */
    void hold(java.util.Set<GatewayContext> contexts) {
        held = java.util.Set.copyOf(contexts);
    }

    boolean holds(GatewayContext context) {
        return held.contains(context);
    }

    void added(Termination termination) {
        added.add(termination);
    }

    List<Termination> added() {
        return added;
    }
}
