package org.mediasec.h248.text;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.mediasec.h248.H248SyntaxError;
import org.mediasec.h248.message.AuditItem;
import org.mediasec.h248.message.Descriptor;
import org.mediasec.h248.message.ErrorDescriptor;
import org.mediasec.h248.message.Events;
import org.mediasec.h248.message.MediaParameter;
import org.mediasec.h248.message.PackageItem;
import org.mediasec.h248.message.PropertyParameter;
import org.mediasec.h248.message.PropertyValue;
import org.mediasec.h248.message.TopologyDescriptor;

/** The descriptors of H.248.1 7.1 (Annex B), read after their keyword. Signals and events are in {@link EventParser}. */
abstract class DescriptorParser extends EventParser {

    static final Token[] AUDIT_ITEMS = {
        Token.MEDIA, Token.MODEM, Token.MUX, Token.EVENTS, Token.SIGNALS, Token.DIGIT_MAP, Token.STATISTICS,
        Token.OBSERVED_EVENTS, Token.EVENT_BUFFER, Token.PACKAGES
    };

    DescriptorParser(Lexer lexer, ParserLimits limits) {
        super(lexer, limits);
    }

    /** {@code Error = code { ["text"] }}, keyword read. */
    final ErrorDescriptor errorDescriptor() throws H248SyntaxError {
        expect('=');
        int code = (int) number("an error code", 9999);
        open();
        Optional<String> text = Optional.empty();
        if (lexer.peek() == '"') {
            text = Optional.of(value("the error text"));
        }
        close();
        return new ErrorDescriptor(code, text);
    }

    /** One descriptor of a request's command (Annex B ammParameter), keyword read. */
    final Descriptor commandDescriptor(Token token) throws H248SyntaxError {
        return switch (token) {
            case MEDIA -> media();
            case MODEM -> modem();
            case MUX -> mux();
            case EVENTS -> events();
            case SIGNALS -> signals();
            case DIGIT_MAP -> digitMap();
            case EVENT_BUFFER -> eventBuffer();
            case AUDIT -> audit();
            case STATISTICS -> statistics();
            case OBSERVED_EVENTS -> observedEvents();
            case PACKAGES -> packages();
            case ERROR -> errorDescriptor();
            case TOPOLOGY -> topology();
            default -> throw wordError("unexpected " + token.longForm);
        };
    }

    final AuditItem auditItem(Token token) {
        return switch (token) {
            case MEDIA -> AuditItem.MEDIA;
            case MODEM -> AuditItem.MODEM;
            case MUX -> AuditItem.MUX;
            case EVENTS -> AuditItem.EVENTS;
            case SIGNALS -> AuditItem.SIGNALS;
            case DIGIT_MAP -> AuditItem.DIGIT_MAP;
            case STATISTICS -> AuditItem.STATISTICS;
            case OBSERVED_EVENTS -> AuditItem.OBSERVED_EVENTS;
            case EVENT_BUFFER -> AuditItem.EVENT_BUFFER;
            case PACKAGES -> AuditItem.PACKAGES;
            default -> throw new IllegalArgumentException(token.name());
        };
    }

    /** {@code Audit { [auditItem, …] }}; the v2 indAud forms are not supported. */
    final Descriptor.AuditDescriptor audit() throws H248SyntaxError {
        open();
        List<AuditItem> items = new ArrayList<>();
        if (lexer.peek() != '}') {
            do {
                Token token = keyword("an audit item", AUDIT_ITEMS);
                int next = lexer.peek();
                if (next == '{' || next == '=') {
                    throw wordError("individual audit descriptors (indAud) are not supported");
                }
                items.add(auditItem(token));
            } while (more());
        }
        close();
        return new Descriptor.AuditDescriptor(items);
    }

    // ---- Media ----------------------------------------------------------------------------------------------

    private Descriptor.MediaDescriptor media() throws H248SyntaxError {
        open();
        List<MediaParameter> parameters = new ArrayList<>();
        do {
            Token token = keyword("a media parameter", Token.STREAM, Token.TERMINATION_STATE, Token.LOCAL_CONTROL,
                    Token.LOCAL, Token.REMOTE, Token.STATISTICS);
            parameters.add(switch (token) {
                case STREAM -> stream();
                case TERMINATION_STATE -> terminationState();
                default -> streamParameter(token);
            });
        } while (more());
        close();
        return new Descriptor.MediaDescriptor(parameters);
    }

    private MediaParameter.StreamDescriptor stream() throws H248SyntaxError {
        expect('=');
        int streamId = uint16("a StreamID");
        open();
        List<MediaParameter.StreamParameter> parameters = new ArrayList<>();
        do {
            int at = lexer.peek() < 0 ? lexer.pos : lexer.pos;
            Token token = keyword("a stream parameter", Token.LOCAL_CONTROL, Token.LOCAL, Token.REMOTE, Token.STATISTICS);
            if (token == Token.STATISTICS) {
                requireVersion(3, at, "Statistics inside a Stream");
            }
            parameters.add(streamParameter(token));
        } while (more());
        close();
        return new MediaParameter.StreamDescriptor(streamId, parameters);
    }

    private MediaParameter.StreamParameter streamParameter(Token token) throws H248SyntaxError {
        return switch (token) {
            case LOCAL_CONTROL -> localControl();
            case LOCAL -> new MediaParameter.LocalDescriptor(sdp());
            case REMOTE -> new MediaParameter.RemoteDescriptor(sdp());
            case STATISTICS -> statistics();
            default -> throw wordError("unexpected " + token.longForm);
        };
    }

    /** The octet string of Local/Remote, normalised to its lines (trimmed, blank lines dropped) joined by LF. */
    private String sdp() throws H248SyntaxError {
        lexer.skipWhiteSpace();
        if (lexer.pos >= lexer.end || lexer.input[lexer.pos] != '{') {
            throw error("expected '{'");
        }
        int start = lexer.pos++;
        String raw = lexer.octetString();
        if (raw == null) {
            throw errorAt(start, "Local/Remote descriptor without a closing '}'");
        }
        lexer.pos++;
        return SdpText.normalise(raw);
    }

    private MediaParameter.LocalControlDescriptor localControl() throws H248SyntaxError {
        open();
        List<MediaParameter.LocalControlParameter> parameters = new ArrayList<>();
        do {
            if (lexer.word() == 0) {
                throw error("expected a LocalControl parameter");
            }
            Token token = match(Token.MODE, Token.RESERVED_VALUE, Token.RESERVED_GROUP);
            if (token == null) {
                parameters.add(new MediaParameter.LocalControlProperty(packageProperty()));
                continue;
            }
            expect('=');
            parameters.add(switch (token) {
                case MODE -> new MediaParameter.Mode(switch (keyword("a stream mode", Token.SEND_ONLY, Token.RECEIVE_ONLY,
                        Token.SEND_RECEIVE, Token.INACTIVE, Token.LOOPBACK)) {
                    case SEND_ONLY -> MediaParameter.StreamMode.SEND_ONLY;
                    case RECEIVE_ONLY -> MediaParameter.StreamMode.RECEIVE_ONLY;
                    case SEND_RECEIVE -> MediaParameter.StreamMode.SEND_RECEIVE;
                    case INACTIVE -> MediaParameter.StreamMode.INACTIVE;
                    default -> MediaParameter.StreamMode.LOOPBACK;
                });
                case RESERVED_VALUE -> new MediaParameter.ReservedValue(onOff("ReservedValue"));
                default -> new MediaParameter.ReservedGroup(onOff("ReservedGroup"));
            });
        } while (more());
        close();
        return new MediaParameter.LocalControlDescriptor(parameters);
    }

    /** A {@code pkg/item parmValue} property (current word is the name). */
    final PropertyParameter packageProperty() throws H248SyntaxError {
        packageItem();
        return propertyParameter();
    }

    private MediaParameter.TerminationStateDescriptor terminationState() throws H248SyntaxError {
        open();
        List<MediaParameter.TerminationStateParameter> parameters = new ArrayList<>();
        do {
            if (lexer.word() == 0) {
                throw error("expected a TerminationState parameter");
            }
            Token token = match(Token.SERVICE_STATES, Token.BUFFER);
            if (token == null) {
                parameters.add(new MediaParameter.TerminationStateProperty(packageProperty()));
                continue;
            }
            expect('=');
            if (token == Token.SERVICE_STATES) {
                parameters.add(new MediaParameter.ServiceStates(switch (keyword("a service state", Token.TEST, Token.OUT_OF_SERVICE, Token.IN_SERVICE)) {
                    case TEST -> MediaParameter.ServiceState.TEST;
                    case OUT_OF_SERVICE -> MediaParameter.ServiceState.OUT_OF_SERVICE;
                    default -> MediaParameter.ServiceState.IN_SERVICE;
                }));
            } else {
                if (lexer.word() == 0) {
                    throw error("expected LockStep or OFF");
                }
                if (lexer.wordIs(Token.LOCK_STEP)) {
                    parameters.add(new MediaParameter.EventBufferControl(true));
                } else if (lexer.wordText().equalsIgnoreCase("OFF")) {
                    parameters.add(new MediaParameter.EventBufferControl(false));
                } else {
                    throw wordError("expected LockStep or OFF");
                }
            }
        } while (more());
        close();
        return new MediaParameter.TerminationStateDescriptor(parameters);
    }

    // ---- other descriptors ----------------------------------------------------------------------------------

    private Descriptor.ModemDescriptor modem() throws H248SyntaxError {
        List<String> types = new ArrayList<>();
        if (lexer.consume('[')) {
            do {
                types.add(value("a modem type"));
            } while (lexer.consume(','));
            expect(']');
        } else {
            expect('=');
            types.add(value("a modem type"));
        }
        List<PropertyParameter> properties = new ArrayList<>();
        if (lexer.peek() == '{') {
            open();
            do {
                if (lexer.word() == 0) {
                    throw error("expected a modem property");
                }
                properties.add(packageProperty());
            } while (more());
            close();
        }
        return new Descriptor.ModemDescriptor(types, properties);
    }

    private Descriptor.MuxDescriptor mux() throws H248SyntaxError {
        expect('=');
        String type = value("a multiplex type");
        return new Descriptor.MuxDescriptor(type, terminationIdList());
    }

    /** {@code DigitMap = name [{ value }]} or {@code DigitMap = { value }}, keyword read. */
    final Descriptor.DigitMapDescriptor digitMap() throws H248SyntaxError {
        expect('=');
        Optional<String> name = Optional.empty();
        if (lexer.peek() != '{') {
            if (lexer.word() == 0) {
                throw error("expected a digit map name or '{'");
            }
            name = Optional.of(lexer.wordText());
        }
        Optional<String> value = Optional.empty();
        if (lexer.peek() == '{') {
            int start = lexer.pos;
            open();
            String text = lexer.compactedUntil('}');
            if (text == null) {
                throw errorAt(start, "digit map without a closing '}', or with a character a digit map cannot hold");
            }
            value = Optional.of(text);
            close();
        }
        return new Descriptor.DigitMapDescriptor(name, value);
    }

    final Descriptor.StatisticsDescriptor statistics() throws H248SyntaxError {
        open();
        List<Descriptor.StatisticsParameter> statistics = new ArrayList<>();
        do {
            PackageItem name = readPackageItem("a statistic pkg/item");
            Optional<PropertyValue> value = Optional.empty();
            if (lexer.consume('=')) {
                if (lexer.consume('[')) {
                    List<String> values = new ArrayList<>();
                    do {
                        values.add(value("a statistic value"));
                    } while (lexer.consume(','));
                    expect(']');
                    value = Optional.of(new PropertyValue.Alternatives(values));
                } else {
                    value = Optional.of(PropertyValue.Single.equalTo(value("a statistic value")));
                }
            }
            statistics.add(new Descriptor.StatisticsParameter(name, value));
        } while (more());
        close();
        return new Descriptor.StatisticsDescriptor(statistics);
    }

    private Descriptor.PackagesDescriptor packages() throws H248SyntaxError {
        open();
        List<Descriptor.PackageVersion> packages = new ArrayList<>();
        do {
            if (lexer.word() == 0) {
                throw error("expected name-version");
            }
            String item = lexer.wordText();
            int dash = item.lastIndexOf('-');
            if (dash <= 0 || dash == item.length() - 1 || item.length() - dash - 1 > 5
                    || !item.substring(dash + 1).chars().allMatch(Character::isDigit) || Integer.parseInt(item.substring(dash + 1)) > 0xFFFF) {
                throw wordError("expected a package name-version, like nt-1");
            }
            packages.add(new Descriptor.PackageVersion(item.substring(0, dash), Integer.parseInt(item.substring(dash + 1))));
        } while (more());
        close();
        return new Descriptor.PackagesDescriptor(packages);
    }

    private Descriptor.ObservedEventsDescriptor observedEvents() throws H248SyntaxError {
        expect('=');
        long requestId = requestId();
        open();
        List<Events.ObservedEvent> events = new ArrayList<>();
        do {
            if (lexer.word() == 0) {
                throw error("expected an observed event");
            }
            Optional<String> timestamp = Optional.empty();
            if (lexer.peek() == ':') {
                timestamp = Optional.of(timestamp());
                lexer.pos++;
                if (lexer.word() == 0) {
                    throw error("expected an event name after the time stamp");
                }
            }
            PackageItem name = packageItem();
            events.add(new Events.ObservedEvent(timestamp, name, eventParameters(false)));
        } while (more());
        close();
        return new Descriptor.ObservedEventsDescriptor(requestId, events);
    }

    /** Annex B: {@code TimeStamp = Date "T" Time}, 8 digits each (the current word). */
    final String timestamp() throws H248SyntaxError {
        String text = lexer.wordText();
        if (text.length() != 17 || (text.charAt(8) != 'T' && text.charAt(8) != 't')
                || !(text.substring(0, 8) + text.substring(9)).chars().allMatch(Character::isDigit)) {
            throw wordError("expected a time stamp yyyymmddThhmmssss");
        }
        return text.substring(0, 8) + "T" + text.substring(9);
    }

    /** Annex B: {@code RequestID = ( UINT32 / "*" )}. */
    final long requestId() throws H248SyntaxError {
        if (lexer.word() == 1 && lexer.input[lexer.wordStart] == '*') {
            return Descriptor.ALL_REQUESTS;
        }
        if (lexer.wordEnd == lexer.wordStart) {
            throw error("expected a RequestID");
        }
        long value = lexer.wordNumber(UINT32_MAX);
        if (value < 0) {
            throw wordError("expected a RequestID (a number up to 4294967295 or *)");
        }
        return value;
    }

    final OptionalLong optionalRequestId() throws H248SyntaxError {
        if (lexer.consume('=')) {
            return OptionalLong.of(requestId());
        }
        return OptionalLong.empty();
    }

    /** {@code Topology { T1, T2, direction [, Stream = n], … }}, keyword read. */
    final TopologyDescriptor topology() throws H248SyntaxError {
        open();
        List<TopologyDescriptor.Triple> triples = new ArrayList<>();
        boolean more;
        do {
            var from = terminationId();
            expect(',');
            var to = terminationId();
            expect(',');
            TopologyDescriptor.Direction direction = switch (keyword("a topology direction", Token.BOTHWAY, Token.ISOLATE,
                    Token.ONEWAY_EXTERNAL, Token.ONEWAY_BOTH, Token.ONEWAY)) {
                case BOTHWAY -> TopologyDescriptor.Direction.BOTHWAY;
                case ISOLATE -> TopologyDescriptor.Direction.ISOLATE;
                case ONEWAY_EXTERNAL -> TopologyDescriptor.Direction.ONEWAY_EXTERNAL;
                case ONEWAY_BOTH -> TopologyDescriptor.Direction.ONEWAY_BOTH;
                default -> TopologyDescriptor.Direction.ONEWAY;
            };
            OptionalInt stream = OptionalInt.empty();
            more = more();
            if (more) {
                int mark = lexer.pos;
                lexer.word();
                if (lexer.wordIs(Token.STREAM)) {
                    requireVersion(2, lexer.wordStart, "a stream in a topology triple");
                    expect('=');
                    stream = OptionalInt.of(uint16("a StreamID"));
                    more = more();
                } else {
                    lexer.pos = mark;
                }
            }
            triples.add(new TopologyDescriptor.Triple(from, to, direction, stream));
        } while (more);
        close();
        return new TopologyDescriptor(triples);
    }
}
