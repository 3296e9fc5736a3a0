package org.mediasec.msrp.session;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;
import java.util.List;
import org.mediasec.msrp.ContinuationFlag;
import org.mediasec.msrp.MsrpDecoder;
import org.mediasec.msrp.MsrpFrameHead;
import org.mediasec.msrp.MsrpFrameListener;
import org.mediasec.msrp.MsrpLimits;
import org.mediasec.msrp.MsrpParseException;
import org.mediasec.msrp.MsrpUri;

/**
 * Jazzer: whatever a peer sends, decoded and fed to an endpoint session, ends in frames, answers or the decoder's
 * typed error; the session never throws, and what it writes back decodes as MSRP.
 */
class MsrpSessionFuzzTest {

    private static final MsrpFrameListener IGNORE = new MsrpFrameListener() {
        @Override public void onFrameHead(MsrpFrameHead head) { }
        @Override public void onBody(ByteBuffer piece) { }
        @Override public void onFrameEnd(String transactionId, ContinuationFlag flag) { }
    };

    @FuzzTest
    void anySessionInput(byte[] input) throws Exception {
        MsrpDecoder replies = new MsrpDecoder();
        MsrpSession session = new MsrpSession(List.of(MsrpUri.of(false, "127.0.0.1", 2855, "s1")), List.of(MsrpUri.of(false, "127.0.0.1", 2856, "s2")),
                input.length % 2 == 0, 4096, frame -> {
                    try {
                        replies.decode(ByteBuffer.wrap(frame), IGNORE);
                    } catch (MsrpParseException e) {
                        throw new AssertionError("the session wrote a frame that does not decode: " + e.getMessage(), e);
                    }
                }, (id, type, body) -> { });
        try {
            new MsrpDecoder(new MsrpLimits(2048, 32, 1 << 16)).decode(ByteBuffer.wrap(input), session);
        } catch (MsrpParseException expected) {
            session.closed("malformed input");
        }
    }
}
