package org.mediasec.gateway.leg;

import java.util.List;
import java.util.OptionalLong;
import org.mediasec.h248.message.Descriptor;
import org.mediasec.h248.message.Events;

/** The events the MGC asked to hear about on a termination (H.248.1 7.1.9), with the RequestID its Notify carries. */
public record RequestedEvents(OptionalLong requestId, List<Events.RequestedEvent> events) {

    public static final RequestedEvents NONE = new RequestedEvents(OptionalLong.empty(), List.of());

    public RequestedEvents {
        events = List.copyOf(events);
    }

    static RequestedEvents of(Descriptor.EventsDescriptor descriptor) {
        return new RequestedEvents(descriptor.requestId(), descriptor.events());
    }

    public boolean wants(String packageName, String event) {
        return events.stream().anyMatch(e -> e.name().packageName().equalsIgnoreCase(packageName) && e.name().itemName().equalsIgnoreCase(event));
    }

    /** As an Events descriptor for AuditValue, or empty when none was requested. */
    public java.util.Optional<Descriptor.EventsDescriptor> descriptor() {
        return requestId.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(new Descriptor.EventsDescriptor(requestId, events));
    }
}
