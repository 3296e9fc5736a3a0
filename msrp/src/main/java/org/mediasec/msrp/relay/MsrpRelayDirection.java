package org.mediasec.msrp.relay;

import java.nio.ByteBuffer;
import org.mediasec.msrp.ContinuationFlag;
import org.mediasec.msrp.MsrpDecoder;
import org.mediasec.msrp.MsrpEncoder;
import org.mediasec.msrp.MsrpFrameHead;
import org.mediasec.msrp.MsrpFrameListener;
import org.mediasec.msrp.MsrpLimits;
import org.mediasec.msrp.MsrpParseException;
import org.mediasec.msrp.MsrpStartLine;

/**
 * One direction of the MSRP-aware relay (GW-6; TR 29.828 4.1.4 b; TS 23.334 5.19): the frames a leg receives, with
 * To-Path and From-Path rewritten for the other leg ({@link MsrpPathRewrite}) and everything else — start line,
 * transaction ID, Message-ID, Byte-Range, report headers, unknown headers, the body, the end-line and its flag —
 * passed on unchanged. Streaming: a head goes on once it is whole (never half-parsed), body pieces as they come, so
 * a chunk of any size crosses in constant memory.
 *
 * <ul>
 *   <li>A request not addressed to this session (To-Path's first URI is not ours, RFC 4975 7.3) goes no further;
 *       its sender gets 481 when it wants a response (Failure-Report), on the leg it came from.</li>
 *   <li>A response not addressed to us is dropped (responses are never answered).</li>
 *   <li>A malformed or oversized frame ends the stream: {@link #accept} throws, and the relay releases the pair
 *       (RFC 4975 has no way to resynchronise a stream).</li>
 * </ul>
 * Not thread-safe: one direction of one pair, on its event loop.
 */
public final class MsrpRelayDirection {

    /** Where the direction's output goes. */
    public interface Output {
        /** Bytes for the other leg, in order; a view valid during the call only: copy what you keep. */
        void forward(ByteBuffer bytes);

        /** A whole frame for the leg the input came from (the 481 of a request that is not ours). */
        void answer(byte[] frame);

        /**
         * A frame ended (forwarded or refused): what goes on is between frames now, so another whole frame may be put
         * into the stream here without splitting one (the relay's 481 answers for the other direction).
         */
        default void frameEnded() {}
    }

    private static final byte[] NO_BODY = new byte[0];

    private final MsrpDecoder decoder;
    private final MsrpPathRewrite rewrite;
    private final Frames frames = new Frames();

    public MsrpRelayDirection(MsrpPathRewrite rewrite, MsrpLimits limits) {
        this.rewrite = rewrite;
        this.decoder = new MsrpDecoder(limits);
    }

    /** Consumes {@code input}, writing to {@code output}; a parse error is final (the stream cannot go on). */
    public void accept(ByteBuffer input, Output output) throws MsrpParseException {
        frames.output = output;
        try {
            decoder.decode(input, frames);
        } finally {
            frames.output = null;
        }
    }

    /** True between frames: nothing of a frame is pending. */
    public boolean betweenFrames() {
        return decoder.betweenFrames();
    }

    /** The decoder's events turned into output, one frame at a time. */
    private final class Frames implements MsrpFrameListener {
        Output output;
        MsrpFrameHead current;
        /** The current frame is not this session's: nothing of it goes on. */
        boolean refused;

        @Override
        public void onFrameHead(MsrpFrameHead head) {
            current = head;
            try {
                output.forward(ByteBuffer.wrap(MsrpEncoder.head(rewrite.apply(head))));
                refused = false;
            } catch (MsrpParseException notOurs) {
                refused = true;
            }
        }

        @Override
        public void onBody(ByteBuffer piece) {
            if (!refused) {
                output.forward(piece);
            }
        }

        @Override
        public void onFrameEnd(String transactionId, ContinuationFlag flag) {
            if (!refused) {
                output.forward(ByteBuffer.wrap(MsrpEncoder.endLine(transactionId, flag, current.hasBody())));
            } else if (current.startLine() instanceof MsrpStartLine.Request && current.responseWanted(481)) {
                // RFC 4975 7.3: "481 ... the request was not for a session the receiver knows"
                output.answer(MsrpEncoder.frame(current.response(481), NO_BODY, ContinuationFlag.END));
            }
            current = null;
            refused = false;
            output.frameEnded();
        }
    }
}
