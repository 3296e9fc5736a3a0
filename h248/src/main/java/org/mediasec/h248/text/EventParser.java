package org.mediasec.h248.text;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.mediasec.h248.H248SyntaxError;
import org.mediasec.h248.message.Descriptor;
import org.mediasec.h248.message.Events;
import org.mediasec.h248.message.PackageItem;
import org.mediasec.h248.message.Signals;

/** Events, EventBuffer and Signals descriptors (H.248.1 7.1.9, 7.1.11, 7.1.17; Annex B). */
abstract class EventParser extends ParserBase {

    EventParser(Lexer lexer, ParserLimits limits) {
        super(lexer, limits);
    }

    abstract Descriptor.DigitMapDescriptor digitMap() throws H248SyntaxError;

    abstract long requestId() throws H248SyntaxError;

    abstract OptionalLong optionalRequestId() throws H248SyntaxError;

    /** {@code Events [= id { requestedEvent, … }]}, keyword read. */
    final Descriptor.EventsDescriptor events() throws H248SyntaxError {
        OptionalLong requestId = optionalRequestId();
        return new Descriptor.EventsDescriptor(requestId, requestedEvents(requestId, true));
    }

    /** The braced list after {@code Events = id}; {@code embedAllowed} is false inside Embed (Annex B embedFirst). */
    private List<Events.RequestedEvent> requestedEvents(OptionalLong requestId, boolean embedAllowed) throws H248SyntaxError {
        List<Events.RequestedEvent> events = new ArrayList<>();
        if (requestId.isEmpty()) {
            return events;
        }
        open();
        do {
            PackageItem name = readPackageItem("an event pkg/name");
            List<Events.EventParameter> parameters = new ArrayList<>();
            if (lexer.peek() == '{') {
                open();
                do {
                    parameters.add(eventParameter(true, embedAllowed));
                } while (more());
                close();
            }
            events.add(new Events.RequestedEvent(name, parameters));
        } while (more());
        close();
        return events;
    }

    /** {@code EventBuffer [{ eventSpec, … }]}, keyword read. */
    final Descriptor.EventBufferDescriptor eventBuffer() throws H248SyntaxError {
        List<Events.EventSpec> events = new ArrayList<>();
        if (lexer.peek() == '{') {
            open();
            do {
                PackageItem name = readPackageItem("an event pkg/name");
                events.add(new Events.EventSpec(name, eventParameters(false)));
            } while (more());
            close();
        }
        return new Descriptor.EventBufferDescriptor(events);
    }

    /**
     * The optional braces after an event name. {@code full}: a requested event (Embed, KeepActive, DigitMap,
     * notification behaviour allowed); otherwise an observed event or event spec (stream and other only).
     */
    final List<Events.EventParameter> eventParameters(boolean full) throws H248SyntaxError {
        List<Events.EventParameter> parameters = new ArrayList<>();
        if (lexer.peek() != '{') {
            return parameters;
        }
        open();
        do {
            parameters.add(eventParameter(full, true));
        } while (more());
        close();
        return parameters;
    }

    private Events.EventParameter eventParameter(boolean full, boolean embedAllowed) throws H248SyntaxError {
        if (lexer.word() == 0) {
            throw error("expected an event parameter");
        }
        Token token = full
                ? match(Token.STREAM, Token.KEEP_ACTIVE, Token.EMBED, Token.DIGIT_MAP, Token.NOTIFY_IMMEDIATE,
                        Token.NOTIFY_REGULATED, Token.NEVER_NOTIFY, Token.RESET_EVENTS_DESCRIPTOR)
                : match(Token.STREAM);
        if (token == null) {
            return new Events.EventOther(propertyParameter());
        }
        return switch (token) {
            case STREAM -> {
                expect('=');
                yield new Events.EventStream(uint16("a StreamID"));
            }
            case KEEP_ACTIVE -> new Events.KeepActive();
            case EMBED -> {
                if (!embedAllowed) {
                    throw wordError("Embed inside an embedded event");
                }
                yield embed();
            }
            case DIGIT_MAP -> new Events.EventDigitMap(digitMap());
            case NOTIFY_IMMEDIATE -> new Events.NotifyBehaviour(Events.NotifyBehaviour.Kind.IMMEDIATE, Optional.empty());
            case NEVER_NOTIFY -> new Events.NotifyBehaviour(Events.NotifyBehaviour.Kind.NEVER, Optional.empty());
            case NOTIFY_REGULATED -> {
                Optional<Events.Embed> embed = Optional.empty();
                if (lexer.peek() == '{') {
                    open();
                    keyword("Embed", Token.EMBED);
                    embed = Optional.of(embed());
                    close();
                }
                yield new Events.NotifyBehaviour(Events.NotifyBehaviour.Kind.REGULATED, embed);
            }
            default -> new Events.ResetEventsDescriptor();
        };
    }

    /** {@code Embed { Signals {…} [, Events = id {…}] }} or {@code Embed { Events = id {…} }}, keyword read. */
    private Events.Embed embed() throws H248SyntaxError {
        open();
        Optional<Descriptor.SignalsDescriptor> signals = Optional.empty();
        Optional<Events.EmbeddedEvents> events = Optional.empty();
        Token token = keyword("Signals or Events", Token.SIGNALS, Token.EVENTS);
        if (token == Token.SIGNALS) {
            signals = Optional.of(signals());
            if (lexer.consume(',')) {
                keyword("Events", Token.EVENTS);
                events = Optional.of(embeddedEvents());
            }
        } else {
            events = Optional.of(embeddedEvents());
        }
        close();
        return new Events.Embed(signals, events);
    }

    private Events.EmbeddedEvents embeddedEvents() throws H248SyntaxError {
        OptionalLong requestId = optionalRequestId();
        return new Events.EmbeddedEvents(requestId, requestedEvents(requestId, false));
    }

    /** {@code Signals [{ signalParm, … }]}, keyword read. */
    final Descriptor.SignalsDescriptor signals() throws H248SyntaxError {
        List<Signals.SignalParameter> signals = new ArrayList<>();
        if (lexer.peek() == '{') {
            open();
            if (lexer.peek() != '}') {
                do {
                    if (lexer.word() == 0) {
                        throw error("expected a signal");
                    }
                    if (lexer.wordIs(Token.SIGNAL_LIST)) {
                        expect('=');
                        int listId = uint16("a signal list ID");
                        List<Signals.SignalRequest> list = new ArrayList<>();
                        open();
                        do {
                            if (lexer.word() == 0) {
                                throw error("expected a signal");
                            }
                            list.add(signalRequest());
                        } while (more());
                        close();
                        signals.add(new Signals.SignalList(listId, list));
                    } else {
                        signals.add(signalRequest());
                    }
                } while (more());
            }
            close();
        }
        return new Descriptor.SignalsDescriptor(signals);
    }

    /** {@code pkg/signal [{ sigParameter, … }]}, name is the current word. */
    private Signals.SignalRequest signalRequest() throws H248SyntaxError {
        PackageItem name = packageItem();
        List<Signals.SignalRequestParameter> parameters = new ArrayList<>();
        if (lexer.peek() == '{') {
            open();
            do {
                parameters.add(signalParameter());
            } while (more());
            close();
        }
        return new Signals.SignalRequest(name, parameters);
    }

    private Signals.SignalRequestParameter signalParameter() throws H248SyntaxError {
        if (lexer.word() == 0) {
            throw error("expected a signal parameter");
        }
        Token token = match(Token.STREAM, Token.SIGNAL_TYPE, Token.DURATION, Token.NOTIFY_COMPLETION, Token.KEEP_ACTIVE,
                Token.DIRECTION, Token.REQUEST_ID, Token.INTERSIGNAL);
        if (token == null) {
            return new Signals.SignalOther(propertyParameter());
        }
        if (token == Token.KEEP_ACTIVE) {
            return new Signals.SignalKeepActive();
        }
        expect('=');
        return switch (token) {
            case STREAM -> new Signals.SignalStream(uint16("a StreamID"));
            case SIGNAL_TYPE -> new Signals.SignalTypeParameter(switch (keyword("a signal type", Token.ON_OFF, Token.TIME_OUT, Token.BRIEF)) {
                case ON_OFF -> Signals.SignalType.ON_OFF;
                case TIME_OUT -> Signals.SignalType.TIME_OUT;
                default -> Signals.SignalType.BRIEF;
            });
            case DURATION -> new Signals.Duration(uint16("a duration"));
            case NOTIFY_COMPLETION -> notifyCompletion();
            case DIRECTION -> new Signals.Direction(switch (keyword("a direction", Token.EXTERNAL, Token.INTERNAL, Token.BOTH)) {
                case EXTERNAL -> Signals.SignalDirection.EXTERNAL;
                case INTERNAL -> Signals.SignalDirection.INTERNAL;
                default -> Signals.SignalDirection.BOTH;
            });
            case REQUEST_ID -> new Signals.RequestId(uint32("a RequestID"));
            default -> new Signals.IntersignalDelay(uint16("an inter-signal delay"));
        };
    }

    private Signals.NotifyCompletion notifyCompletion() throws H248SyntaxError {
        List<Signals.NotificationReason> reasons = new ArrayList<>();
        open();
        do {
            reasons.add(switch (keyword("a notification reason", Token.TIME_OUT, Token.INTERRUPT_BY_EVENT,
                    Token.INTERRUPT_BY_NEW_SIGNALS, Token.OTHER_REASON, Token.ITERATION)) {
                case TIME_OUT -> Signals.NotificationReason.TIME_OUT;
                case INTERRUPT_BY_EVENT -> Signals.NotificationReason.INTERRUPTED_BY_EVENT;
                case INTERRUPT_BY_NEW_SIGNALS -> Signals.NotificationReason.INTERRUPTED_BY_NEW_SIGNALS_DESCRIPTOR;
                case OTHER_REASON -> Signals.NotificationReason.OTHER_REASON;
                default -> Signals.NotificationReason.ITERATION;
            });
        } while (more());
        close();
        return new Signals.NotifyCompletion(reasons);
    }
}
