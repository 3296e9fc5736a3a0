package org.mediasec.h248.text;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.mediasec.h248.H248SyntaxError;
import org.mediasec.h248.message.Descriptor;
import org.mediasec.h248.message.MessageId;
import org.mediasec.h248.message.ServiceChangeParameter;

/** {@code Services { serviceChangeParm, … }} (H.248.1 7.2.8; Annex B serviceChangeDescriptor and its reply form). */
final class ServiceChangeParser {

    private final DescriptorParser parser;
    private final Lexer lexer;

    ServiceChangeParser(DescriptorParser parser) {
        this.parser = parser;
        this.lexer = parser.lexer;
    }

    /** After the Services keyword. */
    Descriptor.ServiceChangeDescriptor services() throws H248SyntaxError {
        parser.open();
        List<ServiceChangeParameter> parameters = new ArrayList<>();
        do {
            parameters.add(parameter());
        } while (parser.more());
        parser.close();
        return new Descriptor.ServiceChangeDescriptor(parameters);
    }

    private ServiceChangeParameter parameter() throws H248SyntaxError {
        if (lexer.word() == 0) {
            throw parser.error("expected a ServiceChange parameter");
        }
        int at = lexer.wordStart;
        Token token = parser.match(Token.METHOD, Token.REASON, Token.DELAY, Token.SERVICE_CHANGE_ADDRESS, Token.PROFILE,
                Token.VERSION, Token.MGC_ID, Token.SERVICE_CHANGE_INCOMPLETE, Token.AUDIT);
        if (token == null) {
            int first = lexer.input[lexer.wordStart] | 0x20;
            if (first >= '0' && first <= '9') {
                return new ServiceChangeParameter.TimeStamp(parser.timestamp());
            }
            if (first == 'x' && lexer.wordEnd - lexer.wordStart > 2
                    && (lexer.input[lexer.wordStart + 1] == '-' || lexer.input[lexer.wordStart + 1] == '+')) {
                return new ServiceChangeParameter.Extension(parser.propertyParameter());
            }
            throw parser.wordError("expected a ServiceChange parameter");
        }
        return switch (token) {
            case SERVICE_CHANGE_INCOMPLETE -> new ServiceChangeParameter.Incomplete();
            case AUDIT -> {
                parser.requireVersion(2, at, "Audit inside Services");
                yield new ServiceChangeParameter.Info(parser.audit());
            }
            default -> {
                parser.expect('=');
                yield switch (token) {
                    case METHOD -> method();
                    case REASON -> new ServiceChangeParameter.Reason(parser.value("a reason"));
                    case DELAY -> new ServiceChangeParameter.Delay(parser.uint32("a delay"));
                    case SERVICE_CHANGE_ADDRESS -> address();
                    case PROFILE -> profile();
                    case VERSION -> new ServiceChangeParameter.Version((int) parser.number("a version", 99));
                    default -> new ServiceChangeParameter.MgcIdToTry(parser.messageId());
                };
            }
        };
    }

    private ServiceChangeParameter.Method method() throws H248SyntaxError {
        if (lexer.word() == 0) {
            throw parser.error("expected a ServiceChange method");
        }
        Token token = parser.match(Token.FAILOVER, Token.FORCED, Token.GRACEFUL, Token.RESTART, Token.DISCONNECTED, Token.HAND_OFF);
        if (token == null) {
            String text = lexer.wordText();
            // extensionParameter = "X" ("-" / "+") 1*6(ALPHA / DIGIT)
            if (text.length() > 2 && text.length() <= 8 && (text.charAt(0) | 0x20) == 'x' && (text.charAt(1) == '-' || text.charAt(1) == '+')
                    && text.substring(2).chars().allMatch(Character::isLetterOrDigit)) {
                return new ServiceChangeParameter.Method(ServiceChangeParameter.ServiceChangeMethod.EXTENSION, Optional.of(text));
            }
            throw parser.wordError("expected a ServiceChange method");
        }
        return ServiceChangeParameter.Method.of(switch (token) {
            case FAILOVER -> ServiceChangeParameter.ServiceChangeMethod.FAILOVER;
            case FORCED -> ServiceChangeParameter.ServiceChangeMethod.FORCED;
            case GRACEFUL -> ServiceChangeParameter.ServiceChangeMethod.GRACEFUL;
            case RESTART -> ServiceChangeParameter.ServiceChangeMethod.RESTART;
            case DISCONNECTED -> ServiceChangeParameter.ServiceChangeMethod.DISCONNECTED;
            default -> ServiceChangeParameter.ServiceChangeMethod.HAND_OFF;
        });
    }

    /** {@code ServiceChangeAddress = ( mId / portNumber )}. */
    private ServiceChangeParameter.Address address() throws H248SyntaxError {
        int next = lexer.peek();
        if (next != '[' && next != '<') {
            int mark = lexer.pos;
            lexer.word();
            long port = lexer.wordNumber(0xFFFF);
            if (port >= 0) {
                return new ServiceChangeParameter.Address(Optional.empty(), Optional.of((int) port));
            }
            lexer.pos = mark;
        }
        MessageId address = parser.messageId();
        return new ServiceChangeParameter.Address(Optional.of(address), Optional.empty());
    }

    /** {@code Profile = NAME SLASH Version}. */
    private ServiceChangeParameter.Profile profile() throws H248SyntaxError {
        if (lexer.word() == 0) {
            throw parser.error("expected a profile name/version");
        }
        String text = lexer.wordText();
        int slash = text.lastIndexOf('/');
        if (slash <= 0 || slash == text.length() - 1 || text.length() - slash - 1 > 5
                || !text.substring(slash + 1).chars().allMatch(Character::isDigit) || Integer.parseInt(text.substring(slash + 1)) > 0xFFFF) {
            throw parser.wordError("expected a profile name/version, like ResGW/1");
        }
        return new ServiceChangeParameter.Profile(text.substring(0, slash), Integer.parseInt(text.substring(slash + 1)));
    }
}
