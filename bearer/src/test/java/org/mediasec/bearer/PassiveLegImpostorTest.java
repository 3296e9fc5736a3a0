package org.mediasec.bearer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mediasec.bearer.RelayTest.ANY_PORT;
import static org.mediasec.bearer.RelayTest.FROM_LOOPBACK;
import static org.mediasec.bearer.RelayTest.LOOPBACK;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.mediasec.bearer.tls.CertificateFingerprint;
import org.mediasec.bearer.tls.SelfSignedCertificate;
import org.mediasec.bearer.tls.TlsDomain;
import org.mediasec.bearer.tls.TlsEngines;
import org.mediasec.testsupport.RequiresPeer;
import org.mediasec.testsupport.WireTest;

/**
 * An impostor on a passive TLS leg (issue 19, SEC-2 with TLS-4): someone at the UE's own address (127.0.0.1, another
 * port) connects first. A connection that fails its handshake, with a certificate that is not the UE's
 * ({@code openssl s_client}) or with bytes that are no TLS at all, is reset and counted; the pair stays, and the real
 * UE ({@code openssl s_client} with its certificate) then gets the leg and bytes flow both ways. Slow handshakes that
 * never finish cannot hold the leg either. The connect window is long here, so that only the behaviour on failure
 * decides; the window's end is shown in the gateway's test, with its Notify.
 */
@RequiresPeer(command = "openssl", debianPackage = "openssl")
@Timeout(120)
class PassiveLegImpostorTest {

    /** Longer than any test here: nothing is released because the window ended. */
    private static final Duration WINDOW = Duration.ofSeconds(60);
    private static final Duration PATIENCE = Duration.ofSeconds(15);

    @TempDir
    Path dir;
    private final BearerPlane plane = new BearerPlane(BearerConfig.DEFAULT.withPassiveWindow(WINDOW));
    private final List<BearerEvent> events = new CopyOnWriteArrayList<>();
    private final List<AutoCloseable> peers = new ArrayList<>();
    private final TlsEngines mg = new TlsEngines(TlsDomain.defaults("access", SelfSignedCertificate.generate("mediasec access", Duration.ofDays(1))));
    private Path ueCert;
    private Path ueKey;
    private Path otherCert;
    private Path otherKey;

    @BeforeEach
    void setUp() throws IOException {
        ueCert = dir.resolve("ue.pem");
        ueKey = dir.resolve("ue.key");
        SelfSignedCertificate.generate("ue", Duration.ofDays(1)).write(ueCert, ueKey);
        otherCert = dir.resolve("impostor.pem");
        otherKey = dir.resolve("impostor.key");
        SelfSignedCertificate.generate("impostor", Duration.ofDays(1)).write(otherCert, otherKey);
    }

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable peer : peers) {
            peer.close();
        }
        plane.close();
    }

    /** e2ae: leg A a passive TLS server expecting the UE's fingerprint from 127.0.0.1 (any port: it connects), B the core. */
    private RelayPair e2ae(ServerSocket core) throws Exception {
        CertificateFingerprint ue = Openssl.fingerprint(ueCert, "sha-256");
        return plane.open(LegSpec.passive(ANY_PORT, FROM_LOOPBACK).withTls(new LegSpec.Tls(mg, false, List.of(ue))),
                LegSpec.active(ANY_PORT, (InetSocketAddress) core.getLocalSocketAddress()), events::add).get(5, TimeUnit.SECONDS);
    }

    private SClient sClient(RelayPair pair, String name, Path cert, Path key) throws IOException {
        SClient client = SClient.connect(dir, name, pair.localAddress(Side.A).getPort(), List.of("-cert", cert.toString(), "-key", key.toString()));
        peers.add(client);
        return client;
    }

    private long refusedHandshakes() {
        return events.stream().filter(BearerEvent.HandshakeRefused.class::isInstance).count();
    }

    /** The real UE gets the leg: its line reaches the core and the core's reaches it. */
    private void theUeRelaysBothWays(RelayPair pair, ServerSocket core) throws Exception {
        SClient ue = sClient(pair, "ue", ueCert, ueKey);
        try (Socket coreSide = core.accept()) {
            coreSide.setSoTimeout((int) PATIENCE.toMillis());
            await().atMost(PATIENCE).until(() -> events.stream().anyMatch(BearerEvent.TlsEstablished.class::isInstance));
            ue.send("from the ue\n");
            assertThat(new String(coreSide.getInputStream().readNBytes("from the ue\n".length()), StandardCharsets.US_ASCII)).isEqualTo("from the ue\n");
            coreSide.getOutputStream().write("from the core\n".getBytes(StandardCharsets.US_ASCII));
            ue.awaitOutput("from the core");
            // while both ends are open: closing the core's socket ends the pair at once (its FIN, TCP-8), and checked
            // after that close the pair was sometimes already released (CI 20)
            assertThat(pair.released()).isNotDone();
        }
    }

    /** The gateway reset or closed the impostor's connection. */
    private static void assertClosedByTheGateway(Socket socket) throws IOException {
        try {
            assertThat(socket.getInputStream().read()).isEqualTo(-1);
        } catch (SocketException reset) {
            assertThat(reset.getMessage()).containsIgnoringCase("reset");
        }
    }

    @Test
    @Tag("SEC-2")
    @Tag("TLS-4")
    @WireTest
    void impostorsThatFailTheHandshakeFirstDoNotReleaseThePairAndTheUeThenGetsThrough() throws Exception {
        try (ServerSocket core = new ServerSocket(0, 1, LOOPBACK)) {
            RelayPair pair = e2ae(core);
            // a TLS client from the UE's address with a certificate that is not the UE's: refused with an alert
            sClient(pair, "impostor", otherCert, otherKey).awaitOutput("alert");
            await().atMost(PATIENCE).until(() -> refusedHandshakes() == 1);
            // a raw sender of garbage from the UE's address: no TLS at all
            try (Socket garbage = new Socket(LOOPBACK, pair.localAddress(Side.A).getPort())) {
                garbage.setSoTimeout((int) PATIENCE.toMillis());
                garbage.getOutputStream().write("GET / HTTP/1.1\r\nHost: ue\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                assertClosedByTheGateway(garbage);
            }
            await().atMost(PATIENCE).until(() -> refusedHandshakes() == 2);
            assertThat(pair.released()).isNotDone();
            assertThat(events).noneMatch(e -> e instanceof BearerEvent.TlsFailed || e instanceof BearerEvent.Released);
            assertThat(plane.refusedHandshakes()).isEqualTo(2);

            theUeRelaysBothWays(pair, core);
        }
    }

    @Test
    @Tag("SEC-2")
    @Tag("TLS-4")
    @WireTest
    void slowHandshakesFromThePeersAddressCannotHoldTheLeg() throws Exception {
        int slow = 3 * PendingHandshakes.MAX_PENDING;
        List<Socket> holders = new ArrayList<>();
        try (ServerSocket core = new ServerSocket(0, 1, LOOPBACK)) {
            RelayPair pair = e2ae(core);
            for (int i = 0; i < slow; i++) {
                // a connection that starts a TLS record (handshake, TLS 1.0 record version) and then says nothing more
                Socket holder = new Socket(LOOPBACK, pair.localAddress(Side.A).getPort());
                holder.getOutputStream().write(new byte[] {0x16, 0x03, 0x01});
                holders.add(holder);
                peers.add(holder);
            }
            // all but the last MAX_PENDING were evicted, each as it came
            await().atMost(PATIENCE).until(() -> refusedHandshakes() == slow - PendingHandshakes.MAX_PENDING);
            assertThat(events).filteredOn(BearerEvent.HandshakeRefused.class::isInstance)
                    .allSatisfy(e -> assertThat(((BearerEvent.HandshakeRefused) e).reason()).contains("evicted"));

            theUeRelaysBothWays(pair, core);
            for (Socket holder : holders) {
                holder.setSoTimeout((int) PATIENCE.toMillis());
                assertClosedByTheGateway(holder); // the UE's leg taken, every pending handshake was closed
            }
        }
    }
}
