package org.mediasec.h248.text;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import org.mediasec.h248.message.ActionReply;
import org.mediasec.h248.message.ActionRequest;
import org.mediasec.h248.message.AuditItem;
import org.mediasec.h248.message.Command;
import org.mediasec.h248.message.CommandReply;
import org.mediasec.h248.message.CommandRequest;
import org.mediasec.h248.message.ContextAuditItem;
import org.mediasec.h248.message.ContextId;
import org.mediasec.h248.message.ContextProperty;
import org.mediasec.h248.message.Descriptor;
import org.mediasec.h248.message.ErrorDescriptor;
import org.mediasec.h248.message.Events;
import org.mediasec.h248.message.MediaParameter;
import org.mediasec.h248.message.Message;
import org.mediasec.h248.message.MessageBody;
import org.mediasec.h248.message.MessageId;
import org.mediasec.h248.message.PackageItem;
import org.mediasec.h248.message.PropertyParameter;
import org.mediasec.h248.message.PropertyValue;
import org.mediasec.h248.message.ServiceChangeParameter;
import org.mediasec.h248.message.Signals;
import org.mediasec.h248.message.TerminationId;
import org.mediasec.h248.message.TopologyDescriptor;
import org.mediasec.h248.message.Transaction;

/**
 * Random version-3 messages for round-trip properties. The text encoding has two ambiguities the generator keeps
 * away from: a bare Events/Signals/EventBuffer in a reply reads as an audit return item, and a numeric device name
 * in ServiceChangeAddress reads as a port.
 */
final class MessageArbitraries {

    private MessageArbitraries() {}

    static <T> Arbitrary<List<T>> list(Arbitrary<T> element, int min, int max) {
        return element.list().ofMinSize(min).ofMaxSize(max);
    }

    static Arbitrary<String> name() {
        return Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(6)
                .flatMap(head -> Arbitraries.strings().withCharRange('0', '9').ofMaxLength(2).map(tail -> head + tail));
    }

    static Arbitrary<PackageItem> packageItem() {
        return Combinators.combine(name(), Arbitraries.oneOf(name(), Arbitraries.just("*"))).as(PackageItem::new);
    }

    static Arbitrary<String> value() {
        Arbitrary<String> bare = Arbitraries.strings().withChars("abcXYZ0123456789+-_/.$*").ofMinLength(1).ofMaxLength(8);
        Arbitrary<String> quoted = Arbitraries.strings().withChars("ab c,{}=:;[]#<>0").ofMinLength(0).ofMaxLength(10);
        return Arbitraries.oneOf(bare, quoted);
    }

    static Arbitrary<PropertyValue> propertyValue() {
        return Arbitraries.oneOf(
                Combinators.combine(Arbitraries.of(PropertyValue.Relation.class), value()).as(PropertyValue.Single::new),
                list(value(), 1, 3).map(PropertyValue.Alternatives::new),
                Combinators.combine(value(), value()).as(PropertyValue.Range::new),
                list(value(), 1, 3).map(PropertyValue.SubList::new));
    }

    static Arbitrary<PropertyParameter> property() {
        return Combinators.combine(packageItem().map(PackageItem::toString), propertyValue()).as(PropertyParameter::new);
    }

    static Arbitrary<TerminationId> terminationId() {
        return Arbitraries.oneOf(Arbitraries.of(TerminationId.ROOT, TerminationId.ALL, TerminationId.CHOOSE,
                        TerminationId.of("ip/$"), TerminationId.of("ip/*")),
                Arbitraries.integers().between(0, 99999).map(n -> TerminationId.of("ip/" + n)),
                Arbitraries.integers().between(0, 999).map(n -> TerminationId.of("T" + n)));
    }

    static Arbitrary<MessageId> messageId() {
        Arbitrary<OptionalInt> port = Arbitraries.integers().between(0, 65535).optional().map(o -> o.map(OptionalInt::of).orElse(OptionalInt.empty()));
        return Arbitraries.oneOf(
                Combinators.combine(Arbitraries.integers().between(0, 255).list().ofSize(4), port)
                        .as((bytes, p) -> new MessageId.Ipv4Address(bytes.get(0) + "." + bytes.get(1) + "." + bytes.get(2) + "." + bytes.get(3), p)),
                Combinators.combine(Arbitraries.of("2001:db8::1", "::1", "fe80::a:b"), port).as(MessageId.Ipv6Address::new),
                Combinators.combine(Arbitraries.of("mgc.example.net", "a", "mg-1.op.example"), port).as(MessageId.DomainName::new),
                name().map(n -> new MessageId.DeviceName("mg/" + n)),
                Arbitraries.of("0A1B", "12345678").map(MessageId.MtpAddress::new));
    }

    static Arbitrary<ErrorDescriptor> error() {
        return Combinators.combine(Arbitraries.integers().between(0, 9999),
                Arbitraries.strings().withChars("ab c.:;0{}").ofMaxLength(12).optional()).as(ErrorDescriptor::new);
    }

    static Arbitrary<String> sdp() {
        Arbitrary<String> line = Arbitraries.strings().withChars("abc =:/$*.0123}\\").ofMinLength(1).ofMaxLength(20)
                .map(String::strip).filter(l -> !l.isEmpty());
        return list(line, 0, 5).map(lines -> "v=0" + (lines.isEmpty() ? "" : "\n" + String.join("\n", lines)));
    }

    static Arbitrary<MediaParameter.LocalControlDescriptor> localControl() {
        Arbitrary<MediaParameter.LocalControlParameter> parameter = Arbitraries.oneOf(
                Arbitraries.of(MediaParameter.StreamMode.class).map(MediaParameter.Mode::new),
                Arbitraries.of(true, false).map(MediaParameter.ReservedValue::new),
                Arbitraries.of(true, false).map(MediaParameter.ReservedGroup::new),
                property().map(MediaParameter.LocalControlProperty::new));
        return list(parameter, 1, 3).map(MediaParameter.LocalControlDescriptor::new);
    }

    static Arbitrary<Descriptor.StatisticsDescriptor> statistics() {
        Arbitrary<Optional<PropertyValue>> statisticValue = Arbitraries.oneOf(
                Arbitraries.just(Optional.empty()),
                value().map(v -> Optional.of(PropertyValue.Single.equalTo(v))),
                list(value(), 1, 3).map(values -> Optional.of(new PropertyValue.Alternatives(values))));
        return list(Combinators.combine(packageItem(), statisticValue).as(Descriptor.StatisticsParameter::new), 1, 3)
                .map(Descriptor.StatisticsDescriptor::new);
    }

    static Arbitrary<MediaParameter.StreamParameter> streamParameter() {
        return Arbitraries.oneOf(localControl(), sdp().map(MediaParameter.LocalDescriptor::new),
                sdp().map(MediaParameter.RemoteDescriptor::new), statistics());
    }

    static Arbitrary<Descriptor.MediaDescriptor> media() {
        Arbitrary<MediaParameter.TerminationStateParameter> stateParameter = Arbitraries.oneOf(
                Arbitraries.of(MediaParameter.ServiceState.class).map(MediaParameter.ServiceStates::new),
                Arbitraries.of(true, false).map(MediaParameter.EventBufferControl::new),
                property().map(MediaParameter.TerminationStateProperty::new));
        Arbitrary<MediaParameter> parameter = Arbitraries.oneOf(
                list(stateParameter, 1, 3).map(MediaParameter.TerminationStateDescriptor::new),
                Combinators.combine(Arbitraries.integers().between(0, 65535), list(streamParameter(), 1, 3)).as(MediaParameter.StreamDescriptor::new),
                streamParameter().map(p -> p));
        return list(parameter, 1, 3).map(Descriptor.MediaDescriptor::new);
    }

    static Arbitrary<Descriptor.DigitMapDescriptor> digitMap() {
        Arbitrary<String> mapValue = Arbitraries.strings().withChars("0123456789xXTSL|().[]-#*").ofMinLength(1).ofMaxLength(12);
        return Arbitraries.oneOf(
                name().map(n -> new Descriptor.DigitMapDescriptor(Optional.of(n), Optional.empty())),
                mapValue.map(v -> new Descriptor.DigitMapDescriptor(Optional.empty(), Optional.of(v))),
                Combinators.combine(name(), mapValue).as((n, v) -> new Descriptor.DigitMapDescriptor(Optional.of(n), Optional.of(v))));
    }

    static Arbitrary<Signals.SignalRequest> signalRequest() {
        Arbitrary<Signals.SignalRequestParameter> parameter = Arbitraries.oneOf(
                Arbitraries.integers().between(0, 65535).map(Signals.SignalStream::new),
                Arbitraries.of(Signals.SignalType.class).map(Signals.SignalTypeParameter::new),
                Arbitraries.integers().between(0, 65535).map(Signals.Duration::new),
                list(Arbitraries.of(Signals.NotificationReason.class), 1, 3).map(Signals.NotifyCompletion::new),
                Arbitraries.just(new Signals.SignalKeepActive()),
                Arbitraries.of(Signals.SignalDirection.class).map(Signals.Direction::new),
                Arbitraries.longs().between(0, 0xFFFF_FFFFL).map(Signals.RequestId::new),
                Arbitraries.integers().between(0, 65535).map(Signals.IntersignalDelay::new),
                property().map(Signals.SignalOther::new));
        return Combinators.combine(packageItem(), list(parameter, 0, 3)).as(Signals.SignalRequest::new);
    }

    static Arbitrary<Descriptor.SignalsDescriptor> signals(int min) {
        Arbitrary<Signals.SignalParameter> parameter = Arbitraries.oneOf(signalRequest(),
                Combinators.combine(Arbitraries.integers().between(0, 65535), list(signalRequest(), 1, 2)).as(Signals.SignalList::new));
        return list(parameter, min, 2).map(Descriptor.SignalsDescriptor::new);
    }

    static Arbitrary<OptionalLong> requestId() {
        return Arbitraries.longs().between(0, 0xFFFF_FFFFL).map(OptionalLong::of);
    }

    static Arbitrary<Events.RequestedEvent> requestedEvent(boolean embedAllowed) {
        Arbitrary<Events.EventParameter> simple = Arbitraries.oneOf(
                Arbitraries.just(new Events.KeepActive()),
                Arbitraries.integers().between(0, 65535).map(Events.EventStream::new),
                digitMap().map(Events.EventDigitMap::new),
                property().map(Events.EventOther::new),
                Arbitraries.of(new Events.NotifyBehaviour(Events.NotifyBehaviour.Kind.IMMEDIATE, Optional.empty()),
                        new Events.NotifyBehaviour(Events.NotifyBehaviour.Kind.NEVER, Optional.empty()),
                        new Events.NotifyBehaviour(Events.NotifyBehaviour.Kind.REGULATED, Optional.empty()),
                        new Events.ResetEventsDescriptor()));
        Arbitrary<Events.EventParameter> parameter = !embedAllowed ? simple : Arbitraries.oneOf(simple, embed().map(e -> e));
        return Combinators.combine(packageItem(), list(parameter, 0, 2)).as(Events.RequestedEvent::new);
    }

    static Arbitrary<Events.Embed> embed() {
        Arbitrary<Events.EmbeddedEvents> events = Combinators.combine(requestId(), list(requestedEvent(false), 1, 2))
                .as(Events.EmbeddedEvents::new);
        return Arbitraries.oneOf(
                signals(0).map(s -> new Events.Embed(Optional.of(s), Optional.empty())),
                events.map(e -> new Events.Embed(Optional.empty(), Optional.of(e))),
                Combinators.combine(signals(0), events).as((s, e) -> new Events.Embed(Optional.of(s), Optional.of(e))));
    }

    static Arbitrary<Descriptor.EventsDescriptor> events() {
        return Combinators.combine(requestId(), list(requestedEvent(true), 1, 3)).as(Descriptor.EventsDescriptor::new);
    }

    static Arbitrary<Descriptor.ObservedEventsDescriptor> observedEvents() {
        Arbitrary<Optional<String>> timestamp = Arbitraries.of("20261124T18110000", "19990729T22000000").optional();
        Arbitrary<Events.EventParameter> parameter = Arbitraries.oneOf(
                Arbitraries.integers().between(0, 65535).map(Events.EventStream::new), property().map(Events.EventOther::new));
        Arbitrary<Events.ObservedEvent> event = Combinators.combine(timestamp, packageItem(), list(parameter, 0, 2)).as(Events.ObservedEvent::new);
        return Combinators.combine(Arbitraries.longs().between(0, 0xFFFF_FFFFL), list(event, 1, 3)).as(Descriptor.ObservedEventsDescriptor::new);
    }

    static Arbitrary<Descriptor.AuditDescriptor> audit() {
        return list(Arbitraries.of(AuditItem.class), 0, 3).map(Descriptor.AuditDescriptor::new);
    }

    static Arbitrary<Descriptor> ammDescriptor() {
        return Arbitraries.oneOf(media(), events(), signals(0), digitMap(), audit(), statistics(),
                list(Combinators.combine(packageItem(), Arbitraries.integers().between(0, 9)).as((p, n) -> List.of()), 0, 0).map(x -> new Descriptor.EventBufferDescriptor(List.of())),
                Combinators.combine(Arbitraries.of("V18", "V34"), list(property(), 0, 2)).as((t, p) -> new Descriptor.ModemDescriptor(List.of(t), p)),
                Combinators.combine(Arbitraries.of("H221", "H223"), list(terminationId(), 1, 2)).as(Descriptor.MuxDescriptor::new));
    }

    static Arbitrary<Descriptor> replyDescriptor() {
        return Arbitraries.oneOf(media(), events(), signals(1), digitMap(), statistics(), observedEvents(), error().map(e -> e),
                Arbitraries.of(AuditItem.class).map(Descriptor.AuditReturnItem::new),
                list(Combinators.combine(name(), Arbitraries.integers().between(0, 65535)).as(Descriptor.PackageVersion::new), 1, 3)
                        .map(Descriptor.PackagesDescriptor::new));
    }

    static Arbitrary<Descriptor.ServiceChangeDescriptor> services() {
        Arbitrary<ServiceChangeParameter> parameter = Arbitraries.oneOf(
                Arbitraries.of(ServiceChangeParameter.ServiceChangeMethod.class).filter(m -> m != ServiceChangeParameter.ServiceChangeMethod.EXTENSION)
                        .map(ServiceChangeParameter.Method::of),
                Arbitraries.just(new ServiceChangeParameter.Method(ServiceChangeParameter.ServiceChangeMethod.EXTENSION, Optional.of("X-abc"))),
                Arbitraries.of("901", "902 Warm Boot", "905").map(ServiceChangeParameter.Reason::new),
                Arbitraries.longs().between(0, 0xFFFF_FFFFL).map(ServiceChangeParameter.Delay::new),
                Arbitraries.integers().between(0, 65535).map(p -> new ServiceChangeParameter.Address(Optional.empty(), Optional.of(p))),
                messageId().map(m -> new ServiceChangeParameter.Address(Optional.of(m), Optional.empty())),
                Combinators.combine(Arbitraries.of("ResGW", "IMS-AGW", "TrGW"), Arbitraries.integers().between(0, 65535)).as(ServiceChangeParameter.Profile::new),
                Arbitraries.integers().between(1, 3).map(ServiceChangeParameter.Version::new),
                messageId().map(ServiceChangeParameter.MgcIdToTry::new),
                Arbitraries.just(new ServiceChangeParameter.TimeStamp("20261124T18110000")),
                value().map(v -> new ServiceChangeParameter.Extension(PropertyParameter.of("X-ext", v))),
                Arbitraries.just(new ServiceChangeParameter.Incomplete()),
                audit().map(ServiceChangeParameter.Info::new));
        return list(parameter, 1, 4).map(Descriptor.ServiceChangeDescriptor::new);
    }

    static Arbitrary<Command> command() {
        Arbitrary<Optional<Descriptor.AuditDescriptor>> optionalAudit = audit().optional();
        return Arbitraries.oneOf(
                Combinators.combine(terminationId(), list(ammDescriptor(), 0, 3)).as(Command.Add::new),
                Combinators.combine(terminationId(), list(ammDescriptor(), 0, 3)).as(Command.Modify::new),
                Combinators.combine(terminationId(), list(ammDescriptor(), 0, 2)).as(Command.Move::new),
                Combinators.combine(terminationId(), optionalAudit).as(Command.Subtract::new),
                Combinators.combine(terminationId(), optionalAudit).as(Command.AuditValue::new),
                Combinators.combine(terminationId(), optionalAudit).as(Command.AuditCapabilities::new),
                Combinators.combine(terminationId(), observedEvents(), error().optional()).as(Command.Notify::new),
                Combinators.combine(terminationId(), services()).as(Command.ServiceChange::new));
    }

    static Arbitrary<ContextProperty> contextProperty() {
        Arbitrary<TopologyDescriptor.Triple> triple = Combinators.combine(terminationId(), terminationId(),
                Arbitraries.of(TopologyDescriptor.Direction.class),
                Arbitraries.integers().between(0, 65535).optional().map(o -> o.map(OptionalInt::of).orElse(OptionalInt.empty())))
                .as(TopologyDescriptor.Triple::new);
        return Arbitraries.oneOf(
                list(triple, 1, 2).map(t -> new ContextProperty.Topology(new TopologyDescriptor(t))),
                Arbitraries.integers().between(0, 15).map(ContextProperty.Priority::new),
                Arbitraries.of(true, false).map(ContextProperty.Emergency::new),
                Arbitraries.of(true, false).map(ContextProperty.Ieps::new),
                list(property(), 1, 2).map(ContextProperty.ContextAttributes::new));
    }

    static Arbitrary<ContextId> contextId() {
        return Arbitraries.oneOf(Arbitraries.of(ContextId.NULL, ContextId.CHOOSE, ContextId.ALL),
                Arbitraries.longs().between(0, 0xFFFF_FFFFL).map(ContextId::of));
    }

    static Arbitrary<ActionRequest> actionRequest() {
        Arbitrary<ContextAuditItem> auditItem = Arbitraries.oneOf(
                Arbitraries.of(ContextAuditItem.Kind.TOPOLOGY, ContextAuditItem.Kind.PRIORITY, ContextAuditItem.Kind.EMERGENCY, ContextAuditItem.Kind.IEPS)
                        .map(ContextAuditItem::of),
                packageItem().map(p -> new ContextAuditItem(ContextAuditItem.Kind.PROPERTY, Optional.of(p))));
        Arbitrary<CommandRequest> commandRequest = Combinators.combine(Arbitraries.of(true, false), Arbitraries.of(true, false), command())
                .as(CommandRequest::new);
        return Combinators.combine(contextId(), list(contextProperty(), 0, 2), list(auditItem, 0, 2), list(commandRequest, 1, 3))
                .as(ActionRequest::new);
    }

    static Arbitrary<CommandReply> commandReply() {
        Arbitrary<List<Descriptor>> audit = list(replyDescriptor(), 0, 3);
        return Arbitraries.oneOf(
                Combinators.combine(terminationId(), audit).as(CommandReply.AddReply::new),
                Combinators.combine(terminationId(), audit).as(CommandReply.ModifyReply::new),
                Combinators.combine(terminationId(), audit).as(CommandReply.MoveReply::new),
                Combinators.combine(terminationId(), audit).as(CommandReply.SubtractReply::new),
                Combinators.combine(terminationId(), audit).as(CommandReply.AuditValueReply::new),
                Combinators.combine(terminationId(), audit).as(CommandReply.AuditCapabilitiesReply::new),
                Combinators.combine(Arbitraries.of(true, false), list(terminationId(), 1, 3)).as((c, ids) -> new CommandReply.ContextTerminationAudit(c, ids, Optional.empty())),
                Combinators.combine(Arbitraries.of(true, false), error()).as((c, e) -> new CommandReply.ContextTerminationAudit(c, List.of(), Optional.of(e))),
                Combinators.combine(terminationId(), error().optional()).as(CommandReply.NotifyReply::new),
                Combinators.combine(terminationId(), error()).as((t, e) -> new CommandReply.ServiceChangeReply(t, Optional.of(e), Optional.empty())),
                Combinators.combine(terminationId(), services().optional()).as((t, s) -> new CommandReply.ServiceChangeReply(t, Optional.empty(), s)));
    }

    static Arbitrary<ActionReply> actionReply() {
        return Combinators.combine(contextId(), list(contextProperty(), 0, 1), list(commandReply(), 1, 3), error().optional())
                .as(ActionReply::new);
    }

    static Arbitrary<Transaction> transaction() {
        Arbitrary<Long> id = Arbitraries.longs().between(0, 0xFFFF_FFFFL);
        return Arbitraries.oneOf(
                Combinators.combine(id, list(actionRequest(), 1, 2)).as(Transaction.TransactionRequest::new),
                Combinators.combine(id, Arbitraries.of(true, false), list(actionReply(), 1, 2))
                        .as((t, ack, actions) -> new Transaction.TransactionReply(t, ack, Optional.empty(), actions)),
                Combinators.combine(id, Arbitraries.of(true, false), error())
                        .as((t, ack, e) -> new Transaction.TransactionReply(t, ack, Optional.of(e), List.of())),
                id.map(Transaction.TransactionPending::new),
                list(Combinators.combine(id, Arbitraries.longs().between(0, 1000)).as((a, extra) -> new Transaction.AckRange(a, Math.min(0xFFFF_FFFFL, a + extra))), 1, 3)
                        .map(Transaction.TransactionResponseAck::new));
    }

    static Arbitrary<Message> messages() {
        Arbitrary<MessageBody> body = Arbitraries.oneOf(
                list(transaction(), 1, 3).map(MessageBody.Transactions::new),
                error().map(MessageBody.MessageError::new));
        return Combinators.combine(messageId(), body).as((mId, b) -> new Message(3, mId, b));
    }
}
