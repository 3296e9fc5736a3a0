package org.mediasec.h248.text;

import java.util.List;
import java.util.OptionalLong;
import org.mediasec.h248.message.AuditItem;
import org.mediasec.h248.message.Descriptor;
import org.mediasec.h248.message.ErrorDescriptor;
import org.mediasec.h248.message.Events;
import org.mediasec.h248.message.MediaParameter;
import org.mediasec.h248.message.PropertyParameter;
import org.mediasec.h248.message.PropertyValue;
import org.mediasec.h248.message.ServiceChangeParameter;
import org.mediasec.h248.message.Signals;
import org.mediasec.h248.message.TopologyDescriptor;

/** Writes descriptors (H.248.1 7.1) in either text style; the counterpart of {@link DescriptorParser}. */
final class DescriptorWriter {

    private DescriptorWriter() {}

    /** {@code [{ d1, d2 }]}: nothing when there are no descriptors. */
    static void block(TextOutput text, List<Descriptor> descriptors) {
        if (descriptors.isEmpty()) {
            return;
        }
        text.open();
        for (int i = 0; i < descriptors.size(); i++) {
            if (i > 0) {
                text.comma();
            }
            descriptor(text, descriptors.get(i));
        }
        text.close();
    }

    static void error(TextOutput text, ErrorDescriptor error) {
        text.token(Token.ERROR).equal().number(error.code());
        if (error.text().isPresent()) {
            text.open().quoted(error.text().get()).close();
        } else {
            text.emptyBlock();
        }
    }

    static void descriptor(TextOutput text, Descriptor descriptor) {
        switch (descriptor) {
            case Descriptor.MediaDescriptor media -> {
                text.token(Token.MEDIA).open();
                for (int i = 0; i < media.parameters().size(); i++) {
                    if (i > 0) {
                        text.comma();
                    }
                    mediaParameter(text, media.parameters().get(i));
                }
                text.close();
            }
            case Descriptor.ModemDescriptor modem -> {
                text.token(Token.MODEM);
                if (modem.modemTypes().size() == 1) {
                    text.equal().value(modem.modemTypes().get(0));
                } else {
                    text.text("[");
                    inlineValues(text, modem.modemTypes());
                    text.text("]");
                }
                properties(text, modem.properties());
            }
            case Descriptor.MuxDescriptor mux -> {
                text.token(Token.MUX).equal().value(mux.muxType()).open();
                for (int i = 0; i < mux.terminationIds().size(); i++) {
                    if (i > 0) {
                        text.comma();
                    }
                    text.text(mux.terminationIds().get(i).id());
                }
                text.close();
            }
            case Descriptor.EventsDescriptor events -> {
                text.token(Token.EVENTS);
                requestedEvents(text, events.requestId(), events.events());
            }
            case Descriptor.EventBufferDescriptor buffer -> {
                text.token(Token.EVENT_BUFFER);
                if (!buffer.events().isEmpty()) {
                    text.open();
                    for (int i = 0; i < buffer.events().size(); i++) {
                        if (i > 0) {
                            text.comma();
                        }
                        Events.EventSpec spec = buffer.events().get(i);
                        text.text(spec.name().toString());
                        eventParameters(text, spec.parameters());
                    }
                    text.close();
                }
            }
            case Descriptor.SignalsDescriptor signals -> signals(text, signals);
            case Descriptor.DigitMapDescriptor digitMap -> digitMap(text, digitMap);
            case Descriptor.AuditDescriptor audit -> {
                text.token(Token.AUDIT);
                if (audit.items().isEmpty()) {
                    text.emptyBlock();
                } else {
                    text.open();
                    for (int i = 0; i < audit.items().size(); i++) {
                        if (i > 0) {
                            text.comma();
                        }
                        text.token(auditToken(audit.items().get(i)));
                    }
                    text.close();
                }
            }
            case Descriptor.StatisticsDescriptor statistics -> statistics(text, statistics);
            case Descriptor.ObservedEventsDescriptor observed -> {
                text.token(Token.OBSERVED_EVENTS).equal();
                requestId(text, observed.requestId());
                text.open();
                for (int i = 0; i < observed.events().size(); i++) {
                    if (i > 0) {
                        text.comma();
                    }
                    Events.ObservedEvent event = observed.events().get(i);
                    event.timestamp().ifPresent(stamp -> text.text(stamp).text(":"));
                    text.text(event.name().toString());
                    eventParameters(text, event.parameters());
                }
                text.close();
            }
            case Descriptor.PackagesDescriptor packages -> {
                text.token(Token.PACKAGES).open();
                for (int i = 0; i < packages.packages().size(); i++) {
                    if (i > 0) {
                        text.comma();
                    }
                    text.text(packages.packages().get(i).name()).text("-").number(packages.packages().get(i).version());
                }
                text.close();
            }
            case Descriptor.ServiceChangeDescriptor services -> services(text, services);
            case Descriptor.AuditReturnItem item -> text.token(auditToken(item.item()));
            case TopologyDescriptor topology -> topology(text, topology);
            case ErrorDescriptor error -> error(text, error);
        }
    }

    static Token auditToken(AuditItem item) {
        return switch (item) {
            case MEDIA -> Token.MEDIA;
            case MODEM -> Token.MODEM;
            case MUX -> Token.MUX;
            case EVENTS -> Token.EVENTS;
            case SIGNALS -> Token.SIGNALS;
            case DIGIT_MAP -> Token.DIGIT_MAP;
            case STATISTICS -> Token.STATISTICS;
            case OBSERVED_EVENTS -> Token.OBSERVED_EVENTS;
            case EVENT_BUFFER -> Token.EVENT_BUFFER;
            case PACKAGES -> Token.PACKAGES;
        };
    }

    private static void requestId(TextOutput text, long requestId) {
        if (requestId == Descriptor.ALL_REQUESTS) {
            text.text("*");
        } else {
            text.number(requestId);
        }
    }

    // ---- media ----------------------------------------------------------------------------------------------

    private static void mediaParameter(TextOutput text, MediaParameter parameter) {
        switch (parameter) {
            case MediaParameter.StreamDescriptor stream -> {
                text.token(Token.STREAM).equal().number(stream.streamId()).open();
                for (int i = 0; i < stream.parameters().size(); i++) {
                    if (i > 0) {
                        text.comma();
                    }
                    mediaParameter(text, stream.parameters().get(i));
                }
                text.close();
            }
            case MediaParameter.TerminationStateDescriptor state -> {
                text.token(Token.TERMINATION_STATE).open();
                for (int i = 0; i < state.parameters().size(); i++) {
                    if (i > 0) {
                        text.comma();
                    }
                    switch (state.parameters().get(i)) {
                        case MediaParameter.ServiceStates s -> text.token(Token.SERVICE_STATES).equal().token(switch (s.state()) {
                            case TEST -> Token.TEST;
                            case OUT_OF_SERVICE -> Token.OUT_OF_SERVICE;
                            case IN_SERVICE -> Token.IN_SERVICE;
                        });
                        case MediaParameter.EventBufferControl b -> {
                            text.token(Token.BUFFER).equal();
                            if (b.lockStep()) {
                                text.token(Token.LOCK_STEP);
                            } else {
                                text.text("OFF");
                            }
                        }
                        case MediaParameter.TerminationStateProperty p -> property(text, p.property());
                    }
                }
                text.close();
            }
            case MediaParameter.LocalControlDescriptor control -> {
                text.token(Token.LOCAL_CONTROL).open();
                for (int i = 0; i < control.parameters().size(); i++) {
                    if (i > 0) {
                        text.comma();
                    }
                    switch (control.parameters().get(i)) {
                        case MediaParameter.Mode m -> text.token(Token.MODE).equal().token(switch (m.mode()) {
                            case SEND_ONLY -> Token.SEND_ONLY;
                            case RECEIVE_ONLY -> Token.RECEIVE_ONLY;
                            case SEND_RECEIVE -> Token.SEND_RECEIVE;
                            case INACTIVE -> Token.INACTIVE;
                            case LOOPBACK -> Token.LOOPBACK;
                        });
                        case MediaParameter.ReservedValue r -> text.token(Token.RESERVED_VALUE).equal().text(r.on() ? "ON" : "OFF");
                        case MediaParameter.ReservedGroup r -> text.token(Token.RESERVED_GROUP).equal().text(r.on() ? "ON" : "OFF");
                        case MediaParameter.LocalControlProperty p -> property(text, p.property());
                    }
                }
                text.close();
            }
            case MediaParameter.LocalDescriptor local -> text.token(Token.LOCAL).octetString(local.sdp());
            case MediaParameter.RemoteDescriptor remote -> text.token(Token.REMOTE).octetString(remote.sdp());
            case Descriptor.StatisticsDescriptor statistics -> statistics(text, statistics);
        }
    }

    private static void statistics(TextOutput text, Descriptor.StatisticsDescriptor statistics) {
        text.token(Token.STATISTICS).open();
        for (int i = 0; i < statistics.statistics().size(); i++) {
            if (i > 0) {
                text.comma();
            }
            Descriptor.StatisticsParameter statistic = statistics.statistics().get(i);
            text.text(statistic.name().toString());
            statistic.value().ifPresent(value -> {
                text.equal();
                if (value instanceof PropertyValue.Alternatives list) {
                    text.text("[");
                    inlineValues(text, list.values());
                    text.text("]");
                } else if (value instanceof PropertyValue.Single single) {
                    text.value(single.value());
                }
            });
        }
        text.close();
    }

    // ---- properties -----------------------------------------------------------------------------------------

    static void property(TextOutput text, PropertyParameter property) {
        text.text(property.name());
        switch (property.value()) {
            case PropertyValue.Single single -> {
                if (single.relation() == PropertyValue.Relation.EQUAL) {
                    text.equal();
                } else {
                    text.text(text.style == TextStyle.PRETTY ? " " + single.relation().symbol() + " " : single.relation().symbol());
                }
                text.value(single.value());
            }
            case PropertyValue.Alternatives alternatives -> {
                text.equal().text("[");
                inlineValues(text, alternatives.values());
                text.text("]");
            }
            case PropertyValue.Range range -> text.equal().text("[").value(range.low()).text(":").value(range.high()).text("]");
            case PropertyValue.SubList list -> {
                text.equal().text("{");
                inlineValues(text, list.values());
                text.text("}");
            }
        }
    }

    private static void properties(TextOutput text, List<PropertyParameter> properties) {
        if (properties.isEmpty()) {
            return;
        }
        text.open();
        for (int i = 0; i < properties.size(); i++) {
            if (i > 0) {
                text.comma();
            }
            property(text, properties.get(i));
        }
        text.close();
    }

    private static void inlineValues(TextOutput text, List<String> values) {
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                text.inlineComma();
            }
            text.value(values.get(i));
        }
    }

    // ---- events and signals ---------------------------------------------------------------------------------

    private static void requestedEvents(TextOutput text, OptionalLong requestId, List<Events.RequestedEvent> events) {
        if (requestId.isEmpty()) {
            return;
        }
        text.equal();
        requestId(text, requestId.getAsLong());
        text.open();
        for (int i = 0; i < events.size(); i++) {
            if (i > 0) {
                text.comma();
            }
            text.text(events.get(i).name().toString());
            eventParameters(text, events.get(i).parameters());
        }
        text.close();
    }

    private static void eventParameters(TextOutput text, List<Events.EventParameter> parameters) {
        if (parameters.isEmpty()) {
            return;
        }
        text.open();
        for (int i = 0; i < parameters.size(); i++) {
            if (i > 0) {
                text.comma();
            }
            switch (parameters.get(i)) {
                case Events.KeepActive k -> text.token(Token.KEEP_ACTIVE);
                case Events.EventStream s -> text.token(Token.STREAM).equal().number(s.streamId());
                case Events.EventDigitMap d -> digitMap(text, d.digitMap());
                case Events.EventOther o -> property(text, o.parameter());
                case Events.Embed e -> embed(text, e);
                case Events.NotifyBehaviour n -> {
                    switch (n.kind()) {
                        case IMMEDIATE -> text.token(Token.NOTIFY_IMMEDIATE);
                        case NEVER -> text.token(Token.NEVER_NOTIFY);
                        case REGULATED -> {
                            text.token(Token.NOTIFY_REGULATED);
                            n.regulatedEmbed().ifPresent(embed -> text.open().run(() -> embed(text, embed)).close());
                        }
                    }
                }
                case Events.ResetEventsDescriptor r -> text.token(Token.RESET_EVENTS_DESCRIPTOR);
            }
        }
        text.close();
    }

    private static void embed(TextOutput text, Events.Embed embed) {
        text.token(Token.EMBED).open();
        embed.signals().ifPresent(signals -> signals(text, signals));
        embed.events().ifPresent(events -> {
            if (embed.signals().isPresent()) {
                text.comma();
            }
            text.token(Token.EVENTS);
            requestedEvents(text, events.requestId(), events.events());
        });
        text.close();
    }

    private static void digitMap(TextOutput text, Descriptor.DigitMapDescriptor digitMap) {
        text.token(Token.DIGIT_MAP).equal();
        digitMap.name().ifPresent(text::text);
        digitMap.value().ifPresent(value -> text.text(text.style == TextStyle.PRETTY && digitMap.name().isPresent() ? " {" : "{").text(value).text("}"));
    }

    private static void signals(TextOutput text, Descriptor.SignalsDescriptor signals) {
        text.token(Token.SIGNALS);
        if (signals.signals().isEmpty()) {
            return;
        }
        text.open();
        for (int i = 0; i < signals.signals().size(); i++) {
            if (i > 0) {
                text.comma();
            }
            switch (signals.signals().get(i)) {
                case Signals.SignalRequest request -> signalRequest(text, request);
                case Signals.SignalList list -> {
                    text.token(Token.SIGNAL_LIST).equal().number(list.listId()).open();
                    for (int j = 0; j < list.signals().size(); j++) {
                        if (j > 0) {
                            text.comma();
                        }
                        signalRequest(text, list.signals().get(j));
                    }
                    text.close();
                }
            }
        }
        text.close();
    }

    private static void signalRequest(TextOutput text, Signals.SignalRequest request) {
        text.text(request.name().toString());
        if (request.parameters().isEmpty()) {
            return;
        }
        text.open();
        for (int i = 0; i < request.parameters().size(); i++) {
            if (i > 0) {
                text.comma();
            }
            switch (request.parameters().get(i)) {
                case Signals.SignalStream s -> text.token(Token.STREAM).equal().number(s.streamId());
                case Signals.SignalTypeParameter t -> text.token(Token.SIGNAL_TYPE).equal().token(switch (t.type()) {
                    case ON_OFF -> Token.ON_OFF;
                    case TIME_OUT -> Token.TIME_OUT;
                    case BRIEF -> Token.BRIEF;
                });
                case Signals.Duration d -> text.token(Token.DURATION).equal().number(d.duration());
                case Signals.NotifyCompletion n -> {
                    text.token(Token.NOTIFY_COMPLETION).equal().text("{");
                    for (int j = 0; j < n.reasons().size(); j++) {
                        if (j > 0) {
                            text.inlineComma();
                        }
                        text.token(switch (n.reasons().get(j)) {
                            case TIME_OUT -> Token.TIME_OUT;
                            case INTERRUPTED_BY_EVENT -> Token.INTERRUPT_BY_EVENT;
                            case INTERRUPTED_BY_NEW_SIGNALS_DESCRIPTOR -> Token.INTERRUPT_BY_NEW_SIGNALS;
                            case OTHER_REASON -> Token.OTHER_REASON;
                            case ITERATION -> Token.ITERATION;
                        });
                    }
                    text.text("}");
                }
                case Signals.SignalKeepActive k -> text.token(Token.KEEP_ACTIVE);
                case Signals.Direction d -> text.token(Token.DIRECTION).equal().token(switch (d.direction()) {
                    case EXTERNAL -> Token.EXTERNAL;
                    case INTERNAL -> Token.INTERNAL;
                    case BOTH -> Token.BOTH;
                });
                case Signals.RequestId r -> text.token(Token.REQUEST_ID).equal().number(r.requestId());
                case Signals.IntersignalDelay d -> text.token(Token.INTERSIGNAL).equal().number(d.delay());
                case Signals.SignalOther o -> property(text, o.parameter());
            }
        }
        text.close();
    }

    // ---- topology and services ------------------------------------------------------------------------------

    static void topology(TextOutput text, TopologyDescriptor topology) {
        text.token(Token.TOPOLOGY).open();
        for (int i = 0; i < topology.triples().size(); i++) {
            if (i > 0) {
                text.comma();
            }
            TopologyDescriptor.Triple triple = topology.triples().get(i);
            text.text(triple.from().id()).inlineComma().text(triple.to().id()).inlineComma().token(switch (triple.direction()) {
                case BOTHWAY -> Token.BOTHWAY;
                case ISOLATE -> Token.ISOLATE;
                case ONEWAY -> Token.ONEWAY;
                case ONEWAY_EXTERNAL -> Token.ONEWAY_EXTERNAL;
                case ONEWAY_BOTH -> Token.ONEWAY_BOTH;
            });
            triple.stream().ifPresent(stream -> text.inlineComma().token(Token.STREAM).equal().number(stream));
        }
        text.close();
    }

    private static void services(TextOutput text, Descriptor.ServiceChangeDescriptor services) {
        text.token(Token.SERVICES).open();
        for (int i = 0; i < services.parameters().size(); i++) {
            if (i > 0) {
                text.comma();
            }
            switch (services.parameters().get(i)) {
                case ServiceChangeParameter.Method m -> {
                    text.token(Token.METHOD).equal();
                    switch (m.method()) {
                        case FAILOVER -> text.token(Token.FAILOVER);
                        case FORCED -> text.token(Token.FORCED);
                        case GRACEFUL -> text.token(Token.GRACEFUL);
                        case RESTART -> text.token(Token.RESTART);
                        case DISCONNECTED -> text.token(Token.DISCONNECTED);
                        case HAND_OFF -> text.token(Token.HAND_OFF);
                        case EXTENSION -> text.text(m.extension().orElseThrow());
                    }
                }
                case ServiceChangeParameter.Reason r -> text.token(Token.REASON).equal().value(r.value());
                case ServiceChangeParameter.Delay d -> text.token(Token.DELAY).equal().number(d.delay());
                case ServiceChangeParameter.Address a -> {
                    text.token(Token.SERVICE_CHANGE_ADDRESS).equal();
                    if (a.port().isPresent()) {
                        text.number(a.port().get());
                    } else {
                        H248TextWriter.messageId(text, a.address().orElseThrow());
                    }
                }
                case ServiceChangeParameter.Profile p -> text.token(Token.PROFILE).equal().text(p.name()).text("/").number(p.version());
                case ServiceChangeParameter.Version v -> text.token(Token.VERSION).equal().number(v.version());
                case ServiceChangeParameter.MgcIdToTry m -> {
                    text.token(Token.MGC_ID).equal();
                    H248TextWriter.messageId(text, m.mgcId());
                }
                case ServiceChangeParameter.TimeStamp t -> text.text(t.timestamp());
                case ServiceChangeParameter.Extension e -> property(text, e.parameter());
                case ServiceChangeParameter.Incomplete inc -> text.token(Token.SERVICE_CHANGE_INCOMPLETE);
                case ServiceChangeParameter.Info info -> descriptor(text, info.audit());
            }
        }
        text.close();
    }
}
