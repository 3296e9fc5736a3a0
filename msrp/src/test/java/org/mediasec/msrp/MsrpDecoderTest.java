package org.mediasec.msrp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class MsrpDecoderTest {

    // RFC 4975 7.1.1 / appendix-style example (a SEND with a short text body)
    static final String SEND = "MSRP a786hjs2 SEND\r\n"
            + "To-Path: msrp://biloxi.example.com:12763/kjhd37s2s20w2a;tcp\r\n"
            + "From-Path: msrp://atlanta.example.com:7654/jshA7weztas;tcp\r\n"
            + "Message-ID: 87652491\r\n"
            + "Byte-Range: 1-25/25\r\n"
            + "Content-Type: text/plain\r\n"
            + "\r\n"
            + "Hey Bob, are you there?\r\n"
            + "\r\n-------a786hjs2$\r\n";

    static final String OK = "MSRP a786hjs2 200 OK\r\n"
            + "To-Path: msrp://atlanta.example.com:7654/jshA7weztas;tcp\r\n"
            + "From-Path: msrp://biloxi.example.com:12763/kjhd37s2s20w2a;tcp\r\n"
            + "-------a786hjs2$\r\n";

    private static RecordingListener decode(byte[] bytes, int... splits) throws MsrpParseException {
        MsrpDecoder decoder = new MsrpDecoder();
        RecordingListener listener = new RecordingListener();
        int at = 0;
        for (int split : splits) {
            decoder.decode(ByteBuffer.wrap(bytes, at, split - at), listener);
            at = split;
        }
        decoder.decode(ByteBuffer.wrap(bytes, at, bytes.length - at), listener);
        assertThat(decoder.betweenFrames()).isTrue();
        return listener;
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void decodesASendWithBodyAndItsResponse() throws Exception {
        RecordingListener listener = decode(ascii(SEND + OK));

        assertThat(listener.frames).hasSize(2);
        RecordingListener.Frame send = listener.frames.get(0);
        assertThat(send.head().startLine()).isEqualTo(new MsrpStartLine.Request("a786hjs2", "SEND"));
        assertThat(send.head().toPath()).containsExactly(MsrpUri.parse("msrp://biloxi.example.com:12763/kjhd37s2s20w2a;tcp"));
        assertThat(send.head().messageId()).contains("87652491");
        assertThat(send.head().byteRange()).contains(ByteRange.of(1, 25, 25));
        assertThat(new String(send.body(), StandardCharsets.UTF_8)).isEqualTo("Hey Bob, are you there?\r\n");
        assertThat(send.flag()).isEqualTo(ContinuationFlag.END);

        RecordingListener.Frame ok = listener.frames.get(1);
        assertThat(ok.head().startLine()).isEqualTo(new MsrpStartLine.Response("a786hjs2", 200, Optional.of("OK")));
        assertThat(ok.head().hasBody()).isFalse();
    }

    @Test
    void everySplitPointGivesTheSameFrames() throws Exception {
        byte[] bytes = ascii(SEND + OK);
        RecordingListener whole = decode(bytes);
        for (int split = 1; split < bytes.length; split++) {
            RecordingListener parts = decode(bytes, split);
            assertThat(parts.frames).hasSize(2);
            assertThat(parts.frames.get(0).body()).isEqualTo(whole.frames.get(0).body());
            assertThat(parts.frames.get(0).head()).isEqualTo(whole.frames.get(0).head());
        }
        int[] everyByte = new int[bytes.length - 1];
        for (int i = 0; i < everyByte.length; i++) {
            everyByte[i] = i + 1;
        }
        assertThat(decode(bytes, everyByte).frames.get(0).body()).isEqualTo(whole.frames.get(0).body());
    }

    @Test
    void aBodyWithSomethingLikeAnEndLineOfAnotherTransactionIsBody() throws Exception {
        String body = "line\r\n-------othertid$\r\n\r\n-------a786hjs\r\n-------a786hjs2x\r\n-------a786hjs2$\rX";
        String frame = SEND.replace("Hey Bob, are you there?\r\n", body).replace("1-25/25", "1-*/*");
        byte[] bytes = ascii(frame);

        for (int split = 1; split < bytes.length; split += 3) {
            RecordingListener listener = decode(bytes, split);
            assertThat(new String(listener.frames.get(0).body(), StandardCharsets.UTF_8)).isEqualTo(body);
        }
    }

    @Test
    void chunksWithContinuationFlags() throws Exception {
        String first = SEND.replace("1-25/25", "1-10/20").replace("Hey Bob, are you there?\r\n", "0123456789")
                .replace("-------a786hjs2$", "-------a786hjs2+");
        String abort = SEND.replace("a786hjs2", "b786hjs2").replace("Hey Bob, are you there?\r\n", "").replace("-------b786hjs2$", "-------b786hjs2#");

        RecordingListener listener = decode(ascii(first + abort));

        assertThat(listener.frames).extracting(RecordingListener.Frame::flag).containsExactly(ContinuationFlag.MORE, ContinuationFlag.ABORT);
        assertThat(listener.frames.get(1).body()).isEmpty();
    }

    @Test
    void largeBodiesStreamWithoutBeingHeld() throws Exception {
        byte[] head = ascii(SEND.substring(0, SEND.indexOf("Hey")));
        MsrpDecoder decoder = new MsrpDecoder(new MsrpLimits(1024, 16, Long.MAX_VALUE));
        RecordingListener listener = new RecordingListener();
        decoder.decode(ByteBuffer.wrap(head), listener);
        byte[] block = new byte[64 * 1024];
        java.util.Arrays.fill(block, (byte) 'x');
        long fed = 0;
        for (int i = 0; i < 256; i++) { // 16 MiB through a decoder that holds at most 1 KiB of head
            decoder.decode(ByteBuffer.wrap(block), listener);
            fed += block.length;
        }
        decoder.decode(ByteBuffer.wrap(ascii("\r\n-------a786hjs2$\r\n")), listener);
        assertThat(listener.frames.get(0).body()).hasSize((int) fed);
    }

    @Test
    void refusesMalformedFrames() {
        assertError("HTTP/1.1 200 OK\r\n", 400, "does not start with 'MSRP '");
        assertError("MSRP ab SEND\r\n", 400, "transaction ID");
        assertError("MSRP a786hjs2 send\r\n", 400, "method");
        assertError("MSRP a786hjs2 SEND\r\nFrom-Path: msrp://a.example.com:1/s;tcp\r\n", 400, "To-Path");
        assertError("MSRP a786hjs2 SEND\nTo-Path: x\r\n", 400, "CRLF");
        assertError("MSRP a786hjs2 SEND\r\nTo-Path: http://a/b\r\n", 400, "msrp");
        assertError(OK.replace("-------a786hjs2$", "-------zzzzzzzz$"), 400, "end-line");
        assertError(OK.replace("-------a786hjs2$", "-------a786hjs2!"), 400, "end-line");
        assertError(SEND.replace("Content-Type: text/plain\r\n", ""), 400, "Content-Type");
        assertError(SEND.replace("1-25/25", "9-2/25"), 400, "Byte-Range");
        assertError(OK.replace("-------a786hjs2$\r\n", "\r\nbody\r\n-------a786hjs2$\r\n"), 400, "no body");
        assertError("MSRP a786hjs2 SEND\r\nTo-Path: msrp://a.example.com:1/s;tcp\r\nX: " + "y".repeat(20_000), 413, "longer");
    }

    @Test
    void aFailedDecoderStaysFailed() {
        MsrpDecoder decoder = new MsrpDecoder();
        RecordingListener listener = new RecordingListener();
        assertThatThrownBy(() -> decoder.decode(ByteBuffer.wrap(ascii("GARBAGE\r\n")), listener)).isInstanceOf(MsrpParseException.class);
        assertThatThrownBy(() -> decoder.decode(ByteBuffer.wrap(ascii(OK)), listener)).isInstanceOf(MsrpParseException.class);
        assertThat(listener.frames).isEmpty();
    }

    @Test
    void bodyLimitIsPolicy() {
        MsrpDecoder decoder = new MsrpDecoder(new MsrpLimits(1024, 16, 10));
        assertThatThrownBy(() -> decoder.decode(ByteBuffer.wrap(ascii(SEND)), new RecordingListener()))
                .isInstanceOfSatisfying(MsrpParseException.class, e -> assertThat(e.statusCode()).isEqualTo(413));
    }

    private static void assertError(String input, int status, String reason) {
        MsrpDecoder decoder = new MsrpDecoder();
        assertThatThrownBy(() -> decoder.decode(ByteBuffer.wrap(ascii(input)), new RecordingListener()))
                .as(input)
                .isInstanceOfSatisfying(MsrpParseException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(status);
                    assertThat(e.getMessage()).contains(reason);
                });
    }

    @Property(tries = 300)
    void anyBodyRoundTripsThroughTheEncoderAtAnySplit(
            @ForAll("bodies") byte[] body, @ForAll @IntRange(min = 1, max = 4096) int split, @ForAll("transactionIds") String tid)
            throws Exception {
        MsrpFrameHead head = new MsrpFrameHead(new MsrpStartLine.Request(tid, "SEND"),
                List.of(MsrpUri.parse("msrps://[2001:db8::1]:2855/s1;tcp")), List.of(MsrpUri.parse("msrp://h.example:9/s2;tcp")),
                List.of(new MsrpHeader("Message-ID", "m1"), new MsrpHeader("Content-Type", "application/octet-stream")), true);
        byte[] frame = MsrpEncoder.frame(head, body, ContinuationFlag.END);
        // the sender's duty (RFC 4975 7.1.1): the transaction ID must not occur after CRLF------- in the body
        net.jqwik.api.Assume.that(!new String(body, StandardCharsets.ISO_8859_1).contains("\r\n-------" + tid));

        RecordingListener listener = decode(frame, Math.min(split, frame.length - 1));

        assertThat(listener.frames).hasSize(1);
        assertThat(listener.frames.get(0).head()).isEqualTo(head);
        assertThat(listener.frames.get(0).body()).isEqualTo(body);
    }

    @Provide
    Arbitrary<byte[]> bodies() {
        // bytes heavy in CR, LF and dashes, to exercise partial end-line matches
        Arbitrary<Byte> tricky = Arbitraries.of((byte) '\r', (byte) '\n', (byte) '-', (byte) 'a', (byte) '$', (byte) 0, (byte) 0xff);
        return Arbitraries.oneOf(Arbitraries.bytes(), tricky).array(byte[].class).ofMaxSize(3000);
    }

    @Provide
    Arbitrary<String> transactionIds() {
        return Arbitraries.strings().withChars("abc123-.+%=").ofMinLength(3).ofMaxLength(31).map(rest -> "t" + rest);
    }

    @Property(tries = 200)
    void garbageNeverThrowsAnythingButTheTypedError(@ForAll @Size(max = 600) byte[] garbage) {
        MsrpDecoder decoder = new MsrpDecoder(new MsrpLimits(256, 8, 1 << 20));
        try {
            decoder.decode(ByteBuffer.wrap(ascii("MSRP abcd SEND\r\n")), new RecordingListener());
            decoder.decode(ByteBuffer.wrap(garbage), new RecordingListener());
        } catch (MsrpParseException expected) {
            assertThat(expected.statusCode()).isIn(400, 413);
        }
    }
}
