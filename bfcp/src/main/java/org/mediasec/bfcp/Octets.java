package org.mediasec.bfcp;

import java.util.Arrays;
import java.util.HexFormat;

/** Immutable bytes with value equality, for the opaque parts of attributes (error details, unknown attributes). */
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

    int at(int index) {
        return bytes[index] & 0xff;
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
        return HexFormat.of().formatHex(bytes);
    }
}
