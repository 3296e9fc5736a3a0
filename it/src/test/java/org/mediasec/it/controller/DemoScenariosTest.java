package org.mediasec.it.controller;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mediasec.app.demo.DemoNetwork;
import org.mediasec.app.demo.ScenarioResult;
import org.mediasec.app.demo.Scenarios;
import org.mediasec.testsupport.RequiresPeer;
import org.mediasec.testsupport.WireTest;

/**
 * The demo's scenarios 1-4 and 8 (MSRP-aware), each a test: the IMS-ALG (controller, in this JVM) drives a real {@code mediasec
 * gateway} process over H.248/UDP; simulated UEs connect to it over real TCP and TLS and chat in MSRP. Captures of
 * the UEs' connections go through tshark: MSRP in clear on the core side, nothing but TLS on the access side.
 */
@RequiresPeer(command = "tshark", debianPackage = "tshark")
class DemoScenariosTest {

    @TempDir
    static Path directory;

    private static DemoNetwork network;
    private static Scenarios scenarios;

    @BeforeAll
    static void start() throws Exception {
        network = DemoNetwork.start(directory, 1, Duration.ofSeconds(30));
        scenarios = new Scenarios(network);
    }

    @AfterAll
    static void stop() throws Exception {
        if (network != null) {
            network.close();
        }
    }

    private static ScenarioResult run(int number) {
        ScenarioResult result = scenarios.run(number);
        assertThat(result.checks()).as(result.ladderText()).allSatisfy(check -> assertThat(check.passed()).as(check.what()).isTrue());
        assertThat(result.passed()).isTrue();
        return result;
    }

    @Test
    @Tag("CTRL-1") @Tag("GW-1")
    @WireTest
    void e2aeFromTheUeTlsTowardsTheUeTcpTowardsTheCore() throws Exception {
        ScenarioResult result = run(1);
        // the ladder draws the roles (UE-A connects, the gateway connects to UE-B); RolesOnTheWireTest proves them on
        // the sockets (CTRL-5, CTRL-6, TCP-7)
        assertThat(result.ladderText()).containsPattern("SDP answer: TCP/MSRP port \\d+, setup:passive")
                .containsPattern("SDP answer: TCP/TLS/MSRP port \\d+, setup:passive");
        assertThat(result.ladderText()).contains("3ge2ae:applied").contains("Add ip/$ (TCP/TLS/MSRP, peer fingerprint), Add ip/$ (TCP/MSRP)");
        var wires = scenarios.wires();
        Path core = UeWire.pcap(directory.resolve("e2ae-core-side.pcap"), wires.get(DemoNetwork.UE_B));
        assertThat(UeWire.frames(core, "msrp", "msrp")).as("MSRP frames on the core side").isGreaterThan(10);
        assertThat(UeWire.frames(core, "msrp", "_ws.malformed || _ws.expert.severity == error")).as("malformed on the core side").isZero();
        Path access = UeWire.pcap(directory.resolve("e2ae-access-side.pcap"), wires.get(DemoNetwork.UE_A));
        assertThat(UeWire.frames(access, "tls", "tls")).as("TLS records on the access side").isGreaterThan(10);
        assertThat(UeWire.frames(access, "msrp", "msrp")).as("MSRP in clear on the access side").isZero();
    }

    @Test
    @Tag("GW-2") @Tag("CTRL-2")
    @WireTest
    void e2aeOnBothSidesTwoIndependentTlsSessions() {
        run(2);
    }

    @Test
    @Tag("CTRL-4") @Tag("GW-3") @Tag("E2E-8")
    @WireTest
    void endToEndTlsIsRelayedUntouched() throws Exception {
        run(3);
        var wires = scenarios.wires();
        // the core side of an e2e call carries the UEs' own TLS: no MSRP in clear there either
        Path core = UeWire.pcap(directory.resolve("e2e-core-side.pcap"), wires.get(DemoNetwork.UE_B));
        assertThat(UeWire.frames(core, "tls", "tls")).isGreaterThan(5);
        assertThat(UeWire.frames(core, "msrp", "msrp")).isZero();
    }

    @Test
    @Tag("TLS-4")
    @WireTest
    void aCertificateThatDoesNotMatchItsFingerprintIsRefusedAndTheCallReleased() {
        ScenarioResult result = run(4);
        assertThat(result.ladderText()).contains("tlsbsc/fail").contains("released by the media plane");
    }

    @Test
    @Tag("GW-6")
    @WireTest
    void aStrictRfc4975UeBehindTheGatewayTalksThroughTheMsrpAwareRewriting() throws Exception {
        ScenarioResult result = run(Scenarios.AWARE);
        // the strict UE-A answers 481 to a To-Path not its own: run() saw both messages arrive, so the paths were rewritten
        assertThat(result.ladderText()).contains("MSRP-aware").contains("received To-Path msrps://");
        Path core = UeWire.pcap(directory.resolve("aware-core-side.pcap"), scenarios.wires().get(DemoNetwork.UE_B));
        assertThat(UeWire.frames(core, "msrp", "msrp")).as("MSRP frames on the core side").isGreaterThan(2);
        assertThat(UeWire.frames(core, "msrp", "msrp.status.code == 481")).as("no 481 on the core side").isZero();
        assertThat(UeWire.frames(core, "msrp", "_ws.malformed || _ws.expert.severity == error")).as("malformed on the core side").isZero();
    }
}
