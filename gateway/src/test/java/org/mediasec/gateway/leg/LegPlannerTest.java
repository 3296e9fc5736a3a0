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
import org.mediasec.bearer.TcpRole;
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
 * The pure translation, SDP and LocalControl in, leg plan and Local answer out, for each profile: no sockets. The
 * end-to-end behaviour on real sockets is {@code MediaGatewayTest}'s and {@code MrfpGatewayTest}'s.
 */
class LegPlannerTest {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final SelfSignedCertificate UE = SelfSignedCertificate.generate("ue", Duration.ofDays(1));
    private static final TlsEngines ACCESS = new TlsEngines(TlsDomain.defaults("access", SelfSignedCertificate.generate("mediasec", Duration.ofDays(1))));
    private static final String UE_FINGERPRINT = CertificateFingerprint.of("sha-256", UE.certificate()).toString();

    private static GatewayConfig config(GatewayProfile profile) {
        return new GatewayConfig(profile, List.of(new PortAllocator.Realm("access", LOOPBACK, 20000, 20009)), Map.of("access", ACCESS), "access", 10);
    }

    private static TerminationUpdate update(String local, String remote) {
        return new TerminationUpdate(Optional.ofNullable(local), Optional.ofNullable(remote), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty());
    }

    private static TerminationUpdate withControl(TerminationUpdate update, Optional<Boolean> client, Optional<String> domain, Optional<byte[]> key) {
        return new TerminationUpdate(update.localSdp(), update.remoteSdp(), client, domain, key, update.mode(), update.events());
    }

    private static String sdp(String transport, String address, String port, String... attributes) {
        StringBuilder text = new StringBuilder("v=0\nc=IN IP4 ").append(address).append("\nm=")
                .append(transport.contains("BFCP") ? "application" : "message").append(' ').append(port).append(' ').append(transport).append(" *\n");
        for (String attribute : attributes) {
            text.append("a=").append(attribute).append('\n');
        }
        return text.toString();
    }

    private static LegPlan plan(GatewayProfile profile, TerminationUpdate update) throws GatewayError {
        return LegPlanner.plan(Optional.empty(), update, config(profile)).plan();
    }

    /** The H.248.8 code of a refused plan. */
    private record Refusal(int code) {}

    private static Refusal refusal(GatewayProfile profile, TerminationUpdate update) {
        try {
            plan(profile, update);
        } catch (GatewayError e) {
            return new Refusal(e.error().code());
        }
        throw new AssertionError("planned, expected a refusal");
    }

    @Test
    @Tag("TLS-1")
    @Tag("TLS-3")
    void anE2aeAccessLegIsAPassiveTlsServerThatKnowsOnlyTheUesHostAndFingerprint() throws Exception {
        LegPlan plan = plan(new ImsAgwProfile(), update(sdp("TCP/TLS/MSRP", "$", "$", "setup:passive", "fingerprint:$"),
                sdp("TCP/TLS/MSRP", "192.0.2.7", "9", "setup:active", "fingerprint:" + UE_FINGERPRINT)));
        assertThat(plan.transport()).isEqualTo(Transport.TCP_TLS_MSRP);
        assertThat(plan.role()).isEqualTo(TcpRole.PASSIVE);
        assertThat(plan.roleOpen()).isFalse();
        // RFC 4145 4.1: the UE connects from a port of its choosing: only its address is checked (port 0)
        assertThat(plan.remote()).contains(new InetSocketAddress("192.0.2.7", 0));
        assertThat(plan.remoteFingerprints()).containsExactly(CertificateFingerprint.of("sha-256", UE.certificate()));
        assertThat(plan.certificateTls()).hasValueSatisfying(tls -> {
            assertThat(tls.domain()).isEqualTo("access");
            assertThat(tls.client()).isFalse(); // RFC 4572: the TCP server is the TLS server
        });
        assertThat(plan.complete()).isTrue();
    }

    @Test
    void aPeerWithoutSetupIsActiveSoOnlyItsAddressIsChecked() throws Exception {
        // RFC 4145 4.1: no a=setup is active; the m-line port is where it listens, not where it connects from
        LegPlan plan = plan(new ImsAgwProfile(), update(sdp("TCP/MSRP", "$", "$", "setup:passive"), sdp("TCP/MSRP", "192.0.2.7", "7394")));
        assertThat(plan.role()).isEqualTo(TcpRole.PASSIVE);
        assertThat(plan.remote()).contains(new InetSocketAddress("192.0.2.7", 0));
    }

    @Test
    @Tag("TLS-1")
    void tlsbscRoleOverridesTheRoleTheTcpSetupImplies() throws Exception {
        TerminationUpdate given = withControl(update(sdp("TCP/TLS/BFCP", "$", "$", "setup:passive"), sdp("TCP/TLS/BFCP", "192.0.2.7", "9", "setup:active",
                "fingerprint:" + UE_FINGERPRINT)), Optional.of(true), Optional.empty(), Optional.empty());
        LegPlan plan = plan(new ImsAgwProfile(), given);
        assertThat(plan.role()).isEqualTo(TcpRole.PASSIVE);
        assertThat(plan.certificateTls().orElseThrow().client()).isTrue();
    }

    @Test
    @Tag("TCP-1")
    void aPassivePeerMakesUsTheActiveEndThatAnswersPortNine() throws Exception {
        TerminationUpdate update = update(sdp("TCP/MSRP", "$", "$"), sdp("TCP/MSRP", "192.0.2.8", "7394", "setup:passive"));
        PlannedLeg planned = LegPlanner.plan(Optional.empty(), update, config(new ImsAgwProfile()));
        assertThat(planned.plan().role()).isEqualTo(TcpRole.ACTIVE);
        assertThat(planned.plan().remote()).contains(new InetSocketAddress("192.0.2.8", 7394));
        assertThat(planned.plan().tls()).isEmpty();
        String answer = LocalAnswer.write(planned.plan(), update.localSdp().orElseThrow(), LOOPBACK, 20003, Optional.empty(), UnaryOperator.identity());
        assertThat(answer).contains("c=IN IP4 127.0.0.1").contains("m=message 9 TCP/MSRP *").contains("a=setup:active").doesNotContain("fingerprint");
    }

    @Test
    @Tag("TCP-1")
    @Tag("TLS-3")
    void anActpassOfferLeavesTheRoleOpenAndAnswersOurPortAndFingerprint() throws Exception {
        LegPlan plan = plan(new ImsAgwProfile(), update(sdp("TCP/TLS/MSRP", "$", "$", "setup:actpass", "fingerprint:$"), null));
        assertThat(plan.roleOpen()).isTrue();
        assertThat(plan.complete()).isFalse(); // listens, but joins no bearer until the answer decides
        CertificateFingerprint ours = ACCESS.fingerprintOf(ACCESS.domain().certificate());
        String answer = LocalAnswer.write(plan, sdp("TCP/TLS/MSRP", "$", "$", "setup:actpass", "fingerprint:$", "accept-types:text/plain"), LOOPBACK,
                20004, Optional.of(ours), UnaryOperator.identity());
        assertThat(answer).contains("m=message 20004 TCP/TLS/MSRP *").contains("a=setup:actpass").contains("a=fingerprint:" + ours)
                .contains("a=accept-types:text/plain"); // every other line of the MGC's Local is kept
    }

    @Test
    @Tag("TCP-1")
    void aModifyWithoutSdpKeepsThePlanAndOneWithAnAnswerDecidesTheRole() throws Exception {
        GatewayConfig config = config(new ImsAgwProfile());
        LegPlan offered = LegPlanner.plan(Optional.empty(), update(sdp("TCP/MSRP", "$", "$", "setup:actpass"), null), config).plan();
        assertThat(LegPlanner.plan(Optional.of(offered), TerminationUpdate.NONE, config).plan()).isEqualTo(offered);
        LegPlan answered = LegPlanner.plan(Optional.of(offered), update(sdp("TCP/MSRP", "$", "$", "setup:active"),
                sdp("TCP/MSRP", "192.0.2.9", "5000", "setup:passive")), config).plan();
        assertThat(answered.roleOpen()).isFalse();
        assertThat(answered.role()).isEqualTo(TcpRole.ACTIVE);
        assertThat(answered.remote()).contains(new InetSocketAddress("192.0.2.9", 5000));
    }

    @Test
    @Tag("GW-3")
    void theTrgwRelaysTlsAsTcpAndHoldsNoTlsLayer() throws Exception {
        LegPlan plan = plan(new TrgwProfile(), update(sdp("TCP/TLS/MSRP", "$", "$"), sdp("TCP/TLS/MSRP", "192.0.2.7", "9", "setup:active",
                "fingerprint:" + UE_FINGERPRINT)));
        assertThat(plan.tls()).isEmpty();
        assertThat(plan.complete()).isTrue(); // no fingerprint is needed where TLS is not terminated
        assertThat(refusal(new TrgwProfile(), withControl(update(sdp("TCP/TLS/MSRP", "$", "$"), null), Optional.empty(), Optional.of("access"),
                Optional.empty())).code()).isEqualTo(ErrorCode.CONFLICTING_PROPERTY_VALUES.code());
    }

    @Test
    @Tag("E2E-5")
    void theMrfpKeysTlsByPskAndRefusesADomainOrAKeyOnPlainTcp() throws Exception {
        byte[] key = new byte[16];
        LegPlan plan = plan(new MrfpProfile(8), withControl(update(sdp("TCP/TLS/BFCP", "$", "$", "setup:active"), sdp("TCP/TLS/BFCP", "192.0.2.7", "5060",
                "setup:passive")), Optional.empty(), Optional.empty(), Optional.of(key)));
        assertThat(plan.pskTls()).isTrue();
        assertThat(plan.tls().orElseThrow().client()).isTrue(); // E2E-1: the MRFP connects and is TLS client
        assertThat(refusal(new MrfpProfile(8), withControl(update(sdp("TCP/BFCP", "$", "$"), null), Optional.empty(), Optional.empty(),
                Optional.of(key))).code()).isEqualTo(ErrorCode.CONFLICTING_PROPERTY_VALUES.code());
        assertThat(refusal(new MrfpProfile(8), withControl(update(sdp("TCP/TLS/BFCP", "$", "$"), null), Optional.empty(), Optional.of("access"),
                Optional.empty())).code()).isEqualTo(ErrorCode.CONFLICTING_PROPERTY_VALUES.code());
    }

    @Test
    @Tag("GW-9")
    @Tag("TLS-8")
    void whatNoProfileOrDomainAllowsIsRefusedWithItsCode() {
        assertThat(refusal(new ImsAgwProfile(), update(sdp("RTP/AVP", "$", "$"), null)).code()).isEqualTo(ErrorCode.UNSUPPORTED_MEDIA_TYPE.code());
        assertThat(refusal(new ImsAgwProfile(), withControl(update(sdp("TCP/TLS/MSRP", "$", "$"), null), Optional.empty(), Optional.of("nowhere"),
                Optional.empty())).code()).isEqualTo(ErrorCode.UNSUPPORTED_PARAMETER_OR_PROPERTY_VALUE.code());
        assertThat(refusal(new ImsAgwProfile(), update(sdp("TCP/MSRP", "$", "$"), sdp("TCP/TLS/MSRP", "192.0.2.7", "9"))).code())
                .isEqualTo(ErrorCode.CONFLICTING_PROPERTY_VALUES.code());
        assertThat(refusal(new ImsAgwProfile(), update(sdp("TCP/MSRP", "$", "$", "setup:active"), sdp("TCP/MSRP", "192.0.2.7", "9", "setup:active"))).code())
                .isEqualTo(ErrorCode.CONFLICTING_PROPERTY_VALUES.code());
        assertThat(refusal(new ImsAgwProfile(), update(sdp("TCP/MSRP", "$", "$", "setup:holdconn"), null)).code())
                .isEqualTo(ErrorCode.UNSUPPORTED_PARAMETER_OR_PROPERTY_VALUE.code());
        assertThat(refusal(new ImsAgwProfile(), update(sdp("TCP/TLS/MSRP", "$", "$"), sdp("TCP/TLS/MSRP", "192.0.2.7", "9",
                "fingerprint:md5 00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF"))).code()).isEqualTo(ErrorCode.UNSUPPORTED_PARAMETER_OR_PROPERTY_VALUE.code());
        assertThat(refusal(new ImsAgwProfile(), update(sdp("TCP/MSRP", "$", "$"), sdp("TCP/MSRP", "peer.example", "9"))).code())
                .isEqualTo(ErrorCode.UNSUPPORTED_PARAMETER_OR_PROPERTY_VALUE.code());
        assertThat(refusal(new ImsAgwProfile(), TerminationUpdate.NONE).code()).isEqualTo(ErrorCode.MISSING_REMOTE_OR_LOCAL_DESCRIPTOR.code());
    }

    @Test
    void aRemoteNotYetKnownLeavesThePeerOpenAndATlsLegWithoutFingerprintIncomplete() throws Exception {
        LegPlan plan = plan(new ImsAgwProfile(), update(sdp("TCP/TLS/MSRP", "$", "$", "setup:passive"), sdp("TCP/TLS/MSRP", "$", "$")));
        assertThat(plan.remote()).isEmpty();
        assertThat(plan.complete()).isFalse(); // TLS-4: no fingerprint, no peer
        assertThatThrownBy(() -> plan(new ImsAgwProfile(), update("v=0\nm=message", null))).isInstanceOf(GatewayError.class)
                .satisfies(e -> assertThat(((GatewayError) e).error().code()).isEqualTo(ErrorCode.INVALID_SDP_SYNTAX.code()));
    }

    @Test
    @Tag("SEC-3")
    void onlyStrongFingerprintsCountAndTheStrongestOfferedDecides() throws Exception {
        String sha1 = "sha-1 " + CertificateFingerprint.of("sha-1", UE.certificate()).value();
        String sha256 = CertificateFingerprint.of("sha-256", UE.certificate()).toString();
        String sha512 = CertificateFingerprint.of("sha-512", UE.certificate()).toString();
        // RFC 8122 5: a SHA-1 fingerprint alone is refused by default before anything opens
        assertThat(refusal(new ImsAgwProfile(), update(sdp("TCP/TLS/MSRP", "$", "$"), sdp("TCP/TLS/MSRP", "192.0.2.7", "9", "fingerprint:" + sha1))).code())
                .isEqualTo(ErrorCode.UNSUPPORTED_PARAMETER_OR_PROPERTY_VALUE.code());
        // with several hash functions only the strongest offered is enforced
        LegPlan plan = plan(new ImsAgwProfile(), update(sdp("TCP/TLS/MSRP", "$", "$"),
                sdp("TCP/TLS/MSRP", "192.0.2.7", "9", "fingerprint:" + sha1, "fingerprint:" + sha256, "fingerprint:" + sha512)));
        assertThat(plan.remoteFingerprints()).containsExactly(CertificateFingerprint.of("sha-512", UE.certificate()));
    }

    // ---- MSRP-aware mode (GW-6) ---------------------------------------------------------------------------------

    private static final String UE_PATH = "msrp://192.0.2.7:2855/ue1xyz;tcp";
    private static final String RELAY_PATH = "msrps://198.51.100.3:2856/relay7;tcp";

    private static PlannedLeg aware(Optional<LegPlan> current, GatewayProfile profile, TerminationUpdate update) throws GatewayError {
        return LegPlanner.plan(current, update, config(profile), () -> "fresh" + (current.isPresent() ? "2" : "1"));
    }

    @Test
    @Tag("GW-6")
    void localPathChooseMakesTheLegAwareAndTheAnswerCarriesOurOwnUriWithAFreshSessionId() throws Exception {
        TerminationUpdate update = update(sdp("TCP/TLS/MSRP", "$", "$", "setup:passive", "fingerprint:$", "path:$", "accept-types:text/plain"),
                sdp("TCP/TLS/MSRP", "192.0.2.7", "9", "setup:active", "fingerprint:" + UE_FINGERPRINT, "path:" + RELAY_PATH + " " + UE_PATH));
        LegPlan plan = aware(Optional.empty(), new ImsAgwProfile(), update).plan();
        assertThat(plan.msrpAware()).hasValueSatisfying(msrp -> {
            assertThat(msrp.sessionId()).isEqualTo("fresh1");
            // RFC 4975 8.1: relays first, the peer last, in the order announced
            assertThat(msrp.peerPath()).extracting(Object::toString).containsExactly(RELAY_PATH, UE_PATH);
        });
        assertThat(plan.complete()).isTrue();
        String answer = LocalAnswer.write(plan, update.localSdp().orElseThrow(), LOOPBACK, 20005, Optional.empty(), UnaryOperator.identity());
        // msrps on a TLS leg (RFC 4975 6), the termination's own address and port, one URI: the gateway is the peer's last hop
        assertThat(answer).contains("a=path:msrps://127.0.0.1:20005/fresh1;tcp").doesNotContain("a=path:$").contains("a=accept-types:text/plain");
    }

    @Test
    @Tag("GW-6")
    void anAwareLegKeepsItsSessionIdAcrossModifiesAndWaitsForThePeersPath() throws Exception {
        LegPlan offered = aware(Optional.empty(), new ImsAgwProfile(), update(sdp("TCP/MSRP", "$", "$", "setup:actpass", "path:$"), null)).plan();
        assertThat(offered.msrpAware().orElseThrow().peerPath()).isEmpty();
        assertThat(LegPlanner.plan(Optional.of(offered), update(sdp("TCP/MSRP", "$", "$", "setup:active", "path:$"), null), config(new ImsAgwProfile()))
                .plan().complete()).as("no peer path yet: an aware leg cannot rewrite").isFalse();
        LegPlan answered = aware(Optional.of(offered), new ImsAgwProfile(), update(null, sdp("TCP/MSRP", "192.0.2.9", "5000", "setup:passive",
                "path:" + UE_PATH))).plan();
        assertThat(answered.msrpAware().orElseThrow().sessionId()).isEqualTo("fresh1"); // the URI the peer was told stays ours
        assertThat(answered.msrpAware().orElseThrow().peerPath()).extracting(Object::toString).containsExactly(UE_PATH);
        assertThat(answered.complete()).isTrue();
        LegPlan agnostic = aware(Optional.of(answered), new ImsAgwProfile(), update(sdp("TCP/MSRP", "$", "$", "setup:active"), null)).plan();
        assertThat(agnostic.msrpAware()).as("a Local restated without a=path:$ is agnostic").isEmpty();
        String answer = LocalAnswer.write(agnostic, sdp("TCP/MSRP", "$", "$", "setup:active", "path:" + UE_PATH), LOOPBACK, 20006, Optional.empty(),
                UnaryOperator.identity());
        assertThat(answer).as("an agnostic leg's a=path is the MGC's, untouched").contains("a=path:" + UE_PATH);
    }

    @Test
    @Tag("GW-6")
    void theAwareModeIsRefusedWhereMsrpCannotBeParsedOrThePathIsNotMsrp() {
        // e2e TLS relayed untouched (TrGW): no key, no MSRP to rewrite
        assertThat(refusal(new TrgwProfile(), update(sdp("TCP/TLS/MSRP", "$", "$", "path:$"), null)).code())
                .isEqualTo(ErrorCode.UNSUPPORTED_PARAMETER_OR_PROPERTY_VALUE.code());
        assertThat(refusal(new ImsAgwProfile(), update(sdp("TCP/BFCP", "$", "$", "path:$"), null)).code())
                .isEqualTo(ErrorCode.UNSUPPORTED_PARAMETER_OR_PROPERTY_VALUE.code());
        assertThat(refusal(new ImsAgwProfile(), update(sdp("TCP/MSRP", "$", "$", "path:$"), sdp("TCP/MSRP", "192.0.2.9", "5000", "path:msrp:broken")))
                .code()).isEqualTo(ErrorCode.UNSUPPORTED_PARAMETER_OR_PROPERTY_VALUE.code());
    }

    @Test
    @Tag("GW-6")
    void withoutPathChooseTheLegStaysAgnosticAsEver() throws Exception {
        LegPlan plan = plan(new TrgwProfile(), update(sdp("TCP/TLS/MSRP", "$", "$"), sdp("TCP/TLS/MSRP", "192.0.2.7", "9", "path:" + UE_PATH)));
        assertThat(plan.msrpAware()).isEmpty();
    }
}
