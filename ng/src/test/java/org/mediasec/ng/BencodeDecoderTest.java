package org.mediasec.ng;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BencodeDecoderTest {

    private static NgValue decode(String text) throws NgParseException {
        return BencodeDecoder.decode(text.getBytes(StandardCharsets.ISO_8859_1), NgLimits.DEFAULT);
    }

    private static void refused(String text, NgParseError error, int offset) {
        assertThatThrownBy(() -> decode(text))
                .isInstanceOfSatisfying(NgParseException.class, e -> {
                    assertThat(e.error()).isEqualTo(error);
                    assertThat(e.offset()).isEqualTo(offset);
                });
    }

    @Test
    void readsEveryKindOfValue() throws Exception {
        assertThat(decode("d7:command4:ping4:listl1:ai-42ee3:numi0ee")).isEqualTo(NgDictionary.builder()
                .put("command", "ping")
                .put("list", NgList.of(NgString.of("a"), new NgInteger(-42)))
                .put("num", 0)
                .build());
    }

    @Test
    void keepsTheOrderKeysCameInWithoutRequiringItSorted() throws Exception {
        NgDictionary dictionary = (NgDictionary) decode("d1:bi1e1:ai2ee");
        assertThat(dictionary.entries().keySet()).containsExactly(NgString.of("b"), NgString.of("a"));
    }

    @Test
    void integersCoverTheSigned64BitRangeAndNoMore() throws Exception {
        assertThat(decode("i9223372036854775807e")).isEqualTo(new NgInteger(Long.MAX_VALUE));
        assertThat(decode("i-9223372036854775808e")).isEqualTo(new NgInteger(Long.MIN_VALUE));
        refused("i9223372036854775808e", NgParseError.INTEGER_OUT_OF_RANGE, 1);
        refused("i-9223372036854775809e", NgParseError.INTEGER_OUT_OF_RANGE, 2);
        refused("i" + "9".repeat(5000) + "e", NgParseError.INTEGER_OUT_OF_RANGE, 1);
    }

    @Test
    void leadingZerosAndNegativeZeroAreRefusedAsBep3Says() {
        refused("i03e", NgParseError.LEADING_ZERO, 1);
        refused("i-0e", NgParseError.NEGATIVE_ZERO, 1);
        refused("i-03e", NgParseError.NEGATIVE_ZERO, 1);
        refused("03:abc", NgParseError.LEADING_ZERO, 0);
        refused("ie", NgParseError.UNEXPECTED_BYTE, 1);
        refused("i+1e", NgParseError.UNEXPECTED_BYTE, 1);
        refused("i1.5e", NgParseError.UNEXPECTED_BYTE, 2);
        refused("i-e", NgParseError.UNEXPECTED_BYTE, 2);
    }

    @Test
    void anEmptyStringIsZeroColon() throws Exception {
        assertThat(decode("0:")).isEqualTo(NgString.of(""));
    }

    @Test
    void aDeclaredLengthBeyondTheInputIsRefusedBeforeAnythingIsAllocated() {
        refused("d3:sdp2147483647:v=0e", NgParseError.TOO_LARGE, 6);
        refused("d3:sdp99999999999999999999999999:v=0e", NgParseError.TOO_LARGE, 6);
        refused("d3:sdp60000:v=0e", NgParseError.LENGTH_EXCEEDS_INPUT, 6);
        refused("5:abcd", NgParseError.LENGTH_EXCEEDS_INPUT, 0);
    }

    @Test
    void aNestingBombStopsAtTheDepthLimit() {
        String bomb = "l".repeat(60_000) + "e".repeat(60_000);
        refused(bomb, NgParseError.TOO_DEEP, NgLimits.DEFAULT_MAX_DEPTH);
        String dictionaries = "d1:a".repeat(10_000);
        refused(dictionaries, NgParseError.TOO_DEEP, 4 * NgLimits.DEFAULT_MAX_DEPTH);
    }

    @Test
    void theDepthLimitItselfIsAllowed() throws Exception {
        int depth = NgLimits.DEFAULT_MAX_DEPTH;
        assertThat(decode("l".repeat(depth) + "e".repeat(depth))).isInstanceOf(NgList.class);
        refused("l".repeat(depth + 1) + "e".repeat(depth + 1), NgParseError.TOO_DEEP, depth);
    }

    @Test
    void tooManyValuesAreRefused() {
        NgLimits limits = new NgLimits(NgLimits.MAX_UDP_PAYLOAD, 8, 100);
        byte[] many = ("l" + "i1e".repeat(100) + "e").getBytes(StandardCharsets.US_ASCII);
        assertThatThrownBy(() -> BencodeDecoder.decode(many, limits))
                .isInstanceOfSatisfying(NgParseException.class, e -> assertThat(e.error()).isEqualTo(NgParseError.TOO_MANY_ELEMENTS));
    }

    @Test
    void aMessageOverTheSizeLimitIsTooLargeEvenWhenItIsWellFormed() {
        NgLimits limits = new NgLimits(16, 8, 100);
        byte[] big = "d3:sdp20:v=0 o=- 1 1 IN IPe".getBytes(StandardCharsets.US_ASCII);
        assertThatThrownBy(() -> BencodeDecoder.decode(big, limits))
                .isInstanceOfSatisfying(NgParseException.class, e -> assertThat(e.error()).isEqualTo(NgParseError.TOO_LARGE));
        byte[] longList = "li1ei2ei3ei4ei5ei6ee".getBytes(StandardCharsets.US_ASCII);
        assertThatThrownBy(() -> BencodeDecoder.decode(longList, limits))
                .isInstanceOfSatisfying(NgParseException.class, e -> assertThat(e.error()).isEqualTo(NgParseError.TOO_LARGE));
    }

    @Test
    void duplicateKeysAreRefusedAtTheSecondKey() {
        refused("d1:ai1e1:bi2e1:ai3ee", NgParseError.DUPLICATE_KEY, 13);
    }

    @Test
    void keysMustBeStrings() {
        refused("di1ei2ee", NgParseError.KEY_NOT_STRING, 1);
        refused("dle1:ae", NgParseError.KEY_NOT_STRING, 1);
    }

    @Test
    void aKeyWithoutAValueIsTruncatedOrWrong() {
        refused("d1:a", NgParseError.TRUNCATED, 4);
        refused("d1:ae", NgParseError.UNEXPECTED_BYTE, 4);
    }

    @Test
    void garbageIsAnUnexpectedByte() {
        refused("garbage", NgParseError.UNEXPECTED_BYTE, 0);
        refused("\u0000\u00ff", NgParseError.UNEXPECTED_BYTE, 0);
        refused("e", NgParseError.UNEXPECTED_BYTE, 0);
        refused("", NgParseError.TRUNCATED, 0);
        refused("-1", NgParseError.UNEXPECTED_BYTE, 0);
        refused("3abc", NgParseError.UNEXPECTED_BYTE, 1);
    }

    @Test
    void everyTruncationOfAValidMessageIsATruncationError() {
        byte[] whole = BencodeEncoder.encode(NgDictionary.builder()
                .put("command", "offer")
                .put("call-id", "c1-ab")
                .put("sdp", "v=0\r\no=- 1 1")
                .put("flags", NgList.of(NgString.of("trust address"), new NgInteger(5), new NgInteger(-7)))
                .build());
        for (int cut = 0; cut < whole.length; cut++) {
            byte[] prefix = Arrays.copyOf(whole, cut);
            assertThatThrownBy(() -> BencodeDecoder.decode(prefix, NgLimits.DEFAULT))
                    .as("cut at %d", cut)
                    .isInstanceOfSatisfying(NgParseException.class, e -> assertThat(e.error().truncation()).isTrue());
        }
    }

    @Test
    void trailingBytesAreRefusedWhenTheWholeInputMustBeOneValue() {
        refused("i1ei2e", NgParseError.TRAILING_DATA, 3);
    }

    @Test
    void aPrefixReadLeavesTheNextMessage() throws Exception {
        byte[] stream = "d1:ai1eed1:bi2ee".getBytes(StandardCharsets.US_ASCII);
        BencodeDecoder.Decoded first = BencodeDecoder.decodePrefix(stream, 0, stream.length, NgLimits.DEFAULT);
        assertThat(first.end()).isEqualTo(8);
        BencodeDecoder.Decoded second = BencodeDecoder.decodePrefix(stream, first.end(), stream.length, NgLimits.DEFAULT);
        assertThat(second.value()).isEqualTo(new NgDictionary(Map.of(NgString.of("b"), new NgInteger(2))));
        assertThat(second.end()).isEqualTo(stream.length);
    }

    @Test
    void stringsAreBytesNotText() throws Exception {
        byte[] input = {'2', ':', (byte) 0xff, (byte) 0xfe};
        NgString string = (NgString) BencodeDecoder.decode(input, NgLimits.DEFAULT);
        assertThat(string.bytes()).containsExactly(0xff, 0xfe);
        assertThat(string.utf8()).isEmpty();
    }
}
