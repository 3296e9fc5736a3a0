package org.mediasec.ng.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mediasec.ng.NgDictionary;
import org.mediasec.ng.NgDocument;
import org.mediasec.ng.NgInteger;
import org.mediasec.ng.NgLimits;
import org.mediasec.ng.NgList;
import org.mediasec.ng.NgString;

class NgRequestReaderTest {

    private static final String SDP = "v=0\r\no=- 1 1 IN IP4 192.0.2.10\r\ns=-\r\nc=IN IP4 192.0.2.10\r\nt=0 0\r\n"
            + "m=message 7394 TCP/TLS/MSRP *\r\na=accept-types:message/cpim\r\n";

    private static NgRequest read(NgDictionary dictionary) throws NgMessageException {
        return NgRequestReader.read(dictionary);
    }

    private static void refused(NgDictionary dictionary, String reason) {
        assertThatThrownBy(() -> read(dictionary))
                .isInstanceOfSatisfying(NgMessageException.class, e -> assertThat(e.reason()).isEqualTo(reason));
    }

    @Test
    void readsAnOfferAsKamailiosRtpengineModuleSendsIt() throws Exception {
        // the keys and order of Kamailio 5.6's rtpengine_offer(), as in its rtpengine.c
        NgDictionary offer = NgDictionary.builder()
                .put("supports", NgList.ofStrings(List.of("load limit")))
                .put("sdp", SDP)
                .put("flags", NgList.ofStrings(List.of("trust-address")))
                .put("replace", NgList.ofStrings(List.of("origin", "session-connection")))
                .put("transport-protocol", "TCP/TLS/MSRP")
                .put("call-id", "a84b4c76e66710@pc33.example.com")
                .put("via-branch", "z9hG4bK776asdhds")
                .put("received-from", NgList.ofStrings(List.of("IP4", "192.0.2.10")))
                .put("from-tag", "1928301774")
                .put("command", "offer")
                .put("ICE", "remove")
                .build();
        NgRequest.Offer request = (NgRequest.Offer) read(offer);
        assertThat(request.callId()).isEqualTo("a84b4c76e66710@pc33.example.com");
        assertThat(request.fromTag()).isEqualTo("1928301774");
        assertThat(request.sdp()).isEqualTo(SDP);
        NgParameters p = request.parameters();
        assertThat(p.viaBranch()).contains("z9hG4bK776asdhds");
        assertThat(p.toTag()).isEmpty();
        assertThat(p.hasFlag("trust address")).isTrue();
        assertThat(p.replace()).containsExactly("origin", "session-connection");
        assertThat(p.transportProtocol()).contains("TCP/TLS/MSRP");
        assertThat(p.receivedFrom()).contains(new ReceivedFrom("IP4", "192.0.2.10"));
        assertThat(p.supportsLoadLimit()).isTrue();
        assertThat(p.extra()).containsOnlyKeys("ICE");
        assertThat(p.extra("ice")).contains(NgString.of("remove"));
    }

    @Test
    void acceptsEverySpellingRtpengineAccepts() throws Exception {
        NgDictionary spaced = NgDictionary.builder()
                .put("command", "answer")
                .put("call ID", "c")
                .put("from tag", "f")
                .put("To_Tag", "t")
                .put("SDP", SDP)
                .put("received from", NgList.ofStrings(List.of("IP6", "2001:db8::1")))
                .put("transport protocol", "TCP/MSRP")
                .put("SIP message type", "sip_reply")
                .put("rtpp_flags", "trust-address replace-origin")
                .build();
        NgRequest.Answer answer = (NgRequest.Answer) read(spaced);
        assertThat(answer.toTag()).isEqualTo("t");
        assertThat(answer.parameters().receivedFrom()).contains(new ReceivedFrom("IP6", "2001:db8::1"));
        assertThat(answer.parameters().transportProtocol()).contains("TCP/MSRP");
        assertThat(answer.parameters().sipMessageType()).contains(SipMessageType.REPLY);
        assertThat(answer.parameters().rtppFlags()).contains("trust-address replace-origin");
        assertThat(answer.parameters().extra()).isEmpty();
    }

    @Test
    void sipMessageTypeTakesRtpenginesWords() throws Exception {
        for (String request : new String[] {"sip_request", "request", "SIP-request", "sip request"}) {
            assertThat(SipMessageType.parse(request)).contains(SipMessageType.REQUEST);
        }
        for (String reply : new String[] {"sip_reply", "reply", "sip-response", "SIP response"}) {
            assertThat(SipMessageType.parse(reply)).contains(SipMessageType.REPLY);
        }
        refused(NgDictionary.builder().put("command", "ping").put("sip-message-type", "invite").build(),
                "Unknown sip-message-type (neither a request nor a reply)");
    }

    @Test
    void missingKeysGetRtpenginesReasons() {
        refused(NgDictionary.builder().put("call-id", "c").build(), NgRequestReader.NO_COMMAND);
        refused(NgDictionary.builder().put("command", "offer").put("from-tag", "f").put("sdp", SDP).build(), "No call-id in message");
        refused(NgDictionary.builder().put("command", "offer").put("call-id", "c").put("sdp", SDP).build(), "No from-tag in message");
        refused(NgDictionary.builder().put("command", "offer").put("call-id", "c").put("from-tag", "f").build(), "No SDP body in message");
        refused(NgDictionary.builder().put("command", "answer").put("call-id", "c").put("from-tag", "f").put("sdp", SDP).build(),
                "No to-tag in message");
        refused(NgDictionary.builder().put("command", "delete").put("from-tag", "f").build(), "No call-id in message");
        refused(NgDictionary.builder().put("command", "query").build(), "No call-id in message");
        refused(NgDictionary.builder().put("command", "offer").put("call-id", "").put("from-tag", "f").put("sdp", SDP).build(),
                "No call-id in message");
    }

    @Test
    void twoSpellingsOfOneKeyAreADuplicate() {
        refused(NgDictionary.builder().put("command", "delete").put("call-id", "a").put("call id", "b").build(),
                "Duplicate key 'call id' (also given as 'call-id')");
        refused(NgDictionary.builder().put("command", "ping").put("Command", "offer").build(),
                "Duplicate key 'Command' (also given as 'command')");
    }

    @Test
    void wrongValueTypesAreRefusedWithTheirKey() {
        refused(NgDictionary.builder().put("command", "delete").put("call-id", 5).build(),
                "Wrong type for 'call-id': a string is expected, not an integer");
        refused(NgDictionary.builder().put("command", new NgInteger(1)).build(), "Wrong type for 'command': a string is expected, not an integer");
        refused(NgDictionary.builder().put("command", "ping").put("flags", "trust address").build(),
                "Wrong type for 'flags': a list of strings is expected, not a string");
        refused(NgDictionary.builder().put("command", "ping").put("flags", NgList.of(NgList.of())).build(),
                "Wrong type for 'flags': a string is expected, not a list");
        refused(NgDictionary.builder().put("command", "delete").put("call-id", "c").put("delete-delay", NgList.of()).build(),
                "Wrong type for 'delete-delay': an integer is expected, not a list");
        refused(NgDictionary.builder().put("command", "ping").put("sdp", new NgString(new byte[] {(byte) 0xc0})).build(),
                "Value of 'sdp' is not UTF-8 text");
    }

    @Test
    void receivedFromIsAFamilyAndALiteralAddress() {
        refused(NgDictionary.builder().put("command", "ping").put("received-from", NgList.ofStrings(List.of("IP4"))).build(),
                "received-from: a list of an address family and an address, not 1 strings");
        refused(NgDictionary.builder().put("command", "ping").put("received-from", NgList.ofStrings(List.of("IP4", "sip.example.com"))).build(),
                "received-from: not an IPv4 address: 'sip.example.com'");
        refused(NgDictionary.builder().put("command", "ping").put("received-from", NgList.ofStrings(List.of("IP4", "256.1.1.1"))).build(),
                "received-from: not an IPv4 address: '256.1.1.1'");
        refused(NgDictionary.builder().put("command", "ping").put("received-from", NgList.ofStrings(List.of("IP6", "192.0.2.1"))).build(),
                "received-from: not an IPv6 address: '192.0.2.1'");
        refused(NgDictionary.builder().put("command", "ping").put("received-from", NgList.ofStrings(List.of("?", "x"))).build(),
                "received-from: address family must be IP4 or IP6, not '?'");
    }

    @Test
    void deleteDelayAndLimitAreIntegersOrDecimalStrings() throws Exception {
        NgRequest.Delete delete = (NgRequest.Delete) read(NgDictionary.builder()
                .put("command", "delete").put("call-id", "c").put("delete delay", "5").put("flags", NgList.ofStrings(List.of("fatal"))).build());
        assertThat(delete.parameters().deleteDelay()).hasValue(5);
        assertThat(delete.fatal()).isTrue();
        NgRequest.ListCalls list = (NgRequest.ListCalls) read(NgDictionary.builder().put("command", "list").put("limit", 7).build());
        assertThat(list.limit()).isEqualTo(7);
        assertThat(((NgRequest.ListCalls) read(NgDictionary.builder().put("command", "list").build())).limit())
                .isEqualTo(NgRequest.ListCalls.DEFAULT_LIMIT);
        refused(NgDictionary.builder().put("command", "list").put("limit", -1).build(), "invalid limit, must be >= 0");
        refused(NgDictionary.builder().put("command", "delete").put("call-id", "c").put("delete-delay", -3).build(),
                "Invalid 'delete-delay': must be >= 0");
        refused(NgDictionary.builder().put("command", "delete").put("call-id", "c").put("delete-delay", "5s").build(),
                "Invalid 'delete-delay': not a decimal integer");
        refused(NgDictionary.builder().put("command", "list").put("limit", 1L << 40).build(), "Invalid 'limit': too large");
    }

    @Test
    void directionHasAtMostTwoInterfaces() {
        refused(NgDictionary.builder().put("command", "ping").put("direction", NgList.ofStrings(List.of("a", "b", "c"))).build(),
                "direction: at most 2 interfaces, not 3");
    }

    @Test
    void anUnknownCommandIsKeptWithItsName() throws Exception {
        NgRequest request = read(NgDictionary.builder().put("command", "start recording").put("call-id", "c").build());
        assertThat(request).isInstanceOfSatisfying(NgRequest.Unknown.class, unknown -> {
            assertThat(unknown.command()).isEqualTo("start recording");
            assertThat(unknown.parameters().callId()).contains("c");
        });
    }

    @Test
    void commandsAreComparedNormalised() throws Exception {
        assertThat(read(NgDictionary.builder().put("command", "Ping").build())).isInstanceOf(NgRequest.Ping.class);
        assertThat(read(NgDictionary.builder().put("command", "statistics").build())).isInstanceOf(NgRequest.Statistics.class);
        assertThatThrownBy(() -> new NgRequest.Unknown("PING", NgParameters.NONE)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theSameRequestReadsFromBencodeAndJson() throws Exception {
        byte[] bencode = "d7:command6:delete7:call-id3:abc8:from-tag2:ft12:delete-delayi0ee".getBytes(StandardCharsets.US_ASCII);
        byte[] json = "{\"command\":\"delete\",\"call-id\":\"abc\",\"from-tag\":\"ft\",\"delete-delay\":0}".getBytes(StandardCharsets.US_ASCII);
        NgRequest fromBencode = read(NgDocument.decode(bencode, 0, bencode.length, NgLimits.DEFAULT).dictionary());
        NgRequest fromJson = read(NgDocument.decode(json, 0, json.length, NgLimits.DEFAULT).dictionary());
        assertThat(fromBencode).isEqualTo(fromJson);
        assertThat(((NgRequest.Delete) fromJson).parameters().deleteDelay()).hasValue(0);
    }
}
