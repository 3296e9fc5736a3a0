package org.mediasec.ng;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class BencodeScannerTest {

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Scans {@code bytes} one byte at a time; the end, or -1. */
    static int byteByByte(byte[] bytes, NgLimits limits) throws NgParseException {
        BencodeScanner scanner = new BencodeScanner(limits);
        for (int i = 0; i < bytes.length; i++) {
            int end = scanner.scan(bytes, i, i + 1);
            if (end >= 0) {
                return end;
            }
        }
        return -1;
    }

    @Test
    void findsTheEndOfNestedDictionariesInAnySplit() throws Exception {
        byte[] stream = ascii("d1:ad1:xi1ee1:bl1:ci-2ed0:0:ee3:sdp5:v=0\r\neNEXT");
        int end = stream.length - 4;
        assertThat(byteByByte(stream, NgLimits.DEFAULT)).isEqualTo(end);
        assertThat(new BencodeScanner(NgLimits.DEFAULT).scan(stream, 0, stream.length)).isEqualTo(end);
        for (int split = 0; split <= end; split++) {
            BencodeScanner scanner = new BencodeScanner(NgLimits.DEFAULT);
            int first = scanner.scan(stream, 0, split);
            assertThat(first).as("split %d", split).isEqualTo(split == end ? end : -1);
            if (first < 0) {
                assertThat(scanner.scan(stream, split, stream.length)).isEqualTo(end);
            }
        }
    }

    @Test
    void aHugeDeclaredLengthIsRefusedAtOnceAndAStringIsSkippedNotRead() {
        assertThatThrownBy(() -> byteByByte(ascii("d3:sdp99999999:"), NgLimits.DEFAULT))
                .isInstanceOfSatisfying(NgParseException.class, e -> assertThat(e.error()).isEqualTo(NgParseError.TOO_LARGE));
        NgLimits small = new NgLimits(100, 8, 100);
        assertThatThrownBy(() -> new BencodeScanner(small).scan(ascii("d3:sdp95:" + "x".repeat(95)), 0, 104))
                .isInstanceOfSatisfying(NgParseException.class, e -> assertThat(e.error()).isEqualTo(NgParseError.TOO_LARGE));
    }

    @Test
    void nestingBeyondTheLimitIsRefused() {
        assertThatThrownBy(() -> byteByByte(ascii("l".repeat(NgLimits.DEFAULT_MAX_DEPTH + 1)), NgLimits.DEFAULT))
                .isInstanceOfSatisfying(NgParseException.class, e -> assertThat(e.error()).isEqualTo(NgParseError.TOO_DEEP));
    }

    @Test
    void structuralErrorsAreRefused() {
        for (String bad : new String[] {"di1e", "x", "e", "i-e", "i1x", "3x", "d1:ae"}) {
            assertThatThrownBy(() -> byteByByte(ascii(bad), NgLimits.DEFAULT)).as(bad).isInstanceOf(NgParseException.class);
        }
    }

    @Property(tries = 1000)
    void agreesWithTheDecoderWhereverTheStreamIsSplit(@ForAll("values") NgValue value, @ForAll @IntRange(min = 0, max = 10_000) int where)
            throws Exception {
        byte[] encoded = BencodeEncoder.encode(value);
        byte[] stream = new byte[encoded.length + 3];
        System.arraycopy(encoded, 0, stream, 0, encoded.length);
        int split = where % (encoded.length + 1);
        BencodeScanner scanner = new BencodeScanner(NgLimits.DEFAULT);
        int end = scanner.scan(stream, 0, split);
        if (end < 0) {
            end = scanner.scan(stream, split, stream.length);
        }
        assertThat(end).isEqualTo(BencodeDecoder.decodePrefix(stream, 0, stream.length, NgLimits.DEFAULT).end());
    }

    @Provide
    Arbitrary<NgValue> values() {
        return NgValues.values(4, false);
    }
}
