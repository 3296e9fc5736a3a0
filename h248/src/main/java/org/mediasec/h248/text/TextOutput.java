package org.mediasec.h248.text;

/** The shape of the text: tokens in the chosen spelling, and blocks that are indented (pretty) or tight (compact). */
final class TextOutput {

    private static final String INDENT = "  ";

    final StringBuilder out;
    final TextStyle style;
    private final boolean pretty;
    private int depth;

    TextOutput(StringBuilder out, TextStyle style) {
        this.out = out;
        this.style = style;
        this.pretty = style == TextStyle.PRETTY;
    }

    TextOutput token(Token token) {
        out.append(token.spelling(style));
        return this;
    }

    TextOutput text(String text) {
        out.append(text);
        return this;
    }

    TextOutput number(long value) {
        out.append(value);
        return this;
    }

    /** {@code " = "} or {@code "="}. */
    TextOutput equal() {
        out.append(pretty ? " = " : "=");
        return this;
    }

    /** {@code " {"} and a new indented line, or {@code "{"}. */
    TextOutput open() {
        out.append(pretty ? " {" : "{");
        depth++;
        newLine();
        return this;
    }

    /** A new line at the current depth, then {@code "}"}. */
    TextOutput close() {
        depth--;
        newLine();
        out.append('}');
        return this;
    }

    /** Empty braces: {@code " { }"} or {@code "{}"}. */
    TextOutput emptyBlock() {
        out.append(pretty ? " { }" : "{}");
        return this;
    }

    /** Runs a piece of writing in a fluent chain ({@code open().run(…).close()}). */
    TextOutput run(Runnable writing) {
        writing.run();
        return this;
    }

    /** Between the items of a block. */
    TextOutput comma() {
        out.append(',');
        newLine();
        return this;
    }

    /** Between the items of an inline list ({@code [a, b]}, {@code {a, b}}). */
    TextOutput inlineComma() {
        out.append(pretty ? ", " : ",");
        return this;
    }

    private void newLine() {
        if (pretty) {
            out.append('\n');
            for (int i = 0; i < depth; i++) {
                out.append(INDENT);
            }
        }
    }

    /** Annex B VALUE: bare when it is a run of SafeChars, quoted otherwise. */
    TextOutput value(String value) {
        if (needsQuotes(value)) {
            if (value.indexOf('"') >= 0) {
                throw new IllegalArgumentException("a VALUE cannot hold a double quote: " + value);
            }
            out.append('"').append(value).append('"');
        } else {
            out.append(value);
        }
        return this;
    }

    TextOutput quoted(String text) {
        if (text.indexOf('"') >= 0) {
            throw new IllegalArgumentException("a quoted string cannot hold a double quote: " + text);
        }
        out.append('"').append(text).append('"');
        return this;
    }

    static boolean needsQuotes(String value) {
        if (value.isEmpty()) {
            return true;
        }
        for (int i = 0; i < value.length(); i++) {
            if (!Lexer.isSafeChar(value.charAt(i))) {
                return true;
            }
        }
        return false;
    }

    /** The SDP of Local/Remote on lines of their own, {@code }} escaped (Annex B octetString). */
    TextOutput octetString(String sdp) {
        out.append(pretty ? " {\n" : "{\n");
        for (int i = 0; i < sdp.length(); i++) {
            char c = sdp.charAt(i);
            if (c == '}') {
                out.append("\\}");
            } else {
                out.append(c);
            }
        }
        if (!sdp.isEmpty()) {
            out.append('\n');
        }
        // the closing brace starts its line: indentation before it would be read as one more SDP line (Wireshark's
        // SDP dissector flags such a line, and a strict SDP parser refuses it)
        out.append('}');
        return this;
    }
}
