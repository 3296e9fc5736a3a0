package org.mediasec.h248stack.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** TPKT framing of H.248 over TCP (H.248.1 Annex D.2, RFC 1006). */
class TpktCodecTest {

    private static String read(EmbeddedChannel channel) {
        ByteBuf message = channel.readInbound();
        try {
            return message == null ? null : message.toString(StandardCharsets.US_ASCII);
        } finally {
            if (message != null) {
                message.release();
            }
        }
    }

    @Test
    @Tag("H248-2")
    void framesSplitAcrossReadsAndSeveralInOneRead() {
        EmbeddedChannel channel = new EmbeddedChannel(new TpktDecoder(65536));
        byte[] first = TpktFrames.frame("!/1 [1.2.3.4] T=1{C=-{N=ROOT{OE=1{g/cause}}}}");
        byte[] second = TpktFrames.frame("!/1 [1.2.3.4] PN=2{}");
        byte[] both = new byte[first.length + second.length];
        System.arraycopy(first, 0, both, 0, first.length);
        System.arraycopy(second, 0, both, first.length, second.length);

        for (int i = 0; i < both.length; i++) { // one byte at a time
            channel.writeInbound(Unpooled.wrappedBuffer(both, i, 1));
        }
        assertThat(read(channel)).isEqualTo("!/1 [1.2.3.4] T=1{C=-{N=ROOT{OE=1{g/cause}}}}");
        assertThat(read(channel)).isEqualTo("!/1 [1.2.3.4] PN=2{}");

        channel.writeInbound(Unpooled.wrappedBuffer(both));
        assertThat(read(channel)).startsWith("!/1 [1.2.3.4] T=1");
        assertThat(read(channel)).isEqualTo("!/1 [1.2.3.4] PN=2{}");
        assertThat(read(channel)).isNull();
        assertThat(channel.finish()).isFalse();
    }

    @Test
    @Tag("H248-2")
    void badVersionShortLengthAndOversizeAreRefused() {
        assertThatThrownBy(() -> new EmbeddedChannel(new TpktDecoder(100)).writeInbound(Unpooled.wrappedBuffer(new byte[] {4, 0, 0, 9, 1, 2, 3, 4, 5})))
                .isInstanceOf(DecoderException.class).hasMessageContaining("version");
        assertThatThrownBy(() -> new EmbeddedChannel(new TpktDecoder(100)).writeInbound(Unpooled.wrappedBuffer(new byte[] {3, 0, 0, 4})))
                .isInstanceOf(DecoderException.class).hasMessageContaining("length");
        assertThatThrownBy(() -> new EmbeddedChannel(new TpktDecoder(100)).writeInbound(Unpooled.wrappedBuffer(new byte[] {3, 0, (byte) 0xFF, (byte) 0xFF})))
                .isInstanceOf(DecoderException.class).hasMessageContaining("over the limit");
    }

    @Test
    @Tag("H248-2")
    void encoderWritesTheHeader() {
        EmbeddedChannel channel = new EmbeddedChannel(new TpktEncoder());
        channel.writeOutbound(Unpooled.copiedBuffer("!/1 [1.2.3.4] PN=2{}", StandardCharsets.US_ASCII));
        ByteBuf out = channel.readOutbound();
        byte[] bytes = new byte[out.readableBytes()];
        out.readBytes(bytes);
        out.release();
        assertThat(bytes).isEqualTo(TpktFrames.frame("!/1 [1.2.3.4] PN=2{}"));
    }
}
