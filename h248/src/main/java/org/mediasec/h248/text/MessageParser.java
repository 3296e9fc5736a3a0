package org.mediasec.h248.text;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.mediasec.h248.ErrorCode;
import org.mediasec.h248.H248SyntaxError;
import org.mediasec.h248.message.ActionReply;
import org.mediasec.h248.message.ActionRequest;
import org.mediasec.h248.message.Command;
import org.mediasec.h248.message.CommandReply;
import org.mediasec.h248.message.CommandRequest;
import org.mediasec.h248.message.ContextAuditItem;
import org.mediasec.h248.message.ContextId;
import org.mediasec.h248.message.ContextProperty;
import org.mediasec.h248.message.Descriptor;
import org.mediasec.h248.message.ErrorDescriptor;
import org.mediasec.h248.message.Message;
import org.mediasec.h248.message.MessageBody;
import org.mediasec.h248.message.MessageId;
import org.mediasec.h248.message.PropertyParameter;
import org.mediasec.h248.message.TerminationId;
import org.mediasec.h248.message.Transaction;

/** Message, transactions, actions and commands (H.248.1 Annex B); descriptors come from the parent classes. */
final class MessageParser extends DescriptorParser {

    private static final Token[] CONTEXT_PROPERTIES = {
        Token.TOPOLOGY, Token.PRIORITY, Token.EMERGENCY_OFF, Token.EMERGENCY, Token.IEPS, Token.CONTEXT_ATTR
    };
    private static final Token[] COMMANDS = {
        Token.ADD, Token.MODIFY, Token.MOVE, Token.SUBTRACT, Token.AUDIT_VALUE, Token.AUDIT_CAPABILITY, Token.NOTIFY,
        Token.SERVICE_CHANGE
    };
    private static final Token[] AMM_PARAMETERS = {
        Token.MEDIA, Token.MODEM, Token.MUX, Token.EVENTS, Token.SIGNALS, Token.DIGIT_MAP, Token.EVENT_BUFFER,
        Token.AUDIT, Token.STATISTICS
    };
    private static final Token[] AUDIT_RETURN_PARAMETERS = {
        Token.MEDIA, Token.MODEM, Token.MUX, Token.EVENTS, Token.SIGNALS, Token.DIGIT_MAP, Token.OBSERVED_EVENTS,
        Token.EVENT_BUFFER, Token.STATISTICS, Token.PACKAGES, Token.ERROR
    };

    MessageParser(Lexer lexer, ParserLimits limits) {
        super(lexer, limits);
    }

    /** Annex B: {@code megacoMessage = LWSP [authenticationHeader SEP] message}. */
    Message message() throws H248SyntaxError {
        lexer.skipWhiteSpace();
        int start = lexer.pos;
        if (lexer.word() == 0) {
            throw error("expected MEGACO/version");
        }
        String header = lexer.wordText();
        int slash = header.indexOf('/');
        if (slash < 0) {
            if (header.equalsIgnoreCase("Authentication") || header.equalsIgnoreCase("AU")) {
                throw errorAt(start, ErrorCode.PROTOCOL_ERROR, "the authentication header is not supported (use IPsec or TLS, H.248.1 10)");
            }
            throw errorAt(start, "expected MEGACO/version");
        }
        String megaco = header.substring(0, slash);
        if (!megaco.equalsIgnoreCase("MEGACO") && !megaco.equals("!")) {
            throw errorAt(start, "expected MEGACO/version");
        }
        String versionText = header.substring(slash + 1);
        // Version = 1*2(DIGIT)
        if (versionText.isEmpty() || versionText.length() > 2 || !versionText.chars().allMatch(Character::isDigit)) {
            throw errorAt(start + slash + 1, "expected a version number after MEGACO/");
        }
        version = Integer.parseInt(versionText);
        if (version < 1 || version > 3) {
            throw errorAt(start + slash + 1, ErrorCode.VERSION_NOT_SUPPORTED, "version " + version + " (this MG speaks 1 to 3)");
        }
        if (!lexer.separator()) {
            throw error("expected white space after the version");
        }
        MessageId mId = messageId();
        if (!lexer.separator()) {
            throw error("expected white space after the mId");
        }
        MessageBody body = body();
        if (!lexer.atEnd()) {
            throw error("unexpected text after the message");
        }
        return new Message(version, mId, body);
    }

    private MessageBody body() throws H248SyntaxError {
        List<Transaction> transactions = new ArrayList<>();
        do {
            Token token = keyword("a transaction or an error", Token.TRANSACTION, Token.REPLY, Token.PENDING, Token.RESPONSE_ACK, Token.ERROR);
            if (token == Token.ERROR) {
                if (!transactions.isEmpty()) {
                    throw wordError("a message-level error cannot follow transactions");
                }
                ErrorDescriptor error = errorDescriptor();
                return new MessageBody.MessageError(error);
            }
            transactions.add(switch (token) {
                case TRANSACTION -> transactionRequest();
                case REPLY -> transactionReply();
                case PENDING -> transactionPending();
                default -> responseAck();
            });
            context = ErrorCode.SYNTAX_ERROR_IN_MESSAGE;
            transactionId = -1;
        } while (!lexer.atEnd());
        return new MessageBody.Transactions(transactions);
    }

    // ---- transactions ---------------------------------------------------------------------------------------

    private Transaction.TransactionRequest transactionRequest() throws H248SyntaxError {
        context = ErrorCode.SYNTAX_ERROR_IN_TRANSACTION_REQUEST;
        expect('=');
        transactionId = uint32("a TransactionID");
        open();
        List<ActionRequest> actions = new ArrayList<>();
        do {
            keyword("Context", Token.CONTEXT);
            actions.add(actionRequest());
        } while (more());
        close();
        return new Transaction.TransactionRequest(transactionId, actions);
    }

    private Transaction.TransactionReply transactionReply() throws H248SyntaxError {
        context = ErrorCode.SYNTAX_ERROR_IN_TRANSACTION_REPLY;
        expect('=');
        if (lexer.word() == 0) {
            throw error("expected a TransactionID");
        }
        long id = lexer.wordNumber(UINT32_MAX);
        if (id < 0) {
            throw wordError(lexer.wordText().indexOf('/') > 0
                    ? "segmented replies (v3 segmentation) are not supported"
                    : "expected a TransactionID (a number up to 4294967295)");
        }
        transactionId = id;
        open();
        boolean immAckRequired = false;
        Optional<ErrorDescriptor> error = Optional.empty();
        List<ActionReply> actions = new ArrayList<>();
        Token token = keyword("ImmAckRequired, Error or Context", Token.IMM_ACK_REQUIRED, Token.ERROR, Token.CONTEXT);
        if (token == Token.IMM_ACK_REQUIRED) {
            immAckRequired = true;
            expect(',');
            token = keyword("Error or Context", Token.ERROR, Token.CONTEXT);
        }
        if (token == Token.ERROR) {
            error = Optional.of(errorDescriptor());
        } else {
            actions.add(actionReply());
            while (more()) {
                keyword("Context", Token.CONTEXT);
                actions.add(actionReply());
            }
        }
        close();
        return new Transaction.TransactionReply(id, immAckRequired, error, actions);
    }

    private Transaction.TransactionPending transactionPending() throws H248SyntaxError {
        context = ErrorCode.SYNTAX_ERROR_IN_TRANSACTION_PENDING;
        expect('=');
        transactionId = uint32("a TransactionID");
        open();
        close();
        return new Transaction.TransactionPending(transactionId);
    }

    private Transaction.TransactionResponseAck responseAck() throws H248SyntaxError {
        open();
        List<Transaction.AckRange> ranges = new ArrayList<>();
        do {
            if (lexer.word() == 0) {
                throw error("expected a TransactionID");
            }
            String text = lexer.wordText();
            int dash = text.indexOf('-');
            long first = dash < 0 ? lexer.wordNumber(UINT32_MAX) : number(text.substring(0, dash));
            long last = dash < 0 ? first : number(text.substring(dash + 1));
            if (first < 0 || last < 0 || last < first) {
                throw wordError("expected a TransactionID or a range first-last");
            }
            ranges.add(new Transaction.AckRange(first, last));
        } while (more());
        close();
        return new Transaction.TransactionResponseAck(ranges);
    }

    private static long number(String text) {
        if (text.isEmpty() || text.length() > 10 || !text.chars().allMatch(Character::isDigit)) {
            return -1;
        }
        long value = Long.parseLong(text);
        return value > UINT32_MAX ? -1 : value;
    }

    // ---- actions --------------------------------------------------------------------------------------------

    private ContextId contextId() throws H248SyntaxError {
        expect('=');
        if (lexer.word() == 0) {
            throw error("expected a ContextID");
        }
        if (lexer.wordEnd - lexer.wordStart == 1) {
            switch (lexer.input[lexer.wordStart]) {
                case '-' -> {
                    return ContextId.NULL;
                }
                case '$' -> {
                    return ContextId.CHOOSE;
                }
                case '*' -> {
                    return ContextId.ALL;
                }
                default -> { }
            }
        }
        long value = lexer.wordNumber(UINT32_MAX);
        if (value < 0) {
            throw wordError("expected a ContextID (a number, -, $ or *)");
        }
        return ContextId.of(value);
    }

    private ActionRequest actionRequest() throws H248SyntaxError {
        ContextId contextId = contextId();
        open();
        List<ContextProperty> properties = new ArrayList<>();
        List<ContextAuditItem> audit = new ArrayList<>();
        List<CommandRequest> commands = new ArrayList<>();
        do {
            if (lexer.word() == 0) {
                throw error("expected a command or a context property");
            }
            int at = lexer.wordStart;
            boolean optional = false;
            boolean wildcardResponse = false;
            // "O-" and "W-" prefixes (Annex B commandRequestList), possibly both
            for (int i = 0; i < 2 && lexer.wordEnd - lexer.wordStart > 2 && lexer.input[lexer.wordStart + 1] == '-'; i++) {
                int flag = lexer.input[lexer.wordStart] | 0x20;
                if (flag == 'o' && !optional) {
                    optional = true;
                } else if (flag == 'w' && !wildcardResponse) {
                    wildcardResponse = true;
                } else {
                    break;
                }
                lexer.wordStart += 2;
            }
            Token token = match(COMMANDS);
            if (token != null) {
                commands.add(new CommandRequest(optional, wildcardResponse, command(token)));
                continue;
            }
            if (optional || wildcardResponse || !commands.isEmpty()) {
                throw errorAt(at, "expected a command");
            }
            if (lexer.wordIs(Token.CONTEXT_AUDIT)) {
                audit.addAll(contextAudit());
                continue;
            }
            if (!audit.isEmpty()) {
                throw errorAt(at, "expected a command after ContextAudit");
            }
            token = match(CONTEXT_PROPERTIES);
            if (token == null) {
                throw errorAt(at, "expected a command or a context property");
            }
            properties.add(contextProperty(token));
        } while (more());
        close();
        return new ActionRequest(contextId, properties, audit, commands);
    }

    private ContextProperty contextProperty(Token token) throws H248SyntaxError {
        return switch (token) {
            case TOPOLOGY -> new ContextProperty.Topology(topology());
            case PRIORITY -> {
                expect('=');
                yield new ContextProperty.Priority(uint16("a priority"));
            }
            case EMERGENCY -> new ContextProperty.Emergency(true);
            case EMERGENCY_OFF -> new ContextProperty.Emergency(false);
            case IEPS -> {
                expect('=');
                yield new ContextProperty.Ieps(onOff("IEPSCall"));
            }
            default -> {
                open();
                List<PropertyParameter> attributes = new ArrayList<>();
                do {
                    if (lexer.word() == 0) {
                        throw error("expected a context property");
                    }
                    attributes.add(packageProperty());
                } while (more());
                close();
                yield new ContextProperty.ContextAttributes(attributes);
            }
        };
    }

    private List<ContextAuditItem> contextAudit() throws H248SyntaxError {
        List<ContextAuditItem> items = new ArrayList<>();
        open();
        do {
            if (lexer.word() == 0) {
                throw error("expected a context audit item");
            }
            Token token = match(Token.TOPOLOGY, Token.PRIORITY, Token.EMERGENCY, Token.IEPS);
            if (token == null) {
                requireVersion(3, lexer.wordStart, "auditing a context property");
                items.add(new ContextAuditItem(ContextAuditItem.Kind.PROPERTY, Optional.of(packageItem())));
                continue;
            }
            items.add(ContextAuditItem.of(switch (token) {
                case TOPOLOGY -> ContextAuditItem.Kind.TOPOLOGY;
                case PRIORITY -> ContextAuditItem.Kind.PRIORITY;
                case EMERGENCY -> ContextAuditItem.Kind.EMERGENCY;
                default -> ContextAuditItem.Kind.IEPS;
            }));
        } while (more());
        close();
        return items;
    }

    // ---- commands -------------------------------------------------------------------------------------------

    private Command command(Token token) throws H248SyntaxError {
        expect('=');
        TerminationId terminationId = terminationId();
        return switch (token) {
            case ADD -> new Command.Add(terminationId, descriptors(AMM_PARAMETERS));
            case MODIFY -> new Command.Modify(terminationId, descriptors(AMM_PARAMETERS));
            case MOVE -> new Command.Move(terminationId, descriptors(AMM_PARAMETERS));
            case SUBTRACT -> new Command.Subtract(terminationId, optionalAudit());
            case AUDIT_VALUE -> new Command.AuditValue(terminationId, optionalAudit());
            case AUDIT_CAPABILITY -> new Command.AuditCapabilities(terminationId, optionalAudit());
            case NOTIFY -> notifyRequest(terminationId);
            default -> serviceChangeRequest(terminationId);
        };
    }

    /** {@code [{ descriptor, … }]} with the descriptors allowed here. */
    private List<Descriptor> descriptors(Token[] allowed) throws H248SyntaxError {
        List<Descriptor> descriptors = new ArrayList<>();
        if (lexer.peek() != '{') {
            return descriptors;
        }
        open();
        do {
            descriptors.add(commandDescriptor(keyword("a descriptor", allowed)));
        } while (more());
        close();
        return descriptors;
    }

    private Optional<Descriptor.AuditDescriptor> optionalAudit() throws H248SyntaxError {
        if (lexer.peek() != '{') {
            return Optional.empty();
        }
        open();
        keyword("Audit", Token.AUDIT);
        Descriptor.AuditDescriptor audit = audit();
        close();
        return Optional.of(audit);
    }

    private Command.Notify notifyRequest(TerminationId terminationId) throws H248SyntaxError {
        open();
        keyword("ObservedEvents", Token.OBSERVED_EVENTS);
        Descriptor.ObservedEventsDescriptor observed = (Descriptor.ObservedEventsDescriptor) commandDescriptor(Token.OBSERVED_EVENTS);
        Optional<ErrorDescriptor> error = Optional.empty();
        if (lexer.consume(',')) {
            keyword("Error", Token.ERROR);
            error = Optional.of(errorDescriptor());
        }
        close();
        return new Command.Notify(terminationId, observed, error);
    }

    private Command.ServiceChange serviceChangeRequest(TerminationId terminationId) throws H248SyntaxError {
        open();
        keyword("Services", Token.SERVICES);
        Descriptor.ServiceChangeDescriptor services = new ServiceChangeParser(this).services();
        close();
        return new Command.ServiceChange(terminationId, services);
    }

    // ---- replies --------------------------------------------------------------------------------------------

    private ActionReply actionReply() throws H248SyntaxError {
        ContextId contextId = contextId();
        open();
        List<ContextProperty> properties = new ArrayList<>();
        List<CommandReply> replies = new ArrayList<>();
        Optional<ErrorDescriptor> error = Optional.empty();
        do {
            if (lexer.word() == 0) {
                throw error("expected a command reply");
            }
            if (error.isPresent()) {
                throw wordError("nothing may follow the error of an action reply");
            }
            if (lexer.wordIs(Token.ERROR)) {
                error = Optional.of(errorDescriptor());
                continue;
            }
            Token token = match(COMMANDS);
            if (token != null) {
                replies.add(commandReply(token));
                continue;
            }
            token = match(CONTEXT_PROPERTIES);
            if (token == null || !replies.isEmpty()) {
                throw wordError("expected a command reply");
            }
            properties.add(contextProperty(token));
        } while (more());
        close();
        return new ActionReply(contextId, properties, replies, error);
    }

    private CommandReply commandReply(Token token) throws H248SyntaxError {
        expect('=');
        if ((token == Token.AUDIT_VALUE || token == Token.AUDIT_CAPABILITY) && lexer.word() > 0) {
            if (lexer.wordIs(Token.CONTEXT)) {
                return contextTerminationAudit(token == Token.AUDIT_CAPABILITY);
            }
            lexer.pos = lexer.wordStart;
        }
        TerminationId terminationId = terminationId();
        return switch (token) {
            case ADD -> new CommandReply.AddReply(terminationId, terminationAudit());
            case MODIFY -> new CommandReply.ModifyReply(terminationId, terminationAudit());
            case MOVE -> new CommandReply.MoveReply(terminationId, terminationAudit());
            case SUBTRACT -> new CommandReply.SubtractReply(terminationId, terminationAudit());
            case AUDIT_VALUE -> new CommandReply.AuditValueReply(terminationId, terminationAudit());
            case AUDIT_CAPABILITY -> new CommandReply.AuditCapabilitiesReply(terminationId, terminationAudit());
            case NOTIFY -> {
                Optional<ErrorDescriptor> error = Optional.empty();
                if (lexer.peek() == '{') {
                    open();
                    keyword("Error", Token.ERROR);
                    error = Optional.of(errorDescriptor());
                    close();
                }
                yield new CommandReply.NotifyReply(terminationId, error);
            }
            default -> serviceChangeReply(terminationId);
        };
    }

    private CommandReply.ContextTerminationAudit contextTerminationAudit(boolean capabilities) throws H248SyntaxError {
        open();
        if (lexer.word() > 0 && lexer.wordIs(Token.ERROR)) {
            ErrorDescriptor error = errorDescriptor();
            close();
            return new CommandReply.ContextTerminationAudit(capabilities, List.of(), Optional.of(error));
        }
        lexer.pos = lexer.wordStart;
        List<TerminationId> ids = new ArrayList<>();
        do {
            ids.add(terminationId());
        } while (more());
        close();
        return new CommandReply.ContextTerminationAudit(capabilities, ids, Optional.empty());
    }

    /** Annex B terminationAudit: descriptors, errors and bare audit return items. */
    private List<Descriptor> terminationAudit() throws H248SyntaxError {
        List<Descriptor> descriptors = new ArrayList<>();
        if (lexer.peek() != '{') {
            return descriptors;
        }
        open();
        do {
            Token token = keyword("a descriptor", AUDIT_RETURN_PARAMETERS);
            int next = lexer.peek();
            // "Signals" and "Signals { }" say the same here (an audit return item); one model value for both, so
            // that what we write back parses to the value we read (found by the fuzzer)
            if (token != Token.ERROR && (next != '{' && next != '=' || next == '{' && emptyBraces())) {
                descriptors.add(new Descriptor.AuditReturnItem(auditItem(token)));
            } else {
                descriptors.add(commandDescriptor(token));
            }
        } while (more());
        close();
        return descriptors;
    }

    /** At '{': consumes "{ }" (white space and comments inside allowed) and says true, or moves nothing. */
    private boolean emptyBraces() {
        int start = lexer.pos;
        lexer.pos++;
        if (lexer.peek() == '}') {
            lexer.pos++;
            return true;
        }
        lexer.pos = start;
        return false;
    }

    private CommandReply.ServiceChangeReply serviceChangeReply(TerminationId terminationId) throws H248SyntaxError {
        Optional<ErrorDescriptor> error = Optional.empty();
        Optional<Descriptor.ServiceChangeDescriptor> services = Optional.empty();
        if (lexer.peek() == '{') {
            open();
            Token token = keyword("Error or Services", Token.ERROR, Token.SERVICES);
            if (token == Token.ERROR) {
                error = Optional.of(errorDescriptor());
            } else {
                services = Optional.of(new ServiceChangeParser(this).services());
            }
            close();
        }
        return new CommandReply.ServiceChangeReply(terminationId, error, services);
    }
}
