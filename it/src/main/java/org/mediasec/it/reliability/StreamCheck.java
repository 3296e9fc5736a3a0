package org.mediasec.it.reliability;

import java.util.zip.CRC32;

/**
 * One direction of one soak call's byte stream: the sender draws its bytes from a pattern seeded per call and
 * direction (xorshift, so a byte of another call, a repeat or a shift shows), the receiver checks each byte against
 * the same pattern, and both keep a CRC-32 and a count of everything that passed, compared at the end. Thread rule:
 * one thread (the call's own virtual thread) uses both ends.
 */
final class StreamCheck {

    private final CRC32 sentCrc = new CRC32();
    private final CRC32 receivedCrc = new CRC32();
    private int sendState;
    private int expectState;
    private long sent;
    private long received;
    private long corrupted;

    StreamCheck(long seed) {
        int start = (int) (seed * 0x9E3779B97F4A7C15L >>> 32) | 1;
        sendState = start;
        expectState = start;
    }

    /** The next {@code length} bytes of the stream, counted as sent. */
    byte[] next(int length) {
        byte[] chunk = new byte[length];
        for (int i = 0; i < length; i++) {
            sendState = step(sendState);
            chunk[i] = (byte) sendState;
        }
        sentCrc.update(chunk);
        sent += length;
        return chunk;
    }

    /** Bytes that arrived, in order: each compared with the pattern; a wrong one is counted, not thrown. */
    void arrived(byte[] bytes, int length) {
        for (int i = 0; i < length; i++) {
            expectState = step(expectState);
            if (bytes[i] != (byte) expectState) {
                corrupted++;
            }
        }
        receivedCrc.update(bytes, 0, length);
        received += length;
    }

    long sent() {
        return sent;
    }

    long received() {
        return received;
    }

    long corrupted() {
        return corrupted;
    }

    /** Everything sent arrived, unchanged: the counts and the CRC-32s agree and no byte differed from the pattern. */
    boolean intact() {
        return sent == received && corrupted == 0 && sentCrc.getValue() == receivedCrc.getValue();
    }

    private static int step(int state) {
        state ^= state << 13;
        state ^= state >>> 17;
        state ^= state << 5;
        return state;
    }
}
