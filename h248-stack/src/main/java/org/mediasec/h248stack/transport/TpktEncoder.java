package org.mediasec.h248stack.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.EncoderException;
import io.netty.handler.codec.MessageToByteEncoder;

/** Puts each outgoing H.248 message in one TPKT packet (H.248.1 Annex D.2, RFC 1006). */
public final class TpktEncoder extends MessageToByteEncoder<ByteBuf> {

    @Override
    protected void encode(ChannelHandlerContext context, ByteBuf message, ByteBuf out) {
        int length = message.readableBytes() + TpktDecoder.HEADER;
        if (length > 0xFFFF) {
            throw new EncoderException("H.248 message of " + message.readableBytes() + " bytes does not fit a TPKT packet");
        }
        out.writeByte(3).writeByte(0).writeShort(length).writeBytes(message);
    }
}
