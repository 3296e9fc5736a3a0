package org.mediasec.h248stack.transport;

import java.nio.charset.StandardCharsets;

/** Builds TPKT frames by hand (RFC 1006: version 3, reserved 0, length including the 4-byte header), for tests. */
final class TpktFrames {

    private TpktFrames() {}

    static byte[] frame(String message) {
        byte[] body = message.getBytes(StandardCharsets.US_ASCII);
        byte[] frame = new byte[body.length + 4];
        frame[0] = 3;
        frame[2] = (byte) ((body.length + 4) >> 8);
        frame[3] = (byte) (body.length + 4);
        System.arraycopy(body, 0, frame, 4, body.length);
        return frame;
    }
}
