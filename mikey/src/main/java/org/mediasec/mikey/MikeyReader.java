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
        need(4, what);
        long value = 0;
        for (int i = 0; i < 4; i++) {
            value = (value << 8) | (bytes[position + i] & 0xff);
        }
        position += 4;
        return value;
    }

    long u64(String what) throws MikeyException {
        need(8, what);
        long value = 0;
        for (int i = 0; i < 8; i++) {
            value = (value << 8) | (bytes[position + i] & 0xff);
        }
        position += 8;
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
