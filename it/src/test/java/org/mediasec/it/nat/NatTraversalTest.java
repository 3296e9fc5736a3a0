package org.mediasec.it.nat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.mediasec.bearer.tls.CertificateFingerprint;
import org.mediasec.bearer.tls.SelfSignedCertificate;
import org.mediasec.h248.message.ActionReply;
import org.mediasec.h248.message.CommandReply;
import org.mediasec.h248.message.ContextId;
import org.mediasec.it.control.GatewayProcess;
import org.mediasec.it.control.TestMgc;
import org.mediasec.testsupport.RequiresPeer;
import org.mediasec.testsupport.WireTest;

/**
 * TCP NAT traversal through a real NAT (TR 29.828 4.4.2.2, 4.4.2.3): a {@code mediasec gateway} process in its own
 * network namespace, a UE behind an nftables masquerade ({@link NatTopology}), the core beside the gateway; the UE, the
 * core and an attacker are socat processes in their namespaces ({@link Bridge}). Latching (TCP-6) by address through
 * a NAT that rewrites ports, and onto any source with TLS still checked (TLS-4); delayed establishment (TCP-4); TCP
 * merge with a UE that can only connect out (TCP-5). tshark on the router's sides shows what the NAT did.
 */
@Timeout(240)
@RequiresPeer(command = "ip", debianPackage = "iproute2")
@RequiresPeer(command = "nft", debianPackage = "nftables")
@RequiresPeer(command = "socat", debianPackage = "socat")
@RequiresPeer(command = "dumpcap", debianPackage = "wireshark-common")
@RequiresPeer(command = "tshark", debianPackage = "tshark")
class NatTraversalTest {

    private static final int CORE_PORT = 7000;
    private static final int METRICS_PORT = 9464;
    private static final String REFUSED = "mediasec_bearer_connections_refused_total";
    private static final Duration WITHIN = Duration.ofSeconds(15);
    /** How long "nothing happens" is watched for. */
    private static final Duration QUIET = Duration.ofSeconds(2);
    private static final Pattern LATCHED = Pattern.compile("latched onto /([0-9.]+):(\\d+)");

    @TempDir
    Path dir;
    private NatTopology network;
    private TestMgc mgc;
    private GatewayProcess gateway;
    private InetSocketAddress control;

    @AfterEach
    void tearDown() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
        if (mgc != null) {
            mgc.close();
        }
        if (network != null) {
            network.close();
        }
    }

    /** The network, an MGC in this JVM's namespace and a registered gateway in the gateway's. */
    private void start(NatTopology.Nat nat) throws Exception {
        Optional<String> unavailable = NatTopology.unavailable();
        if (unavailable.isPresent() && "true".equals(System.getenv("CI"))) {
            throw new AssertionError("CI must run the namespace tests: " + unavailable.get());
        }
        assumeTrue(unavailable.isEmpty(), () -> "skipped: " + unavailable.orElse(""));
        network = NatTopology.create(nat);
        mgc = TestMgc.udp(InetAddress.getByName(NatTopology.MANAGEMENT_HERE), 0);
        String yaml = """
                profile: ims-agw
                control: { address: %s, port: 2944, transport: udp, version: 3 }
                mgcs: ["%s:%d"]
                realms:
                  - { name: access, address: %s, ports: 31000-31099 }
                metrics: { address: %s, port: %d }
                # no UE follows an impostor here: a failed handshake releases the pair after a 1 s connect window
                limits: { passiveWindowSeconds: 1 }
                """.formatted(NatTopology.MANAGEMENT_GATEWAY, NatTopology.MANAGEMENT_HERE, mgc.address().getPort(), NatTopology.GATEWAY_ADDRESS,
                NatTopology.MANAGEMENT_GATEWAY, METRICS_PORT);
        gateway = GatewayProcess.start(dir, "agw", yaml, List.of("ip", "netns", "exec", network.gateway()));
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> !mgc.registrations().isEmpty());
        control = new InetSocketAddress(NatTopology.MANAGEMENT_GATEWAY, 2944);
    }

    private ActionReply send(String actions) throws Exception {
        ActionReply reply = mgc.send(control, "MEGACO/3 [10.9.0.1]:" + mgc.address().getPort() + "\nTransaction = 1 {\n" + actions + "\n}\n")
                .actions().get(0);
        assertThat(reply.error()).isEmpty();
        return reply;
    }

    private double refused() throws Exception {
        return GatewayProcess.metric(NatTopology.MANAGEMENT_GATEWAY, METRICS_PORT, REFUSED);
    }

    /** An access leg facing the UE: its LocalControl items, our a=setup, and the Remote SDP. */
    private static String access(String transport, String items, String setup, String remote) {
        return """
                  Add = ip/$ { Media { Stream = 1 { LocalControl { Mode = SendReceive%s },
                      Local {
                v=0
                c=IN IP4 $
                m=message $ %s *
                a=setup:%s%s
                      },
                      Remote {
                %s
                      } } },
                    Events = 2001 { tcpbcc/fail, tlsbsc/fail } }""".formatted(items, transport, setup, transport.contains("TLS") ? "\na=fingerprint:$" : "",
                remote.strip());
    }

    /** The core leg: the gateway connects to the core's socat on 10.2.0.3:7000. */
    private static String core(String items) {
        return core(items, CORE_PORT);
    }

    /** The core leg, to the core's socat on 10.2.0.3:{@code port}. */
    private static String core(String items, int port) {
        return """
                  Add = ip/$ { Media { Stream = 1 { LocalControl { Mode = SendReceive%s },
                      Local {
                v=0
                c=IN IP4 $
                m=message $ TCP/MSRP *
                a=setup:active
                      },
                      Remote {
                v=0
                c=IN IP4 %s
                m=message %d TCP/MSRP *
                a=setup:passive
                      } } } }""".formatted(items, NatTopology.CORE_ADDRESS, port);
    }

    private static int port(CommandReply reply) {
        String sdp = ((CommandReply.AmmsReply) reply).localSdp(1).orElseThrow();
        return Integer.parseInt(sdp.lines().filter(l -> l.startsWith("m=")).findFirst().orElseThrow().split(" ")[1]);
    }

    private Bridge.Listening coreListening() throws Exception {
        return coreListening(CORE_PORT);
    }

    /** The core's socat, listening (ss says so) before the Add that makes the gateway connect to it. */
    private Bridge.Listening coreListening(int port) throws Exception {
        Bridge.Listening listening = Bridge.listen(network, network.gateway(), dir, "core" + port,
                "TCP-LISTEN:" + port + ",bind=" + NatTopology.CORE_ADDRESS + ",reuseaddr");
        Awaitility.await().atMost(WITHIN).until(() -> {
            Process ss = new ProcessBuilder("ip", "netns", "exec", network.gateway(), "ss", "-Hltn", "sport = :" + port).redirectErrorStream(true).start();
            String listeners = new String(ss.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return ss.waitFor(10, TimeUnit.SECONDS) && listeners.contains(NatTopology.CORE_ADDRESS + ":" + port);
        });
        return listening;
    }

    /** Bytes both ways between the UE and the core, end to end. */
    static void exchange(Bridge ue, Bridge core) throws Exception {
        ue.write("MSRP from the UE");
        assertThat(core.read(16, WITHIN)).isEqualTo("MSRP from the UE");
        core.write("MSRP from the core");
        assertThat(ue.read(18, WITHIN)).isEqualTo("MSRP from the core");
    }

    /** dumpcap on one side of the router, running once it says so. */
    private Path capture(boolean insideNat, String name) throws Exception {
        Path pcap = dir.resolve(name + ".pcap");
        network.capture(insideNat, pcap);
        Path log = pcap.resolveSibling(pcap.getFileName() + ".log");
        Awaitility.await().atMost(WITHIN).until(() -> Files.exists(log) && Files.readString(log).contains("Capturing on"));
        return pcap;
    }

    /** tshark's fields of the TCP packets in {@code pcap} that match {@code filter}, one line per packet. */
    static List<String> tshark(Path pcap, String filter, String... fields) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("tshark", "-r", pcap.toString(), "-o", "tcp.relative_sequence_numbers:FALSE", "-Y", filter,
                "-T", "fields", "-E", "separator=,"));
        for (String field : fields) {
            command.addAll(List.of("-e", field));
        }
        Process process = new ProcessBuilder(command).redirectErrorStream(false).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor(30, TimeUnit.SECONDS);
        return output.lines().filter(line -> !line.isBlank()).toList();
    }

    @Test
    @Tag("TCP-6")
    @Tag("TCP-9")
    @WireTest
    void aUeBehindAPortRewritingNatIsLatchedByAddressAndAnotherSourceIsRefused() throws Exception {
        start(NatTopology.Nat.PORTS_REWRITTEN);
        Path inside = capture(true, "inside");
        Path outside = capture(false, "outside");
        try (Bridge.Listening coreSide = coreListening()) {
            // the IMS-ALG saw the UE's SIP come from the NAT (10.2.0.1), not from the SDP's 10.1.0.2: it gives the
            // received-from address and asks for latching; the SDP port (5000) is the UE's, never its NAT's
            ActionReply added = send("Context = $ {\n" + access("TCP/MSRP", ", ipnapt/latch = ON", "passive",
                    "v=0\nc=IN IP4 " + NatTopology.ROUTER_OUTSIDE + "\nm=message 5000 TCP/MSRP *\na=setup:active") + ",\n" + core("") + "\n}");
            int accessPort = port(added.replies().get(0));
            try (Bridge core = coreSide.accept(WITHIN)) {
                // another host of the gateway's network is not the UE: refused (reset) and counted
                try (Bridge attacker = Bridge.connect(network, network.gateway(), dir, "attacker",
                        "TCP:" + NatTopology.GATEWAY_ADDRESS + ":" + accessPort + ",bind=" + NatTopology.CORE_ADDRESS)) {
                    assertThat(attacker.ends(WITHIN)).isTrue();
                }
                Awaitility.await().atMost(WITHIN).until(() -> refused() == 1);
                try (Bridge ue = Bridge.connect(network, network.ue(), dir, "ue", "TCP:" + NatTopology.GATEWAY_ADDRESS + ":" + accessPort)) {
                    exchange(ue, core);
                }
            }
            // the gateway latched onto the NAT's address and the port the NAT chose (40000-49999), not the SDP's
            Matcher latched = LATCHED.matcher(gateway.output());
            assertThat(latched.find()).as(gateway.output()).isTrue();
            assertThat(latched.group(1)).isEqualTo(NatTopology.ROUTER_OUTSIDE);
            int natPort = Integer.parseInt(latched.group(2));
            assertThat(natPort).isBetween(40000, 49999);
            // tshark: inside the NAT the UE's SYN comes from 10.1.0.2; outside, the same SYN from 10.2.0.1:natPort
            String syn = "tcp.flags.syn == 1 && tcp.flags.ack == 0 && tcp.dstport == " + accessPort;
            Awaitility.await().atMost(WITHIN).until(() -> !tshark(outside, syn + " && ip.src == " + NatTopology.ROUTER_OUTSIDE, "tcp.srcport").isEmpty());
            assertThat(tshark(inside, syn, "ip.src")).contains(NatTopology.UE_ADDRESS);
            assertThat(tshark(outside, syn + " && ip.src == " + NatTopology.ROUTER_OUTSIDE, "tcp.srcport")).contains(Integer.toString(natPort));
        }
        assertThat(refused()).isEqualTo(1);
    }

    @Test
    @Tag("TCP-6")
    @Tag("TLS-4")
    @WireTest
    void e2aeTlsThroughTheNatLatchesOntoAnySourceButStillHoldsThePeerToItsFingerprint() throws Exception {
        start(NatTopology.Nat.PORTS_REWRITTEN);
        SelfSignedCertificate ue = SelfSignedCertificate.generate("ue", Duration.ofDays(1));
        SelfSignedCertificate impostor = SelfSignedCertificate.generate("ue", Duration.ofDays(1));
        ue.write(dir.resolve("ue.pem"), dir.resolve("ue.key"));
        impostor.write(dir.resolve("impostor.pem"), dir.resolve("impostor.key"));
        // the IMS-ALG does not know the NAT's address: Remote has none, latching takes the first source SEC-2 allows
        String remote = "v=0\nc=IN IP4 $\nm=message $ TCP/TLS/MSRP *\na=setup:active\na=fingerprint:" + CertificateFingerprint.of("sha-256", ue.certificate());
        try (Bridge.Listening coreSide = coreListening()) {
            ActionReply first = send("Context = $ {\n" + access("TCP/TLS/MSRP", ", ipnapt/latch = ON", "passive", remote) + ",\n" + core("") + "\n}");
            int accessPort = port(first.replies().get(0));
            try (Bridge core = coreSide.accept(WITHIN)) {
                // SEC-2: the gateway's own address is no source to latch onto
                try (Bridge own = Bridge.connect(network, network.gateway(), dir, "own",
                        "TCP:" + NatTopology.GATEWAY_ADDRESS + ":" + accessPort + ",bind=" + NatTopology.GATEWAY_ADDRESS)) {
                    assertThat(own.ends(WITHIN)).isTrue();
                }
                Awaitility.await().atMost(WITHIN).until(() -> refused() == 1);
                // TLS-4: through the NAT, latched, but with another certificate: the handshake fails, nothing relayed
                try (Bridge wrong = Bridge.connect(network, network.ue(), dir, "impostor", "OPENSSL:" + NatTopology.GATEWAY_ADDRESS + ":" + accessPort
                        + ",cert=" + dir.resolve("impostor.pem") + ",key=" + dir.resolve("impostor.key") + ",verify=0")) {
                    wrong.write("MSRP from the impostor");
                    assertThat(wrong.ends(WITHIN)).isTrue();
                }
                Awaitility.await().atMost(WITHIN).until(() -> mgc.notifies().stream().anyMatch(n -> n.contains("tlsbsc") && n.contains("fail")));
                assertThat(core.ends(WITHIN)).as("the core leg closes with nothing relayed").isTrue();
            }
        }
        try (Bridge.Listening coreSide = coreListening(CORE_PORT + 1)) {
            ActionReply second = send("Context = $ {\n" + access("TCP/TLS/MSRP", ", ipnapt/latch = ON", "passive", remote) + ",\n" + core("", CORE_PORT + 1)
                    + "\n}");
            int accessPort = port(second.replies().get(0));
            try (Bridge core = coreSide.accept(WITHIN);
                    Bridge right = Bridge.connect(network, network.ue(), dir, "ue", "OPENSSL:" + NatTopology.GATEWAY_ADDRESS + ":" + accessPort
                            + ",cert=" + dir.resolve("ue.pem") + ",key=" + dir.resolve("ue.key") + ",verify=0")) {
                exchange(right, core);
            }
            assertThat(gateway.output()).containsPattern("latched onto /" + Pattern.quote(NatTopology.ROUTER_OUTSIDE) + ":4\\d{4}");
        }
    }

    @Test
    @Tag("TCP-4")
    @WireTest
    void aDelayedLegRefusesEvenTheUeThroughTheNatUntilTheModifyAndTheCoreLegWaitsForItsOwn() throws Exception {
        start(NatTopology.Nat.PORTS_KEPT);
        try (Bridge.Listening coreSide = coreListening()) {
            ActionReply added = send("Context = $ {\n" + access("TCP/MSRP", ", ipnapt/latch = ON, tcpbcc/delay = ON", "passive",
                    "v=0\nc=IN IP4 " + NatTopology.ROUTER_OUTSIDE + "\nm=message 5000 TCP/MSRP *\na=setup:active") + ",\n" + core(", tcpbcc/delay = ON")
                    + "\n}");
            long context = ((ContextId.Specific) added.contextId()).value();
            String accessId = added.replies().get(0).terminationId().toString();
            String coreId = added.replies().get(1).terminationId().toString();
            int accessPort = port(added.replies().get(0));
            // reserved, not open: the UE (the very source that would be latched) is refused and counted
            try (Bridge early = Bridge.connect(network, network.ue(), dir, "early", "TCP:" + NatTopology.GATEWAY_ADDRESS + ":" + accessPort)) {
                assertThat(early.ends(WITHIN)).isTrue();
            }
            Awaitility.await().atMost(WITHIN).until(() -> refused() == 1);
            assertThatThrownBy(() -> coreSide.accept(QUIET)).as("the delayed core leg connects nowhere").isInstanceOf(TimeoutException.class);
            send("Context = " + context + " { Modify = " + accessId + " { Signals { tcpbcc/estab } } }");
            try (Bridge ue = Bridge.connect(network, network.ue(), dir, "ue", "TCP:" + NatTopology.GATEWAY_ADDRESS + ":" + accessPort)) {
                ue.write("MSRP from the UE"); // held until the core leg is up (TLS-13's bound)
                assertThatThrownBy(() -> coreSide.accept(QUIET)).as("the core leg waits for its own signal").isInstanceOf(TimeoutException.class);
                send("Context = " + context + " { Modify = " + coreId + " { Signals { tcpbcc/estab } } }");
                try (Bridge core = coreSide.accept(WITHIN)) {
                    assertThat(core.read(16, WITHIN)).isEqualTo("MSRP from the UE");
                    core.write("MSRP from the core");
                    assertThat(ue.read(18, WITHIN)).isEqualTo("MSRP from the core");
                }
            }
        }
        assertThat(refused()).isEqualTo(1);
    }

    @Test
    @Tag("TCP-5")
    @WireTest
    void aUeThatCanOnlyConnectOutMeetsTheMergingGatewayInOneSimultaneousOpen() throws Exception {
        start(NatTopology.Nat.PORTS_KEPT);
        network.onlyOutgoing();
        Path outside = capture(false, "outside");
        int uePort = 45000; // the UE's SDP port, where it connects from; a home NAT keeps it
        try (Bridge.Listening coreSide = coreListening()) {
            ActionReply added = send("Context = $ {\n" + access("TCP/MSRP", ", tcpbcc/merge = ON", "passive",
                    "v=0\nc=IN IP4 " + NatTopology.ROUTER_OUTSIDE + "\nm=message " + uePort + " TCP/MSRP *\na=setup:active") + ",\n" + core("") + "\n}");
            int accessPort = port(added.replies().get(0));
            String gatewaySyn = "tcp.flags.syn == 1 && tcp.flags.ack == 0 && ip.src == " + NatTopology.GATEWAY_ADDRESS + " && tcp.srcport == " + accessPort
                    + " && tcp.dstport == " + uePort;
            // the gateway connects from its announced port; the UE's NAT drops it (no mapping yet)
            Awaitility.await().atMost(WITHIN).until(() -> !tshark(outside, gatewaySyn, "tcp.seq").isEmpty());
            try (Bridge core = coreSide.accept(WITHIN);
                    Bridge ue = Bridge.connect(network, network.ue(), dir, "ue",
                            "TCP:" + NatTopology.GATEWAY_ADDRESS + ":" + accessPort + ",sourceport=" + uePort + ",reuseaddr")) {
                exchange(ue, core);
            }
            // RFC 793 3.4: the gateway answered the UE's SYN with SYN-ACK from the socket that sent its own SYN (same
            // initial sequence number): one connection, opened by both at once; the listener accepted nothing
            String gatewaySynAck = "tcp.flags.syn == 1 && tcp.flags.ack == 1 && ip.src == " + NatTopology.GATEWAY_ADDRESS + " && tcp.srcport == "
                    + accessPort;
            Awaitility.await().atMost(WITHIN).until(() -> !tshark(outside, gatewaySynAck, "tcp.seq").isEmpty());
            List<String> synSequence = tshark(outside, gatewaySyn, "tcp.seq");
            List<String> synAckSequence = tshark(outside, gatewaySynAck, "tcp.seq");
            assertThat(synAckSequence).hasSize(1);
            assertThat(synSequence).contains(synAckSequence.get(0));
        }
        assertThat(refused()).isZero();
    }
}
