package org.mediasec.t38;

import java.util.Arrays;
import org.mediasec.t38.T38Exception.Reason;

/**
 * Reads the ALIGNED variant of ASN.1 PER (ITU-T X.691), which T.38 clause 9.1 prescribes for UDPTL and IFP packets:
 * bit fields packed from the most significant bit, octet alignment where X.691 asks for it, length determinants
 * (X.691 10.9) with fragmentation. Every failure is a {@link T38Exception} at the octet where it was found. Not
 * thread-safe: one reader per buffer, on one thread.
 */
final class PerReader {

    /** X.691 10.9.3.8: a fragment carries 1 to 4 units of 16K items. */
    static final int FRAGMENT_UNIT = 16 * 1024;
    static final int MAX_FRAGMENT_UNITS = 4;

    /** Reads {@code count} items of a SEQUENCE OF (or octets of a string) once their number is known. */
    @FunctionalInterface
    interface Items {
        void read(int count) throws T38Exception;
    }

    /** A length determinant: the count, and whether more fragments follow (X.691 10.9.3.8). */
    record Length(int count, boolean fragment) {}

    private final byte[] input;
    private final int base;
    private long bit;

    /** {@code base}: the offset reported for this input's first octet (an IFP inside a UDPTL packet). */
    PerReader(byte[] input, int base) {
        this.input = input;
        this.base = base;
    }

    /** The octet offset of the next bit, as reported in errors. */
    int offset() {
        return base + (int) (bit >>> 3);
    }

    boolean atEnd() {
        return (bit + 7) >>> 3 >= input.length;
    }

    /** Octets left from the next octet boundary. */
    int remainingOctets() {
        return input.length - (int) ((bit + 7) >>> 3);
    }

    boolean bit() throws T38Exception {
        return bits(1) == 1;
    }

    /** Up to 31 bits, most significant first. */
    int bits(int count) throws T38Exception {
        if (bit + count > (long) input.length * 8) {
            throw new T38Exception(Reason.TRUNCATED, offset(), "needed " + count + " more bits");
        }
        int value = 0;
        for (int i = 0; i < count; i++, bit++) {
            value = (value << 1) | ((input[(int) (bit >>> 3)] >> (7 - (int) (bit & 7))) & 1);
        }
        return value;
    }

    /** Skips the padding bits to the next octet boundary (X.691 3.7.x "octet-aligned"). */
    void align() {
        bit = (bit + 7) & ~7L;
    }

    /** An aligned octet. */
    int octet() throws T38Exception {
        align();
        return bits(8);
    }

    /** X.691 10.5.7.3: a constrained whole number whose range is 257..64K, in two aligned octets. */
    int twoOctets() throws T38Exception {
        align();
        return bits(16);
    }

    /** X.691 10.6: a normally small non-negative whole number (extension additions of an enumeration). */
    int normallySmall() throws T38Exception {
        if (!bit()) {
            return bits(6);
        }
        Length length = length();
        if (length.fragment() || length.count() == 0 || length.count() > 3) {
            throw new T38Exception(Reason.INTEGER_OUT_OF_RANGE, offset(), "a normally small number of " + length.count() + " octets");
        }
        return bits(8 * length.count());
    }

    /** X.691 10.9.3.5 to 10.9.3.8: one aligned length determinant (a count below 16K, or a fragment of m × 16K). */
    Length length() throws T38Exception {
        int at = offset();
        int first = octet();
        if ((first & 0x80) == 0) {
            return new Length(first, false);
        }
        if ((first & 0x40) == 0) {
            return new Length(((first & 0x3f) << 8) | bits(8), false);
        }
        int units = first & 0x3f;
        if (units < 1 || units > MAX_FRAGMENT_UNITS) {
            throw new T38Exception(Reason.BAD_LENGTH_DETERMINANT, at, "fragment of " + units + " × 16K (X.691 10.9.3.8 allows 1 to 4)");
        }
        return new Length(units * FRAGMENT_UNIT, true);
    }

    /**
     * A possibly fragmented count: calls {@code items} for each part (X.691 10.9.3.8.4: fragments end with a
     * determinant below 16K, possibly zero). Returns the total. {@code minimumOctetsPerItem} lets a count that
     * cannot fit fail before anything is read.
     */
    int fragmented(int minimumOctetsPerItem, Items items) throws T38Exception {
        int total = 0;
        while (true) {
            align();
            int at = offset();
            Length length = length();
            if ((long) length.count() * minimumOctetsPerItem > remainingOctets()) {
                throw new T38Exception(Reason.LENGTH_PAST_END, at, "a length of " + length.count() + " but only " + remainingOctets() + " octets follow");
            }
            items.read(length.count());
            total += length.count();
            if (!length.fragment()) {
                return total;
            }
        }
    }

    /** An unconstrained OCTET STRING or an open type's contents: a (fragmented) length and that many aligned octets. */
    byte[] octetString() throws T38Exception {
        byte[][] result = {new byte[0]};
        fragmented(1, count -> {
            byte[] part = octets(count);
            byte[] joined = Arrays.copyOf(result[0], result[0].length + part.length);
            System.arraycopy(part, 0, joined, result[0].length, part.length);
            result[0] = joined;
        });
        return result[0];
    }

    /** {@code count} aligned octets. */
    byte[] octets(int count) throws T38Exception {
        align();
        int from = (int) (bit >>> 3);
        if (count > input.length - from) {
            throw new T38Exception(Reason.LENGTH_PAST_END, offset(), count + " octets announced, " + (input.length - from) + " left");
        }
        bit += 8L * count;
        return Arrays.copyOfRange(input, from, from + count);
    }
}
