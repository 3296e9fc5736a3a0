package org.mediasec.it.controller;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mediasec.app.demo.DemoNetwork;
import org.mediasec.app.demo.ScenarioResult;
import org.mediasec.app.demo.Scenarios;
import org.mediasec.app.ue.UeOptions;
import org.mediasec.app.ue.UeTrace;
import org.mediasec.app.ue.UserEquipment;
import org.mediasec.controller.alg.CallProcedures;
import org.mediasec.controller.alg.Party;
import org.mediasec.sdp.MediaDescription;
import org.mediasec.testsupport.WireTest;

/**
 * The controller with real gateway processes beyond the demo's scenarios: BFCP e2ae, a gateway that reboots during
 * a call, two gateways behind one controller.
 */
class ControllerNetworkTest {

    /** A BFCP Hello (RFC 8855 5.1: version 1 over TCP, primitive 11, no attributes; conference 1, transaction 1, user 1). */
    private static final byte[] HELLO = HexFormat.of().parseHex("200b0000000000010001" + "0001");

    @Test
    @Tag("CTRL-3")
    @WireTest
    void bfcpE2aeIsTlsTowardsTheUeAndTcpTowardsTheCore(@TempDir Path directory) throws Exception {
        try (DemoNetwork network = DemoNetwork.start(directory, 1, Duration.ofSeconds(30));
                UserEquipment a = new UserEquipment(UeOptions.msrp("alice", true, true).withApplication("BFCP"), UeTrace.NONE);
                UserEquipment b = new UserEquipment(UeOptions.msrp("floor-server", false, false).withApplication("BFCP"), UeTrace.NONE)) {
            Calls.Call call = Calls.connect(network.alg(), "bfcp-1", a, Party.accessUe(true), b, Party.core());
            MediaDescription towardsCore = call.offerToB().media().get(0);
            MediaDescription towardsUe = call.answerToA().media().get(0);
            assertThat(towardsCore.transport().token()).isEqualTo("TCP/BFCP");
            assertThat(towardsCore.fingerprints()).isEmpty();
            assertThat(towardsUe.transport().token()).isEqualTo("TCP/TLS/BFCP");
            assertThat(towardsUe.e2aeIndicator()).contains("applied");
            assertThat(towardsUe.floorControl()).isNotEmpty(); // everything else passes unchanged
            a.sendRaw(HELLO);
            assertThat(b.awaitRaw(HELLO.length, Duration.ofSeconds(10))).isEqualTo(HELLO);
            b.sendRaw(HELLO);
            assertThat(a.awaitRaw(HELLO.length, Duration.ofSeconds(10))).isEqualTo(HELLO);
            network.alg().onRelease(call.id()).get(10, TimeUnit.SECONDS);
            a.closed().get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    @Tag("GW-3") @Tag("E2E-8")
    @WireTest
    void theIbcfRelaysEndToEndTlsAndPlainTcpThroughATrgw(@TempDir Path directory) throws Exception {
        try (DemoNetwork network = DemoNetwork.start(directory, java.util.List.of("trgw"), Duration.ofSeconds(30));
                UserEquipment a = new UserEquipment(UeOptions.msrp("alice", true, false), UeTrace.NONE);
                UserEquipment b = new UserEquipment(UeOptions.msrp("bob", true, false), UeTrace.NONE);
                UserEquipment c = new UserEquipment(UeOptions.msrp("carol", false, false), UeTrace.NONE);
                UserEquipment d = new UserEquipment(UeOptions.msrp("dave", false, false), UeTrace.NONE)) {
            CallProcedures ibcf = CallProcedures.ibcf(network.controller(), DemoNetwork.BORDER_REALM, (id, reason) -> { });
            Calls.Call tls = Calls.connect(ibcf, "e2e-tls", a, Party.core(), b, Party.core());
            // e2e: each UE checked the other's own certificate through the TrGW, whose address is all that changed
            assertThat(tls.offerToB().media().get(0).fingerprints()).containsExactly(a.fingerprint());
            assertThat(tls.answerToA().media().get(0).fingerprints()).containsExactly(b.fingerprint());
            assertThat(tls.offerToB().media().get(0).mediaLine().port()).isNotEqualTo(String.valueOf(a.port()));
            Calls.Call tcp = Calls.connect(ibcf, "plain-tcp", c, Party.core(), d, Party.core());
            a.sendText("e2e through the TrGW").get(10, TimeUnit.SECONDS);
            c.sendText("plain through the TrGW").get(10, TimeUnit.SECONDS);
            assertThat(b.awaitMessages(1, Duration.ofSeconds(10)).get(0).text()).isEqualTo("e2e through the TrGW");
            assertThat(d.awaitMessages(1, Duration.ofSeconds(10)).get(0).text()).isEqualTo("plain through the TrGW");
            ibcf.onRelease(tls.id()).get(10, TimeUnit.SECONDS);
            ibcf.onRelease(tcp.id()).get(10, TimeUnit.SECONDS);
            assertThat(network.alg().gatewayOf("e2e-tls")).isEmpty();
        }
    }

    @Test
    void aGatewayRestartReleasesItsCallsAndTheNextCallWorks(@TempDir Path directory) throws Exception {
        try (DemoNetwork network = DemoNetwork.start(directory, 1, Duration.ofSeconds(30));
                UserEquipment a = new UserEquipment(UeOptions.msrp("alice", true, true), UeTrace.NONE);
                UserEquipment b = new UserEquipment(UeOptions.msrp("bob", false, false), UeTrace.NONE)) {
            Calls.Call call = Calls.connect(network.alg(), "before-restart", a, Party.accessUe(true), b, Party.core());
            a.sendText("before the reboot").get(10, TimeUnit.SECONDS);
            network.gateways().get(0).restart();
            // the gateway comes back with ServiceChange Restart: the controller forgets its contexts, the SIP side hears why
            String reason = network.release(call.id()).get(30, TimeUnit.SECONDS);
            assertThat(reason).contains("restarted");
            assertThat(network.alg().calls()).isZero();
            assertThat(network.controller().gateways().get(0).load()).isZero();
            a.closed().get(10, TimeUnit.SECONDS);
            ScenarioResult next = new Scenarios(network).run(1);
            assertThat(next.passed()).as(next.ladderText() + next.checks()).isTrue();
        }
    }

    @Test
    void twoGatewaysBehindOneControllerShareTheCalls(@TempDir Path directory) throws Exception {
        try (DemoNetwork network = DemoNetwork.start(directory, 2, Duration.ofSeconds(40));
                UserEquipment a1 = new UserEquipment(UeOptions.msrp("alice", true, true), UeTrace.NONE);
                UserEquipment b1 = new UserEquipment(UeOptions.msrp("bob", false, false), UeTrace.NONE);
                UserEquipment a2 = new UserEquipment(UeOptions.msrp("carol", true, true), UeTrace.NONE);
                UserEquipment b2 = new UserEquipment(UeOptions.msrp("dave", false, false), UeTrace.NONE)) {
            Calls.Call first = Calls.connect(network.alg(), "first", a1, Party.accessUe(true), b1, Party.core());
            Calls.Call second = Calls.connect(network.alg(), "second", a2, Party.accessUe(true), b2, Party.core());
            String firstGateway = network.alg().gatewayOf(first.id()).orElseThrow().name();
            String secondGateway = network.alg().gatewayOf(second.id()).orElseThrow().name();
            assertThat(firstGateway).isNotEqualTo(secondGateway); // the least loaded gateway of the realm takes the next call
            a1.sendText("via " + firstGateway).get(10, TimeUnit.SECONDS);
            a2.sendText("via " + secondGateway).get(10, TimeUnit.SECONDS);
            assertThat(b1.awaitMessages(1, Duration.ofSeconds(10)).get(0).text()).isEqualTo("via " + firstGateway);
            assertThat(b2.awaitMessages(1, Duration.ofSeconds(10)).get(0).text()).isEqualTo("via " + secondGateway);
            network.alg().onRelease(first.id()).get(10, TimeUnit.SECONDS);
            network.alg().onRelease(second.id()).get(10, TimeUnit.SECONDS);
            assertThat(network.controller().gateways()).allSatisfy(gateway -> assertThat(gateway.load()).isZero());
        }
    }
}
