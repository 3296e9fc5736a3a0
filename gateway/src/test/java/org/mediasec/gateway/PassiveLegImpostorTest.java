package org.mediasec.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.mediasec.bearer.BearerConfig;
import org.mediasec.bearer.BearerPlane;
import org.mediasec.bearer.PassiveSourcePolicy;
import org.mediasec.bearer.PortAllocator;
import org.mediasec.bearer.tls.CertificateFingerprint;
import org.mediasec.bearer.tls.SelfSignedCertificate;
import org.mediasec.bearer.tls.TlsDomain;
import org.mediasec.bearer.tls.TlsEngines;
import org.mediasec.gateway.profile.ImsAgwProfile;
import org.mediasec.h248.message.ActionReply;
import org.mediasec.h248.message.CommandReply;
import org.mediasec.testsupport.FreePorts;
import org.mediasec.testsupport.WireTest;

/**
 * The impostor on a passive leg (issue 19), through the gateway: someone at the peer's own address (127.0.0.1, another
 * port) connects first. On a plain-TCP leg under the realm's {@code exact} policy it is refused (reset, counted) and
 * the peer, connecting from its signalled port, then relays both ways. On a TLS leg, connections that fail their
 * handshake do not release the pair while the connect window lasts; with no good peer by its end, the MGC gets
 * exactly one failure Notify, not before the window ended, and none after it.
 */
@Timeout(60)
class PassiveLegImpostorTest {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final Duration PATIENCE = Duration.ofSeconds(10);
    /** How long the Notify count must stay at one once the pair is gone. */
    private static final Duration QUIET = Duration.ofSeconds(1);
    /** The TLS leg's connect window: long enough that the impostors fail well within it on a loaded machine. */
    private static final Duration WINDOW = Duration.ofSeconds(4);

    private final BearerPlane plane = new BearerPlane(BearerConfig.DEFAULT.withPassiveWindow(WINDOW));
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final List<String> notifies = new CopyOnWriteArrayList<>();
    private final List<Long> notifiedAt = new CopyOnWriteArrayList<>();
    private MediaGateway gateway;

    @AfterEach
    void tearDown() {
        if (gateway != null) {
            gateway.close();
        }
        plane.close();
    }

    private void start(GatewayConfig config) {
        gateway = new MediaGateway(config, plane, (context, termination, events) -> {
            notifiedAt.add(System.nanoTime());
            notifies.add(termination + " " + events);
        }, meters);
    }

    private static List<PortAllocator.Realm> realm() {
        int first = 12500 + (int) (ProcessHandle.current().pid() % 500) * 20; // below the ephemeral range, beside the other tests'
        return List.of(new PortAllocator.Realm("access", LOOPBACK, first, first + 9));
    }

    private ActionReply send(String actions) throws Exception {
        return GatewayTransactions.accepted(gateway, actions);
    }

    private static int port(CommandReply reply) {
        String sdp = ((CommandReply.AmmsReply) reply).localSdp(1).orElseThrow();
        return Integer.parseInt(sdp.lines().filter(l -> l.startsWith("m=")).findFirst().orElseThrow().split(" ")[1]);
    }

    private double counted(String name) {
        return meters.counter(name).count();
    }

    /** A connection the gateway reset or closed: reading it ends in a reset or end of stream, never data or a timeout. */
    private static void assertRefused(Socket socket) throws IOException {
        socket.setSoTimeout((int) PATIENCE.toMillis());
        assertThatThrownBy(() -> {
            if (socket.getInputStream().read() == -1) {
                throw new IOException("closed");
            }
        }).isInstanceOf(IOException.class).isNotInstanceOf(SocketTimeoutException.class);
    }

    @Test
    @Tag("TCP-9")
    @Tag("SEC-2")
    @WireTest
    void underTheExactPolicyAnImpostorFromThePeersAddressIsRefusedAndThePeerThenRelaysBothWays() throws Exception {
        start(new GatewayConfig(new ImsAgwProfile(), realm(), Map.of(), "access", 10).withPassiveSources(PassiveSourcePolicy.EXACT));
        int peerPort = FreePorts.tcp(); // the UE connects from the port its SDP gives (the operator's exact policy says it does)
        try (ServerSocket core = new ServerSocket(0, 1, LOOPBACK)) {
            ActionReply added = send("""
                    Context = $ {
                      Add = ip/$ { Media { Stream = 1 { LocalControl { Mode = SendReceive },
                          Local {
                    v=0
                    c=IN IP4 $
                    m=message $ TCP/MSRP *
                    a=setup:passive
                          },
                          Remote {
                    v=0
                    c=IN IP4 127.0.0.1
                    m=message %d TCP/MSRP *
                    a=setup:active
                          } } } },
                      Add = ip/$ { Media { Stream = 1 { LocalControl { Mode = SendReceive },
                          Local {
                    v=0
                    c=IN IP4 $
                    m=message $ TCP/MSRP *
                    a=setup:active
                          },
                          Remote {
                    v=0
                    c=IN IP4 127.0.0.1
                    m=message %d TCP/MSRP *
                    a=setup:passive
                          } } } }
                    }""".formatted(peerPort, core.getLocalPort()));
            int accessPort = port(added.replies().get(0));
            Socket coreSide = core.accept();
            coreSide.setSoTimeout((int) PATIENCE.toMillis());

            // the impostor: the UE's address, another port, first
            try (Socket impostor = new Socket(LOOPBACK, accessPort)) {
                assertRefused(impostor);
            }
            Awaitility.await().atMost(PATIENCE).until(() -> counted("mediasec.bearer.connections.refused") == 1);

            // the UE, from its signalled port: the leg is still free, and relays both ways
            try (Socket ue = new Socket(); coreSide) {
                ue.setReuseAddress(true);
                ue.bind(new InetSocketAddress(LOOPBACK, peerPort));
                ue.connect(new InetSocketAddress(LOOPBACK, accessPort));
                ue.setSoTimeout((int) PATIENCE.toMillis());
                ue.getOutputStream().write("from the ue\n".getBytes(StandardCharsets.US_ASCII));
                assertThat(new String(coreSide.getInputStream().readNBytes(12), StandardCharsets.US_ASCII)).isEqualTo("from the ue\n");
                coreSide.getOutputStream().write("from the core\n".getBytes(StandardCharsets.US_ASCII));
                assertThat(new String(ue.getInputStream().readNBytes(14), StandardCharsets.US_ASCII)).isEqualTo("from the core\n");
            }
        }
    }

    private List<String> failures() {
        return notifies.stream().filter(n -> n.contains("fail")).toList();
    }

    @Test
    @Tag("TLS-4")
    @Tag("SEC-2")
    @WireTest
    void impostorsFailingTheHandshakeLeaveThePairUntilTheWindowEndsThenExactlyOneFailureNotify() throws Exception {
        TlsEngines access = new TlsEngines(TlsDomain.defaults("access", SelfSignedCertificate.generate("mediasec", Duration.ofDays(1))));
        start(new GatewayConfig(new ImsAgwProfile(), realm(), Map.of("access", access), "access", 10));
        SelfSignedCertificate ue = SelfSignedCertificate.generate("ue", Duration.ofDays(1));
        try (ServerSocket core = new ServerSocket(0, 1, LOOPBACK)) {
            long before = System.nanoTime(); // the window starts after this: the Notify cannot come before before + WINDOW
            ActionReply added = send(E2aeContextText.of(CertificateFingerprint.of("sha-256", ue.certificate()), core.getLocalPort()));
            String ueTermination = added.replies().get(0).terminationId().id();
            InetSocketAddress leg = new InetSocketAddress(LOOPBACK, port(added.replies().get(0)));

            // a TLS client with a certificate that is not the UE's: whatever its own view of the handshake, it is refused
            try (CertificateTlsUe impostor = new CertificateTlsUe(leg, SelfSignedCertificate.generate("impostor", Duration.ofDays(1)), PATIENCE)) {
                impostor.awaitClosedByPeer();
            } catch (IOException refusedDuringTheHandshake) {
                // the alert came before the client's handshake ended
            }
            Awaitility.await().atMost(PATIENCE).until(() -> counted("mediasec.bearer.handshakes.refused") == 1);
            // garbage, no TLS at all
            try (Socket garbage = new Socket(LOOPBACK, leg.getPort())) {
                garbage.getOutputStream().write("GET / HTTP/1.1\r\nHost: ue\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                assertRefused(garbage);
            }
            Awaitility.await().atMost(PATIENCE).until(() -> counted("mediasec.bearer.handshakes.refused") == 2);
            assertThat(failures()).as("no failure Notify while the window lasts").isEmpty();
            assertThat(gateway.bearersOpen()).isEqualTo(1);

            // no good peer: the window ends, one failure Notify on the UE's termination, and none after it
            Awaitility.await().atMost(WINDOW.plus(PATIENCE)).until(() -> !failures().isEmpty());
            Awaitility.await().atMost(PATIENCE).until(() -> gateway.bearersOpen() == 0);
            Awaitility.await("no second failure Notify for " + QUIET).failFast("a second failure Notify: " + notifies, () -> failures().size() > 1)
                    .during(QUIET).atMost(QUIET.plus(PATIENCE)).until(() -> failures().size() == 1);
            String notify = failures().get(0);
            assertThat(notify).startsWith(ueTermination + " ").contains("tlsbsc").contains("fail");
            long at = notifiedAt.get(notifies.indexOf(notify));
            assertThat(Duration.ofNanos(at - before)).as("the failure Notify came after the window").isGreaterThanOrEqualTo(WINDOW);
        }
    }
}
