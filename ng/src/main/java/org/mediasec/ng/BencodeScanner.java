package org.mediasec.ng;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Finds where one bencode value ends in a stream that arrives in pieces, in time linear in its length: each byte is
 * looked at once however it is split (a TCP ng message ends where its dictionary ends, rtpengine's
 * {@code bencode_valid}). Only the structure is followed: containers, integer characters, declared string lengths
 * (skipped without reading). {@link BencodeDecoder} then reads the value once, with all its rules; whatever that
 * decoder reads completely, this finds the same end for, and a value it finds truncated, this waits for.
 * Nesting deeper than {@link NgLimits#maxDepth()}, or a value longer than {@link NgLimits#maxMessageBytes()}, is an
 * error as soon as it shows. Not thread-safe: one per connection.
 */
public final class BencodeScanner {

    /** The most digits of a signed 64-bit integer (19); more can only be out of range. */
    private static final int MAX_INTEGER_DIGITS = 19;

    private enum State { VALUE, KEY_OR_END, INTEGER_SIGN, INTEGER_DIGITS, LENGTH, STRING, DONE }

    private final NgLimits limits;
    /** Open containers: true for a dictionary, false for a list. */
    private final Deque<Boolean> open = new ArrayDeque<>();
    private State state = State.VALUE;
    /** Whether the string being scanned is a dictionary key (then a value follows it). */
    private boolean key;
    private long length;
    private long remaining;
    private int digits;
    private long consumed;

    public BencodeScanner(NgLimits limits) {
        this.limits = limits;
    }

    /**
     * Scans {@code bytes[from, to)}, which continue what was scanned before. Returns the index just after the value
     * when it ends in this piece (the bytes after it are not looked at), or -1 when it needs more.
     * Errors carry offsets counted from the value's first byte.
     */
    public int scan(byte[] bytes, int from, int to) throws NgParseException {
        if (state == State.DONE) {
            throw new IllegalStateException("the value has ended: use a new scanner");
        }
        int i = from;
        while (i < to) {
            if (state == State.STRING) {
                int skip = (int) Math.min(remaining, to - i);
                i += skip;
                consumed += skip;
                remaining -= skip;
                checkSize();
                if (remaining == 0) {
                    scalarEnded();
                    if (state == State.DONE) {
                        return i;
                    }
                }
                continue;
            }
            step(bytes[i]);
            i++;
            consumed++;
            checkSize();
            if (state == State.DONE) {
                return i;
            }
        }
        return -1;
    }

    private void step(byte b) throws NgParseException {
        switch (state) {
            case VALUE -> startValue(b);
            case KEY_OR_END -> {
                if (b == 'e') {
                    closeContainer();
                } else if (isDigit(b)) {
                    startString(b, true);
                } else {
                    throw error(NgParseError.KEY_NOT_STRING);
                }
            }
            case INTEGER_SIGN -> {
                if (b == '-' || isDigit(b)) {
                    state = State.INTEGER_DIGITS;
                    digits = b == '-' ? 0 : 1;
                } else {
                    throw error(NgParseError.UNEXPECTED_BYTE);
                }
            }
            case INTEGER_DIGITS -> {
                if (b == 'e' && digits > 0) {
                    scalarEnded();
                } else if (isDigit(b) && digits < MAX_INTEGER_DIGITS) {
                    digits++;
                } else {
                    throw error(isDigit(b) ? NgParseError.INTEGER_OUT_OF_RANGE : NgParseError.UNEXPECTED_BYTE);
                }
            }
            case LENGTH -> {
                if (b == ':') {
                    remaining = length;
                    state = State.STRING;
                    if (remaining == 0) {
                        scalarEnded();
                    }
                } else if (isDigit(b)) {
                    length = length * 10 + (b - '0');
                    if (length > limits.maxMessageBytes()) {
                        throw error(NgParseError.TOO_LARGE);
                    }
                } else {
                    throw error(NgParseError.UNEXPECTED_BYTE);
                }
            }
            case STRING, DONE -> throw new IllegalStateException(state.name());
        }
    }

    private void startValue(byte b) throws NgParseException {
        switch (b) {
            case 'i' -> state = State.INTEGER_SIGN;
            case 'l', 'd' -> {
                if (open.size() + 1 > limits.maxDepth()) {
                    throw error(NgParseError.TOO_DEEP);
                }
                open.push(b == 'd');
                state = b == 'd' ? State.KEY_OR_END : State.VALUE;
            }
            case 'e' -> {
                if (open.isEmpty() || open.peek()) {
                    throw error(NgParseError.UNEXPECTED_BYTE);
                }
                closeContainer();
            }
            default -> {
                if (!isDigit(b)) {
                    throw error(NgParseError.UNEXPECTED_BYTE);
                }
                startString(b, false);
            }
        }
    }

    private void startString(byte firstDigit, boolean isKey) {
        length = firstDigit - '0';
        key = isKey;
        state = State.LENGTH;
    }

    /** A string or an integer ended: a key is followed by its value; a value by the next key, item or the end. */
    private void scalarEnded() {
        if (key) {
            key = false;
            state = State.VALUE;
        } else {
            valueEnded();
        }
    }

    private void closeContainer() {
        open.pop();
        valueEnded();
    }

    /** A value ended: in a dictionary a key or the end comes next, in a list an item or the end. */
    private void valueEnded() {
        if (open.isEmpty()) {
            state = State.DONE;
        } else {
            state = open.peek() ? State.KEY_OR_END : State.VALUE;
        }
    }

    private void checkSize() throws NgParseException {
        if (consumed > limits.maxMessageBytes()) {
            throw new NgParseException(limits.maxMessageBytes(), NgParseError.TOO_LARGE, "message longer than " + limits.maxMessageBytes() + " bytes");
        }
    }

    private NgParseException error(NgParseError error) {
        return new NgParseException((int) consumed, error);
    }

    private static boolean isDigit(byte b) {
        return b >= '0' && b <= '9';
    }
}
