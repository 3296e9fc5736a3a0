package org.mediasec.it.bench.relay;

import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.mediasec.bearer.tls.SelfSignedCertificate;
import org.mediasec.bearer.tls.TlsProvider;

/**
 * The relay benchmark (run on demand, not in CI): our bearer plane on each TLS provider, HAProxy and stunnel, each in
 * its own process on 127.0.0.0/8, driven by the same load generator and sink, in one run:
 * <ol>
 *   <li>TLS→TCP throughput, one session and many concurrent sessions (MB/s at the sink);</li>
 *   <li>full mutual-auth TLS 1.3 handshakes per second (ECDSA P-256; ours checks the fingerprint, the others verify
 *       the UE certificate against itself as the only CA);</li>
 *   <li>TCP↔TCP throughput (stunnel cannot relay plain TCP);</li>
 *   <li>memory per idle TLS↔TCP session (RSS, and heap for ours).</li>
 * </ol>
 * Every figure is printed with its ratio to HAProxy and stunnel; the AES-128-GCM single-core ceiling comes from
 * {@code openssl speed}.
 *
 * <pre>./mvnw -q -pl it -am install -DskipTests -Dfuzz.skip=true && ./mvnw -q -pl it exec:exec@relay-bench</pre>
 * Options: {@code --seconds N} (each measurement, default 8), {@code --sessions N} (concurrent sessions, 1000),
 * {@code --idle N} (idle sessions for the memory figure, 8000), {@code --relays ours,jdk,haproxy,stunnel},
 * {@code --figures tls1,tls-many,handshakes,tcp1,idle}.
 */
public final class RelayBench {

    private static List<String> figures;

    private record Figures(double tls1, double tlsMany, double handshakes, double tcp1, double rssPerIdle, double heapPerIdle) {}

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new LinkedHashMap<>(Map.of("--seconds", "8", "--sessions", "1000", "--idle", "8000",
                "--relays", "ours,jdk,haproxy,stunnel", "--figures", "tls1,tls-many,handshakes,tcp1,idle"));
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i], args[i + 1]);
        }
        int seconds = Integer.parseInt(options.get("--seconds"));
        int sessions = Integer.parseInt(options.get("--sessions"));
        int idle = Integer.parseInt(options.get("--idle"));
        List<String> relays = List.of(options.get("--relays").split(","));
        figures = List.of(options.get("--figures").split(","));

        Path dir = Files.createTempDirectory("relay-bench");
        SelfSignedCertificate relay = SelfSignedCertificate.generate("relay", Duration.ofDays(1));
        SelfSignedCertificate ue = SelfSignedCertificate.generate("ue", Duration.ofDays(1));
        relay.write(dir.resolve("relay.pem"), dir.resolve("relay.key"));
        ue.write(dir.resolve("ue.pem"), dir.resolve("ue.key"));
        Files.writeString(dir.resolve("relay-combined.pem"), Files.readString(dir.resolve("relay.pem")) + Files.readString(dir.resolve("relay.key")));

        System.out.printf("relay benchmark: %d s per figure, %d concurrent sessions, %d idle sessions, %d cores, %s%n", seconds, sessions, idle,
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        System.out.printf("AES-128-GCM single core (openssl speed, 16 KiB blocks): %.0f MB/s%n", aesGcmCeiling());

        EventLoopGroup generatorLoops = new MultiThreadIoEventLoopGroup(2, EpollIoHandler.newFactory());
        EventLoopGroup sinkLoops = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        Map<String, Figures> results = new LinkedHashMap<>();
        try (Sink sink = new Sink(sinkLoops, 2)) {
            LoadGenerator generator = new LoadGenerator(generatorLoops, dir);
            for (String which : relays) {
                try (Relay under = switch (which) {
                    case "ours" -> new OurRelayProcess(dir, TlsProvider.OPENSSL, sink.ports());
                    case "jdk" -> new OurRelayProcess(dir, TlsProvider.JDK, sink.ports());
                    case "haproxy" -> PeerRelay.haproxy(dir, sink.ports().get(0), freePort(), freePort(), idle + 1000);
                    case "stunnel" -> PeerRelay.stunnel(dir, sink.ports().get(0), freePort());
                    case "splice" -> new SpliceRelayProcess(sink.ports().get(0));
                    default -> throw new IllegalArgumentException("unknown relay " + which + ": ours, jdk, haproxy, stunnel or splice");
                }) {
                    System.out.println("== " + under.name());
                    results.put(under.name(), measure(under, generator, sink, seconds, sessions, idle));
                } catch (Exception e) {
                    System.out.println("   " + which + " failed: " + e);
                }
            }
        } finally {
            generatorLoops.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            sinkLoops.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
        String table = table(results);
        System.out.println();
        System.out.println(table);
        Path report = Path.of("target", "relay-bench.md");
        Files.createDirectories(report.getParent());
        Files.writeString(report, table, StandardCharsets.UTF_8);
        System.out.println("(also in " + report.toAbsolutePath() + ")");
    }

    private static Figures measure(Relay relay, LoadGenerator generator, Sink sink, int seconds, int sessions, int idle) throws Exception {
        double tls1 = figure("tls1", () -> throughput(relay, generator, sink, 1, true, seconds));
        System.out.printf("   TLS->TCP, 1 session:          %8.0f MB/s%n", tls1);
        double tlsMany = figure("tls-many", () -> throughput(relay, generator, sink, sessions, true, seconds));
        System.out.printf("   TLS->TCP, %d sessions:      %8.0f MB/s%n", sessions, tlsMany);
        double handshakes = figure("handshakes", () -> handshakes(relay, generator, seconds));
        System.out.printf("   TLS 1.3 mutual-auth handshakes: %6.0f /s%n", handshakes);
        double tcp1 = relay.relaysPlainTcp() ? figure("tcp1", () -> throughput(relay, generator, sink, 1, false, seconds)) : Double.NaN;
        System.out.printf("   TCP<->TCP, 1 session:         %8.0f MB/s%n", tcp1);
        if (!figures.contains("idle") || relay instanceof SpliceRelayProcess) {
            return new Figures(tls1, tlsMany, handshakes, tcp1, Double.NaN, Double.NaN);
        }
        Relay.Memory before = relay.memory();
        List<Channel> channels = generator.idle(relay.targets(idle, true), true);
        Thread.sleep(2000);
        Relay.Memory after = relay.memory();
        LoadGenerator.closeAll(channels);
        relay.releaseAll();
        double rss = (after.rss() - before.rss()) / (double) idle;
        double heap = after.heap() < 0 ? Double.NaN : (after.heap() - before.heap()) / (double) idle;
        System.out.printf("   per idle TLS<->TCP session (%d): %.1f KiB RSS, %.1f KiB heap%n", idle, rss / 1024, heap / 1024);
        return new Figures(tls1, tlsMany, handshakes, tcp1, rss, heap);
    }

    private interface Measurement {
        double run() throws Exception;
    }

    /** One figure, or NaN when it is not asked for or the relay fails it (reported, the run goes on). */
    private static double figure(String name, Measurement measurement) {
        if (!figures.contains(name)) {
            return Double.NaN;
        }
        try {
            return measurement.run();
        } catch (Exception e) {
            System.out.println("   " + name + " failed: " + e);
            return Double.NaN;
        }
    }

    private static double throughput(Relay relay, LoadGenerator generator, Sink sink, int sessions, boolean tls, int seconds) throws Exception {
        List<Channel> channels = generator.send(relay.targets(sessions, tls), tls);
        Thread.sleep(2000); // warm-up
        long start = sink.bytes();
        long began = System.nanoTime();
        Thread.sleep(seconds * 1000L);
        long bytes = sink.bytes() - start;
        double elapsed = (System.nanoTime() - began) / 1e9;
        LoadGenerator.closeAll(channels);
        relay.releaseAll();
        Thread.sleep(500);
        return bytes / elapsed / 1e6;
    }

    /** Handshakes in rounds of 1,000 sessions (ours opens its 1,000 pairs between rounds, outside the clock). */
    private static double handshakes(Relay relay, LoadGenerator generator, int seconds) throws Exception {
        long done = 0;
        long spent = 0;
        for (int round = 0; round < Integer.getInteger("relay.warmup", 8); round++) { // warm-up: our relay's JIT compiles the handshake path meanwhile
            generator.handshakes(relay.targets(1000, true), 32);
            relay.releaseAll();
        }
        while (spent < TimeUnit.SECONDS.toNanos(seconds)) {
            long opening = System.nanoTime();
            List<InetSocketAddress> targets = relay.targets(1000, true);
            long began = System.nanoTime();
            done += generator.handshakes(targets, 32);
            spent += System.nanoTime() - began;
            relay.releaseAll();
            if (Boolean.getBoolean("relay.verbose")) {
                System.out.printf("    round: open %d ms, handshakes %d ms, release %d ms%n", (began - opening) / 1_000_000,
                        (System.nanoTime() - began) / 1_000_000, 0);
            }
        }
        return done / (spent / 1e9);
    }

    private static double aesGcmCeiling() {
        try {
            Process speed = new ProcessBuilder("openssl", "speed", "-seconds", "2", "-bytes", "16384", "-evp", "aes-128-gcm").redirectErrorStream(true).start();
            String out = new String(speed.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            speed.waitFor();
            for (String line : out.split("\n")) {
                if (line.toLowerCase(Locale.ROOT).startsWith("aes-128-gcm")) {
                    String[] words = line.trim().split("\\s+");
                    return Double.parseDouble(words[words.length - 1].replace("k", "")) * 1000 / 1e6;
                }
            }
            return Double.NaN;
        } catch (IOException | InterruptedException | NumberFormatException e) {
            return Double.NaN;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0)) {
            return probe.getLocalPort();
        }
    }

    private static String table(Map<String, Figures> results) {
        Figures haproxy = results.get("HAProxy");
        Figures stunnel = results.get("stunnel");
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"TLS→TCP, 1 session (MB/s)"});
        rows.add(new String[] {"TLS→TCP, many sessions (MB/s)"});
        rows.add(new String[] {"TLS 1.3 mutual-auth handshakes/s"});
        rows.add(new String[] {"TCP↔TCP, 1 session (MB/s)"});
        rows.add(new String[] {"RSS per idle TLS↔TCP session (KiB)"});
        rows.add(new String[] {"heap per idle TLS↔TCP session (KiB)"});
        StringBuilder out = new StringBuilder("| figure |");
        results.keySet().forEach(name -> out.append(' ').append(name).append(" |"));
        out.append(" ours ÷ HAProxy | ours ÷ stunnel |\n|---|");
        results.keySet().forEach(name -> out.append("---|"));
        out.append("---|---|\n");
        Figures ours = results.get("mediasec (openssl)");
        for (int row = 0; row < rows.size(); row++) {
            out.append("| ").append(rows.get(row)[0]).append(" |");
            for (Figures figures : results.values()) {
                out.append(' ').append(format(value(figures, row), row >= 4)).append(" |");
            }
            out.append(' ').append(ratio(ours, haproxy, row)).append(" | ").append(ratio(ours, stunnel, row)).append(" |\n");
        }
        return out.toString();
    }

    private static double value(Figures figures, int row) {
        return switch (row) {
            case 0 -> figures.tls1();
            case 1 -> figures.tlsMany();
            case 2 -> figures.handshakes();
            case 3 -> figures.tcp1();
            case 4 -> figures.rssPerIdle() / 1024;
            default -> figures.heapPerIdle() / 1024;
        };
    }

    private static String format(double value, boolean fraction) {
        return Double.isNaN(value) ? "n/a" : fraction ? String.format("%.1f", value) : String.format("%,.0f", value);
    }

    private static String ratio(Figures ours, Figures peer, int row) {
        if (ours == null || peer == null || Double.isNaN(value(ours, row)) || Double.isNaN(value(peer, row)) || value(peer, row) == 0) {
            return "n/a";
        }
        return String.format("%.2f×", value(ours, row) / value(peer, row));
    }
}
