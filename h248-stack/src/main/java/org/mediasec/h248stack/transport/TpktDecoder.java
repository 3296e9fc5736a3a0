package org.mediasec.h248stack.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.TooLongFrameException;
import java.util.List;

/**
 * Splits an H.248 TCP stream into messages (H.248.1 Annex D.2: each message in a TPKT packet, RFC 1006: version 3,
 * a reserved octet, a 16-bit length that counts the 4-byte header). Frames may arrive split over reads or several
 * in one read. A bad version or a length under 5 or over the limit closes the stream: there is no way to resync.
 * What is left of the stream after such a header is discarded, so the refusal is reported once (not again when the
 * connection's close decodes what remains).
 */
public final class TpktDecoder extends ByteToMessageDecoder {

    static final int HEADER = 4;
    private final int maxMessageBytes;
    private boolean broken;

    public TpktDecoder(int maxMessageBytes) {
        this.maxMessageBytes = maxMessageBytes;
    }

    @Override
    protected void decode(ChannelHandlerContext context, ByteBuf in, List<Object> out) {
        if (broken) {
            in.skipBytes(in.readableBytes());
            return;
        }
        while (in.readableBytes() >= HEADER) {
            int start = in.readerIndex();
            int version = in.getUnsignedByte(start);
            if (version != 3) {
                throw refuse(in, new CorruptedFrameException("TPKT version " + version + " (expected 3)"));
            }
            int length = in.getUnsignedShort(start + 2);
            if (length <= HEADER) {
                throw refuse(in, new CorruptedFrameException("TPKT length " + length));
            }
            if (length - HEADER > maxMessageBytes) {
                throw refuse(in, new TooLongFrameException("H.248 message of " + (length - HEADER) + " bytes over the limit of " + maxMessageBytes));
            }
            if (in.readableBytes() < length) {
                return;
            }
            in.skipBytes(HEADER);
            out.add(in.readRetainedSlice(length - HEADER));
        }
    }

    private <E extends RuntimeException> E refuse(ByteBuf in, E refusal) {
        broken = true;
        in.skipBytes(in.readableBytes());
        return refusal;
    }
}
