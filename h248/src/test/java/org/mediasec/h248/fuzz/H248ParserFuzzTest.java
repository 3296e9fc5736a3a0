package org.mediasec.h248.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.Tag;
import org.mediasec.h248.H248SyntaxError;
import org.mediasec.h248.message.Message;
import org.mediasec.h248.text.H248TextParser;
import org.mediasec.h248.text.H248TextWriter;
import org.mediasec.h248.text.ParserLimits;

/**
 * Jazzer on the H.248 text parser: any bytes give a message or an {@link H248SyntaxError}, never another exception
 * or a hang; a message that parses writes back (pretty and compact) to text that parses to the same value.
 * Seeds: the RFC 3525 examples and the other test messages in {@code H248ParserFuzzTestInputs}.
 */
class H248ParserFuzzTest {

    private static final ParserLimits LIMITS = new ParserLimits(16 * 1024, 32);

    @FuzzTest(maxDuration = "30s")
    @Tag("H248-1")
    void parseAnything(byte[] input) {
        Message message;
        try {
            message = H248TextParser.parse(input, LIMITS);
        } catch (H248SyntaxError expected) {
            return;
        }
        for (String text : new String[] {H248TextWriter.pretty(message), H248TextWriter.compact(message)}) {
            try {
                Message again = H248TextParser.parse(text);
                if (!again.equals(message)) {
                    throw new AssertionError("re-encoding changed the message:\n" + text);
                }
            } catch (H248SyntaxError e) {
                throw new AssertionError("our own encoding does not parse: " + e.getMessage() + "\n" + text, e);
            }
        }
    }
}
