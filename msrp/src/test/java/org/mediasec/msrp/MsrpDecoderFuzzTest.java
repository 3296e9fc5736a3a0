package org.mediasec.msrp;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;

/**
 * Jazzer: any bytes, in any split, give frames or the typed {@link MsrpParseException}, never anything else;
 * heads that decode encode back to bytes that decode to the same head.
 */
class MsrpDecoderFuzzTest {

    @FuzzTest
    void decodeAnything(byte[] input) throws Exception {
        if (input.length == 0) {
            return;
        }
        int split = (input[0] & 0xff) % input.length;
        MsrpDecoder decoder = new MsrpDecoder(new MsrpLimits(2048, 32, 1 << 20));
        RecordingListener listener = new RecordingListener();
        try {
            decoder.decode(ByteBuffer.wrap(input, 1, Math.max(0, split - 1)), listener);
            decoder.decode(ByteBuffer.wrap(input, split, input.length - split), listener);
        } catch (MsrpParseException expected) {
            return;
        }
        for (RecordingListener.Frame frame : listener.frames) {
            byte[] again = MsrpEncoder.frame(frame.head(), frame.body(), frame.flag());
            RecordingListener second = new RecordingListener();
            new MsrpDecoder(new MsrpLimits(4096, 64, 1 << 20)).decode(ByteBuffer.wrap(again), second);
            if (second.frames.size() != 1 || !second.frames.get(0).head().equals(frame.head())) {
                throw new AssertionError("re-encoded head decodes differently: " + frame.head());
            }
        }
    }
}
