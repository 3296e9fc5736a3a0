package org.mediasec.h248.message;

import java.util.List;
import java.util.Optional;

/** The eight commands of H.248.1 7.2 as they appear in a request. */
public sealed interface Command {

    TerminationId terminationId();

    /** Add, Modify and Move carry the same descriptors (Annex B ammRequest / ammParameter). */
    sealed interface AmmRequest extends Command {
        List<Descriptor> descriptors();
    }

    record Add(TerminationId terminationId, List<Descriptor> descriptors) implements AmmRequest {
        public Add {
            descriptors = List.copyOf(descriptors);
        }
    }

    record Modify(TerminationId terminationId, List<Descriptor> descriptors) implements AmmRequest {
        public Modify {
            descriptors = List.copyOf(descriptors);
        }
    }

    record Move(TerminationId terminationId, List<Descriptor> descriptors) implements AmmRequest {
        public Move {
            descriptors = List.copyOf(descriptors);
        }
    }

    record Subtract(TerminationId terminationId, Optional<Descriptor.AuditDescriptor> audit) implements Command {}

    record AuditValue(TerminationId terminationId, Optional<Descriptor.AuditDescriptor> audit) implements Command {}

    record AuditCapabilities(TerminationId terminationId, Optional<Descriptor.AuditDescriptor> audit) implements Command {}

    /** {@code Notify = T { ObservedEvents … [, Error …] }}. */
    record Notify(TerminationId terminationId, Descriptor.ObservedEventsDescriptor observedEvents, Optional<ErrorDescriptor> error)
            implements Command {}

    record ServiceChange(TerminationId terminationId, Descriptor.ServiceChangeDescriptor serviceChange) implements Command {}
}
