package org.mediasec.controller.alg;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.mediasec.controller.alg.Party.MsrpExtensions;
import org.mediasec.controller.mgc.LocalEnd;
import org.mediasec.h248.message.TerminationId;
import org.mediasec.sdp.MediaDescription;
import org.mediasec.sdp.SdpParser;
import org.mediasec.sdp.SessionDescription;
import org.mediasec.sdp.Setup;
import org.mediasec.sdp.Transport;

/** The agnostic/aware decision table (TS 23.334 5.19.5, TR 29.828 table 4.1.4-1) and the aware SDP rewrite (GW-6). */
class MsrpInterworkingTest {

    private static final String OFFER = """
            v=0
            o=alice 1 1 IN IP4 198.51.100.7
            s=-
            c=IN IP4 198.51.100.7
            t=0 0
            m=message 7394 %s *
            a=setup:actpass
            a=accept-types:message/cpim text/plain
            a=accept-wrapped-types:*
            a=max-size:4096000
            a=path:msrp://198.51.100.7:7394/iau39soe2843z;tcp
            %s""";

    private static SessionDescription offer(String transport, boolean cema) throws Exception {
        return SdpParser.parse(OFFER.formatted(transport, cema ? "a=msrp-cema\n" : "").replace("\n", "\r\n"));
    }

    private static boolean aware(MsrpExtensions offerer, MsrpExtensions answerer, boolean cemaInOffer) throws Exception {
        MediaDescription media = offer("TCP/MSRP", cemaInOffer).media().get(0);
        StreamPlan plan = new ImsAlgPolicy().plan(0, media, Party.accessUe(false, offerer), Party.core(answerer)).orElseThrow();
        return MsrpInterworking.decide(plan, media, Party.accessUe(false, offerer), Party.core(answerer)).msrpAware();
    }

    @Test
    @Tag("GW-6")
    void theFourPairingsOf23334AreAwareAndOnlyLikeMeetingLikeIsAgnostic() throws Exception {
        MsrpExtensions only4975 = MsrpExtensions.RFC4975_ONLY;
        // TS 23.334 5.19.5: CEMA-4975, sessmatch-4975, CEMA-sessmatch, 4975-4975
        assertThat(aware(MsrpExtensions.CEMA, only4975, true)).isTrue();
        assertThat(aware(only4975, MsrpExtensions.CEMA, false)).isTrue();
        assertThat(aware(MsrpExtensions.SESSION_MATCHING, only4975, false)).isTrue();
        assertThat(aware(MsrpExtensions.CEMA, MsrpExtensions.SESSION_MATCHING, true)).isTrue();
        assertThat(aware(only4975, only4975, false)).isTrue();
        // like meets like
        assertThat(aware(MsrpExtensions.CEMA, MsrpExtensions.CEMA, true)).isFalse();
        assertThat(aware(only4975, MsrpExtensions.CEMA, true)).as("the offer's a=msrp-cema says CEMA").isFalse();
        assertThat(aware(MsrpExtensions.SESSION_MATCHING, MsrpExtensions.SESSION_MATCHING, false)).isFalse();
    }

    @Test
    @Tag("GW-6")
    void endToEndTlsAndBfcpStayAgnostic() throws Exception {
        MediaDescription e2e = offer("TCP/TLS/MSRP", false).media().get(0);
        Party only4975 = Party.accessUe(false, MsrpExtensions.RFC4975_ONLY);
        StreamPlan transparent = new ImsAlgPolicy().plan(0, e2e, only4975, Party.core(MsrpExtensions.RFC4975_ONLY)).orElseThrow();
        assertThat(transparent.transparent()).isTrue();
        assertThat(MsrpInterworking.aware(transparent, e2e, only4975, Party.core(MsrpExtensions.RFC4975_ONLY))).isFalse();
        StreamPlan bfcp = new StreamPlan(0, "BFCP", LegSecurity.TCP, LegSecurity.TCP);
        assertThat(MsrpInterworking.aware(bfcp, e2e, only4975, only4975)).isFalse();
    }

    @Test
    @Tag("GW-6")
    void anAwareStreamOffersTheGatewaysOwnUriDropsCemaAndKeepsTheMsrpAttributes() throws Exception {
        String gatewayUri = "msrp://192.0.2.1:30002/gw7k2m9q;tcp";
        LocalEnd gateway = new LocalEnd(TerminationId.of("ip/2"), "IN IP4 192.0.2.1", 30002, Setup.PASSIVE, List.of(), List.of(gatewayUri));
        SessionDescription out = SdpRewriter.rewrite(offer("TCP/MSRP", true), Map.of(0, new SdpRewriter.Rewrite(LegSecurity.TCP, Transport.TCP_MSRP,
                gateway, Setup.ACTPASS, Optional.empty(), false, Optional.empty(), true)));
        MediaDescription media = out.media().get(0);
        assertThat(media.path()).containsExactly(gatewayUri);
        assertThat(media.msrpCema()).as("RFC 6714: kept only where the gateway is agnostic").isFalse();
        assertThat(out.write("\n")).contains("a=accept-types:message/cpim text/plain\n", "a=accept-wrapped-types:*\n", "a=max-size:4096000\n");
    }
}
