package org.mediasec.h248stack.transport;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.TooLongFrameException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Tag;

/**
 * Jazzer on the TPKT framing of H.248 over TCP (H.248.1 Annex D.2, RFC 1006): any bytes, cut into reads of any
 * sizes, give exactly the frames and the one refusal that a reading of RFC 1006 by hand gives (version 3, a length
 * that counts the 4-octet header, at most the message limit), whatever the cuts; what follows a refusal is discarded
 * (no frame, no second refusal, none at close either); nothing else is thrown, and every buffer read is released.
 *
 * <p>The first octet picks the message limit, the second seeds the read sizes (1 to 64 octets), the rest is the
 * stream. Seeds: {@code TpktDecoderFuzzTestInputs}.
 */
class TpktDecoderFuzzTest {

    /** What RFC 1006 says of a stream: its whole frames, then the refusal of the first bad header, if any. */
    private record Expected(List<byte[]> frames, Class<? extends DecoderException> refusal) {}

    private static Expected byHand(byte[] stream, int limit) {
        List<byte[]> frames = new ArrayList<>();
        int at = 0;
        while (stream.length - at >= TpktDecoder.HEADER) {
            int length = (stream[at + 2] & 0xFF) << 8 | stream[at + 3] & 0xFF;
            if (stream[at] != 3 || length <= TpktDecoder.HEADER) {
                return new Expected(frames, CorruptedFrameException.class);
            }
            if (length - TpktDecoder.HEADER > limit) {
                return new Expected(frames, TooLongFrameException.class);
            }
            if (stream.length - at < length) {
                break; // a frame still arriving
            }
            frames.add(Arrays.copyOfRange(stream, at + TpktDecoder.HEADER, at + length));
            at += length;
        }
        return new Expected(frames, null);
    }

    @FuzzTest(maxDuration = "30s")
    @Tag("H248-2")
    void decodeAnything(byte[] input) {
        if (input.length < 2) {
            return;
        }
        int limit = 1 + (input[0] & 0xFF) * 16;
        SplittableRandom cuts = new SplittableRandom(input[1]);
        byte[] stream = Arrays.copyOfRange(input, 2, input.length);
        Expected expected = byHand(stream, limit);

        EmbeddedChannel channel = new EmbeddedChannel(new TpktDecoder(limit));
        List<ByteBuf> reads = new ArrayList<>();
        List<byte[]> frames = new ArrayList<>();
        Class<?> refusal = null;
        try {
            for (int at = 0; at < stream.length; ) {
                int size = Math.min(stream.length - at, 1 + cuts.nextInt(64));
                ByteBuf read = Unpooled.copiedBuffer(stream, at, size);
                reads.add(read);
                at += size;
                try {
                    channel.writeInbound(read);
                } catch (DecoderException e) {
                    if (refusal != null) {
                        throw new AssertionError("refused twice: " + refusal.getSimpleName() + ", then " + e, e);
                    }
                    refusal = e.getClass();
                }
                for (ByteBuf frame; (frame = channel.readInbound()) != null; ) {
                    byte[] bytes = new byte[frame.readableBytes()];
                    frame.readBytes(bytes);
                    frame.release();
                    frames.add(bytes);
                }
            }
        } finally {
            channel.finishAndReleaseAll();
        }

        if (refusal != expected.refusal()) {
            throw new AssertionError("refusal " + refusal + ", RFC 1006 says " + expected.refusal());
        }
        if (frames.size() != expected.frames().size()) {
            throw new AssertionError(frames.size() + " frames, RFC 1006 says " + expected.frames().size());
        }
        for (int i = 0; i < frames.size(); i++) {
            if (!Arrays.equals(frames.get(i), expected.frames().get(i))) {
                throw new AssertionError("frame " + i + " differs from the stream's");
            }
        }
        for (ByteBuf read : reads) {
            if (read.refCnt() != 0) {
                throw new AssertionError("a read buffer was not released: refCnt " + read.refCnt());
            }
        }
    }
}
