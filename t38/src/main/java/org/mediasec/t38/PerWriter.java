package org.mediasec.t38;

import java.util.Arrays;

/**
 * Writes the ALIGNED variant of ASN.1 PER (ITU-T X.691) as T.38 clause 9.1 uses it; the counterpart of
 * {@link PerReader}. Length determinants of 16K and more are fragmented as X.691 10.9.3.8 prescribes: as many 64K
 * fragments as fit, then one of 48K, 32K or 16K if needed, then a final determinant below 16K (possibly zero).
 * Not thread-safe.
 */
final class PerWriter {

    /** Writes {@code count} items of a SEQUENCE OF, starting at item {@code from}. */
    @FunctionalInterface
    interface Items {
        void write(int from, int count);
    }

    private byte[] output = new byte[64];
    private long bit;

    void bit(boolean value) {
        bits(value ? 1 : 0, 1);
    }

    void bits(int value, int count) {
        ensure(bit + count);
        for (int i = count - 1; i >= 0; i--, bit++) {
            if (((value >>> i) & 1) != 0) {
                output[(int) (bit >>> 3)] |= (byte) (0x80 >>> (int) (bit & 7));
            }
        }
    }

    void align() {
        bit = (bit + 7) & ~7L;
    }

    void octet(int value) {
        align();
        bits(value & 0xff, 8);
    }

    void twoOctets(int value) {
        align();
        bits(value & 0xffff, 16);
    }

    /** X.691 10.6, for the values T.38 has (below 64). */
    void normallySmall(int value) {
        if (value > 63) {
            throw new IllegalArgumentException("normally small numbers above 63 are not needed by T.38: " + value);
        }
        bit(false);
        bits(value, 6);
    }

    /** A count of items with fragmentation; {@code items} writes each part right after its determinant. */
    void fragmented(int total, Items items) {
        int done = 0;
        while (total - done >= PerReader.FRAGMENT_UNIT) {
            int units = Math.min(PerReader.MAX_FRAGMENT_UNITS, (total - done) / PerReader.FRAGMENT_UNIT);
            octet(0xc0 | units);
            items.write(done, units * PerReader.FRAGMENT_UNIT);
            done += units * PerReader.FRAGMENT_UNIT;
        }
        int rest = total - done;
        if (rest < 128) {
            octet(rest);
        } else {
            octet(0x80 | (rest >>> 8));
            bits(rest & 0xff, 8);
        }
        items.write(done, rest);
    }

    void octetString(byte[] value) {
        fragmented(value.length, (from, count) -> octets(value, from, count));
    }

    void octets(byte[] value, int from, int count) {
        align();
        ensure(bit + 8L * count);
        System.arraycopy(value, from, output, (int) (bit >>> 3), count);
        bit += 8L * count;
    }

    /** The octets written, the last one padded with zero bits. */
    byte[] toByteArray() {
        return Arrays.copyOf(output, (int) ((bit + 7) >>> 3));
    }

    private void ensure(long bits) {
        int needed = (int) ((bits + 7) >>> 3);
        if (needed > output.length) {
            output = Arrays.copyOf(output, Math.max(needed, output.length * 2));
        }
    }
}
