package org.mediasec.it.bench.callrate;

/** Test bytes for a bearer: a pattern seeded per call and direction, so that bytes of another call or a shift show. */
final class Payload {

    private Payload() {}

    static byte[] of(int length, int seed) {
        byte[] bytes = new byte[length];
        int state = seed * 0x9E3779B9 | 1;
        for (int i = 0; i < length; i++) {
            state ^= state << 13;
            state ^= state >>> 17;
            state ^= state << 5;
            bytes[i] = (byte) state;
        }
        return bytes;
    }
}
