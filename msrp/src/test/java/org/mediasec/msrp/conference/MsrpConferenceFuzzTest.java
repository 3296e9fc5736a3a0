package org.mediasec.msrp.conference;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.mediasec.msrp.MsrpDecoder;
import org.mediasec.msrp.MsrpParseException;
import org.mediasec.msrp.ContinuationFlag;
import org.mediasec.msrp.MsrpFrameHead;
import org.mediasec.msrp.MsrpFrameListener;

/**
 * Jazzer: whatever a member sends (a valid SEND head first, so that bodies get forwarded, then anything), the
 * focus never fails, and what it writes to the other members is well-framed MSRP: it decodes, and once the sender
 * is gone no frame is left open.
 */
class MsrpConferenceFuzzTest {

    private static final byte[] PREFIX = ("MSRP fz001 SEND\r\nTo-Path: msrps://mrfp.example.org:2855/focusalice;tcp\r\n"
            + "From-Path: msrps://ue-alice.example.org:2855/uealice;tcp\r\nMessage-ID: m1\r\nByte-Range: 1-*/*\r\nContent-Type: text/plain\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII);

    @FuzzTest
    void anythingAMemberSendsLeavesTheOthersWellFramed(byte[] input) throws Exception {
        ConferenceHarness harness = new ConferenceHarness();
        ConferenceHarness.Ue alice = harness.join("alice", "*");
        ConferenceHarness.Ue bob = harness.join("bob", "text/plain");
        ConferenceHarness.Ue carol = harness.join("carol", "message/cpim");
        bob.reading = false;
        carol.reading = false;
        boolean prefixed = input.length > 0 && (input[0] & 1) == 1;
        byte[] bytes = prefixed ? concat(PREFIX, input) : input;
        try {
            int split = bytes.length == 0 ? 0 : (bytes[bytes.length - 1] & 0xff) % bytes.length;
            alice.toFocus.decode(ByteBuffer.wrap(bytes, 0, split), alice.focusSide);
            alice.toFocus.decode(ByteBuffer.wrap(bytes, split, bytes.length - split), alice.focusSide);
        } catch (MsrpParseException closed) {
            // the connection would be closed here
        }
        harness.conference.leave("alice");
        for (ConferenceHarness.Ue recipient : new ConferenceHarness.Ue[] {bob, carol}) {
            MsrpDecoder decoder = new MsrpDecoder();
            decoder.decode(ByteBuffer.wrap(recipient.towardsUe.toByteArray()), IGNORE);
            if (!decoder.betweenFrames()) {
                throw new AssertionError("a frame to " + recipient.name + " was left open");
            }
        }
    }

    private static final MsrpFrameListener IGNORE = new MsrpFrameListener() {
        @Override
        public void onFrameHead(MsrpFrameHead head) {}

        @Override
        public void onBody(ByteBuffer piece) {}

        @Override
        public void onFrameEnd(String transactionId, ContinuationFlag flag) {}
    };

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
