package org.mediasec.bfcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Messages cut out of a TCP stream however it is split; refused messages do not stop the stream; oversize does. */
class BfcpStreamDecoderTest {

    static final class Collect implements BfcpStreamDecoder.Listener {
        final List<BfcpMessage> messages = new ArrayList<>();
        final List<BfcpException> refused = new ArrayList<>();

        @Override
        public void message(BfcpMessage message) {
            messages.add(message);
        }

        @Override
        public void refused(BfcpException exception) {
            refused.add(exception);
        }
    }

    @Test
    void messagesSplitAnywhereComeOutWhole() throws Exception {
        List<BfcpMessage> sent = List.of(
                BfcpMessage.of(BfcpPrimitive.HELLO, 5, 1, 2),
                BfcpMessage.of(BfcpPrimitive.FLOOR_REQUEST, 5, 2, 2, new BfcpAttribute.FloorId(1), new BfcpAttribute.ParticipantProvidedInfo("please")),
                BfcpMessage.of(BfcpPrimitive.FLOOR_RELEASE, 5, 3, 2, new BfcpAttribute.FloorRequestId(1)));
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        for (BfcpMessage message : sent) {
            stream.writeBytes(BfcpEncoder.encode(message));
        }
        byte[] bytes = stream.toByteArray();
        for (int chunk = 1; chunk <= bytes.length; chunk++) {
            BfcpStreamDecoder decoder = new BfcpStreamDecoder(1024);
            Collect collect = new Collect();
            for (int offset = 0; offset < bytes.length; offset += chunk) {
                decoder.decode(bytes, offset, Math.min(chunk, bytes.length - offset), collect);
            }
            assertThat(collect.messages).as("chunks of " + chunk).isEqualTo(sent);
            assertThat(decoder.pending()).isZero();
        }
    }

    @Test
    void aRefusedMessageIsReportedAndTheNextOneStillDecodes() throws Exception {
        byte[] unknownPrimitive = java.util.HexFormat.of().parseHex("20630000" + "00000001" + "00020003");
        byte[] hello = BfcpEncoder.encode(BfcpMessage.of(BfcpPrimitive.HELLO, 1, 3, 3));
        BfcpStreamDecoder decoder = new BfcpStreamDecoder(1024);
        Collect collect = new Collect();
        decoder.decode(unknownPrimitive, 0, unknownPrimitive.length, collect);
        decoder.decode(hello, 0, hello.length, collect);
        assertThat(collect.refused).singleElement().satisfies(e -> assertThat(e.error()).isEqualTo(BfcpErrorCode.UNKNOWN_PRIMITIVE));
        assertThat(collect.messages).hasSize(1);
    }

    @Test
    void aMessageOverTheLimitBreaksTheStreamBeforeItIsBuffered() throws Exception {
        BfcpStreamDecoder decoder = new BfcpStreamDecoder(64);
        byte[] head = java.util.HexFormat.of().parseHex("20010100"); // 256 words announced
        assertThatThrownBy(() -> decoder.decode(head, 0, head.length, new Collect()))
                .isInstanceOfSatisfying(BfcpException.class, e -> assertThat(e.error()).isEqualTo(BfcpErrorCode.INCORRECT_MESSAGE_LENGTH));
        assertThatThrownBy(() -> decoder.decode(new byte[1], 0, 1, new Collect())).isInstanceOf(BfcpException.class);
    }

    @Test
    void aTruncatedMessageIsPendingAtTheEndOfTheStream() throws Exception {
        byte[] hello = BfcpEncoder.encode(BfcpMessage.of(BfcpPrimitive.HELLO, 1, 3, 3));
        BfcpStreamDecoder decoder = new BfcpStreamDecoder(1024);
        Collect collect = new Collect();
        decoder.decode(hello, 0, hello.length - 1, collect);
        assertThat(collect.messages).isEmpty();
        assertThat(decoder.pending()).isEqualTo(hello.length - 1);
    }
}
