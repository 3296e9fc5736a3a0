package org.mediasec.it.control;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code mediasec gateway} as a process of its own (same Java, same class path), with its YAML written to a file; its
 * output goes to a file the tests read. Also the JVM tools the tests use on it: a full GC and the heap used after it.
 */
public final class GatewayProcess implements AutoCloseable {

    private static final Pattern G1_HEAP_USED = Pattern.compile("used (\\d+)K");

    private final Process process;
    private final Path output;

    private GatewayProcess(Process process, Path output) {
        this.process = process;
        this.output = output;
    }

    static GatewayProcess start(Path dir, String name, String yaml) throws IOException {
        return start(dir, name, yaml, List.of());
    }

    /** As {@link #start(Path, String, String)}, the command after {@code prefix} (e.g. {@code ip netns exec <namespace>}). */
    public static GatewayProcess start(Path dir, String name, String yaml, List<String> prefix) throws IOException {
        Path config = dir.resolve(name + ".yaml");
        Files.writeString(config, yaml);
        Path out = dir.resolve(name + ".out");
        List<String> command = new ArrayList<>(prefix);
        command.addAll(List.of(java(), "--enable-native-access=ALL-UNNAMED", "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                "org.mediasec.app.Main", "gateway", "--config", config.toString(), "--data-dir", dir.resolve("data-" + name).toString()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        return new GatewayProcess(process, out);
    }

    private static String java() {
        return ProcessHandle.current().info().command().orElse("java");
    }

    public String output() throws IOException {
        return Files.readString(output);
    }

    Process process() {
        return process;
    }

    /** Heap used after a full GC of the gateway's JVM, in KiB (G1's {@code GC.heap_info}). */
    long heapUsedAfterGcKib() throws IOException, InterruptedException {
        jcmd("GC.run");
        String info = jcmd("GC.heap_info");
        Matcher used = G1_HEAP_USED.matcher(info);
        if (!used.find()) {
            throw new IllegalStateException("no heap figures in jcmd GC.heap_info:\n" + info);
        }
        return Long.parseLong(used.group(1));
    }

    private String jcmd(String command) throws IOException, InterruptedException {
        Path jcmd = Path.of(java()).resolveSibling("jcmd");
        Process tool = new ProcessBuilder(jcmd.toString(), Long.toString(process.pid()), command).redirectErrorStream(true).start();
        String text = new String(tool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!tool.waitFor(60, TimeUnit.SECONDS) || tool.exitValue() != 0) {
            throw new IllegalStateException("jcmd " + command + " failed:\n" + text);
        }
        return text;
    }

    /** One line of the gateway's Prometheus text whose name starts with {@code metric}, its value (0 when absent). */
    static double metric(int port, String metric) throws IOException {
        String scraped = new String(URI.create("http://127.0.0.1:" + port + "/metrics").toURL().openStream().readAllBytes(), StandardCharsets.UTF_8);
        List<String> lines = new ArrayList<>(scraped.lines().filter(line -> line.startsWith(metric + " ") || line.startsWith(metric + "{")).toList());
        return lines.stream().mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
    }

    static int udpPort() throws IOException {
        try (DatagramSocket probe = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        }
    }

    static int tcpPort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        }
    }

    /** A bearer port range of ten ports, below the ephemeral range, different per test JVM. */
    static int bearerPorts(int base) {
        return base + (int) (ProcessHandle.current().pid() % 500) * 10;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
