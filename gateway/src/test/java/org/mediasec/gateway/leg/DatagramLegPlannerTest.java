package org.mediasec.gateway.leg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.mediasec.bearer.PortAllocator;
import org.mediasec.bearer.tls.CertificateFingerprint;
import org.mediasec.bearer.tls.SelfSignedCertificate;
import org.mediasec.bearer.tls.TlsDomain;
import org.mediasec.bearer.tls.TlsEngines;
import org.mediasec.gateway.GatewayConfig;
import org.mediasec.gateway.GatewayError;
import org.mediasec.gateway.profile.GatewayProfile;
import org.mediasec.gateway.profile.ImsAgwProfile;
import org.mediasec.gateway.profile.MrfpProfile;
import org.mediasec.gateway.profile.TrgwProfile;
import org.mediasec.h248.ErrorCode;
import org.mediasec.sdp.Transport;

/**
 * The pure translation for T.38 fax over UDP (GW-7, RFC 7345, RFC 8842): SDP and LocalControl in, leg plan and Local
 * answer out, no sockets. The behaviour on real sockets is {@code FaxGatewayTest}'s.
 */
class DatagramLegPlannerTest {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final SelfSignedCertificate UE = SelfSignedCertificate.generate("ue", Duration.ofDays(1));
    private static final TlsEngines ACCESS = new TlsEngines(TlsDomain.defaults("access", SelfSignedCertificate.generate("mediasec", Duration.ofDays(1))));
    private static final CertificateFingerprint UE_HASH = CertificateFingerprint.of("sha-256", UE.certificate());
    private static final String UE_FINGERPRINT = UE_HASH.toString();
    private static final String[] T38 = {"T38FaxVersion:0", "T38MaxBitRate:14400", "T38FaxRateManagement:transferredTCF", "T38FaxMaxBuffer:262",
        "T38FaxMaxDatagram:400", "T38FaxUdpEC:t38UDPRedundancy"};

    private static GatewayConfig config(GatewayProfile profile) {
        return new GatewayConfig(profile, List.of(new PortAllocator.Realm("access", LOOPBACK, 20000, 20009)), Map.of("access", ACCESS), "access", 10);
    }

    private static TerminationUpdate update(String local, String remote) {
        return new TerminationUpdate(Optional.ofNullable(local), Optional.ofNullable(remote), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty());
    }

    private static TerminationUpdate withRole(TerminationUpdate update, boolean client) {
        return new TerminationUpdate(update.localSdp(), update.remoteSdp(), Optional.of(client), Optional.empty(), Optional.empty(), update.mode(),
                update.events());
    }

    private static String sdp(String transport, String address, String port, String... attributes) {
        StringBuilder text = new StringBuilder("v=0\nc=IN IP4 ").append(address).append("\nm=image ").append(port).append(' ').append(transport).append(" t38\n");
        for (String attribute : attributes) {
            text.append("a=").append(attribute).append('\n');
        }
        return text.toString();
    }

    private static String[] with(String[] first, String... more) {
        String[] all = java.util.Arrays.copyOf(first, first.length + more.length);
        System.arraycopy(more, 0, all, first.length, more.length);
        return all;
    }

    private static LegPlan plan(GatewayProfile profile, TerminationUpdate update) throws GatewayError {
        return LegPlanner.plan(Optional.empty(), update, config(profile)).plan();
    }

    private static int refusal(GatewayProfile profile, TerminationUpdate update) {
        try {
            plan(profile, update);
        } catch (GatewayError e) {
            return e.error().code();
        }
        throw new AssertionError("planned, expected a refusal");
    }

    @Test
    @Tag("TLS-1")
    @Tag("TLS-3")
    void aUeThatIsActiveMakesTheGatewayItsDtlsServerOnItsSdpAddress() throws Exception {
        String local = sdp("UDP/TLS/UDPTL", "$", "$", with(new String[] {"setup:passive", "fingerprint:$"}, T38));
        LegPlan plan = plan(new ImsAgwProfile(), update(local, sdp("UDP/TLS/UDPTL", "127.0.0.1", "40000", with(new String[] {"setup:active",
            "fingerprint:" + UE_FINGERPRINT}, T38))));
        assertThat(plan.datagram()).isTrue();
        assertThat(plan.datagrams()).contains(new LegPlan.Datagrams(400, true));
        assertThat(plan.certificateTls()).hasValueSatisfying(tls -> assertThat(tls.client()).isFalse());
        // UDP is symmetric: the SDP port is where the UE receives and sends from (not "any port" as for a TCP client)
        assertThat(plan.remote()).contains(new InetSocketAddress(LOOPBACK, 40000));
        assertThat(plan.remoteFingerprints()).containsExactly(UE_HASH);
        assertThat(plan.complete()).isTrue();

        CertificateFingerprint ours = CertificateFingerprint.of("sha-256", ACCESS.domain().certificate().certificate());
        String answer = LocalAnswer.write(plan, local, LOOPBACK, 20004, Optional.of(ours), UnaryOperator.identity());
        assertThat(answer).contains("m=image 20004 UDP/TLS/UDPTL t38").contains("c=IN IP4 127.0.0.1").contains("a=setup:passive")
                .contains("a=fingerprint:" + ours).contains("a=T38FaxMaxDatagram:400").contains("a=T38FaxUdpEC:t38UDPRedundancy");
    }

    @Test
    @Tag("TLS-1")
    void aPassiveUeMakesTheGatewayDtlsClientUnlessTheRoleSaysOtherwise() throws Exception {
        String local = sdp("UDP/TLS/UDPTL", "$", "$", "fingerprint:$");
        String remote = sdp("UDP/TLS/UDPTL", "127.0.0.1", "40000", "setup:passive", "fingerprint:" + UE_FINGERPRINT);
        assertThat(plan(new ImsAgwProfile(), update(local, remote)).certificateTls()).hasValueSatisfying(tls -> assertThat(tls.client()).isTrue());
        assertThat(plan(new ImsAgwProfile(), withRole(update(local, remote), false)).certificateTls())
                .hasValueSatisfying(tls -> assertThat(tls.client()).isFalse());
        // an active leg answers its real port: a UDP endpoint always receives there (RFC 4145's 9 is for TCP)
        LegPlan plan = plan(new ImsAgwProfile(), update(local, remote));
        assertThat(LocalAnswer.write(plan, local, LOOPBACK, 20002, Optional.empty(), UnaryOperator.identity()))
                .contains("m=image 20002 UDP/TLS/UDPTL t38").contains("a=setup:active");
    }

    @Test
    void aDtlsLegWaitsForItsRoleItsPeerAndItsFingerprint() throws Exception {
        GatewayConfig config = config(new ImsAgwProfile());
        LegPlan offered = LegPlanner.plan(Optional.empty(), update(sdp("UDP/TLS/UDPTL", "$", "$", "setup:actpass", "fingerprint:$"), null), config).plan();
        assertThat(offered.roleOpen()).isTrue();
        assertThat(offered.complete()).isFalse();
        LegPlan withoutFingerprint = LegPlanner.plan(Optional.of(offered), update(null, sdp("UDP/TLS/UDPTL", "127.0.0.1", "40000", "setup:active")),
                config).plan();
        assertThat(withoutFingerprint.complete()).as("TLS-4: no fingerprint, no peer").isFalse();
        LegPlan answered = LegPlanner.plan(Optional.of(offered), update(sdp("UDP/TLS/UDPTL", "$", "$", "setup:passive"),
                sdp("UDP/TLS/UDPTL", "127.0.0.1", "40000", "setup:active", "fingerprint:" + UE_FINGERPRINT)), config).plan();
        assertThat(answered.roleOpen()).isFalse();
        assertThat(answered.complete()).isTrue();
    }

    @Test
    void aPlainUdptlLegHasNoRoleAndOpensOnceItsPeerIsKnown() throws Exception {
        String local = sdp("udptl", "$", "$", with(new String[] {"setup:actpass"}, T38));
        LegPlan offered = plan(new ImsAgwProfile(), update(local, null));
        assertThat(offered.roleOpen()).isFalse();
        assertThat(offered.tls()).isEmpty();
        assertThat(offered.complete()).isFalse();
        assertThat(LocalAnswer.write(offered, local, LOOPBACK, 20006, Optional.empty(), UnaryOperator.identity()))
                .contains("m=image 20006 udptl t38").doesNotContain("a=setup").doesNotContain("fingerprint").contains("a=T38FaxVersion:0");
        LegPlan answered = LegPlanner.plan(Optional.of(offered), update(null, sdp("udptl", "192.0.2.9", "5004", T38)), config(new ImsAgwProfile())).plan();
        assertThat(answered.remote()).contains(new InetSocketAddress("192.0.2.9", 5004));
        assertThat(answered.datagrams()).contains(new LegPlan.Datagrams(400, true));
        assertThat(answered.complete()).isTrue();
    }

    @Test
    void aRefusedStreamsPortZeroIsNoPeer() throws Exception {
        LegPlan plan = plan(new ImsAgwProfile(), update(sdp("udptl", "$", "$"), sdp("udptl", "192.0.2.9", "0")));
        assertThat(plan.remote()).isEmpty();
        assertThat(plan.complete()).isFalse();
    }

    @Test
    void theDatagramBoundIsTheDeclaredT38FaxMaxDatagramOrThePathsWithoutOne() throws Exception {
        assertThat(plan(new ImsAgwProfile(), update(sdp("udptl", "$", "$"), sdp("udptl", "192.0.2.9", "5004"))).datagrams())
                .contains(new LegPlan.Datagrams(DatagramLimits.PATH_PAYLOAD - DatagramLimits.DTLS_RECORD_OVERHEAD, true));
        // Remote's (what the peer can receive) before Local's
        assertThat(plan(new ImsAgwProfile(), update(sdp("udptl", "$", "$", "T38FaxMaxDatagram:1400"), sdp("udptl", "192.0.2.9", "5004",
                "T38FaxMaxDatagram:272"))).datagrams()).contains(new LegPlan.Datagrams(272, true));
        assertThat(plan(new ImsAgwProfile(), update(sdp("udptl", "$", "$"), sdp("udptl", "192.0.2.9", "5004", "T38FaxMaxDatagram:9999999")))
                .datagrams().orElseThrow().maxPayload()).isEqualTo(DatagramLimits.MAX_UDP_PAYLOAD - DatagramLimits.DTLS_RECORD_OVERHEAD);
        for (String bad : List.of("0", "-1", "many", "")) {
            assertThat(refusal(new ImsAgwProfile(), update(sdp("udptl", "$", "$"), sdp("udptl", "192.0.2.9", "5004", "T38FaxMaxDatagram:" + bad))))
                    .as(bad).isEqualTo(ErrorCode.UNSUPPORTED_PARAMETER_OR_PROPERTY_VALUE.code());
        }
    }

    @Test
    void aModifyThatRestatesNoBoundKeepsTheLegs() throws Exception {
        GatewayConfig config = config(new ImsAgwProfile());
        LegPlan first = LegPlanner.plan(Optional.empty(), update(sdp("udptl", "$", "$"), sdp("udptl", "192.0.2.9", "5004", "T38FaxMaxDatagram:300")),
                config).plan();
        LegPlan again = LegPlanner.plan(Optional.of(first), update(null, sdp("udptl", "192.0.2.9", "5006")), config).plan();
        assertThat(again.datagrams()).contains(new LegPlan.Datagrams(300, true));
        assertThat(again.remote()).contains(new InetSocketAddress("192.0.2.9", 5006));
    }

    @Test
    void theTrgwRelaysDtlsUntouchedAndChecksPlainUdptl() throws Exception {
        LegPlan dtls = plan(new TrgwProfile(), update(sdp("UDP/TLS/UDPTL", "$", "$"), sdp("UDP/TLS/UDPTL", "192.0.2.9", "5004", "setup:active",
                "fingerprint:" + UE_FINGERPRINT, "T38FaxMaxDatagram:400")));
        assertThat(dtls.tls()).as("no key material at the TrGW").isEmpty();
        // records and handshake flights pass: the bound is the path's, never below a record of the declared payload
        assertThat(dtls.datagrams()).contains(new LegPlan.Datagrams(DatagramLimits.PATH_PAYLOAD, false));
        assertThat(dtls.complete()).isTrue();
        assertThat(plan(new TrgwProfile(), update(sdp("udptl", "$", "$"), sdp("udptl", "192.0.2.9", "5004"))).datagrams().orElseThrow().checkUdptl())
                .isTrue();
        assertThat(new TrgwProfile().checkPair(Transport.UDP_TLS_UDPTL, Transport.UDPTL)).hasValueSatisfying(
                error -> assertThat(error.code()).isEqualTo(ErrorCode.UNSUPPORTED_MEDIA_TYPE.code()));
        assertThatThrownBy(() -> plan(new TrgwProfile(), withRole(update(sdp("UDP/TLS/UDPTL", "$", "$"), null), true)))
                .isInstanceOfSatisfying(GatewayError.class, e -> assertThat(e.error().code()).isEqualTo(ErrorCode.CONFLICTING_PROPERTY_VALUES.code()));
    }

    @Test
    void udpOnTheImsAgwRelaysEndToEndDtlsAsDatagrams() throws Exception {
        LegPlan plan = plan(new ImsAgwProfile(), update(sdp("udp", "$", "$"), sdp("udp", "192.0.2.9", "5004", "T38FaxMaxDatagram:1460")));
        assertThat(plan.tls()).isEmpty();
        assertThat(plan.datagrams()).contains(new LegPlan.Datagrams(1460 + DatagramLimits.DTLS_RECORD_OVERHEAD, false));
    }

    @Test
    @Tag("GW-9")
    void theMrfpCarriesNoFax() {
        assertThat(refusal(new MrfpProfile(8), update(sdp("udptl", "$", "$"), null))).isEqualTo(ErrorCode.UNSUPPORTED_MEDIA_TYPE.code());
    }
}
