package org.mediasec.ng;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads bencode (BEP 3: integers {@code i<n>e}, strings {@code <length>:<bytes>}, lists {@code l...e},
 * dictionaries {@code d...e}) into {@link NgValue}s, or fails with a typed {@link NgParseException} that says where
 * and why. Never anything else, whatever the input.
 *
 * <p>Rules where bencode leaves room, decided for a hostile peer:
 * <ul>
 *   <li>Integers are signed 64-bit (rtpengine reads {@code long long}); {@code i-0e}, {@code i03e}, {@code ie},
 *       {@code i+1e} are refused, as BEP 3 says. String lengths have no leading zero either ({@code 03:abc}).</li>
 *   <li>A declared string length is compared with the input left, and with {@link NgLimits#maxMessageBytes()},
 *       before anything is allocated: a bencode bomb ({@code 4294967295:}) costs nothing.</li>
 *   <li>Nesting deeper than {@link NgLimits#maxDepth()} and more than {@link NgLimits#maxElements()} values are
 *       refused at the byte that would exceed them.</li>
 *   <li>Dictionary keys are strings, each at most once in a dictionary; their order is not checked (rtpengine and
 *       Kamailio send them unsorted).</li>
 * </ul>
 * Offsets in errors are indices into the array given. Not thread-safe; each call uses a fresh instance.
 */
public final class BencodeDecoder {

    private final byte[] input;
    /** Where the input ends, or where {@link NgLimits#maxMessageBytes()} cuts it off, whichever is first. */
    private final int end;
    private final int inputEnd;
    private final NgLimits limits;
    private int position;
    private int elements;

    /** One value read from the front of the input, and the index just after it. */
    public record Decoded(NgValue value, int end) {}

    private BencodeDecoder(byte[] input, int offset, int inputEnd, NgLimits limits) {
        this.input = input;
        this.position = offset;
        this.inputEnd = inputEnd;
        this.end = (int) Math.min(inputEnd, (long) offset + limits.maxMessageBytes());
        this.limits = limits;
    }

    /** Reads exactly one value that fills all of {@code input}. */
    public static NgValue decode(byte[] input, NgLimits limits) throws NgParseException {
        Decoded decoded = decodePrefix(input, 0, input.length, limits);
        if (decoded.end() != input.length) {
            throw new NgParseException(decoded.end(), NgParseError.TRAILING_DATA);
        }
        return decoded.value();
    }

    /**
     * Reads the one value that starts at {@code offset}, leaving what follows it (a stream's next message). A value
     * that the input ends inside fails with an error whose {@link NgParseError#truncation()} is true; one that
     * would reach past {@code offset + maxMessageBytes} fails with {@link NgParseError#TOO_LARGE}.
     */
    public static Decoded decodePrefix(byte[] input, int offset, int end, NgLimits limits) throws NgParseException {
        if (offset < 0 || end > input.length || offset > end) {
            throw new IndexOutOfBoundsException("offset " + offset + ", end " + end + ", length " + input.length);
        }
        BencodeDecoder decoder = new BencodeDecoder(input, offset, end, limits);
        NgValue value = decoder.value(0);
        return new Decoded(value, decoder.position);
    }

    private NgValue value(int depth) throws NgParseException {
        if (position >= end) {
            throw beyondEnd(NgParseError.TRUNCATED);
        }
        count();
        byte first = input[position];
        return switch (first) {
            case 'i' -> integer();
            case 'l' -> list(depth + 1);
            case 'd' -> dictionary(depth + 1);
            default -> {
                if (isDigit(first)) {
                    yield string();
                }
                throw new NgParseException(position, NgParseError.UNEXPECTED_BYTE, "unexpected byte 0x" + Integer.toHexString(first & 0xff));
            }
        };
    }

    private NgInteger integer() throws NgParseException {
        position++; // 'i'
        boolean negative = false;
        if (position < end && input[position] == '-') {
            negative = true;
            position++;
        }
        int digitsStart = position;
        requireDigit();
        if (input[position] == '0') {
            if (negative) {
                throw new NgParseException(digitsStart - 1, NgParseError.NEGATIVE_ZERO);
            }
            position++;
            if (position < end && isDigit(input[position])) {
                throw new NgParseException(digitsStart, NgParseError.LEADING_ZERO);
            }
            expect('e');
            return new NgInteger(0);
        }
        // accumulated as a negative number: its range reaches Long.MIN_VALUE
        long accumulated = 0;
        while (position < end && isDigit(input[position])) {
            try {
                accumulated = Math.subtractExact(Math.multiplyExact(accumulated, 10), input[position] - '0');
            } catch (ArithmeticException overflow) {
                throw new NgParseException(digitsStart, NgParseError.INTEGER_OUT_OF_RANGE);
            }
            position++;
        }
        expect('e');
        if (negative) {
            return new NgInteger(accumulated);
        }
        if (accumulated == Long.MIN_VALUE) {
            throw new NgParseException(digitsStart, NgParseError.INTEGER_OUT_OF_RANGE);
        }
        return new NgInteger(-accumulated);
    }

    private NgString string() throws NgParseException {
        int lengthStart = position;
        long length = 0;
        if (input[position] == '0') {
            position++;
            if (position < end && isDigit(input[position])) {
                throw new NgParseException(lengthStart, NgParseError.LEADING_ZERO);
            }
        } else {
            while (position < end && isDigit(input[position])) {
                length = length * 10 + (input[position] - '0');
                // checked at each digit, so it never overflows and a long length is refused before it is read
                if (length > limits.maxMessageBytes()) {
                    throw new NgParseException(lengthStart, NgParseError.TOO_LARGE, "declared string length over " + limits.maxMessageBytes());
                }
                position++;
            }
        }
        expect(':');
        if (length > end - position) {
            throw new NgParseException(lengthStart, end < inputEnd ? NgParseError.TOO_LARGE : NgParseError.LENGTH_EXCEEDS_INPUT,
                    "declared string length " + length + " exceeds the " + (end - position) + " bytes left");
        }
        byte[] bytes = new byte[(int) length];
        System.arraycopy(input, position, bytes, 0, bytes.length);
        position += bytes.length;
        return new NgString(bytes);
    }

    private NgList list(int depth) throws NgParseException {
        checkDepth(depth);
        position++; // 'l'
        List<NgValue> items = new ArrayList<>();
        while (!atEnd()) {
            items.add(value(depth));
        }
        return new NgList(items);
    }

    private NgDictionary dictionary(int depth) throws NgParseException {
        checkDepth(depth);
        position++; // 'd'
        Map<NgString, NgValue> entries = new LinkedHashMap<>();
        while (!atEnd()) {
            int keyStart = position;
            if (!isDigit(input[position])) {
                throw new NgParseException(keyStart, NgParseError.KEY_NOT_STRING);
            }
            count();
            NgString key = string();
            NgValue value = value(depth);
            if (entries.putIfAbsent(key, value) != null) {
                throw new NgParseException(keyStart, NgParseError.DUPLICATE_KEY, "duplicate dictionary key " + key);
            }
        }
        return new NgDictionary(entries);
    }

    /** True (and consumed) at the {@code e} that closes a list or dictionary. */
    private boolean atEnd() throws NgParseException {
        if (position >= end) {
            throw beyondEnd(NgParseError.TRUNCATED);
        }
        if (input[position] == 'e') {
            position++;
            return true;
        }
        return false;
    }

    private void checkDepth(int depth) throws NgParseException {
        if (depth > limits.maxDepth()) {
            throw new NgParseException(position, NgParseError.TOO_DEEP, "nesting deeper than " + limits.maxDepth());
        }
    }

    private void count() throws NgParseException {
        if (++elements > limits.maxElements()) {
            throw new NgParseException(position, NgParseError.TOO_MANY_ELEMENTS, "more than " + limits.maxElements() + " values");
        }
    }

    private void requireDigit() throws NgParseException {
        if (position >= end) {
            throw beyondEnd(NgParseError.TRUNCATED);
        }
        if (!isDigit(input[position])) {
            throw new NgParseException(position, NgParseError.UNEXPECTED_BYTE, "expected a digit");
        }
    }

    private void expect(char terminator) throws NgParseException {
        if (position >= end) {
            throw beyondEnd(NgParseError.TRUNCATED);
        }
        if (input[position] != terminator) {
            throw new NgParseException(position, NgParseError.UNEXPECTED_BYTE, "expected '" + terminator + "'");
        }
        position++;
    }

    /** At the end of what may be read: of the input (truncated), or of the size limit (too large). */
    private NgParseException beyondEnd(NgParseError whenInputEnds) {
        return end < inputEnd
                ? new NgParseException(position, NgParseError.TOO_LARGE, "message longer than " + limits.maxMessageBytes() + " bytes")
                : new NgParseException(position, whenInputEnds);
    }

    private static boolean isDigit(byte b) {
        return b >= '0' && b <= '9';
    }
}
