package org.mediasec.bearer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mediasec.bearer.RelayTest.ANY_PORT;
import static org.mediasec.bearer.RelayTest.FROM_LOOPBACK;
import static org.mediasec.bearer.RelayTest.LOOPBACK;

import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.mediasec.testsupport.RequiresPeer;
import org.mediasec.testsupport.WireTest;

/**
 * A relay pair with a TLS-PSK leg (E2E-5), the way the MRFP terminates a participant's TLS-PSK: {@code openssl
 * s_client -psk} as the UE, a plain TCP core; data relayed both ways, events and release as for certificate legs;
 * a wrong PSK fails the handshake and relays nothing.
 */
@RequiresPeer(command = "openssl", debianPackage = "openssl")
@Timeout(120)
class PskRelayTest {

    private static final byte[] TEK = HexFormat.of().parseHex("0f1e2d3c4b5a69788796a5b4c3d2e1f0");

    @TempDir
    Path dir;
    private final BearerPlane plane = new BearerPlane(BearerConfig.DEFAULT.withPassiveWindow(Duration.ZERO)); // a failed handshake releases at once: no connect window (PendingHandshakes)
    private final List<BearerEvent> events = new CopyOnWriteArrayList<>();
    private final List<Process> processes = new ArrayList<>();

    @AfterEach
    void tearDown() {
        processes.forEach(Process::destroyForcibly);
        plane.close();
    }

    private RelayPair pskToTcp(ServerSocket core) throws Exception {
        LegSpec ue = LegSpec.passive(ANY_PORT, FROM_LOOPBACK).withPsk(new LegSpec.PskTls(false, TEK, Duration.ofSeconds(10)));
        return plane.open(ue, LegSpec.active(ANY_PORT, (InetSocketAddress) core.getLocalSocketAddress()), events::add).get(5, TimeUnit.SECONDS);
    }

    private Process sClient(int port, byte[] psk, Path stdin, Path stdout) throws Exception {
        Process process = new ProcessBuilder("openssl", "s_client", "-connect", "127.0.0.1:" + port, "-psk", HexFormat.of().formatHex(psk),
                "-tls1_2", "-quiet").redirectInput(stdin.toFile()).redirectOutput(stdout.toFile()).redirectError(dir.resolve("s_client.err").toFile()).start();
        processes.add(process);
        return process;
    }

    @Test
    @Tag("E2E-5")
    @WireTest
    void aPskLegRelaysTenMegabytesEachWay() throws Exception {
        long size = 10L << 20;
        Path upload = dir.resolve("upload.bin");
        String uploadDigest;
        try (var out = Files.newOutputStream(upload)) {
            uploadDigest = RelayTest.send(out, size, 21);
        }
        try (ServerSocket core = new ServerSocket(0, 1, LOOPBACK)) {
            RelayPair pair = pskToTcp(core);
            Path download = dir.resolve("download.bin");
            Process ue = sClient(pair.localAddress(Side.A).getPort(), TEK, upload, download);
            try (Socket coreSide = core.accept()) {
                org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> events.stream().anyMatch(BearerEvent.TlsEstablished.class::isInstance));
                CompletableFuture<String> atCore = RelayTest.digestAsync(new LimitedInput(coreSide.getInputStream(), size));
                String downloadDigest = RelayTest.send(coreSide.getOutputStream(), size, 22);
                assertThat(atCore.get(60, TimeUnit.SECONDS)).isEqualTo(uploadDigest);
                coreSide.shutdownOutput(); // FIN from the core: close_notify to the UE after the data
                assertThat(ue.waitFor(60, TimeUnit.SECONDS)).isTrue();
                try (InputStream in = Files.newInputStream(download)) {
                    assertThat(RelayTest.digest(in)).isEqualTo(downloadDigest);
                }
            }
            BearerEvent.Released released = OnlyRelease.of(pair, events);
            assertThat(released.side()).isEqualTo(Side.B); // the core's FIN: duplex close (TCP-8)
            assertThat(released.reason()).isEqualTo(ReleaseReason.PEER_CLOSED);
            BearerEvent.TlsEstablished tls = events.stream().filter(BearerEvent.TlsEstablished.class::isInstance)
                    .map(BearerEvent.TlsEstablished.class::cast).findFirst().orElseThrow();
            assertThat(tls.protocol()).isEqualTo("TLS 1.2");
            assertThat(tls.cipherSuite()).startsWith("TLS_PSK_WITH_");
            assertThat(tls.peerFingerprint()).isEqualTo(Optional.empty());
        }
    }

    @Test
    @Tag("E2E-5")
    @WireTest
    void aWrongPskReleasesThePairAndRelaysNothing() throws Exception {
        Path upload = dir.resolve("upload.txt");
        Files.writeString(upload, "must not reach the core\n");
        try (ServerSocket core = new ServerSocket(0, 1, LOOPBACK)) {
            RelayPair pair = pskToTcp(core);
            sClient(pair.localAddress(Side.A).getPort(), HexFormat.of().parseHex("00000000000000000000000000000001"), upload, dir.resolve("out.txt"));
            try (Socket coreSide = core.accept()) {
                BearerEvent.Released released = pair.released().get(20, TimeUnit.SECONDS);
                assertThat(released.reason()).isEqualTo(ReleaseReason.TLS_HANDSHAKE_FAILED);
                assertThat(events).anyMatch(BearerEvent.TlsFailed.class::isInstance);
                assertThat(coreSide.getInputStream().read()).isEqualTo(-1);
            }
        }
    }
}
