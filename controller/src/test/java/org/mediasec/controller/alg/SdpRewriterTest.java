package org.mediasec.controller.alg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.mediasec.controller.mgc.LocalEnd;
import org.mediasec.h248.message.TerminationId;
import org.mediasec.sdp.Fingerprint;
import org.mediasec.sdp.SdpParser;
import org.mediasec.sdp.SessionDescription;
import org.mediasec.sdp.Setup;
import org.mediasec.sdp.Transport;

/** Every rewrite of the CTRL rules, SDP in and SDP out, both directions of offer/answer. */
class SdpRewriterTest {

    private static final String UE_FINGERPRINT = "sha-256 4A:AD:B9:B1:3F:82:18:3B:54:02:12:DF:3E:5D:49:6B:19:E5:7C:AB:3B:0F:4B:6A:0A:2E:3A:5B:6F:7C:8D:9E";
    private static final String GW_FINGERPRINT = "sha-256 11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00";

    private static SessionDescription sdp(String text) throws Exception {
        return SdpParser.parse(text.replace("\n", "\r\n"));
    }

    private static LocalEnd gateway(int port, Setup setup, boolean tls) {
        return new LocalEnd(TerminationId.of("ip/1"), "IN IP4 192.0.2.1", port, setup,
                tls ? List.of(Fingerprint.parse(GW_FINGERPRINT, new String[1]).orElseThrow()) : List.of());
    }

    private static final String UE_OFFER = """
            v=0
            o=alice 1 1 IN IP4 198.51.100.7
            s=-
            c=IN IP4 198.51.100.7
            t=0 0
            m=message 7394 TCP/TLS/MSRP *
            a=setup:actpass
            a=fingerprint:%s
            a=3ge2ae:requested
            a=accept-types:text/plain
            a=path:msrps://198.51.100.7:7394/iau39soe2843z;tcp
            """.formatted(UE_FINGERPRINT);

    @Test
    @Tag("CTRL-1")
    void ueOriginatedE2aeOfferTowardsTheCoreIsTcpWithoutFingerprintOrIndicator() throws Exception {
        SessionDescription out = SdpRewriter.rewrite(sdp(UE_OFFER), Map.of(0, new SdpRewriter.Rewrite(LegSecurity.TCP, Transport.TCP_MSRP,
                gateway(30002, Setup.PASSIVE, false), Setup.ACTPASS, Optional.empty())));
        assertThat(out.write("\n")).isEqualTo("""
                v=0
                o=alice 1 1 IN IP4 198.51.100.7
                s=-
                c=IN IP4 192.0.2.1
                t=0 0
                m=message 30002 TCP/MSRP *
                c=IN IP4 192.0.2.1
                a=setup:actpass
                a=accept-types:text/plain
                a=path:msrp://192.0.2.1:30002/iau39soe2843z;tcp
                """);
    }

    @Test
    @Tag("CTRL-1")
    void ueOriginatedE2aeAnswerTowardsTheUeIsTlsWithTheGatewayFingerprintAndApplied() throws Exception {
        SessionDescription coreAnswer = sdp("""
                v=0
                o=bob 2 1 IN IP4 203.0.113.5
                s=-
                c=IN IP4 203.0.113.5
                t=0 0
                m=message 9 TCP/MSRP *
                a=setup:active
                a=accept-types:text/plain
                a=path:msrp://203.0.113.5:40000/kjd78;tcp
                """);
        SessionDescription out = SdpRewriter.rewrite(coreAnswer, Map.of(0, new SdpRewriter.Rewrite(LegSecurity.TLS, Transport.TCP_TLS_MSRP,
                gateway(30001, Setup.PASSIVE, true), Setup.PASSIVE, Optional.of("applied"))));
        assertThat(out.write("\n")).isEqualTo("""
                v=0
                o=bob 2 1 IN IP4 203.0.113.5
                s=-
                c=IN IP4 192.0.2.1
                t=0 0
                m=message 30001 TCP/TLS/MSRP *
                c=IN IP4 192.0.2.1
                a=setup:passive
                a=accept-types:text/plain
                a=path:msrps://192.0.2.1:30001/kjd78;tcp
                a=fingerprint:%s
                a=3ge2ae:applied
                """.formatted(GW_FINGERPRINT));
    }

    @Test
    @Tag("CTRL-2")
    void ueTerminatedE2aeOfferTowardsTheUeIsTlsAndTheAnswerTowardsTheCoreIsTcp() throws Exception {
        SessionDescription coreOffer = sdp("""
                v=0
                o=bob 2 1 IN IP4 203.0.113.5
                s=-
                c=IN IP4 203.0.113.5
                t=0 0
                m=message 40000 TCP/MSRP *
                a=setup:actpass
                a=msrp-cema
                a=path:msrp://203.0.113.5:40000/kjd78;tcp
                """);
        SessionDescription towardsUe = SdpRewriter.rewrite(coreOffer, Map.of(0, new SdpRewriter.Rewrite(LegSecurity.TLS, Transport.TCP_TLS_MSRP,
                gateway(30004, Setup.PASSIVE, true), Setup.ACTPASS, Optional.of("applied"))));
        assertThat(towardsUe.media().get(0).transport()).isEqualTo(Transport.TCP_TLS_MSRP);
        assertThat(towardsUe.media().get(0).fingerprints()).extracting(Fingerprint::attributeValue).containsExactly(GW_FINGERPRINT);
        assertThat(towardsUe.media().get(0).e2aeIndicator()).contains("applied");
        // CEMA: a=path untouched, the UE connects to c=/m= (RFC 6714)
        assertThat(towardsUe.media().get(0).path()).containsExactly("msrp://203.0.113.5:40000/kjd78;tcp");

        SessionDescription ueAnswer = sdp("""
                v=0
                o=alice 1 1 IN IP4 198.51.100.7
                s=-
                c=IN IP4 198.51.100.7
                t=0 0
                m=message 9 TCP/TLS/MSRP *
                a=setup:active
                a=fingerprint:%s
                a=msrp-cema
                a=path:msrps://198.51.100.7:7394/iau39;tcp
                """.formatted(UE_FINGERPRINT));
        SessionDescription towardsCore = SdpRewriter.rewrite(ueAnswer, Map.of(0, new SdpRewriter.Rewrite(LegSecurity.TCP, Transport.TCP_MSRP,
                gateway(30003, Setup.ACTIVE, false), Setup.ACTIVE, Optional.empty())));
        assertThat(towardsCore.media().get(0).transport()).isEqualTo(Transport.TCP_MSRP);
        assertThat(towardsCore.fingerprints(towardsCore.media().get(0))).isEmpty();
        assertThat(towardsCore.media().get(0).mediaLine().port()).isEqualTo("30003");
        assertThat(towardsCore.media().get(0).setup()).contains(Setup.ACTIVE);
    }

    @Test
    @Tag("CTRL-3")
    void bfcpE2aeKeepsTheFloorAttributes() throws Exception {
        SessionDescription offer = sdp("""
                v=0
                o=alice 1 1 IN IP4 198.51.100.7
                s=-
                c=IN IP4 198.51.100.7
                t=0 0
                m=application 5000 TCP/TLS/BFCP *
                a=setup:actpass
                a=fingerprint:%s
                a=3ge2ae:requested
                a=floorctrl:c-only
                a=confid:4321
                a=userid:1234
                a=floorid:1 mstrm:10
                """.formatted(UE_FINGERPRINT));
        SessionDescription out = SdpRewriter.rewrite(offer, Map.of(0, new SdpRewriter.Rewrite(LegSecurity.TCP, Transport.TCP_BFCP,
                gateway(30006, Setup.PASSIVE, false), Setup.ACTPASS, Optional.empty())));
        assertThat(out.write("\n")).contains("m=application 30006 TCP/BFCP *", "a=floorctrl:c-only", "a=confid:4321", "a=userid:1234", "a=floorid:1 mstrm:10")
                .doesNotContain("fingerprint", "3ge2ae");
    }

    @Test
    @Tag("CTRL-4")
    void endToEndStreamsKeepEveryCryptoAttribute() throws Exception {
        String e2e = UE_OFFER.replace("a=3ge2ae:requested\n", "");
        SessionDescription out = SdpRewriter.rewrite(sdp(e2e), Map.of(0, new SdpRewriter.Rewrite(LegSecurity.TRANSPARENT, Transport.TCP_TLS_MSRP,
                gateway(30008, Setup.PASSIVE, false), Setup.ACTPASS, Optional.empty())));
        assertThat(out.media().get(0).transport()).isEqualTo(Transport.TCP_TLS_MSRP);
        assertThat(out.media().get(0).fingerprints()).extracting(Fingerprint::attributeValue).containsExactly(UE_FINGERPRINT);
        assertThat(out.media().get(0).mediaLine().port()).isEqualTo("30008");
    }

    @Test
    void sessionLevelFingerprintsStayWithTheStreamsThatStillNeedThem() throws Exception {
        SessionDescription offer = sdp("""
                v=0
                o=alice 1 1 IN IP4 198.51.100.7
                s=-
                c=IN IP4 198.51.100.7
                t=0 0
                a=fingerprint:%s
                m=message 7394 TCP/TLS/MSRP *
                a=setup:actpass
                a=3ge2ae:requested
                m=message 7396 TCP/TLS/MSRP *
                a=setup:actpass
                m=audio 4000 RTP/AVP 0
                """.formatted(UE_FINGERPRINT));
        SessionDescription out = SdpRewriter.rewrite(offer, Map.of(
                0, new SdpRewriter.Rewrite(LegSecurity.TCP, Transport.TCP_MSRP, gateway(30010, Setup.PASSIVE, false), Setup.ACTPASS, Optional.empty()),
                1, new SdpRewriter.Rewrite(LegSecurity.TRANSPARENT, Transport.TCP_TLS_MSRP, gateway(30012, Setup.PASSIVE, false), Setup.ACTPASS, Optional.empty())));
        assertThat(out.attributes("fingerprint")).isEmpty();
        assertThat(out.fingerprints(out.media().get(0))).isEmpty();
        assertThat(out.media().get(1).fingerprints()).hasSize(1);
        // the RTP m-line is not anchored: untouched, and the session c= stays for it
        assertThat(out.media().get(2).mediaLine().port()).isEqualTo("4000");
        assertThat(out.connectionData()).contains("IN IP4 198.51.100.7");
    }

    @Test
    void aBadPathIsRefusedWith488() throws Exception {
        SessionDescription offer = sdp(UE_OFFER);
        SessionDescription broken = offer.withMedia(0, offer.media().get(0).withPath(List.of("msrps://[::1")));
        assertThatThrownBy(() -> SdpRewriter.rewrite(broken, Map.of(0, new SdpRewriter.Rewrite(LegSecurity.TCP, Transport.TCP_MSRP,
                gateway(30002, Setup.PASSIVE, false), Setup.ACTPASS, Optional.empty()))))
                .isInstanceOfSatisfying(OfferRejectedException.class, e -> assertThat(e.sipStatus()).isEqualTo(488));
    }
}
