package org.mediasec.bearer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mediasec.bearer.RelayTest.ANY_PORT;
import static org.mediasec.bearer.RelayTest.FROM_LOOPBACK;
import static org.mediasec.bearer.RelayTest.LOOPBACK;
import static org.awaitility.Awaitility.await;

import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.mediasec.bearer.tls.CertificateFingerprint;
import org.mediasec.bearer.tls.SelfSignedCertificate;
import org.mediasec.bearer.tls.TlsDomain;
import org.mediasec.bearer.tls.TlsEngines;
import org.mediasec.bearer.tls.TlsProvider;
import org.mediasec.testsupport.WireTest;

/**
 * TCP-8, duplex close (TS 23.334 5.11.2.x.5.2), on real sockets: a peer sends its bytes and a FIN, then only reads.
 * It must see our FIN (end of stream) without having closed anything itself; every byte it sent reaches the other
 * peer, followed by the other leg's FIN; the pair is released once. For TCP and TLS legs (JDK TLS peers: TLS 1.3
 * lets a peer send close_notify and a FIN and go on reading), the FIN coming on side A and on side B, on both TLS
 * providers.
 */
@Timeout(120)
class DuplexCloseTest {

    private static final int BEFORE_BYTES = 1 << 20;
    private static final int FIN_BYTES = 4 << 20;
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(10);

    private final BearerPlane plane = new BearerPlane(BearerConfig.DEFAULT);
    private final List<BearerEvent> events = new CopyOnWriteArrayList<>();
    private final SelfSignedCertificate mg = SelfSignedCertificate.generate("mediasec", Duration.ofDays(1));
    private final SelfSignedCertificate ue = SelfSignedCertificate.generate("ue", Duration.ofDays(1));
    private final SelfSignedCertificate core = SelfSignedCertificate.generate("core", Duration.ofDays(1));

    @AfterEach
    void close() {
        plane.close();
    }

    /** A pair and its two peers, connected (and TLS handshakes done where a leg is TLS). */
    private record Connected(RelayPair pair, Socket ue, Socket core) implements AutoCloseable {
        Socket peer(Side side) {
            return side == Side.A ? ue : core;
        }

        @Override
        public void close() throws Exception {
            ue.close();
            core.close();
        }
    }

    private Connected connect(boolean tlsA, boolean tlsB, TlsProvider provider) throws Exception {
        TlsEngines engines = tlsA || tlsB ? new TlsEngines(TlsDomain.defaults("access", mg).withProvider(provider)) : null;
        CertificateFingerprint ours = CertificateFingerprint.of("sha-256", mg.certificate());
        ServerSocket coreListener;
        if (tlsB) {
            SSLServerSocket tlsListener = (SSLServerSocket) TestTls.context(core, ours).getServerSocketFactory().createServerSocket(0, 1, LOOPBACK);
            tlsListener.setNeedClientAuth(true);
            coreListener = tlsListener;
        } else {
            coreListener = new ServerSocket(0, 1, LOOPBACK);
        }
        try (coreListener) {
            LegSpec a = LegSpec.passive(ANY_PORT, FROM_LOOPBACK);
            LegSpec b = LegSpec.active(ANY_PORT, (InetSocketAddress) coreListener.getLocalSocketAddress());
            if (tlsA) {
                a = a.withTls(new LegSpec.Tls(engines, false, List.of(CertificateFingerprint.of("sha-256", ue.certificate()))));
            }
            if (tlsB) {
                b = b.withTls(new LegSpec.Tls(engines, true, List.of(CertificateFingerprint.of("sha-256", core.certificate()))));
            }
            RelayPair pair = plane.open(a, b, events::add).get(5, TimeUnit.SECONDS);
            int port = pair.localAddress(Side.A).getPort();
            Socket uePeer = tlsA ? TestTls.context(ue, ours).getSocketFactory().createSocket(LOOPBACK, port) : new Socket(LOOPBACK, port);
            Socket corePeer = coreListener.accept();
            for (Socket peer : List.of(uePeer, corePeer)) {
                peer.setSoTimeout((int) READ_TIMEOUT.toMillis());
                if (peer instanceof SSLSocket tls) {
                    tls.startHandshake();
                }
            }
            // armed: before, the bytes below would be early data (TLS-13), held only up to 64 KiB
            long tlsLegs = Stream.of(tlsA, tlsB).filter(Boolean::booleanValue).count();
            await().atMost(Duration.ofSeconds(10)).until(() -> events.stream().filter(BearerEvent.TcpEstablished.class::isInstance).count() == 2
                    && events.stream().filter(BearerEvent.TlsEstablished.class::isInstance).count() == tlsLegs);
            return new Connected(pair, uePeer, corePeer);
        }
    }

    /** The finishing peer's FIN is answered with ours; what it sent reaches the other peer in full, then a FIN. */
    private BearerEvent.Released finIsAnsweredWithAFin(Connected connected, Side finishing) throws Exception {
        Socket peer = connected.peer(finishing);
        Socket otherPeer = connected.peer(finishing.other());
        // the relay carries bytes both ways first
        String before = RelayTest.send(otherPeer.getOutputStream(), BEFORE_BYTES, 1);
        assertThat(RelayTest.digest(new LimitedInput(peer.getInputStream(), BEFORE_BYTES))).isEqualTo(before);

        CompletableFuture<String> atOtherPeer = RelayTest.digestAsync(otherPeer.getInputStream()); // until its end of stream
        String sent = RelayTest.send(peer.getOutputStream(), FIN_BYTES, 2);
        peer.shutdownOutput(); // FIN (a TLS 1.3 peer: close_notify, then FIN)

        assertThat(peer.getInputStream().read()).as("our FIN, while the peer only reads").isEqualTo(-1);
        assertThat(peer.isClosed()).isFalse();
        assertThat(atOtherPeer.get(30, TimeUnit.SECONDS)).as("every byte before the FIN, then the other leg's FIN").isEqualTo(sent);
        connected.close();
        return OnlyRelease.of(connected.pair(), events);
    }

    @ParameterizedTest(name = "FIN from {0}")
    @EnumSource(Side.class)
    @Tag("TCP-8")
    @WireTest
    void aFinOnATcpLegIsAnsweredAndClosesTheOtherLeg(Side finishing) throws Exception {
        try (Connected connected = connect(false, false, null)) {
            BearerEvent.Released released = finIsAnsweredWithAFin(connected, finishing);
            assertThat(released.side()).isEqualTo(finishing);
            assertThat(released.reason()).isEqualTo(ReleaseReason.PEER_CLOSED);
            assertThat(connected.pair().bytesReceived(finishing)).isEqualTo(FIN_BYTES);
        }
    }

    static Stream<Arguments> tlsCases() {
        return Stream.of(TlsProvider.values()).flatMap(provider -> Stream.of(Side.values()).flatMap(tlsLeg -> Stream.of(Side.values())
                .map(finishing -> Arguments.of(tlsLeg, finishing, provider))));
    }

    @ParameterizedTest(name = "TLS on {0}, FIN from {1}, {2}")
    @MethodSource("tlsCases")
    @Tag("TCP-8")
    @Tag("TLS-10")
    @WireTest
    void aFinWithATlsLegIsAnsweredAndClosesTheOtherLeg(Side tlsLeg, Side finishing, TlsProvider provider) throws Exception {
        try (Connected connected = connect(tlsLeg == Side.A, tlsLeg == Side.B, provider)) {
            BearerEvent.Released released = finIsAnsweredWithAFin(connected, finishing);
            assertThat(released.side()).isEqualTo(finishing);
            // a TLS peer ends its session with close_notify before its FIN: that is what ends the pair (TLS-10)
            assertThat(released.reason()).isEqualTo(finishing == tlsLeg ? ReleaseReason.TLS_CLOSE_NOTIFY : ReleaseReason.PEER_CLOSED);
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(TlsProvider.class)
    @Tag("TCP-8")
    @WireTest
    void aBareFinUnderTlsIsAnsweredWithCloseNotifyAndFin(TlsProvider provider) throws Exception {
        TlsEngines engines = new TlsEngines(TlsDomain.defaults("access", mg).withProvider(provider));
        try (ServerSocket coreListener = new ServerSocket(0, 1, LOOPBACK)) {
            RelayPair pair = plane.open(LegSpec.passive(ANY_PORT, FROM_LOOPBACK)
                            .withTls(new LegSpec.Tls(engines, false, List.of(CertificateFingerprint.of("sha-256", ue.certificate())))),
                    LegSpec.active(ANY_PORT, (InetSocketAddress) coreListener.getLocalSocketAddress()), events::add).get(5, TimeUnit.SECONDS);
            try (Socket tcp = new Socket(LOOPBACK, pair.localAddress(Side.A).getPort());
                    SSLSocket tls = (SSLSocket) TestTls.context(ue, pair.localFingerprint(Side.A).orElseThrow()).getSocketFactory()
                            .createSocket(tcp, "127.0.0.1", tcp.getPort(), false);
                    Socket corePeer = coreListener.accept()) {
                tls.setSoTimeout((int) READ_TIMEOUT.toMillis());
                corePeer.setSoTimeout((int) READ_TIMEOUT.toMillis());
                tls.startHandshake();
                await().atMost(Duration.ofSeconds(10)).until(() -> events.stream().filter(BearerEvent.TcpEstablished.class::isInstance).count() == 2
                        && events.stream().anyMatch(BearerEvent.TlsEstablished.class::isInstance));
                CompletableFuture<String> atCore = RelayTest.digestAsync(corePeer.getInputStream());
                String sent = RelayTest.send(tls.getOutputStream(), FIN_BYTES, 3);
                tcp.shutdownOutput(); // a TCP FIN under the TLS session, without close_notify

                assertThat(tls.getInputStream().read()).as("our close_notify and FIN").isEqualTo(-1);
                assertThat(atCore.get(30, TimeUnit.SECONDS)).isEqualTo(sent);
            }
            BearerEvent.Released released = OnlyRelease.of(pair, events);
            assertThat(released.side()).isEqualTo(Side.A);
            assertThat(released.reason()).isEqualTo(ReleaseReason.PEER_CLOSED);
        }
    }

    @Test
    @Tag("TCP-8")
    @WireTest
    void whatWasQueuedForTheFinishingPeerReachesItBeforeOurFin() throws Exception {
        try (Connected connected = connect(false, false, null)) {
            Socket corePeer = connected.core();
            long streamed = 64L << 20;
            // the core streams towards the UE, which reads nothing yet: the relay queues what it has read
            CompletableFuture<Void> streaming = CompletableFuture.runAsync(() -> {
                try {
                    RelayTest.send(corePeer.getOutputStream(), streamed, 4);
                } catch (Exception closedMeanwhile) {
                    // after the UE's FIN the pair closes the core's leg: the rest is refused
                }
            }, RelayTest.PEERS);
            CompletableFuture<Integer> atCore = CompletableFuture.supplyAsync(() -> {
                try {
                    return corePeer.getInputStream().read(); // nothing comes from the UE: only our FIN
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            }, RelayTest.PEERS);
            await().atMost(Duration.ofSeconds(10)).until(() -> connected.pair().heldBytes().get(5, TimeUnit.SECONDS) > 0);
            connected.ue().shutdownOutput();

            // the UE gets exactly what the relay had read from the core, in order, then our FIN
            MessageDigest atUe = MessageDigest.getInstance("SHA-256");
            long received = 0;
            InputStream in = connected.ue().getInputStream();
            byte[] buffer = new byte[64 * 1024];
            for (int n; (n = in.read(buffer)) != -1; received += n) {
                atUe.update(buffer, 0, n);
            }
            assertThat(atCore.get(10, TimeUnit.SECONDS)).as("the core's leg: our FIN").isEqualTo(-1);
            connected.close();
            streaming.get(30, TimeUnit.SECONDS);
            OnlyRelease.of(connected.pair(), events);
            assertThat(received).isPositive().isEqualTo(connected.pair().bytesReceived(Side.B));
            assertThat(HexFormat.of().formatHex(atUe.digest())).isEqualTo(prefixDigest(received, 4));
        }
    }

    /** The SHA-256 of the first {@code length} bytes that {@link RelayTest#send} sends with {@code seed}. */
    private static String prefixDigest(long length, long seed) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        Random random = new Random(seed);
        byte[] chunk = new byte[64 * 1024];
        for (long done = 0; done < length; done += chunk.length) {
            random.nextBytes(chunk);
            digest.update(chunk, 0, (int) Math.min(chunk.length, length - done));
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
