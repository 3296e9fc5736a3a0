package org.mediasec.t38;

/**
 * A UDPTL packet or an IFP that does not decode: the reason, the octet offset where decoding stopped (counted from
 * the start of the buffer given to the decoder) and a readable detail. T.38 defines no error codes of its own, so
 * {@link Reason} is the typed part.
 */
public final class T38Exception extends Exception {

    private static final long serialVersionUID = 1L;

    /** What was wrong. */
    public enum Reason {
        /** The input ended inside a field. */
        TRUNCATED,
        /** A length determinant or count reaches past the end of the input. */
        LENGTH_PAST_END,
        /** Octets follow a complete packet (a UDPTL packet is one datagram, X.691 10.1.3: nothing after it). */
        TRAILING_OCTETS,
        /** The datagram is larger than any UDP payload ({@link UdptlCodec#MAX_DATAGRAM}). */
        OVERSIZE,
        /** An open type (an IFP) of zero octets: a complete encoding is at least one octet (X.691 10.1.3). */
        EMPTY_OPEN_TYPE,
        /** An enumeration's extension value this version of T.38 does not define. */
        UNKNOWN_VALUE,
        /** fec-npackets outside 0..2^31-1, or encoded in more octets than it needs room for. */
        INTEGER_OUT_OF_RANGE,
        /** A length determinant form X.691 10.9 does not allow (a fragment of more than 4 × 16K). */
        BAD_LENGTH_DETERMINANT
    }

    private final Reason reason;
    private final int offset;

    public T38Exception(Reason reason, int offset, String detail) {
        super(reason + " at octet " + offset + ": " + detail);
        this.reason = reason;
        this.offset = offset;
    }

    public Reason reason() {
        return reason;
    }

    public int offset() {
        return offset;
    }
}
