package org.mediasec.h248.text;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.mediasec.h248.ErrorCode;
import org.mediasec.h248.H248SyntaxError;
import org.mediasec.h248.message.MessageId;
import org.mediasec.h248.message.PackageItem;
import org.mediasec.h248.message.PropertyParameter;
import org.mediasec.h248.message.PropertyValue;
import org.mediasec.h248.message.TerminationId;

/**
 * What every part of the recursive-descent parser shares: the lexer, the message version, the error context (which
 * H.248.8 code an error gets, which transaction it is in), brace depth, and the small productions of Annex B
 * (values, names, IDs, mId).
 */
abstract class ParserBase {

    static final long UINT32_MAX = 0xFFFF_FFFFL;

    final Lexer lexer;
    final ParserLimits limits;
    int version = 1;
    ErrorCode context = ErrorCode.SYNTAX_ERROR_IN_MESSAGE;
    long transactionId = -1;
    private int depth;

    ParserBase(Lexer lexer, ParserLimits limits) {
        this.lexer = lexer;
        this.limits = limits;
    }

    // ---- errors -------------------------------------------------------------------------------------------

    final H248SyntaxError errorAt(int offset, ErrorCode code, String reason) {
        return new H248SyntaxError(code, lexer.lineOf(offset), lexer.columnOf(offset), offset, lexer.excerpt(offset),
                transactionId < 0 ? OptionalLong.empty() : OptionalLong.of(transactionId), reason);
    }

    final H248SyntaxError errorAt(int offset, String reason) {
        return errorAt(offset, context, reason);
    }

    /** An error at the next significant byte. */
    final H248SyntaxError error(String reason) {
        lexer.skipWhiteSpace();
        return errorAt(lexer.pos, reason);
    }

    final H248SyntaxError wordError(String reason) {
        return errorAt(lexer.wordStart, reason);
    }

    // ---- punctuation ----------------------------------------------------------------------------------------

    final void expect(char c) throws H248SyntaxError {
        if (!lexer.consume(c)) {
            throw error("expected '" + c + "'");
        }
    }

    final void open() throws H248SyntaxError {
        expect('{');
        if (++depth > limits.maxNestingDepth()) {
            throw errorAt(lexer.pos - 1, "nesting deeper than " + limits.maxNestingDepth());
        }
    }

    final void close() throws H248SyntaxError {
        expect('}');
        depth--;
    }

    /** After an item of a braced list: true when a comma follows (more items), false at the closing brace. */
    final boolean more() throws H248SyntaxError {
        if (lexer.consume(',')) {
            return true;
        }
        if (lexer.peek() == '}') {
            return false;
        }
        throw error("expected ',' or '}'");
    }

    // ---- keywords -------------------------------------------------------------------------------------------

    /** Reads a word and returns which of {@code allowed} it spells; an error naming {@code what} otherwise. */
    final Token keyword(String what, Token... allowed) throws H248SyntaxError {
        if (lexer.word() == 0) {
            throw error("expected " + what);
        }
        Token token = match(allowed);
        if (token == null) {
            throw wordError("expected " + what);
        }
        return token;
    }

    /** Which of {@code allowed} the current word spells (checking the version), or null. */
    final Token match(Token... allowed) throws H248SyntaxError {
        for (Token token : allowed) {
            if (lexer.wordIs(token)) {
                if (version < token.sinceVersion) {
                    throw wordError(token.longForm + " needs version " + token.sinceVersion + " (message is version " + version + ")");
                }
                return token;
            }
        }
        return null;
    }

    final void requireVersion(int needed, int offset, String what) throws H248SyntaxError {
        if (version < needed) {
            throw errorAt(offset, what + " needs version " + needed + " (message is version " + version + ")");
        }
    }

    // ---- numbers --------------------------------------------------------------------------------------------

    final long uint32(String what) throws H248SyntaxError {
        return number(what, UINT32_MAX);
    }

    final int uint16(String what) throws H248SyntaxError {
        return (int) number(what, 0xFFFF);
    }

    final long number(String what, long max) throws H248SyntaxError {
        if (lexer.word() == 0) {
            throw error("expected " + what);
        }
        long value = lexer.wordNumber(max);
        if (value < 0) {
            throw wordError("expected " + what + " (a number up to " + max + ")");
        }
        return value;
    }

    final boolean onOff(String what) throws H248SyntaxError {
        if (lexer.word() == 0) {
            throw error("expected ON or OFF for " + what);
        }
        String word = lexer.wordText();
        if (word.equalsIgnoreCase("ON")) {
            return true;
        }
        if (word.equalsIgnoreCase("OFF")) {
            return false;
        }
        throw wordError("expected ON or OFF for " + what);
    }

    // ---- values and names -----------------------------------------------------------------------------------

    /** Annex B: {@code VALUE = quotedString / 1*(SafeChar)}. */
    final String value(String what) throws H248SyntaxError {
        if (lexer.peek() == '"') {
            int start = lexer.pos;
            String text = lexer.quotedString();
            if (text == null) {
                throw errorAt(start, "unterminated quoted string");
            }
            return text;
        }
        if (lexer.word() == 0) {
            throw error("expected " + what);
        }
        return lexer.wordText();
    }

    /** Annex B parmValue after a name: {@code = v}, {@code = [a, b]}, {@code = [a : b]}, {@code = {a, b}}, {@code > v} … */
    final PropertyValue parameterValue() throws H248SyntaxError {
        int at = lexer.peek();
        PropertyValue.Relation relation = switch (at) {
            case '=' -> PropertyValue.Relation.EQUAL;
            case '>' -> PropertyValue.Relation.GREATER;
            case '<' -> PropertyValue.Relation.LESS;
            case '#' -> PropertyValue.Relation.NOT_EQUAL;
            default -> throw error("expected '=', '>', '<' or '#'");
        };
        lexer.pos++;
        if (relation != PropertyValue.Relation.EQUAL) {
            return new PropertyValue.Single(relation, value("a value"));
        }
        if (lexer.consume('[')) {
            String first = value("a value");
            if (lexer.consume(':')) {
                String high = value("the upper end of the range");
                expect(']');
                return new PropertyValue.Range(first, high);
            }
            List<String> values = new ArrayList<>();
            values.add(first);
            while (lexer.consume(',')) {
                values.add(value("a value"));
            }
            expect(']');
            return new PropertyValue.Alternatives(values);
        }
        if (lexer.peek() == '{') {
            open();
            List<String> values = new ArrayList<>();
            do {
                values.add(value("a value"));
            } while (more());
            close();
            return new PropertyValue.SubList(values);
        }
        return PropertyValue.Single.equalTo(value("a value"));
    }

    /** {@code pkgdName parmValue} with the name already read as the current word. */
    final PropertyParameter propertyParameter() throws H248SyntaxError {
        String name = lexer.wordText();
        return new PropertyParameter(name, parameterValue());
    }

    /** The current word as {@code pkg/item}. */
    final PackageItem packageItem() throws H248SyntaxError {
        int slash = -1;
        for (int i = lexer.wordStart; i < lexer.wordEnd; i++) {
            if (lexer.input[i] == '/') {
                slash = i;
                break;
            }
        }
        if (slash <= lexer.wordStart || slash == lexer.wordEnd - 1) {
            throw wordError("expected a package item name pkg/item");
        }
        String text = lexer.wordText();
        return new PackageItem(text.substring(0, slash - lexer.wordStart), text.substring(slash - lexer.wordStart + 1));
    }

    final PackageItem readPackageItem(String what) throws H248SyntaxError {
        if (lexer.word() == 0) {
            throw error("expected " + what);
        }
        return packageItem();
    }

    /** Annex B: {@code terminationID = "ROOT" / pathNAME / "$" / "*"}. */
    final TerminationId terminationId() throws H248SyntaxError {
        if (lexer.word() == 0) {
            throw error("expected a TerminationID");
        }
        return new TerminationId(lexer.wordText());
    }

    final List<TerminationId> terminationIdList() throws H248SyntaxError {
        open();
        List<TerminationId> ids = new ArrayList<>();
        do {
            ids.add(terminationId());
        } while (more());
        close();
        return ids;
    }

    /**
     * Annex B: {@code mId = (( domainAddress / domainName ) [":" portNumber]) / mtpAddress / deviceName}, with
     * {@code domainAddress = "[" (IPv4address / IPv6address) "]"} and {@code domainName = "<" … ">"}.
     */
    final MessageId messageId() throws H248SyntaxError {
        int start = lexer.peek() < 0 ? lexer.pos : lexer.pos;
        int first = lexer.peek();
        if (first == '[') {
            int close = indexOf(']', start + 1, start + 48);
            if (close < 0) {
                throw errorAt(start, "expected ']' closing the address");
            }
            String address = new String(lexer.input, start + 1, close - start - 1, java.nio.charset.StandardCharsets.US_ASCII);
            lexer.pos = close + 1;
            OptionalInt port = port();
            if (address.indexOf(':') >= 0) {
                if (!address.chars().allMatch(c -> c == ':' || c == '.' || Character.digit(c, 16) >= 0)) {
                    throw errorAt(start, "bad IPv6 address");
                }
                return new MessageId.Ipv6Address(address, port);
            }
            if (!validIpv4(address)) {
                throw errorAt(start, "bad IPv4 address");
            }
            return new MessageId.Ipv4Address(address, port);
        }
        if (first == '<') {
            int close = indexOf('>', start + 1, start + 66);
            if (close < 0 || close == start + 1) {
                throw errorAt(start, "expected '>' closing the domain name");
            }
            String name = new String(lexer.input, start + 1, close - start - 1, java.nio.charset.StandardCharsets.US_ASCII);
            // domainName = "<" (ALPHA / DIGIT) *63(ALPHA / DIGIT / "-" / ".") ">"
            if (!Character.isLetterOrDigit(name.charAt(0)) || !name.chars().allMatch(c -> c < 128 && (Character.isLetterOrDigit(c) || c == '-' || c == '.'))) {
                throw errorAt(start, "bad domain name");
            }
            lexer.pos = close + 1;
            return new MessageId.DomainName(name, port());
        }
        if (lexer.word() == 0) {
            throw error("expected a message identifier (mId)");
        }
        if (lexer.wordIs(Token.MTP) && lexer.peek() == '{') {
            open();
            if (lexer.word() < 4 || lexer.wordEnd - lexer.wordStart > 8 || !lexer.wordText().chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
                throw wordError("expected 4 to 8 hex digits of an MTP address");
            }
            String hex = lexer.wordText();
            close();
            return new MessageId.MtpAddress(hex);
        }
        return new MessageId.DeviceName(lexer.wordText());
    }

    private OptionalInt port() throws H248SyntaxError {
        if (lexer.pos < lexer.end && lexer.input[lexer.pos] == ':') {
            lexer.pos++;
            return OptionalInt.of(uint16("a port number"));
        }
        return OptionalInt.empty();
    }

    private int indexOf(char c, int from, int limit) {
        for (int i = from; i < lexer.end && i < limit; i++) {
            if (lexer.input[i] == c) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Four parts of one to three ASCII digits (H.248.1 B.2: V4hex = 1*3(DIGIT), DIGIT = %x30-39), each at most 255.
     * Read in place: every Add and Modify carries addresses (docs/performance.md).
     */
    private static boolean validIpv4(String address) {
        int parts = 0;
        int value = 0;
        int digits = 0;
        for (int i = 0; i <= address.length(); i++) {
            char c = i < address.length() ? address.charAt(i) : '.';
            if (c == '.') {
                if (digits == 0 || value > 255) {
                    return false;
                }
                parts++;
                value = 0;
                digits = 0;
            } else if (c >= '0' && c <= '9' && digits < 3) {
                value = value * 10 + (c - '0');
                digits++;
            } else {
                return false;
            }
        }
        return parts == 4;
    }
}
