package org.mediasec.h248.message;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/** The parts of Events, EventBuffer and ObservedEvents descriptors (H.248.1 7.1.9, 7.1.17; Annex B). */
public final class Events {

    private Events() {}

    /** {@code pkg/event [{ eventParameter, … }]}. */
    public record RequestedEvent(PackageItem name, List<EventParameter> parameters) {
        public RequestedEvent {
            parameters = List.copyOf(parameters);
        }
    }

    /** EventBuffer entries (Annex B eventSpec): only stream and other parameters. */
    public record EventSpec(PackageItem name, List<EventParameter> parameters) {
        public EventSpec {
            parameters = List.copyOf(parameters);
        }
    }

    /** {@code [timestamp :] pkg/event [{ stream / name = value, … }]}; timestamp {@code yyyymmddThhmmssss}. */
    public record ObservedEvent(Optional<String> timestamp, PackageItem name, List<EventParameter> parameters) {
        public ObservedEvent {
            parameters = List.copyOf(parameters);
        }
    }

    /**
     * Annex B eventParameter: {@code embedWithSig / embedNoSig / KeepActiveToken / eventDM / eventStream / eventOther /
     * notifyBehaviour / ResetEventsDescriptorToken}.
     */
    public sealed interface EventParameter {}

    public record KeepActive() implements EventParameter {}

    public record EventStream(int streamId) implements EventParameter {
        public EventStream {
            Values.uint16(streamId, "StreamID");
        }
    }

    /** {@code DigitMap = name} or {@code DigitMap = { value }} inside an event. */
    public record EventDigitMap(Descriptor.DigitMapDescriptor digitMap) implements EventParameter {}

    /** {@code name = value} / {@code name > value} …: a package-defined event parameter. */
    public record EventOther(PropertyParameter parameter) implements EventParameter {}

    /**
     * {@code Embed { [Signals {…}] [, Events = id { … }] }}: signals to play and events to look for once the event is
     * detected (H.248.1 7.1.9). At least one of the two is present.
     */
    public record Embed(Optional<Descriptor.SignalsDescriptor> signals, Optional<EmbeddedEvents> events) implements EventParameter {
        public Embed {
            if (signals.isEmpty() && events.isEmpty()) {
                throw new IllegalArgumentException("Embed holds signals or events");
            }
        }
    }

    /** The second-level Events inside Embed (Annex B embedFirst): no further embedding of events. */
    public record EmbeddedEvents(OptionalLong requestId, List<RequestedEvent> events) {
        public EmbeddedEvents {
            events = List.copyOf(events);
        }
    }

    /** v3 notification behaviour (H.248.1 7.1.9): immediate, regulated (with an optional embed), never. */
    public record NotifyBehaviour(Kind kind, Optional<Embed> regulatedEmbed) implements EventParameter {
        public enum Kind { IMMEDIATE, REGULATED, NEVER }
    }

    /** v3 {@code ResetEventsDescriptor}. */
    public record ResetEventsDescriptor() implements EventParameter {}
}
