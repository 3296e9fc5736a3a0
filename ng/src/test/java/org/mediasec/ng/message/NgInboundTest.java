package org.mediasec.ng.message;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.mediasec.ng.NgCookie;
import org.mediasec.ng.NgFormat;
import org.mediasec.ng.NgLimits;
import org.mediasec.ng.NgParseError;

class NgInboundTest {

    private static NgInbound.Outcome read(String message) {
        return NgInbound.read(message.getBytes(StandardCharsets.ISO_8859_1), NgLimits.DEFAULT);
    }

    private static void refusedWith(String message, NgFormat format, String reason) {
        assertThat(read(message)).isInstanceOfSatisfying(NgInbound.Refused.class, refused -> {
            assertThat(refused.format()).isEqualTo(format);
            assertThat(refused.reply().reason()).isEqualTo(reason);
        });
    }

    private static void refusedStartingWith(String message, String reasonStart) {
        assertThat(read(message)).isInstanceOfSatisfying(NgInbound.Refused.class,
                refused -> assertThat(refused.reply().reason()).startsWith(reasonStart));
    }

    @Test
    void aPingIsAccepted() {
        assertThat(read("5323_1 d7:command4:pinge")).isInstanceOfSatisfying(NgInbound.Accepted.class, accepted -> {
            assertThat(accepted.cookie()).isEqualTo(new NgCookie("5323_1"));
            assertThat(accepted.format()).isEqualTo(NgFormat.BENCODE);
            assertThat(accepted.request()).isInstanceOf(NgRequest.Ping.class);
        });
    }

    @Test
    void withoutACookieNothingCanBeAnswered() {
        assertThat(read("d7:command4:pinge")).isInstanceOfSatisfying(NgInbound.Dropped.class,
                dropped -> assertThat(dropped.cause().error()).isEqualTo(NgParseError.NO_COOKIE));
        assertThat(read("\u0016\u0003\u0001\u0000")).isInstanceOf(NgInbound.Dropped.class);
    }

    @Test
    void unreadableDocumentsGetRtpenginesReasons() {
        refusedWith("c ", NgFormat.BENCODE, NgInbound.NO_PAYLOAD);
        refusedWith("c garbage", NgFormat.BENCODE, NgInbound.INVALID_FORMAT);
        refusedWith("c i5e", NgFormat.BENCODE, NgInbound.INVALID_FORMAT);
        refusedStartingWith("c d7:command4:ping", NgInbound.BAD_BENCODE + ": the input ends inside a value at offset 18");
        refusedStartingWith("c d7:command4294967295:pinge", NgInbound.BAD_BENCODE + ": declared string length over");
        refusedStartingWith("c " + "d1:a".repeat(100), NgInbound.BAD_BENCODE + ": nesting deeper than 32");
        refusedStartingWith("c {\"command\":", NgInbound.BAD_JSON + ": JSON ends inside a value");
    }

    @Test
    void aReasonQuotingATokenCutInsideASurrogatePairStillEncodes() {
        // found by NgInboundFuzzTest: the JSON parser's message quotes the unquoted token, cut after the first half of a
        // surrogate pair (U+9A30C here); the reply must still encode, with U+FFFD for the half
        byte[] datagram = {'0', ' ', '{', '"', 'f', '"', ':', '[', (byte) 0xf2, (byte) 0x9a, (byte) 0x8c, (byte) 0x8c, '"', 'f', '"', '4', '[', '"'};
        assertThat(NgInbound.read(datagram, NgLimits.DEFAULT)).isInstanceOfSatisfying(NgInbound.Refused.class, refused -> {
            assertThat(refused.reply().reason()).startsWith(NgInbound.BAD_JSON).doesNotContainPattern("[\\uD800-\\uDBFF](?![\\uDC00-\\uDFFF])");
            assertThat(new String(NgInbound.reply(refused.cookie(), refused.format(), refused.reply()), StandardCharsets.UTF_8)).startsWith("0 {");
        });
    }

    @Test
    void invalidRequestsAreAnsweredInTheFormTheyCameIn() {
        refusedWith("c {\"command\":\"offer\",\"call-id\":\"x\",\"from-tag\":\"f\"}", NgFormat.JSON, "No SDP body in message");
        refusedWith("c d7:call-id1:xe", NgFormat.BENCODE, NgRequestReader.NO_COMMAND);
    }

    @Test
    void theReplyCarriesTheCookie() {
        assertThat(new String(NgInbound.reply(new NgCookie("abc"), NgFormat.JSON, new NgReply.Pong()), StandardCharsets.US_ASCII))
                .isEqualTo("abc {\"result\":\"pong\"}");
    }
}
