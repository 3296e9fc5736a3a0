package org.mediasec.mikey;

/** Big-endian reads over a message that turn running out of bytes into a typed {@link MikeyException}. */
final class MikeyReader {

    private final byte[] bytes;
    private int position;

    MikeyReader(byte[] bytes) {
        this.bytes = bytes;
    }

    int position() {
        return position;
    }

    boolean atEnd() {
        return position == bytes.length;
    }

    int remaining() {
        return bytes.length - position;
    }

    int u8(String what) throws MikeyException {
        need(1, what);
        return bytes[position++] & 0xff;
    }

    int u16(String what) throws MikeyException {
        need(2, what);
        int value = ((bytes[position] & 0xff) << 8) | (bytes[position + 1] & 0xff);
        position += 2;
        return value;
    }

    long u32(String what) throws MikeyException {
        return unsigned(4, what);
    }

    long u64(String what) throws MikeyException {
        return unsigned(8, what);
    }

    /** A big-endian unsigned integer of {@code length} bytes (4 or 8; 8 bytes fill the long's sign bit too). */
    private long unsigned(int length, String what) throws MikeyException {
        need(length, what);
        long value = 0;
        for (int i = 0; i < length; i++) {
            value = (value << 8) | (bytes[position + i] & 0xff);
        }
        position += length;
        return value;
    }

    byte[] bytes(int length, String what) throws MikeyException {
        need(length, what);
        byte[] out = java.util.Arrays.copyOfRange(bytes, position, position + length);
        position += length;
        return out;
    }

    private void need(int length, String what) throws MikeyException {
        if (length < 0 || remaining() < length) {
            throw new MikeyException(position, MikeyErrorCode.UNSPECIFIED, "truncated: " + what + " needs " + length + " bytes, " + remaining() + " left");
        }
    }
}
