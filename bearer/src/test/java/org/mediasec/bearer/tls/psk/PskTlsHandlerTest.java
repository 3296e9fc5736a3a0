package org.mediasec.bearer.tls.psk;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.mediasec.bearer.tls.SelfSignedCertificate;
import org.mediasec.testsupport.RequiresPeer;
import org.mediasec.testsupport.WireTest;

/**
 * TLS-PSK legs (E2E-5) against OpenSSL's command line in both roles, over real sockets: the handshake with
 * PSK-only suites and data both ways; a wrong PSK, a peer offering only DHE-PSK, a peer with certificates only, and
 * a silent peer all fail the handshake and deliver nothing.
 */
@RequiresPeer(command = "openssl", debianPackage = "openssl")
@Timeout(120)
class PskTlsHandlerTest {

    private static final byte[] PSK = HexFormat.of().parseHex("00112233445566778899aabbccddeeff");
    private static final byte[] OTHER_PSK = HexFormat.of().parseHex("ffeeddccbbaa99887766554433221100");

    @TempDir
    Path dir;
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final List<Process> processes = new ArrayList<>();
    private final BlockingQueue<Object> seen = new LinkedBlockingQueue<>();
    private final java.util.Map<Process, Path> outputs = new java.util.HashMap<>();

    @AfterEach
    void tearDown() {
        processes.forEach(Process::destroyForcibly);
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** Records what reaches the application: events and plaintext; answers the first data with a greeting. */
    private final class Application extends ChannelInboundHandlerAdapter {
        private final String greeting;

        Application(String greeting) {
            this.greeting = greeting;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object message) {
            ByteBuf data = (ByteBuf) message;
            seen.add(data.toString(StandardCharsets.UTF_8));
            data.release();
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
            seen.add(event);
            if (event instanceof PskTlsEvent.HandshakeCompleted && greeting != null) {
                ctx.writeAndFlush(Unpooled.copiedBuffer(greeting, StandardCharsets.UTF_8));
            }
        }
    }

    private Channel serve(byte[] psk, Duration timeout) throws InterruptedException {
        return new ServerBootstrap().group(group).channel(NioServerSocketChannel.class).childHandler(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
                ch.pipeline().addLast(new PskTlsHandler(false, psk, timeout), new Application("hello from mediasec\n"));
            }
        }).bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
    }

    private Channel connect(int port, byte[] psk) throws InterruptedException {
        return new Bootstrap().group(group).channel(NioSocketChannel.class).handler(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
                ch.pipeline().addLast(new PskTlsHandler(true, psk, Duration.ofSeconds(10)), new Application("hello from mediasec\n"));
            }
        }).connect(new InetSocketAddress("127.0.0.1", port)).sync().channel();
    }

    private Process openssl(String... arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(arguments));
        Path out = dir.resolve("openssl-" + processes.size() + ".out");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        processes.add(process);
        outputs.put(process, out);
        return process;
    }

    private <T> T next(Class<T> kind) throws InterruptedException {
        while (true) {
            Object item = seen.poll(20, TimeUnit.SECONDS);
            assertThat(item).as("waiting for " + kind.getSimpleName()).isNotNull();
            if (kind.isInstance(item)) {
                return kind.cast(item);
            }
        }
    }

    private static int port(Channel server) {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** What the openssl process printed, once it shows {@code expected} (or 15 s have passed). */
    private String output(Process process, String expected) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        String text = java.nio.file.Files.readString(outputs.get(process));
        while (!text.contains(expected) && System.nanoTime() < deadline) {
            Thread.sleep(50);
            text = java.nio.file.Files.readString(outputs.get(process));
        }
        return text;
    }

    @Test
    @Tag("E2E-5")
    @WireTest
    void asServerWithOpensslClient() throws Exception {
        Channel server = serve(PSK, Duration.ofSeconds(10));
        // s_client sends its default identity: ours ignores it (33.328 H.2)
        Process ue = openssl("s_client", "-connect", "127.0.0.1:" + port(server), "-psk", HexFormat.of().formatHex(PSK), "-tls1_2", "-quiet");
        PskTlsEvent.HandshakeCompleted done = next(PskTlsEvent.HandshakeCompleted.class);
        assertThat(done.protocol()).isEqualTo("TLS 1.2");
        assertThat(done.cipherSuite()).startsWith("TLS_PSK_WITH_AES_256_GCM");
        try (OutputStream in = ue.getOutputStream()) {
            in.write("hello from s_client\n".getBytes(StandardCharsets.UTF_8));
            in.flush();
            assertThat(next(String.class)).isEqualTo("hello from s_client\n");
        }
        assertThat(output(ue, "hello from mediasec")).contains("hello from mediasec");
        server.close().sync();
    }

    @Test
    @Tag("E2E-5")
    @WireTest
    void asClientWithOpensslServer() throws Exception {
        int port = freePort();
        Process core = openssl("s_server", "-accept", "127.0.0.1:" + port, "-nocert", "-psk", HexFormat.of().formatHex(PSK), "-tls1_2", "-quiet");
        Channel channel = connectWhenListening(port);
        PskTlsEvent.HandshakeCompleted done = next(PskTlsEvent.HandshakeCompleted.class);
        assertThat(done.cipherSuite()).startsWith("TLS_PSK_WITH_AES_256_GCM");
        try (OutputStream in = core.getOutputStream()) {
            in.write("hello from s_server\n".getBytes(StandardCharsets.UTF_8));
            in.flush();
            assertThat(next(String.class)).isEqualTo("hello from s_server\n");
            // s_server's standard input stays open until our greeting is seen: at its end s_server may end the session
            // (seen once in CI at load: "unexpected eof while reading" and no greeting)
            assertThat(output(core, "hello from mediasec")).contains("hello from mediasec");
        }
        channel.close().sync();
    }

    private Channel connectWhenListening(int port) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (true) {
            try (Socket probe = new Socket()) {
                probe.connect(new InetSocketAddress("127.0.0.1", port), 200);
                break;
            } catch (java.io.IOException notYet) {
                assertThat(System.nanoTime()).as("s_server listening").isLessThan(deadline);
                Thread.sleep(50);
            }
        }
        seen.clear(); // the probe's connection is s_server's, not ours
        return connect(port, PSK);
    }

    @Test
    @Tag("E2E-5")
    @WireTest
    void aWrongPskFailsTheHandshakeAndNothingIsDelivered() throws Exception {
        Channel server = serve(PSK, Duration.ofSeconds(10));
        Process ue = openssl("s_client", "-connect", "127.0.0.1:" + port(server), "-psk", HexFormat.of().formatHex(OTHER_PSK), "-tls1_2", "-quiet");
        ue.getOutputStream().write("secret\n".getBytes(StandardCharsets.UTF_8));
        ue.getOutputStream().flush();
        PskTlsEvent.HandshakeFailed failed = next(PskTlsEvent.HandshakeFailed.class);
        assertThat(failed.reason()).containsAnyOf("bad_record_mac", "decrypt_error", "decryption_failed");
        assertThat(seen).noneMatch(String.class::isInstance);
        server.close().sync();
    }

    @Test
    @Tag("E2E-5")
    @WireTest
    void aPeerOfferingOnlyDhePskIsRefused() throws Exception {
        Channel server = serve(PSK, Duration.ofSeconds(10));
        openssl("s_client", "-connect", "127.0.0.1:" + port(server), "-psk", HexFormat.of().formatHex(PSK), "-tls1_2",
                "-cipher", "DHE-PSK-AES128-GCM-SHA256:ECDHE-PSK-AES128-CBC-SHA256", "-quiet");
        assertThat(next(PskTlsEvent.HandshakeFailed.class).reason()).contains("handshake_failure");
        server.close().sync();
    }

    @Test
    @Tag("E2E-5")
    @WireTest
    void aServerWithCertificatesOnlyIsRefused() throws Exception {
        SelfSignedCertificate certificate = SelfSignedCertificate.generate("core", Duration.ofDays(1));
        Path cert = dir.resolve("core.pem");
        Path key = dir.resolve("core.key");
        certificate.write(cert, key);
        int port = freePort();
        openssl("s_server", "-accept", "127.0.0.1:" + port, "-cert", cert.toString(), "-key", key.toString(), "-tls1_2", "-quiet");
        connectWhenListening(port);
        assertThat(next(PskTlsEvent.HandshakeFailed.class).reason()).contains("handshake_failure");
        assertThat(seen).noneMatch(String.class::isInstance);
    }

    @Test
    void aSilentPeerTimesOut() throws Exception {
        Channel server = serve(PSK, Duration.ofMillis(500));
        try (Socket silent = new Socket("127.0.0.1", port(server))) {
            PskTlsEvent.HandshakeFailed failed = next(PskTlsEvent.HandshakeFailed.class);
            assertThat(failed.timeout()).isTrue();
            assertThat(silent.getInputStream().read()).isEqualTo(-1);
        }
        server.close().sync();
    }
}
