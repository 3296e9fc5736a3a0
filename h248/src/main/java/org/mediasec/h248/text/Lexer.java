package org.mediasec.h248.text;

import java.nio.charset.StandardCharsets;

/**
 * Reads H.248.1 Annex B text from bytes: white space and comments (LWSP), words of SafeChars, quoted strings, the
 * octet strings of Local/Remote. Keeps offsets only; it creates a String when the parser asks for one.
 */
final class Lexer {

    private static final boolean[] SAFE = new boolean[256];

    static {
        for (int c = '0'; c <= '9'; c++) {
            SAFE[c] = true;
        }
        for (int c = 'a'; c <= 'z'; c++) {
            SAFE[c] = true;
            SAFE[c - 32] = true;
        }
        // Annex B: SafeChar = DIGIT / ALPHA / "+" / "-" / "&" / "!" / "_" / "/" / "'" / "?" / "@" / "^" / "`" / "~"
        //                    / "*" / "$" / "\" / "(" / ")" / "%" / "|" / "."
        for (char c : "+-&!_/'?@^`~*$\\()%|.".toCharArray()) {
            SAFE[c] = true;
        }
    }

    final byte[] input;
    final int end;
    int pos;
    int wordStart;
    int wordEnd;

    Lexer(byte[] input, int end) {
        this.input = input;
        this.end = end;
    }

    static boolean isSafeChar(int c) {
        return c >= 0 && c < 256 && SAFE[c];
    }

    /** Annex B: {@code LWSP = *( WSP / COMMENT / EOL )}, {@code COMMENT = ";" *(SafeChar / RestChar / WSP / %x22) EOL}. */
    void skipWhiteSpace() {
        while (pos < end) {
            byte b = input[pos];
            if (b == ' ' || b == '\t' || b == '\r' || b == '\n') {
                pos++;
            } else if (b == ';') {
                while (pos < end && input[pos] != '\n' && input[pos] != '\r') {
                    pos++;
                }
            } else {
                return;
            }
        }
    }

    /** True when at least one separator (white space, end of line or comment) comes next: Annex B SEP. */
    boolean separator() {
        int before = pos;
        skipWhiteSpace();
        return pos > before;
    }

    /** The next significant byte, or -1 at the end. */
    int peek() {
        skipWhiteSpace();
        return pos < end ? input[pos] & 0xff : -1;
    }

    boolean atEnd() {
        return peek() < 0;
    }

    /** Consumes {@code c} if it comes next (after white space). */
    boolean consume(char c) {
        if (peek() == c) {
            pos++;
            return true;
        }
        return false;
    }

    /** Reads a run of SafeChars after white space into {@link #wordStart}/{@link #wordEnd}; its length (0: none). */
    int word() {
        skipWhiteSpace();
        wordStart = pos;
        while (pos < end && SAFE[input[pos] & 0xff]) {
            pos++;
        }
        wordEnd = pos;
        return wordEnd - wordStart;
    }

    boolean wordIs(Token token) {
        return token.matches(input, wordStart, wordEnd);
    }

    String wordText() {
        return new String(input, wordStart, wordEnd - wordStart, StandardCharsets.US_ASCII);
    }

    /** The word as an unsigned decimal of at most {@code max}, or -1 when it is not one. */
    long wordNumber(long max) {
        int length = wordEnd - wordStart;
        if (length == 0 || length > 10) {
            return -1;
        }
        long value = 0;
        for (int i = wordStart; i < wordEnd; i++) {
            int digit = input[i] - '0';
            if (digit < 0 || digit > 9) {
                return -1;
            }
            value = value * 10 + digit;
        }
        return value > max ? -1 : value;
    }

    /**
     * Annex B: {@code quotedString = DQUOTE *(SafeChar / RestChar / LWSP) DQUOTE}; returns the text between the quotes,
     * or null when the closing quote is missing. The opening quote is at {@link #pos}.
     */
    String quotedString() {
        int start = ++pos;
        while (pos < end && input[pos] != '"') {
            pos++;
        }
        if (pos >= end) {
            return null;
        }
        return new String(input, start, pos++ - start, StandardCharsets.UTF_8);
    }

    /**
     * Annex B: {@code octetString = *(nonEscapeChar)}, {@code nonEscapeChar = ( "\}" / %x01-7C / %x7E-FF )}: the bytes up
     * to the closing brace, with {@code \}} unescaped; null when there is no closing brace or a NUL byte.
     */
    String octetString() {
        StringBuilder text = new StringBuilder(end - pos < 1024 ? end - pos : 1024);
        int runStart = pos;
        while (pos < end) {
            byte b = input[pos];
            if (b == '}') {
                text.append(new String(input, runStart, pos - runStart, StandardCharsets.UTF_8));
                return text.toString();
            }
            if (b == 0) {
                return null;
            }
            if (b == '\\' && pos + 1 < end && input[pos + 1] == '}') {
                text.append(new String(input, runStart, pos - runStart, StandardCharsets.UTF_8)).append('}');
                pos += 2;
                runStart = pos;
                continue;
            }
            pos++;
        }
        return null;
    }

    /** Bytes up to (not including) the next {@code close}, with white space removed; null when it never comes. */
    String compactedUntil(char close) {
        StringBuilder text = new StringBuilder();
        while (pos < end) {
            byte b = input[pos];
            if (b == close) {
                return text.toString();
            }
            // digitMapValue is printable ASCII (H.248.1 Annex B digitMap): anything else ends it as an error
            if (b == '{' || b < 0x20 && b != '\t' && b != '\r' && b != '\n' || b >= 0x7f || b < 0 || b == '"') {
                return null;
            }
            if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
                text.append((char) (b & 0xff));
            }
            pos++;
        }
        return null;
    }

    /** 1-based line of an offset. */
    int lineOf(int offset) {
        int line = 1;
        for (int i = 0; i < offset && i < end; i++) {
            if (input[i] == '\n' || (input[i] == '\r' && (i + 1 >= end || input[i + 1] != '\n'))) {
                line++;
            }
        }
        return line;
    }

    /** 1-based column (bytes) of an offset. */
    int columnOf(int offset) {
        int start = Math.min(offset, end);
        while (start > 0 && input[start - 1] != '\n' && input[start - 1] != '\r') {
            start--;
        }
        return offset - start + 1;
    }

    /** What stands at an offset, for error messages: the word there (at most 40 characters), or one character. */
    String excerpt(int offset) {
        if (offset >= end) {
            return "";
        }
        int stop = offset;
        while (stop < end && stop - offset < 40 && SAFE[input[stop] & 0xff]) {
            stop++;
        }
        if (stop == offset) {
            stop = offset + 1;
        }
        StringBuilder out = new StringBuilder();
        for (int i = offset; i < stop; i++) {
            int b = input[i] & 0xff;
            out.append(b >= 0x20 && b < 0x7f ? String.valueOf((char) b) : String.format("\\x%02x", b));
        }
        return out.toString();
    }
}
