package org.mediasec.sdp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SdpParserTest {

    /** RFC 4975 7.1 style offer (MSRP over TLS), CRLF line ends. */
    static final String MSRP_OFFER = String.join("\r\n",
            "v=0",
            "o=alice 2890844526 2890844527 IN IP4 alice.example.com",
            "s=-",
            "c=IN IP4 alice.example.com",
            "t=0 0",
            "m=message 7654 TCP/TLS/MSRP *",
            "a=accept-types:message/cpim text/plain text/html",
            "a=path:msrps://alice.example.com:7654/jshA7weztas;tcp",
            "a=setup:actpass",
            "a=fingerprint:sha-256 4A:AD:B9:B1:3F:82:18:3B:54:02:12:DF:3E:5D:49:6B:19:E5:7C:AB:3B:0F:4B:6A:0A:2E:3A:5B:6F:7C:8D:9E",
            "a=3ge2ae:requested",
            "a=x-unknown-thing:kept as it is",
            "") ;

    /** RFC 8856 style BFCP offer. */
    static final String BFCP_OFFER = String.join("\r\n",
            "v=0",
            "o=bob 2808844564 2808844564 IN IP4 192.0.2.2",
            "s=-",
            "c=IN IP4 192.0.2.2",
            "t=0 0",
            "m=application 50000 TCP/TLS/BFCP *",
            "a=setup:passive",
            "a=connection:new",
            "a=fingerprint:sha-256 19:E2:1C:3B:4B:9F:81:E6:B8:5C:F4:A5:A8:D8:73:04:BB:05:2F:70:9F:04:A9:0E:05:E9:26:33:E8:70:88:A2",
            "a=floorctrl:c-only s-only",
            "a=confid:4321",
            "a=userid:1234",
            "a=floorid:1 mstrm:10",
            "a=floorid:2 mstrm:11",
            "a=bfcpver:1 2",
            "m=audio 50002 RTP/AVP 0",
            "a=label:10",
            "m=video 50004 RTP/AVP 31",
            "a=label:11",
            "");

    @Test
    void msrpOfferTypedAndVerbatim() throws Exception {
        SessionDescription sdp = SdpParser.parse(MSRP_OFFER);
        MediaDescription message = sdp.media().get(0);

        assertThat(message.transport()).isEqualTo(Transport.TCP_TLS_MSRP);
        assertThat(message.transport().isTls()).isTrue();
        assertThat(message.transport().application()).isEqualTo("MSRP");
        assertThat(message.mediaLine().portNumber()).hasValue(7654);
        assertThat(message.setup()).contains(Setup.ACTPASS);
        assertThat(message.path()).containsExactly("msrps://alice.example.com:7654/jshA7weztas;tcp");
        assertThat(message.acceptTypes()).containsExactly("message/cpim", "text/plain", "text/html");
        assertThat(message.e2aeIndicator()).contains("requested");
        Fingerprint fingerprint = message.fingerprints().get(0);
        assertThat(fingerprint.hashFunction()).isEqualTo("sha-256");
        assertThat(fingerprint.value()).hasSize(32).startsWith((byte) 0x4A, (byte) 0xAD);
        assertThat(message.attribute("x-unknown-thing")).contains("kept as it is");
        assertThat(sdp.connectionData(message)).contains("IN IP4 alice.example.com");
        assertThat(sdp.write()).isEqualTo(MSRP_OFFER);
    }

    @Test
    void bfcpOfferTyped() throws Exception {
        SessionDescription sdp = SdpParser.parse(BFCP_OFFER);
        MediaDescription bfcp = sdp.media().get(0);

        assertThat(bfcp.transport()).isEqualTo(Transport.TCP_TLS_BFCP);
        assertThat(bfcp.setup()).contains(Setup.PASSIVE);
        assertThat(bfcp.connection()).contains(ConnectionAttribute.NEW);
        assertThat(bfcp.floorControl()).containsExactly("c-only", "s-only");
        assertThat(bfcp.conferenceId()).contains("4321");
        assertThat(bfcp.userId()).contains("1234");
        assertThat(bfcp.floorIds()).containsExactly("1 mstrm:10", "2 mstrm:11");
        assertThat(bfcp.bfcpVersions()).containsExactly(1, 2);
        assertThat(sdp.media().get(1).label()).contains("10");
        assertThat(sdp.write()).isEqualTo(BFCP_OFFER);
    }

    @Test
    void h248LocalWithChooseAndAlternatives() throws Exception {
        String local = "v=0\nc=IN IP4 $\nm=message $ TCP/TLS/MSRP *\na=setup:active\na=fingerprint:$\nv=0\nc=IN IP4 $\nm=message $ TCP/MSRP *\n";
        List<SessionDescription> alternatives = SdpParser.parseH248(local);

        assertThat(alternatives).hasSize(2);
        MediaDescription first = alternatives.get(0).media().get(0);
        assertThat(first.mediaLine().port()).isEqualTo("$");
        assertThat(first.mediaLine().portNumber()).isEmpty();
        assertThat(first.fingerprintRequested()).isTrue();
        assertThat(first.fingerprints()).isEmpty();
        assertThat(alternatives.get(0).write("\n") + alternatives.get(1).write("\n")).isEqualTo(local);
        assertThatThrownBy(() -> SdpParser.parse(local)).isInstanceOf(SdpParseException.class);
    }

    @Test
    void t38OverDtls() throws Exception {
        SessionDescription sdp = SdpParser.parse("v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\nc=IN IP4 192.0.2.1\r\nt=0 0\r\n"
                + "m=image 6000 UDP/TLS/UDPTL t38\r\na=T38FaxVersion:0\r\na=T38MaxBitRate:14400\r\na=T38FaxRateManagement:transferredTCF\r\n"
                + "a=T38FaxUdpEC:t38UDPRedundancy\r\na=setup:actpass\r\na=fingerprint:sha-1 4A:AD:B9:B1:3F:82:18:3B:54:02:12:DF:3E:5D:49:6B:19:E5:7C:AB\r\n");
        MediaDescription image = sdp.media().get(0);
        assertThat(image.transport()).isEqualTo(Transport.UDP_TLS_UDPTL);
        assertThat(image.transport().withoutTls()).isEqualTo(Transport.UDPTL);
        assertThat(image.t38Attributes()).extracting(SdpLine::attributeName)
                .containsExactly("T38FaxVersion", "T38MaxBitRate", "T38FaxRateManagement", "T38FaxUdpEC");
    }

    @Test
    void lfOnlyInputIsReadAndWrittenBackWithCrlf() throws Exception {
        SessionDescription sdp = SdpParser.parse(MSRP_OFFER.replace("\r\n", "\n"));
        assertThat(sdp.write()).isEqualTo(MSRP_OFFER);
        assertThat(sdp.write("\n")).isEqualTo(MSRP_OFFER.replace("\r\n", "\n"));
    }

    @Test
    void transportsSwitchTls() {
        assertThat(Transport.TCP_TLS_MSRP.withoutTls()).isEqualTo(Transport.TCP_MSRP);
        assertThat(Transport.TCP_MSRP.withTls()).isEqualTo(Transport.TCP_TLS_MSRP);
        assertThat(Transport.TCP_BFCP.withTls()).isEqualTo(Transport.TCP_TLS_BFCP);
        assertThat(Transport.UDPTL.withTls()).isEqualTo(Transport.UDP_TLS_UDPTL);
        assertThat(new Transport("TCP").withTls()).isEqualTo(new Transport("TCP/TLS"));
        assertThat(Transport.TCP_MSRP.isTcp()).isTrue();
        assertThat(new Transport("TCP/TLS").application()).isEmpty();
    }

    @Test
    void rewritingChangesOnlyWhatItNames() throws Exception {
        SessionDescription offer = SdpParser.parse(MSRP_OFFER);
        Fingerprint gateway = new Fingerprint("sha-256", HexFormat.of().parseHex("0BADC0FFEE00112233445566778899AABBCCDDEEFF00112233445566778899AA"));

        // CTRL-1 towards the core: TCP/MSRP, no fingerprint, no e2ae indicator
        MediaDescription towardsCore = offer.media().get(0).withTransport(Transport.TCP_MSRP).withFingerprints(List.of())
                .withoutAttribute("3ge2ae").withPort("40000").withPath(List.of("msrp://10.0.0.2:40000/gw1;tcp"));
        SessionDescription core = offer.withMedia(0, towardsCore).withConnectionData("IN IP4 10.0.0.2");

        assertThat(core.write()).doesNotContain("fingerprint").doesNotContain("3ge2ae").contains("m=message 40000 TCP/MSRP *")
                .contains("c=IN IP4 10.0.0.2").contains("a=path:msrp://10.0.0.2:40000/gw1;tcp").contains("a=x-unknown-thing:kept as it is")
                .contains("a=accept-types:message/cpim text/plain text/html");
        assertThat(SdpParser.parse(core.write())).isEqualTo(core);

        MediaDescription answer = towardsCore.withTransport(Transport.TCP_TLS_MSRP).withFingerprints(List.of(gateway))
                .withAttribute("3ge2ae", "applied").withSetup(Setup.PASSIVE);
        assertThat(answer.fingerprints()).containsExactly(gateway);
        assertThat(answer.setup()).contains(Setup.PASSIVE);
        assertThat(answer.e2aeIndicator()).contains("applied");
        assertThat(Setup.ACTPASS.answerTo(Setup.PASSIVE)).isEqualTo(Setup.PASSIVE);
        assertThat(Setup.ACTIVE.answerTo(Setup.ACTIVE)).isEqualTo(Setup.PASSIVE);
    }

    @Test
    void keyManagementCarriesMikeyBytes() throws Exception {
        String text = MSRP_OFFER.replace("a=3ge2ae:requested\r\n", "a=key-mgmt:mikey AQkFAP8AAAA=\r\n");
        KeyManagement key = SdpParser.parse(text).media().get(0).keyManagement().get(0);
        assertThat(key.protocolId()).isEqualTo("mikey");
        assertThat(key.data()).containsExactly(1, 9, 5, 0, 0xff, 0, 0, 0);
        assertThat(key.attributeValue()).isEqualTo("mikey AQkFAP8AAAA=");
    }

    @ParameterizedTest(name = "{2}")
    @CsvSource(delimiter = '|', textBlock = """
            v=1                                           | 1 | SDP version
            x=0                                           | 1 | unknown line type
            m=message 7654 TCP/TLS/MSRP *                 | 1 | begin with v=
            v=0\\no=a b c                                  | 2 | six fields
            v=0\\nq=x                                      | 2 | unknown line type
            v=0\\nnothing                                  | 2 | <type>=<value>
            v=0\\no=- 1 1 IN IP4 h\\ns=-\\nc=IN IP4 h\\nt=0 0\\nm=message 99999 TCP/MSRP * | 6 | bad port
            v=0\\no=- 1 1 IN IP4 h\\ns=-\\nc=IN IP4 h\\nt=0 0\\nm=message 1 TCP/MSRP       | 6 | m= needs
            v=0\\no=- 1 1 IN IP4 h\\ns=-\\nc=IN IP4 h\\nt=0 0\\nm=message 1 TCP/MSRP *\\na=setup:sideways | 7 | a=setup
            v=0\\no=- 1 1 IN IP4 h\\ns=-\\nc=IN IP4 h\\nt=0 0\\nm=message 1 TCP/MSRP *\\na=fingerprint:sha-256 AB:CD | 7 | needs 32
            v=0\\no=- 1 1 IN IP4 h\\ns=-\\nc=IN IP4 h\\nt=0 0\\nm=message 1 TCP/MSRP *\\na=fingerprint:crc32 AB | 7 | unknown hash
            v=0\\no=- 1 1 IN IP4 h\\ns=-\\nc=IN IP4 h\\nt=0 0\\nm=message 1 TCP/MSRP *\\na=key-mgmt:mikey ***  | 7 | base64
            v=0\\no=- 1 1 IN IP4 h\\ns=-\\nc=IN IP4 h\\nt=0 0\\nm=message 1 TCP/MSRP *\\na=path:sip:x        | 7 | a=path
            v=0\\ns=-\\no=- 1 1 IN IP4 h\\nt=0 0                                          | 3 | out of order
            v=0\\no=- 1 1 IN IP4 h\\ns=-\\nt=0 0\\nm=message 1 TCP/MSRP *                 | 5 | c= is needed
            v=0\\no=- 1 1 IN IP4 h\\ns=-\\nc=IN IP4 h\\nt=0 0\\n\\nm=message 1 TCP/MSRP * | 6 | empty line
            """)
    void refusesWithLineAndReason(String escaped, int line, String reason) {
        String text = escaped.strip().replace("\\n", "\n");
        assertThatThrownBy(() -> SdpParser.parse(text)).isInstanceOfSatisfying(SdpParseException.class, e -> {
            assertThat(e.getMessage()).contains(reason);
            assertThat(e.line()).isEqualTo(line);
        });
    }

    @Test
    void oversizeAndManyLinesAreRefused() {
        assertThatThrownBy(() -> SdpParser.parse("v=0\n" + "a=x\n".repeat(20_000))).isInstanceOf(SdpParseException.class);
        assertThatThrownBy(() -> SdpParser.parseH248("v=0\n" + "a=x\n".repeat(5000))).hasMessageContaining("lines");
    }

    @Test
    void directionAndMaxSizeAndCema() throws Exception {
        MediaDescription media = SdpParser.parseH248("v=0\nm=message 9 TCP/MSRP *\na=sendonly\na=max-size:2048\na=msrp-cema\n").get(0).media().get(0);
        assertThat(media.direction()).contains("sendonly");
        assertThat(media.maxSize()).contains(2048L);
        assertThat(media.msrpCema()).isTrue();
        assertThat(media.connectionData()).isEqualTo(Optional.empty());
    }
}
