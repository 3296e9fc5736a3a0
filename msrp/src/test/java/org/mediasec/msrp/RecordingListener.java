package org.mediasec.msrp;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** Collects decoded frames with their bodies joined, for assertions. */
public final class RecordingListener implements MsrpFrameListener {

    public record Frame(MsrpFrameHead head, byte[] body, ContinuationFlag flag) {}

    public final List<Frame> frames = new ArrayList<>();
    private MsrpFrameHead head;
    private ByteArrayOutputStream body = new ByteArrayOutputStream();
    int bodyCalls;

    @Override
    public void onFrameHead(MsrpFrameHead frameHead) {
        if (head != null) {
            throw new AssertionError("head before the end of the previous frame");
        }
        head = frameHead;
        body = new ByteArrayOutputStream();
    }

    @Override
    public void onBody(ByteBuffer piece) {
        if (head == null || !head.hasBody()) {
            throw new AssertionError("body outside a frame with body");
        }
        bodyCalls++;
        byte[] bytes = new byte[piece.remaining()];
        piece.get(bytes);
        body.writeBytes(bytes);
    }

    @Override
    public void onFrameEnd(String transactionId, ContinuationFlag flag) {
        if (head == null || !head.transactionId().equals(transactionId)) {
            throw new AssertionError("end of a frame that did not start");
        }
        frames.add(new Frame(head, body.toByteArray(), flag));
        head = null;
    }

    public boolean inFrame() {
        return head != null;
    }
}
