package org.mediasec.it.nat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.mediasec.app.demo.ControllerProcess;
import org.mediasec.it.control.GatewayProcess;
import org.mediasec.it.sip.NgProbe;
import org.mediasec.ng.message.NgParameters;
import org.mediasec.ng.message.NgReply;
import org.mediasec.ng.message.NgRequest;
import org.mediasec.ng.message.ReceivedFrom;
import org.mediasec.sdp.MediaDescription;
import org.mediasec.sdp.SdpParser;
import org.mediasec.sdp.SessionDescription;
import org.mediasec.testsupport.RequiresPeer;
import org.mediasec.testsupport.WireTest;

/**
 * TCP merge (TCP-5) chosen by the IMS-ALG, through a real NAT: the {@code mediasec controller} process in this JVM's
 * namespace, configured to merge for the access network behind the NAT, gets an ng offer (the test as the SIP proxy)
 * whose {@code received-from} (the NAT's outside address) differs from the SDP's {@code c=} (the UE's private one),
 * and drives the {@code mediasec gateway} process in its namespace over the management link ({@link NatTopology}).
 * The UE behind the nftables masquerade can only connect out (the router drops every SYN from outside): it meets the
 * gateway's own connection attempt in one simultaneously opened TCP connection, while the core leg waits for it (TCP-4).
 */
@Timeout(240)
@RequiresPeer(command = "ip", debianPackage = "iproute2")
@RequiresPeer(command = "nft", debianPackage = "nftables")
@RequiresPeer(command = "socat", debianPackage = "socat")
@RequiresPeer(command = "dumpcap", debianPackage = "wireshark-common")
@RequiresPeer(command = "tshark", debianPackage = "tshark")
class MergeChosenByTheControllerTest {

    private static final int CORE_PORT = 7000;
    /** The UE's SDP port, where it listens and connects from; a home NAT keeps it. */
    private static final int UE_PORT = 45000;
    private static final Duration WITHIN = Duration.ofSeconds(15);
    /** How long "nothing happens" is watched for. */
    private static final Duration QUIET = Duration.ofSeconds(2);

    @TempDir
    Path dir;
    private NatTopology network;
    private ControllerProcess controller;
    private GatewayProcess gateway;
    private NgProbe ng;

    @AfterEach
    void tearDown() throws Exception {
        if (ng != null) {
            ng.close();
        }
        if (gateway != null) {
            gateway.close();
        }
        if (controller != null) {
            controller.close();
        }
        if (network != null) {
            network.close();
        }
    }

    @Test
    @Tag("TCP-5")
    @Tag("TCP-4")
    @WireTest
    void theControllerChoosesMergeForAUeBehindTheNatAndItsOutgoingConnectionMeetsTheGatewaysInOneSimultaneousOpen() throws Exception {
        Optional<String> unavailable = NatTopology.unavailable();
        if (unavailable.isPresent() && "true".equals(System.getenv("CI"))) {
            throw new AssertionError("CI must run the namespace tests: " + unavailable.get());
        }
        assumeTrue(unavailable.isEmpty(), () -> "skipped: " + unavailable.orElse(""));
        network = NatTopology.create(NatTopology.Nat.PORTS_KEPT);
        network.onlyOutgoing();
        controller = ControllerProcess.prepare("controller", dir, NatTopology.MANAGEMENT_HERE);
        String yaml = """
                profile: ims-agw
                control: { address: %s, port: 2944, transport: udp, version: 3 }
                mgcs: ["%s:%d"]
                realms:
                  - { name: access, address: %s, ports: 31000-31099 }
                # the merge window: the gateway keeps trying while the test watches its first SYN and the core leg wait
                limits: { connectTimeoutSeconds: 30 }
                """.formatted(NatTopology.MANAGEMENT_GATEWAY, NatTopology.MANAGEMENT_HERE, controller.h248Port(), NatTopology.GATEWAY_ADDRESS);
        gateway = GatewayProcess.start(dir, "agw", yaml, List.of("ip", "netns", "exec", network.gateway()));
        // the UEs whose SIP comes from the NAT's outside network merge; any other UE behind a NAT would be latched
        controller.start(List.of(new ControllerProcess.Gateway("agw", NatTopology.MANAGEMENT_GATEWAY, 2944)), """
                natTraversal:
                  mode: latch
                  accessNetworks:
                    - { name: behind-the-router, from: ["%s/24"], mode: merge }
                """.formatted(NatTopology.ROUTER_OUTSIDE));
        controller.awaitRegistrations(1);
        ng = new NgProbe(controller.ng());
        Path outside = capture();

        try (Bridge.Listening coreSide = coreListening()) {
            // UE-A offers actpass on its port (it can connect out from there); its SIP came from the NAT's address
            NgReply offered = ng.request(new NgRequest.Offer(NgParameters.builder().callId("merge").fromTag("ue-a").viaBranch("z9hG4bK-m")
                    .direction(List.of("access", "core")).receivedFrom(new ReceivedFrom(ReceivedFrom.IP4, NatTopology.ROUTER_OUTSIDE))
                    .sdp(sdp("ue-a", NatTopology.UE_ADDRESS, UE_PORT, "actpass")).build()));
            assertThat(offered).isInstanceOf(NgReply.Ok.class);
            // the core answers listening: the gateway connects to it, once the UE's leg is through
            NgReply answered = ng.request(new NgRequest.Answer(NgParameters.builder().callId("merge").fromTag("ue-a").toTag("core")
                    .viaBranch("z9hG4bK-m").sdp(sdp("core", NatTopology.CORE_ADDRESS, CORE_PORT, "passive")).build()));
            assertThat(answered).isInstanceOf(NgReply.Ok.class);
            SessionDescription answerToUe = SdpParser.parse(((NgReply.Ok) answered).sdp().orElseThrow());
            MediaDescription media = answerToUe.media().get(0);
            assertThat(media.setup().orElseThrow().token()).as("the UE is told to connect").isEqualTo("passive");
            int accessPort = media.mediaLine().portNumber().orElseThrow();

            // TCP-5: the gateway connects from its announced port to the NAT's address and the UE's SDP port (the
            // controller gave it received-from, not the SDP's 10.1.0.2); the NAT drops it (no mapping yet)
            String gatewaySyn = "tcp.flags.syn == 1 && tcp.flags.ack == 0 && ip.src == " + NatTopology.GATEWAY_ADDRESS + " && tcp.srcport == " + accessPort
                    + " && ip.dst == " + NatTopology.ROUTER_OUTSIDE + " && tcp.dstport == " + UE_PORT;
            Awaitility.await().atMost(WITHIN).until(() -> !NatTraversalTest.tshark(outside, gatewaySyn, "tcp.seq").isEmpty());
            // TCP-4: the core leg waits for the UE's (TR 29.828 4.4.2.2 NOTE 3)
            assertThatThrownBy(() -> coreSide.accept(QUIET)).as("the delayed core leg connects nowhere yet").isInstanceOf(TimeoutException.class);
            try (Bridge ue = Bridge.connect(network, network.ue(), dir, "ue",
                    "TCP:" + NatTopology.GATEWAY_ADDRESS + ":" + accessPort + ",sourceport=" + UE_PORT + ",reuseaddr");
                    Bridge core = coreSide.accept(WITHIN)) {
                NatTraversalTest.exchange(ue, core);
            }
            // RFC 793 3.4: the gateway answered the UE's SYN with a SYN-ACK from the socket that sent its own SYN (the same
            // initial sequence number): one connection, opened by both at once
            String gatewaySynAck = "tcp.flags.syn == 1 && tcp.flags.ack == 1 && ip.src == " + NatTopology.GATEWAY_ADDRESS + " && tcp.srcport == "
                    + accessPort;
            Awaitility.await().atMost(WITHIN).until(() -> !NatTraversalTest.tshark(outside, gatewaySynAck, "tcp.seq").isEmpty());
            List<String> synAckSequence = NatTraversalTest.tshark(outside, gatewaySynAck, "tcp.seq");
            assertThat(synAckSequence).hasSize(1);
            assertThat(NatTraversalTest.tshark(outside, gatewaySyn, "tcp.seq")).contains(synAckSequence.get(0));
        }
    }

    /** An MSRP m-line of {@code name} at {@code address}:{@code port} with {@code setup}. */
    private static String sdp(String name, String address, int port, String setup) {
        return "v=0\r\no=" + name + " 1 1 IN IP4 " + address + "\r\ns=-\r\nc=IN IP4 " + address + "\r\nt=0 0\r\n"
                + "m=message " + port + " TCP/MSRP *\r\na=setup:" + setup + "\r\na=accept-types:text/plain\r\na=path:msrp://" + address + ":" + port + "/"
                + name + ";tcp\r\n";
    }

    /** The core's socat, listening (ss says so) before the answer that lets the gateway connect to it. */
    private Bridge.Listening coreListening() throws Exception {
        Bridge.Listening listening = Bridge.listen(network, network.gateway(), dir, "core", "TCP-LISTEN:" + CORE_PORT + ",bind=" + NatTopology.CORE_ADDRESS
                + ",reuseaddr");
        Awaitility.await().atMost(WITHIN).until(() -> {
            Process ss = new ProcessBuilder("ip", "netns", "exec", network.gateway(), "ss", "-Hltn", "sport = :" + CORE_PORT).redirectErrorStream(true).start();
            String listeners = new String(ss.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return ss.waitFor(10, TimeUnit.SECONDS) && listeners.contains(NatTopology.CORE_ADDRESS + ":" + CORE_PORT);
        });
        return listening;
    }

    /** dumpcap on the router's outside, running once it says so. */
    private Path capture() throws Exception {
        Path pcap = dir.resolve("outside.pcap");
        network.capture(false, pcap);
        Path log = pcap.resolveSibling(pcap.getFileName() + ".log");
        Awaitility.await().atMost(WITHIN).until(() -> Files.exists(log) && Files.readString(log).contains("Capturing on"));
        return pcap;
    }
}
