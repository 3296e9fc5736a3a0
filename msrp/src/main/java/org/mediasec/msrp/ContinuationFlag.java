package org.mediasec.msrp;

/** The last character of an MSRP end-line (RFC 4975 9): more chunks follow, last chunk, or message aborted. */
public enum ContinuationFlag {
    MORE('+'),
    END('$'),
    ABORT('#');

    private final char character;

    ContinuationFlag(char character) {
        this.character = character;
    }

    public char character() {
        return character;
    }

    /** The flag for a byte of the end-line, or null when it is none of {@code + $ #}. */
    static ContinuationFlag of(int b) {
        return switch (b) {
            case '+' -> MORE;
            case '$' -> END;
            case '#' -> ABORT;
            default -> null;
        };
    }
}
