package org.mediasec.msrp.relay;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.List;
import org.mediasec.msrp.MsrpDecoder;
import org.mediasec.msrp.MsrpLimits;
import org.mediasec.msrp.MsrpParseException;
import org.mediasec.msrp.MsrpUri;
import org.mediasec.msrp.RecordingListener;

/**
 * Jazzer on the MSRP-aware relay (GW-6): any bytes, split anywhere, either go on as a stream that decodes cleanly
 * (every frame whole, paths rewritten) or stop with the typed {@link MsrpParseException}; answers are whole frames.
 */
class MsrpRelayDirectionFuzzTest {

    private static final MsrpUri OURS = MsrpUri.of(false, "127.0.0.1", 5000, "gw");
    private static final MsrpUri FAR = MsrpUri.of(false, "127.0.0.1", 7000, "far");
    private static final MsrpUri OURS_BEYOND = MsrpUri.of(false, "127.0.0.1", 6000, "gw2");
    private static final MsrpLimits LIMITS = new MsrpLimits(2048, 32, 1 << 20);

    @FuzzTest
    void relayAnything(byte[] input) throws Exception {
        if (input.length == 0) {
            return;
        }
        MsrpRelayDirection direction = new MsrpRelayDirection(new MsrpPathRewrite(OURS, List.of(FAR), List.of(OURS_BEYOND)), LIMITS);
        ByteArrayOutputStream forwarded = new ByteArrayOutputStream();
        ByteArrayOutputStream answers = new ByteArrayOutputStream();
        MsrpRelayDirection.Output output = new MsrpRelayDirection.Output() {
            @Override
            public void forward(ByteBuffer bytes) {
                byte[] copy = new byte[bytes.remaining()];
                bytes.get(copy);
                forwarded.writeBytes(copy);
            }

            @Override
            public void answer(byte[] frame) {
                answers.writeBytes(frame);
            }
        };
        int split = (input[0] & 0xff) % input.length;
        boolean failed = false;
        try {
            direction.accept(ByteBuffer.wrap(input, 1, Math.max(0, split - 1)), output);
            direction.accept(ByteBuffer.wrap(input, split, input.length - split), output);
        } catch (MsrpParseException expected) {
            failed = true;
        }
        // what went on decodes, as far as it went (a stream cut in the middle of a body is still well formed so far)
        RecordingListener relayed = new RecordingListener();
        new MsrpDecoder(new MsrpLimits(4096, 64, 1 << 20)).decode(ByteBuffer.wrap(forwarded.toByteArray()), relayed);
        for (RecordingListener.Frame frame : relayed.frames) {
            if (!frame.head().toPath().equals(List.of(FAR)) || !frame.head().fromPath().equals(List.of(OURS_BEYOND))) {
                throw new AssertionError("a frame went on with paths that are not the rewritten ones: " + frame.head());
            }
        }
        RecordingListener answered = new RecordingListener();
        new MsrpDecoder(new MsrpLimits(4096, 64, 1 << 20)).decode(ByteBuffer.wrap(answers.toByteArray()), answered);
        if (answered.inFrame() || (!failed && relayed.inFrame() && direction.betweenFrames())) {
            throw new AssertionError("a partial answer, or a frame left open although the input ended between frames");
        }
    }
}
