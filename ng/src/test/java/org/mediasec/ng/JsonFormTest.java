package org.mediasec.ng;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonFormTest {

    private static NgValue decode(String json) throws NgParseException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        return JsonForm.decode(bytes, 0, bytes.length, NgLimits.DEFAULT);
    }

    private static void refused(String json, NgParseError error) {
        assertThatThrownBy(() -> decode(json))
                .isInstanceOfSatisfying(NgParseException.class, e -> assertThat(e.error()).isEqualTo(error));
    }

    @Test
    void convertsAsRtpengineDoes() throws Exception {
        assertThat(decode("{\"command\": \"offer\", \"flags\": [\"trust address\"], \"TOS\": 184, \"on\": true, \"off\": false}"))
                .isEqualTo(NgDictionary.builder()
                        .put("command", "offer")
                        .put("flags", NgList.of(NgString.of("trust address")))
                        .put("TOS", 184)
                        .put("on", 1)
                        .put("off", 0)
                        .build());
    }

    @Test
    void nullAndFractionsHaveNoBencodeForm() {
        refused("{\"a\": null}", NgParseError.UNSUPPORTED_JSON_VALUE);
        refused("{\"a\": 1.5}", NgParseError.UNSUPPORTED_JSON_VALUE);
        refused("{\"a\": 1e3}", NgParseError.UNSUPPORTED_JSON_VALUE);
    }

    @Test
    void integersBeyond64BitsAreRefused() {
        refused("{\"a\": 9223372036854775808}", NgParseError.INTEGER_OUT_OF_RANGE);
        refused("{\"a\": " + "9".repeat(3000) + "}", NgParseError.INVALID_JSON);
    }

    @Test
    void duplicateMembersAreRefused() {
        refused("{\"call-id\": \"a\", \"call-id\": \"b\"}", NgParseError.DUPLICATE_KEY);
    }

    @Test
    void nestingIsLimitedAsForBencode() {
        refused("[".repeat(5000) + "]".repeat(5000), NgParseError.TOO_DEEP);
        refused("{\"a\":".repeat(40) + "1" + "}".repeat(40), NgParseError.TOO_DEEP);
    }

    @Test
    void brokenJsonIsInvalidOrTruncated() {
        refused("{\"a\": }", NgParseError.INVALID_JSON);
        refused("{\"a\": 1", NgParseError.TRUNCATED);
        refused("{\"a\": 1} x", NgParseError.INVALID_JSON);
        refused("{\"a\": 1} {}", NgParseError.TRAILING_DATA);
        refused("{'a': 1}", NgParseError.INVALID_JSON);
        refused("{\"a\": 1 /* comment */}", NgParseError.INVALID_JSON);
    }

    @Test
    void theTextMustBeUtf8AndItsEscapesWellPaired() {
        byte[] latin1 = {'{', '"', 'a', '"', ':', '"', (byte) 0xe9, '"', '}'};
        assertThatThrownBy(() -> JsonForm.decode(latin1, 0, latin1.length, NgLimits.DEFAULT))
                .isInstanceOfSatisfying(NgParseException.class, e -> {
                    assertThat(e.error()).isEqualTo(NgParseError.INVALID_JSON);
                    assertThat(e.offset()).isEqualTo(6);
                });
        refused("{\"a\": \"\\ud800\"}", NgParseError.INVALID_JSON);
    }

    @Test
    void unicodeTextRoundTrips() throws Exception {
        NgDictionary document = NgDictionary.builder().put("s=", "Gr\u00fc\u00dfe \ud83d\udcde\r\n\u0000").build();
        byte[] json = JsonForm.encode(document);
        assertThat(JsonForm.decode(json, 0, json.length, NgLimits.DEFAULT)).isEqualTo(document);
    }

    @Test
    void bytesThatAreNoUtf8HaveNoJsonForm() {
        NgDictionary document = new NgDictionary(Map.of(NgString.of("a"), new NgString(new byte[] {(byte) 0xff})));
        assertThatThrownBy(() -> JsonForm.encode(document)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void keysAreWrittenSorted() {
        NgDictionary document = NgDictionary.builder().put("result", "ok").put("calls", NgList.of()).build();
        assertThat(new String(JsonForm.encode(document), StandardCharsets.UTF_8)).isEqualTo("{\"calls\":[],\"result\":\"ok\"}");
    }
}
