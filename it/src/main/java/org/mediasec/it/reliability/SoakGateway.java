package org.mediasec.it.reliability;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.mediasec.it.harness.PeerProcess;

/**
 * The {@code mediasec gateway} process under soak (same Java and class path as the harness, started as the
 * {@code mediasec} script starts it): IMS-AGW, H.248 over UDP towards the harness's MGC, a bearer port range sized to
 * the sessions, its Prometheus metrics on a port of its own. Also what the harness reads of it from outside: open
 * file descriptors, resident memory and threads from {@code /proc/<pid>}, the heap used after a full GC ({@code jcmd}),
 * the gateway's own gauges. Thread rule: one owner (the harness's main thread; the sampler runs on it).
 */
final class SoakGateway implements AutoCloseable {

    /** Bearer ports start here by default: below the ephemeral range (32768), as the call-rate benchmark's. */
    static final int FIRST_PORT = 10000;
    /** Ports beyond two per session: calls being set up and released while the others hold theirs (churn). */
    private static final double PORT_HEADROOM = 1.25;
    private static final int SPARE_PORTS = 200;
    private static final Duration STOP = Duration.ofSeconds(20);
    private static final long JCMD_SECONDS = 60;
    /** G1's {@code GC.heap_info}: "garbage-first heap   total 123456K, used 4567K". */
    private static final Pattern G1_HEAP_USED = Pattern.compile("used (\\d+)K");
    private static final Pattern STATUS_KIB = Pattern.compile("^(\\w+):\\s+(\\d+)", Pattern.MULTILINE);

    private final PeerProcess process;
    private final InetSocketAddress control;
    private final int metricsPort;

    private SoakGateway(PeerProcess process, InetSocketAddress control, int metricsPort) {
        this.process = process;
        this.control = control;
        this.metricsPort = metricsPort;
    }

    /** The bearer ports (from {@link #FIRST_PORT}) and the context table's size. */
    record Sizing(int ports, int maxContexts) {
        /** Room for {@code sessions} concurrent calls with churn; the ports, not the table, bound the contexts. */
        static Sizing forSessions(int sessions) {
            int ports = (int) (sessions * 2 * PORT_HEADROOM) + SPARE_PORTS;
            return new Sizing(ports, ports / 2);
        }
    }

    /** Starts the gateway on {@code controlPort}, sized by {@code sizing}, registering with the MGC on {@code mgcPort}. */
    static SoakGateway start(Path directory, int controlPort, int mgcPort, Sizing sizing, int eventLoops, String extraLimits) throws IOException {
        return start(directory, controlPort, mgcPort, sizing, eventLoops, extraLimits, FIRST_PORT);
    }

    /** As above, the bearer ports from {@code firstPort} (two soaks on one machine need ranges apart: a port both bind fails a call). */
    static SoakGateway start(Path directory, int controlPort, int mgcPort, Sizing sizing, int eventLoops, String extraLimits, int firstPort)
            throws IOException {
        Files.createDirectories(directory);
        int ports = sizing.ports();
        int metricsPort = freeTcpPort();
        Path config = directory.resolve("gateway.yaml");
        Files.writeString(config, """
                profile: ims-agw
                control: { address: 127.0.0.1, port: %d, transport: udp, version: 3 }
                mgcs: ["127.0.0.1:%d"]
                realms: [ { name: access, address: 127.0.0.1, ports: %d-%d } ]
                metrics: { port: %d }
                limits: { maxContexts: %d, eventLoops: %d%s }
                """.formatted(controlPort, mgcPort, firstPort, firstPort + ports - 1, metricsPort, sizing.maxContexts(), eventLoops, extraLimits));
        List<String> command = List.of(PeerProcess.java(), "--enable-native-access=ALL-UNNAMED", "-Dmediasec.log=warn",
                "-Dio.netty.leakDetection.level=simple", "-cp", System.getProperty("java.class.path"), "org.mediasec.app.Main", "gateway",
                "--config", config.toString(), "--data-dir", directory.resolve("gateway-data").toString());
        PeerProcess process = PeerProcess.startAppending(command, directory.resolve("gateway.log"), STOP);
        return new SoakGateway(process, new InetSocketAddress(InetAddress.getLoopbackAddress(), controlPort), metricsPort);
    }

    /** The same gateway started again (same configuration, data directory, ports and log), e.g. after {@link #kill}. */
    SoakGateway restarted() throws IOException {
        return new SoakGateway(process.restarted(), control, metricsPort);
    }

    InetSocketAddress control() {
        return control;
    }

    PeerProcess process() {
        return process;
    }

    /** Open file descriptors (sockets, epoll, jars, the log): the entries of {@code /proc/<pid>/fd}. */
    long openFiles() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(process.pid()), "fd"))) {
            return fds.count();
        }
    }

    /** Resident memory in KiB ({@code VmRSS}). */
    long residentKib() throws IOException {
        return status("VmRSS");
    }

    /** Threads of the process, the JVM's own included. */
    long threads() throws IOException {
        return status("Threads");
    }

    private long status(String field) throws IOException {
        Matcher line = STATUS_KIB.matcher(Files.readString(Path.of("/proc", Long.toString(process.pid()), "status")));
        while (line.find()) {
            if (line.group(1).equals(field)) {
                return Long.parseLong(line.group(2));
            }
        }
        throw new IOException("no " + field + " in /proc/" + process.pid() + "/status");
    }

    /** Heap used after a full GC, in KiB: {@code jcmd GC.run}, then G1's {@code GC.heap_info}. */
    long heapAfterGcKib() throws IOException, InterruptedException {
        jcmd("GC.run");
        Matcher used = G1_HEAP_USED.matcher(jcmd("GC.heap_info"));
        if (!used.find()) {
            throw new IOException("no heap figures in jcmd GC.heap_info");
        }
        return Long.parseLong(used.group(1));
    }

    private String jcmd(String command) throws IOException, InterruptedException {
        Path jcmd = Path.of(ProcessHandle.current().info().command().orElse("java")).resolveSibling("jcmd");
        Process tool = new ProcessBuilder(jcmd.toString(), Long.toString(process.pid()), command).redirectErrorStream(true).start();
        String text = new String(tool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!tool.waitFor(JCMD_SECONDS, TimeUnit.SECONDS) || tool.exitValue() != 0) {
            throw new IOException("jcmd " + command + " failed:\n" + text);
        }
        return text;
    }

    /** The sum of the gateway's Prometheus series named {@code metric} (0 when absent). */
    double metric(String metric) throws IOException {
        String scraped = new String(URI.create("http://127.0.0.1:" + metricsPort + "/metrics").toURL().openStream().readAllBytes(),
                StandardCharsets.UTF_8);
        List<String> lines = new ArrayList<>(scraped.lines().filter(line -> line.startsWith(metric + " ") || line.startsWith(metric + "{")).toList());
        return lines.stream().mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
    }

    /** SIGKILL: no ServiceChange, nothing released (the fault tests' crash). */
    void kill() throws InterruptedException {
        process.kill();
    }

    /** SIGTERM (the gateway deregisters and releases everything), then a kill if it has not ended in time. */
    @Override
    public void close() {
        process.close();
    }

    static int freeTcpPort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        }
    }
}
