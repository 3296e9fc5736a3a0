package org.mediasec.it.nat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.mediasec.h248.message.ActionReply;
import org.mediasec.it.control.GatewayProcess;
import org.mediasec.it.control.TestMgc;
import org.mediasec.testsupport.RequiresPeer;
import org.mediasec.testsupport.WireTest;

/**
 * SEC-2 on a real {@code mediasec gateway} process whose realm is not loopback (its own network namespace, see
 * {@link NatTopology}), on its default configuration: an MGC — or an attacker who can put SDP in front of it — asks
 * for bearers towards the host's loopback, a link-local metadata address, the gateway's own addresses, multicast; each
 * is refused with its H.248.8 error, and nothing is opened. An ordinary address of the network is accepted.
 */
@Timeout(180)
@RequiresPeer(command = "ip", debianPackage = "iproute2")
@RequiresPeer(command = "nft", debianPackage = "nftables")
class RemoteAddressAttackTest {

    @TempDir
    Path dir;

    private static String add(String address, int port) {
        return """
                MEGACO/3 [10.9.0.1]:%d
                Transaction = 1 { Context = $ { Add = ip/$ { Media { Stream = 1 {
                      Local {
                v=0
                c=IN IP4 $
                m=message $ TCP/MSRP *
                      },
                      Remote {
                v=0
                c=IN IP4 %s
                m=message %d TCP/MSRP *
                a=setup:passive
                      } } } } } }
                """.formatted(port, address, port);
    }

    @Test
    @Tag("SEC-2")
    @WireTest
    void aRemoteTowardsLoopbackLinkLocalOrTheGatewayItselfIsRefusedAndOpensNothing() throws Exception {
        Optional<String> unavailable = NatTopology.unavailable();
        if (unavailable.isPresent() && "true".equals(System.getenv("CI"))) {
            throw new AssertionError("CI must run the namespace tests: " + unavailable.get());
        }
        assumeTrue(unavailable.isEmpty(), () -> "skipped: " + unavailable.orElse(""));
        try (NatTopology network = NatTopology.create(NatTopology.Nat.PORTS_KEPT);
                TestMgc mgc = TestMgc.udp(InetAddress.getByName(NatTopology.MANAGEMENT_HERE), 0)) {
            int mgcPort = mgc.address().getPort();
            String yaml = """
                    profile: ims-agw
                    control: { address: %s, port: 2944, transport: udp, version: 3 }
                    mgcs: ["%s:%d"]
                    realms:
                      - { name: access, address: %s, ports: 31000-31099 }
                    metrics: { port: 0 }
                    """.formatted(NatTopology.MANAGEMENT_GATEWAY, NatTopology.MANAGEMENT_HERE, mgcPort, NatTopology.GATEWAY_ADDRESS);
            try (GatewayProcess gateway = GatewayProcess.start(dir, "agw", yaml, List.of("ip", "netns", "exec", network.gateway()))) {
                Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> !mgc.registrations().isEmpty());
                assertThat(gateway.output()).contains("remote addresses: loopback, link-local, unspecified, multicast, broadcast and our own refused");
                InetSocketAddress control = new InetSocketAddress(NatTopology.MANAGEMENT_GATEWAY, 2944);
                for (String forged : List.of("127.0.0.1", "169.254.169.254", NatTopology.GATEWAY_ADDRESS, NatTopology.MANAGEMENT_GATEWAY, "0.0.0.0", "224.0.0.1")) {
                    ActionReply refused = mgc.send(control, add(forged, 2944)).actions().get(0);
                    assertThat(refused.error()).as(forged).hasValueSatisfying(e -> {
                        assertThat(e.code()).isEqualTo(449);
                        assertThat(e.text().orElse("")).contains("SEC-2");
                    });
                    assertThat(refused.replies()).as(forged).isEmpty();
                }
                // an ordinary peer of the gateway's network is accepted (and its bearer opens towards it)
                ActionReply accepted = mgc.send(control, add(NatTopology.CORE_ADDRESS, 7000)).actions().get(0);
                assertThat(accepted.error()).isEmpty();
                assertThat(accepted.replies()).hasSize(1);
            }
        }
    }
}
