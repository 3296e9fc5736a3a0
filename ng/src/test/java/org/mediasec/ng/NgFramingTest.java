package org.mediasec.ng;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class NgFramingTest {

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static void refused(String message, NgParseError error) {
        assertThatThrownBy(() -> NgFraming.split(ascii(message)))
                .isInstanceOfSatisfying(NgParseException.class, e -> assertThat(e.error()).isEqualTo(error));
    }

    @Test
    void splitsAtTheFirstSpace() throws Exception {
        NgFraming.Framed framed = NgFraming.split(ascii("1_2345_7 d7:command4:pinge"));
        assertThat(framed.cookie()).isEqualTo(new NgCookie("1_2345_7"));
        assertThat(new String(framed.bytes(), framed.payloadOffset(), framed.payloadLength(), StandardCharsets.US_ASCII))
                .isEqualTo("d7:command4:pinge");
    }

    @Test
    void theCookiesOfKamailioRtpengineNgClientAndRtpengineAreAccepted() throws Exception {
        for (String cookie : new String[] {"0_31337_4294967295", "0.123456789012345", "5f3c9a0d1e2b4c6a", "5323_1"}) {
            assertThat(NgFraming.split(ascii(cookie + " d7:command4:pinge")).cookie().value()).isEqualTo(cookie);
        }
    }

    @Test
    void noSpaceOrASpaceFirstIsNoCookie() {
        refused("d7:command4:pinge", NgParseError.NO_COOKIE);
        refused(" d7:command4:pinge", NgParseError.NO_COOKIE);
        refused("", NgParseError.NO_COOKIE);
    }

    @Test
    void aLongOrBinaryCookieIsInvalid() {
        refused("x".repeat(NgCookie.MAX_LENGTH + 1) + " d7:command4:pinge", NgParseError.INVALID_COOKIE);
        refused("x".repeat(70_000), NgParseError.INVALID_COOKIE);
        refused("ab\u0000c d7:command4:pinge", NgParseError.INVALID_COOKIE);
        refused("ab\u00e9 d7:command4:pinge", NgParseError.INVALID_COOKIE);
        refused("ab\tc d7:command4:pinge", NgParseError.INVALID_COOKIE);
    }

    @Test
    void theLongestCookieIsAllowed() throws Exception {
        String cookie = "c".repeat(NgCookie.MAX_LENGTH);
        assertThat(NgFraming.split(ascii(cookie + " x")).cookie().value()).isEqualTo(cookie);
    }

    @Test
    void framingPutsOneSpaceBetween() {
        assertThat(new String(NgFraming.frame(new NgCookie("abc"), ascii("d6:result4:ponge")), StandardCharsets.US_ASCII))
                .isEqualTo("abc d6:result4:ponge");
    }

    @Test
    void theDocumentAllowsTrailingWhiteSpaceOnlyAfterBencode() throws Exception {
        assertThat(NgFraming.split(ascii("c d7:command4:pinge\r\n")).document(NgLimits.DEFAULT).format()).isEqualTo(NgFormat.BENCODE);
        assertThatThrownBy(() -> NgFraming.split(ascii("c d7:command4:pingex")).document(NgLimits.DEFAULT))
                .isInstanceOfSatisfying(NgParseException.class, e -> {
                    assertThat(e.error()).isEqualTo(NgParseError.TRAILING_DATA);
                    assertThat(e.offset()).isEqualTo(19);
                });
    }

    @Test
    void theDocumentMustBeADictionaryInEitherForm() {
        for (String message : new String[] {"c l4:pinge", "c [\"ping\"]"}) {
            assertThatThrownBy(() -> NgFraming.split(ascii(message)).document(NgLimits.DEFAULT))
                    .isInstanceOfSatisfying(NgParseException.class, e -> assertThat(e.error()).isIn(NgParseError.UNKNOWN_FORMAT));
        }
        assertThatThrownBy(() -> NgDocument.decode(ascii("i5e"), 0, 3, NgLimits.DEFAULT))
                .isInstanceOfSatisfying(NgParseException.class, e -> assertThat(e.error()).isEqualTo(NgParseError.UNKNOWN_FORMAT));
    }

    @Test
    void nothingAfterTheCookieIsNoPayload() {
        assertThatThrownBy(() -> NgFraming.split(ascii("c ")).document(NgLimits.DEFAULT))
                .isInstanceOfSatisfying(NgParseException.class, e -> assertThat(e.error()).isEqualTo(NgParseError.NO_PAYLOAD));
    }

    @Test
    void cookiesAreCheckedWhenMadeInCode() {
        assertThatThrownBy(() -> new NgCookie("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new NgCookie("a b")).isInstanceOf(IllegalArgumentException.class);
    }
}
