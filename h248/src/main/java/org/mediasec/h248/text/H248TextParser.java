package org.mediasec.h248.text;

import java.nio.charset.StandardCharsets;
import java.util.OptionalLong;
import org.mediasec.h248.ErrorCode;
import org.mediasec.h248.H248SyntaxError;
import org.mediasec.h248.message.Message;
import org.mediasec.traceability.Implements;

/**
 * Parses H.248.1 text messages (Annex B), versions 1 to 3, long and short tokens in any case, comments and line
 * breaks anywhere white space may stand. A hand-written recursive-descent parser over the bytes.
 *
 * <p>It never throws anything but {@link H248SyntaxError}: every input ends in a message or in a typed error with
 * line, column and the H.248.8 code. Work is bounded: a message longer than {@link ParserLimits#maxMessageBytes()}
 * is refused before it is read, and braces may nest at most {@link ParserLimits#maxNestingDepth()} deep.
 *
 * <p>Not supported (refused with an error): the authentication header (H.248.1 10.2: IPsec or TLS protect the
 * control link instead), segmented replies (v3 segmentation: not needed, messages fit one PDU), and the
 * individual audit descriptors (indAud) of version 2 audits.
 */
@Implements("H248-1")
public final class H248TextParser {

    private H248TextParser() {}

    public static Message parse(byte[] message) throws H248SyntaxError {
        return parse(message, ParserLimits.DEFAULT);
    }

    public static Message parse(String message) throws H248SyntaxError {
        return parse(message.getBytes(StandardCharsets.UTF_8), ParserLimits.DEFAULT);
    }

    public static Message parse(byte[] message, ParserLimits limits) throws H248SyntaxError {
        return parse(message, message.length, limits);
    }

    /** Parses the first {@code length} bytes of {@code message}. */
    public static Message parse(byte[] message, int length, ParserLimits limits) throws H248SyntaxError {
        if (length > limits.maxMessageBytes()) {
            throw new H248SyntaxError(ErrorCode.SYNTAX_ERROR_IN_MESSAGE, 1, 1, 0, "", OptionalLong.empty(),
                    "message of " + length + " bytes is larger than the limit of " + limits.maxMessageBytes());
        }
        Lexer lexer = new Lexer(message, length);
        MessageParser parser = new MessageParser(lexer, limits);
        try {
            return parser.message();
        } catch (IllegalArgumentException e) {
            // a value the grammar admits but the model refuses (e.g. an error code of 5 digits): still a syntax error
            throw parser.errorAt(Math.max(0, Math.min(lexer.wordStart, length)), e.getMessage());
        } catch (StackOverflowError | IndexOutOfBoundsException e) {
            // defence in depth: the parser is bounded, but no input may ever escape with another exception
            throw parser.errorAt(Math.max(0, Math.min(lexer.pos, length)), "malformed message (" + e.getClass().getSimpleName() + ")");
        }
    }
}
