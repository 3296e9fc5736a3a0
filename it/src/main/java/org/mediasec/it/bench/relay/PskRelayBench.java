package org.mediasec.it.bench.relay;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.mediasec.bearer.BearerConfig;
import org.mediasec.bearer.BearerPlane;
import org.mediasec.bearer.LegSpec;
import org.mediasec.bearer.RelayPair;
import org.mediasec.bearer.Side;

/**
 * TLS-PSK → TCP relay throughput (run on demand, not in CI): our bearer plane's PSK legs (Bouncy Castle's TLS, E2E-5,
 * as the MRFP runs them) against stunnel's (OpenSSL) PSK service, one and four sessions at once. The UEs are
 * {@code openssl s_client -psk} pushing a file of random bytes (TLS 1.2, PSK-AES128-GCM-SHA256); the sink counts
 * what arrives. Our relay and the sink share this JVM; stunnel is a process of its own. Prints a Markdown table with
 * the ratio ours ÷ stunnel.
 *
 * <p>{@code --megabytes N} per session (256). Needs {@code openssl} and {@code stunnel4}.
 */
public final class PskRelayBench {

    /** ASCII, because stunnel's PSKsecrets holds the key as text. */
    private static final byte[] KEY = "mediasec-bench-psk-0123456789abc".getBytes(StandardCharsets.US_ASCII);
    private static final String IDENTITY = "bench";

    private PskRelayBench() {}

    public static void main(String[] args) throws Exception {
        int megabytes = 256;
        for (int i = 0; i < args.length - 1; i += 2) {
            if (args[i].equals("--megabytes")) {
                megabytes = Integer.parseInt(args[i + 1]);
            } else {
                throw new IllegalArgumentException("unknown option " + args[i] + " (--megabytes N)");
            }
        }
        Path dir = Files.createTempDirectory("psk-bench");
        Path data = dir.resolve("data.bin");
        byte[] block = new byte[1 << 20];
        new Random(1).nextBytes(block);
        try (OutputStream out = Files.newOutputStream(data)) {
            for (int i = 0; i < megabytes; i++) {
                out.write(block);
            }
        }
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        List<String> rows = new ArrayList<>();
        try (Sink sink = new Sink(group, 1)) {
            InetSocketAddress sinkAddress = new InetSocketAddress(InetAddress.getLoopbackAddress(), sink.ports().get(0));
            double[] ours = new double[2];
            double[] stunnel = new double[2];
            try (BearerPlane plane = new BearerPlane(BearerConfig.DEFAULT)) {
                int index = 0;
                for (int sessions : new int[] {1, 4}) {
                    List<Integer> ports = new ArrayList<>();
                    for (int s = 0; s < sessions; s++) {
                        LegSpec ue = LegSpec.passive(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                                Optional.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))).withPsk(new LegSpec.PskTls(false, KEY, Duration.ofSeconds(10)));
                        RelayPair pair = plane.open(ue, LegSpec.active(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), sinkAddress), event -> { })
                                .get(10, TimeUnit.SECONDS);
                        ports.add(pair.localAddress(Side.A).getPort());
                    }
                    ours[index++] = run(sink, ports, data, megabytes);
                }
            }
            Process process = stunnel(dir, sinkAddress.getPort());
            try {
                int port = stunnelPort;
                int index = 0;
                for (int sessions : new int[] {1, 4}) {
                    stunnel[index++] = run(sink, java.util.Collections.nCopies(sessions, port), data, megabytes);
                }
            } finally {
                process.destroy();
                process.waitFor(10, TimeUnit.SECONDS);
            }
            rows.add(String.format("| TLS-PSK→TCP, 1 session (MB/s) | %.0f | %.0f | **%.2f×** |", ours[0], stunnel[0], ours[0] / stunnel[0]));
            rows.add(String.format("| TLS-PSK→TCP, 4 sessions (MB/s) | %.0f | %.0f | **%.2f×** |", ours[1], stunnel[1], ours[1] / stunnel[1]));
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
        System.out.println("| figure | mediasec (Bouncy Castle PSK) | stunnel (OpenSSL PSK) | ours ÷ stunnel |");
        System.out.println("|---|---|---|---|");
        rows.forEach(System.out::println);
    }

    /** s_client per port pushes the file; MB/s from the first connect until the sink has all of it. */
    private static double run(Sink sink, List<Integer> ports, Path data, int megabytes) throws Exception {
        long before = sink.bytes();
        long expected = (long) megabytes * (1 << 20) * ports.size();
        List<Process> clients = new ArrayList<>();
        long start = System.nanoTime();
        for (int port : ports) {
            clients.add(new ProcessBuilder("openssl", "s_client", "-connect", "127.0.0.1:" + port, "-tls1_2", "-cipher", "PSK-AES128-GCM-SHA256",
                    "-psk_identity", IDENTITY, "-psk", HexFormat.of().formatHex(KEY), "-quiet")
                    .redirectInput(data.toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD).start());
        }
        long deadline = start + TimeUnit.MINUTES.toNanos(5);
        while (sink.bytes() - before < expected) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the sink got " + (sink.bytes() - before) + " of " + expected + " bytes within 5 minutes");
            }
            Thread.sleep(2);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        clients.forEach(Process::destroy);
        for (Process client : clients) {
            client.waitFor(10, TimeUnit.SECONDS);
        }
        return expected / 1e6 / seconds;
    }

    private static int stunnelPort;

    private static Process stunnel(Path dir, int sinkPort) throws Exception {
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            stunnelPort = probe.getLocalPort();
        }
        Path secrets = dir.resolve("psk.txt");
        Files.writeString(secrets, IDENTITY + ":" + new String(KEY, StandardCharsets.US_ASCII) + "\n");
        Files.setPosixFilePermissions(secrets, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        Path config = dir.resolve("stunnel-psk.conf");
        Files.writeString(config, """
                foreground = yes
                pid =
                output = %s
                [psk]
                accept = 127.0.0.1:%d
                connect = 127.0.0.1:%d
                sslVersionMax = TLSv1.2
                ciphers = PSK-AES128-GCM-SHA256
                PSKsecrets = %s
                """.formatted(dir.resolve("stunnel.log"), stunnelPort, sinkPort, secrets));
        Process process = new ProcessBuilder("stunnel4", config.toString()).redirectErrorStream(true).redirectOutput(dir.resolve("stunnel.out").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            try (Socket probe = new Socket("127.0.0.1", stunnelPort)) {
                return process;
            } catch (IOException notYet) {
                if (System.nanoTime() > deadline || !process.isAlive()) {
                    throw new IllegalStateException("stunnel did not start: " + Files.readString(dir.resolve("stunnel.out")));
                }
                Thread.sleep(50);
            }
        }
    }
}
