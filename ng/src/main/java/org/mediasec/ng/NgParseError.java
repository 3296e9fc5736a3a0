package org.mediasec.ng;

/** Why an ng message could not be read. */
public enum NgParseError {
    /** The datagram has no cookie: no space, or a space first (rtpengine drops these with a log line). */
    NO_COOKIE("no cookie"),
    /** The cookie is longer than {@link NgCookie#MAX_LENGTH} or holds other than visible ASCII. */
    INVALID_COOKIE("invalid cookie"),
    /** Nothing follows the cookie and its space. */
    NO_PAYLOAD("no payload"),
    /** The document starts with neither {@code d} (bencode dictionary) nor <code>{</code> (JSON object). */
    UNKNOWN_FORMAT("neither a bencode dictionary nor a JSON object"),
    /** The input ends inside a value. */
    TRUNCATED("the input ends inside a value"),
    /** A string's declared length is longer than the input left after it. */
    LENGTH_EXCEEDS_INPUT("a declared string length exceeds the input"),
    /** A byte that cannot start or continue a value here. */
    UNEXPECTED_BYTE("unexpected byte"),
    /** An integer or a string length written with a leading zero ({@code i03e}, {@code 03:abc}). */
    LEADING_ZERO("leading zero"),
    /** {@code i-0e}: bencode has one zero. */
    NEGATIVE_ZERO("negative zero"),
    /** An integer outside the signed 64-bit range. */
    INTEGER_OUT_OF_RANGE("integer out of range"),
    /** The message is larger than {@link NgLimits#maxMessageBytes()}. */
    TOO_LARGE("message too large"),
    /** Lists and dictionaries nest deeper than {@link NgLimits#maxDepth()}. */
    TOO_DEEP("nesting too deep"),
    /** More values than {@link NgLimits#maxElements()}. */
    TOO_MANY_ELEMENTS("too many values"),
    /** A dictionary key that is not a string. */
    KEY_NOT_STRING("dictionary key is not a string"),
    /** The same key twice in one dictionary. */
    DUPLICATE_KEY("duplicate dictionary key"),
    /** Bytes after the document other than trailing white space. */
    TRAILING_DATA("data after the document"),
    /** Not JSON, or JSON text that is not well-formed UTF-8. */
    INVALID_JSON("invalid JSON"),
    /** A JSON value bencode cannot carry: null, a fraction (rtpengine refuses these too). */
    UNSUPPORTED_JSON_VALUE("JSON value with no bencode form");

    private final String description;

    NgParseError(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }

    /** True when more input could complete the value: a stream reader waits instead of failing. */
    public boolean truncation() {
        return this == TRUNCATED || this == LENGTH_EXCEEDS_INPUT;
    }

    /** True when the message cannot be answered, for want of a cookie to answer with. */
    public boolean unanswerable() {
        return this == NO_COOKIE || this == INVALID_COOKIE;
    }
}
