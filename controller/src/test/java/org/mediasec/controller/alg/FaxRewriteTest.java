package org.mediasec.controller.alg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.mediasec.controller.mgc.LocalEnd;
import org.mediasec.h248.message.TerminationId;
import org.mediasec.sdp.Fingerprint;
import org.mediasec.sdp.MediaDescription;
import org.mediasec.sdp.SdpParser;
import org.mediasec.sdp.SessionDescription;
import org.mediasec.sdp.Setup;
import org.mediasec.sdp.Transport;

/**
 * T.38 fax m-lines through the IMS-ALG (GW-7; CTRL-1 and CTRL-2 for image streams): which are anchored and how, and
 * the SDP each party receives, SDP in and SDP out. The proof on real sockets is {@code it}'s {@code FaxCallTest}.
 */
class FaxRewriteTest {

    private static final String UE_FINGERPRINT = "sha-256 4A:AD:B9:B1:3F:82:18:3B:54:02:12:DF:3E:5D:49:6B:19:E5:7C:AB:3B:0F:4B:6A:0A:2E:3A:5B:6F:7C:8D:9E";
    private static final String GW_FINGERPRINT = "sha-256 11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00";
    private static final String T38 = """
            a=T38FaxVersion:0
            a=T38MaxBitRate:14400
            a=T38FaxRateManagement:transferredTCF
            a=T38FaxMaxBuffer:262
            a=T38FaxMaxDatagram:400
            a=T38FaxUdpEC:t38UDPRedundancy
            """;
    private static final String UE_OFFER = """
            v=0
            o=alice 1 2 IN IP4 198.51.100.7
            s=-
            c=IN IP4 198.51.100.7
            t=0 0
            m=image 40000 UDP/TLS/UDPTL t38
            a=setup:actpass
            a=fingerprint:%s
            a=tls-id:abcdefghijklmnopqrstuv
            a=3ge2ae:requested
            """.formatted(UE_FINGERPRINT) + T38;

    private static SessionDescription sdp(String text) throws Exception {
        return SdpParser.parse(text.replace("\n", "\r\n"));
    }

    private static LocalEnd gateway(int port, Setup setup, boolean dtls) {
        return new LocalEnd(TerminationId.of("ip/1"), "IN IP4 192.0.2.1", port, setup,
                dtls ? List.of(Fingerprint.parse(GW_FINGERPRINT, new String[1]).orElseThrow()) : List.of());
    }

    @Test
    void anE2aeFaxOfferFromOurUeIsDtlsTowardsItAndPlainTowardsTheCore() throws Exception {
        MediaDescription offered = sdp(UE_OFFER).media().get(0);
        assertThat(new ImsAlgPolicy().plan(0, offered, Party.accessUe(true), Party.core()))
                .contains(new StreamPlan(0, "UDPTL", LegSecurity.TLS, LegSecurity.TCP));
        assertThat(new ImsAlgPolicy().gatewayTransport(LegSecurity.TLS, offered.transport())).isEqualTo(Transport.UDP_TLS_UDPTL);
        assertThat(new ImsAlgPolicy().gatewayTransport(LegSecurity.TCP, offered.transport())).isEqualTo(Transport.UDPTL);
    }

    @Test
    void towardsTheCoreTheOfferIsPlainUdptlWithItsT38AttributesUntouched() throws Exception {
        SessionDescription out = SdpRewriter.rewrite(sdp(UE_OFFER), Map.of(0, new SdpRewriter.Rewrite(LegSecurity.TCP, Transport.UDPTL,
                gateway(30002, Setup.PASSIVE, false), Setup.ACTPASS, Optional.empty(), true, Optional.empty())));
        assertThat(out.write("\n")).isEqualTo("""
                v=0
                o=alice 1 2 IN IP4 198.51.100.7
                s=-
                c=IN IP4 192.0.2.1
                t=0 0
                m=image 30002 udptl t38
                c=IN IP4 192.0.2.1
                """ + T38);
    }

    @Test
    void towardsTheUeTheAnswerIsDtlsWithTheGatewaysFingerprintRoleAndTlsId() throws Exception {
        String coreAnswer = """
                v=0
                o=fax 7 8 IN IP4 203.0.113.5
                s=-
                c=IN IP4 203.0.113.5
                t=0 0
                m=image 5004 udptl t38
                """ + T38;
        SessionDescription out = SdpRewriter.rewrite(sdp(coreAnswer), Map.of(0, new SdpRewriter.Rewrite(LegSecurity.TLS, Transport.UDP_TLS_UDPTL,
                gateway(30000, Setup.PASSIVE, true), Setup.PASSIVE, Optional.of("applied"), true, Optional.of("gatewaysTlsId0123456789"))));
        MediaDescription media = out.media().get(0);
        assertThat(media.transport()).isEqualTo(Transport.UDP_TLS_UDPTL);
        assertThat(media.mediaLine().portNumber()).hasValue(30000);
        assertThat(media.setup()).contains(Setup.PASSIVE);
        assertThat(media.fingerprints()).extracting(Fingerprint::attributeValue).containsExactly(GW_FINGERPRINT);
        assertThat(media.attribute("tls-id")).contains("gatewaysTlsId0123456789");
        assertThat(media.e2aeIndicator()).contains("applied");
        assertThat(media.t38Attributes()).hasSize(6);
        assertThat(out.write("\n")).doesNotContain("203.0.113.5 ").contains("o=fax 7 8 IN IP4 203.0.113.5");
    }

    @Test
    void aPlainFaxOfferTowardsOurE2aeUeIsDtlsTowardsIt() throws Exception {
        MediaDescription offered = sdp("v=0\no=- 1 1 IN IP4 198.51.100.7\ns=-\nc=IN IP4 203.0.113.5\nt=0 0\nm=image 5004 udptl t38\n" + T38).media().get(0);
        assertThat(new ImsAlgPolicy().plan(0, offered, Party.core(), Party.accessUe(true)))
                .contains(new StreamPlan(0, "UDPTL", LegSecurity.TCP, LegSecurity.TLS));
        assertThat(new ImsAlgPolicy().plan(0, offered, Party.core(), Party.accessUe(false)))
                .contains(new StreamPlan(0, "UDPTL", LegSecurity.TCP, LegSecurity.TCP));
    }

    @Test
    void endToEndDtlsFaxIsRelayedAsDatagramsWithTheEndpointsOwnRoles() throws Exception {
        String e2e = UE_OFFER.replace("a=3ge2ae:requested\n", "");
        MediaDescription offered = sdp(e2e).media().get(0);
        assertThat(new ImsAlgPolicy().plan(0, offered, Party.accessUe(true), Party.core()))
                .contains(new StreamPlan(0, "UDPTL", LegSecurity.TRANSPARENT, LegSecurity.TRANSPARENT));
        assertThat(new ImsAlgPolicy().gatewayTransport(LegSecurity.TRANSPARENT, offered.transport())).isEqualTo(Transport.UDP);
        MediaDescription out = SdpRewriter.rewrite(sdp(e2e), Map.of(0, new SdpRewriter.Rewrite(LegSecurity.TRANSPARENT, Transport.UDP_TLS_UDPTL,
                gateway(30004, Setup.PASSIVE, false), Setup.PASSIVE, Optional.empty(), true, Optional.empty()))).media().get(0);
        assertThat(out.setup()).contains(Setup.ACTPASS);
        assertThat(out.attribute("tls-id")).contains("abcdefghijklmnopqrstuv");
        assertThat(out.fingerprints()).extracting(Fingerprint::attributeValue).containsExactly(UE_FINGERPRINT);
    }

    @Test
    void anE2aeFaxOfferWithoutAFingerprintIsRefused() throws Exception {
        MediaDescription offered = sdp(UE_OFFER.replace("a=fingerprint:" + UE_FINGERPRINT + "\n", "")).media().get(0);
        assertThatThrownBy(() -> new ImsAlgPolicy().plan(0, offered, Party.accessUe(true), Party.core()))
                .isInstanceOfSatisfying(OfferRejectedException.class, e -> assertThat(e.sipStatus()).isEqualTo(488));
    }

    @Test
    void audioAndRefusedFaxAreNotAnchored() throws Exception {
        assertThat(StreamPolicy.anchoredApplication(sdp("v=0\no=- 1 1 IN IP4 198.51.100.7\ns=-\nc=IN IP4 198.51.100.7\nt=0 0\nm=audio 49170 RTP/AVP 0\n").media().get(0))).isEmpty();
        assertThat(StreamPolicy.anchoredApplication(sdp("v=0\no=- 1 1 IN IP4 198.51.100.7\ns=-\nc=IN IP4 198.51.100.7\nt=0 0\nm=image 0 udptl t38\n").media().get(0))).isEmpty();
        assertThat(StreamPolicy.anchoredApplication(sdp("v=0\no=- 1 1 IN IP4 198.51.100.7\ns=-\nc=IN IP4 198.51.100.7\nt=0 0\nm=image 5004 udptl t38\n").media().get(0))).contains("UDPTL");
    }
}
