package org.mediasec.t38;

import java.util.Arrays;
import java.util.HexFormat;

/** Immutable bytes with value equality: an IFP as carried in an open type, field data, FEC data. */
public record Octets(byte[] bytes) {

    public static final Octets EMPTY = new Octets(new byte[0]);

    public Octets {
        bytes = bytes.clone();
    }

    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    public int length() {
        return bytes.length;
    }

    /** No copy: for the codec's writer only. */
    byte[] unsafeBytes() {
        return bytes;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Octets that && Arrays.equals(bytes, that.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return bytes.length <= 32 ? HexFormat.of().formatHex(bytes) : HexFormat.of().formatHex(bytes, 0, 32) + "…(" + bytes.length + " octets)";
    }
}
