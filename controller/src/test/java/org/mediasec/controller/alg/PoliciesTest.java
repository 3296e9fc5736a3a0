package org.mediasec.controller.alg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.mediasec.controller.mgc.TlsRole;
import org.mediasec.sdp.MediaDescription;
import org.mediasec.sdp.SdpParser;
import org.mediasec.sdp.Setup;
import org.mediasec.sdp.Transport;

/** Which m-lines are anchored and how (CTRL-1..4, IBCF), and who is TLS client (CTRL-5). */
class PoliciesTest {

    private static MediaDescription media(String transport, String... attributes) throws Exception {
        StringBuilder text = new StringBuilder("v=0\r\no=- 1 1 IN IP4 192.0.2.9\r\ns=-\r\nc=IN IP4 192.0.2.9\r\nt=0 0\r\nm=message 5000 " + transport + " *\r\n");
        for (String attribute : attributes) {
            text.append("a=").append(attribute).append("\r\n");
        }
        return SdpParser.parse(text.toString()).media().get(0);
    }

    private static final String FINGERPRINT = "fingerprint:sha-256 4A:AD:B9:B1:3F:82:18:3B:54:02:12:DF:3E:5D:49:6B:19:E5:7C:AB:3B:0F:4B:6A:0A:2E:3A:5B:6F:7C:8D:9E";

    private final ImsAlgPolicy alg = new ImsAlgPolicy();

    @Test
    @Tag("CTRL-1")
    void e2aeRequestedByOurUe() throws Exception {
        StreamPlan plan = alg.plan(0, media("TCP/TLS/MSRP", FINGERPRINT, "3ge2ae:requested"), Party.accessUe(true), Party.core()).orElseThrow();
        assertThat(plan).isEqualTo(new StreamPlan(0, "MSRP", LegSecurity.TLS, LegSecurity.TCP));
        assertThat(alg.gatewayTransport(LegSecurity.TLS, Transport.TCP_TLS_MSRP)).isEqualTo(Transport.TCP_TLS_MSRP);
        assertThat(alg.gatewayTransport(LegSecurity.TCP, Transport.TCP_TLS_MSRP)).isEqualTo(Transport.TCP_MSRP);
    }

    @Test
    @Tag("CTRL-1")
    void e2aeWithoutFingerprintOrWithoutTlsIsRefused() {
        assertThatThrownBy(() -> alg.plan(0, media("TCP/TLS/MSRP", "3ge2ae:requested"), Party.accessUe(true), Party.core()))
                .isInstanceOfSatisfying(OfferRejectedException.class, e -> assertThat(e.sipStatus()).isEqualTo(488));
    }

    @Test
    @Tag("CTRL-2")
    void towardsOurUeThatRegisteredE2aeSupport() throws Exception {
        assertThat(alg.plan(0, media("TCP/MSRP"), Party.core(), Party.accessUe(true)).orElseThrow())
                .isEqualTo(new StreamPlan(0, "MSRP", LegSecurity.TCP, LegSecurity.TLS));
        assertThat(alg.plan(0, media("TCP/MSRP"), Party.core(), Party.accessUe(false)).orElseThrow())
                .isEqualTo(new StreamPlan(0, "MSRP", LegSecurity.TCP, LegSecurity.TCP));
    }

    @Test
    @Tag("GW-2")
    void e2aeOnBothSides() throws Exception {
        assertThat(alg.plan(0, media("TCP/TLS/MSRP", FINGERPRINT, "3ge2ae:requested"), Party.accessUe(true), Party.accessUe(true)).orElseThrow())
                .isEqualTo(new StreamPlan(0, "MSRP", LegSecurity.TLS, LegSecurity.TLS));
    }

    @Test
    @Tag("CTRL-4")
    void tlsWithoutTheRequestIsEndToEnd() throws Exception {
        assertThat(alg.plan(0, media("TCP/TLS/MSRP", FINGERPRINT), Party.accessUe(true), Party.core()).orElseThrow().transparent()).isTrue();
        // the core cannot request e2ae for a UE: the indicator from the core is not acted on
        assertThat(alg.plan(0, media("TCP/TLS/MSRP", FINGERPRINT, "3ge2ae:requested"), Party.core(), Party.core()).orElseThrow().transparent()).isTrue();
        assertThat(alg.gatewayTransport(LegSecurity.TRANSPARENT, Transport.TCP_TLS_MSRP)).isEqualTo(Transport.TCP_MSRP);
    }

    @Test
    void otherMediaAreNotAnchored() throws Exception {
        assertThat(alg.plan(0, media("RTP/AVP"), Party.accessUe(true), Party.core())).isEmpty();
        assertThat(alg.plan(0, media("TCP/MSRP").withPort("0"), Party.accessUe(true), Party.core())).isEmpty();
    }

    @Test
    @Tag("E2E-8")
    void theIbcfRelaysEverythingTransparently() throws Exception {
        IbcfPolicy ibcf = new IbcfPolicy();
        assertThat(ibcf.plan(0, media("TCP/TLS/BFCP", FINGERPRINT), Party.core(), Party.core()).orElseThrow())
                .isEqualTo(new StreamPlan(0, "BFCP", LegSecurity.TRANSPARENT, LegSecurity.TRANSPARENT));
        assertThat(ibcf.gatewayTransport(LegSecurity.TRANSPARENT, Transport.TCP_TLS_BFCP)).isEqualTo(Transport.TCP_TLS_BFCP);
    }

    @Test
    @Tag("CTRL-5")
    void tlsRoles() {
        TlsRolePolicy roles = TlsRolePolicy.DEFAULT;
        assertThat(roles.gatewayRole("MSRP", Setup.ACTIVE, true)).contains(TlsRole.CLIENT);
        assertThat(roles.gatewayRole("MSRP", Setup.PASSIVE, false)).contains(TlsRole.SERVER);
        assertThat(roles.gatewayRole("MSRP", Setup.ACTPASS, false)).isEmpty();
        // RFC 4583: the answerer is TLS server, whatever the TCP roles
        assertThat(roles.gatewayRole("BFCP", Setup.ACTIVE, true)).contains(TlsRole.SERVER);
        assertThat(roles.gatewayRole("BFCP", Setup.PASSIVE, false)).contains(TlsRole.CLIENT);
        // seed 003 NOTE 2's reading, as a configured rule
        TlsRolePolicy note2 = new TlsRolePolicy(TlsRolePolicy.BfcpRule.ANSWERER_IS_CLIENT);
        assertThat(note2.gatewayRole("BFCP", Setup.PASSIVE, true)).contains(TlsRole.CLIENT);
    }
}
