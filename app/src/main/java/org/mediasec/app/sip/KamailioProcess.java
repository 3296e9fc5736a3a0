package org.mediasec.app.sip;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Kamailio (Debian {@code kamailio}, 5.6) as the P-CSCF in front of mediasec: the shipped example
 * ({@code examples/kamailio/kamailio.cfg}) with its ports replaced (and a longer wait for ng replies), run in the foreground ({@code -DD -E}) as the
 * current user, with its own runtime directory and pid file in {@code directory}; its log goes to
 * {@code directory/kamailio.log}. Started means: its rtpengine module pinged mediasec's ng port and got a pong.
 */
public final class KamailioProcess implements AutoCloseable {

    public static final String COMMAND = "kamailio";
    public static final String DEBIAN_PACKAGE = "kamailio";

    /** The example's addresses, replaced by the ones given. */
    private static final String EXAMPLE_ACCESS = "127.0.0.1:5060";
    private static final String EXAMPLE_CORE = "127.0.0.1:5070";
    private static final String EXAMPLE_NG = "udp:127.0.0.1:2223";
    /**
     * Kamailio's default wait for an ng reply (1 s, 5 tries) as the example writes it, and what runs here instead: on a
     * machine shared by many builds a gateway's first Add has taken 5 s, and Kamailio would have refused the call.
     */
    private static final String EXAMPLE_TIMEOUT = "modparam(\"rtpengine\", \"rtpengine_tout_ms\", 1000)";
    private static final String PATIENT_TIMEOUT = "modparam(\"rtpengine\", \"rtpengine_tout_ms\", 4000)";
    /** What Kamailio's rtpengine module logs once the ng port answered its ping (rtpengine.c, rtpp_test). */
    private static final String NG_FOUND = "found, support for it enabled";
    private static final Duration READY = Duration.ofSeconds(30);

    private final Process process;
    private final Path log;
    private final int accessPort;
    private final int corePort;

    private KamailioProcess(Process process, Path log, int accessPort, int corePort) {
        this.process = process;
        this.log = log;
        this.accessPort = accessPort;
        this.corePort = corePort;
    }

    /** The shipped example configuration. */
    public static String exampleConfig() throws IOException {
        try (InputStream in = KamailioProcess.class.getResourceAsStream("kamailio.cfg")) {
            if (in == null) {
                throw new IOException("kamailio.cfg is not on the class path (app's resources from examples/kamailio)");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /**
     * Starts Kamailio with UEs on 127.0.0.1:{@code accessPort}, the core on {@code corePort}, mediasec's ng port at
     * {@code ng}; {@code forkTest} turns on the example's test-only forking route.
     */
    public static KamailioProcess start(Path directory, int accessPort, int corePort, InetSocketAddress ng, boolean forkTest)
            throws IOException, InterruptedException, TimeoutException {
        Files.createDirectories(directory.resolve("run"));
        String config = exampleConfig().replace(EXAMPLE_ACCESS, "127.0.0.1:" + accessPort).replace(EXAMPLE_CORE, "127.0.0.1:" + corePort)
                .replace(EXAMPLE_NG, "udp:" + ng.getAddress().getHostAddress() + ":" + ng.getPort()).replace(EXAMPLE_TIMEOUT, PATIENT_TIMEOUT);
        Path file = directory.resolve("kamailio.cfg");
        Files.writeString(file, config);
        Path log = directory.resolve("kamailio.log");
        List<String> command = new ArrayList<>(List.of(COMMAND, "-f", file.toString(), "-DD", "-E", "-Y", directory.resolve("run").toString(),
                "-P", directory.resolve("run").resolve("kamailio.pid").toString(), "-w", directory.toString(), "-m", "64", "-M", "8"));
        if (forkTest) {
            command.addAll(List.of("-A", "WITH_FORK_TEST"));
        }
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        KamailioProcess kamailio = new KamailioProcess(process, log, accessPort, corePort);
        long deadline = System.nanoTime() + READY.toNanos();
        while (!kamailio.logText().contains(NG_FOUND)) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                kamailio.close();
                throw new TimeoutException("Kamailio did not find mediasec's ng port " + ng + " within " + READY.toSeconds() + " s (" + log + "):\n"
                        + kamailio.logText().lines().filter(line -> line.contains("ERROR") || line.contains("CRITICAL")).limit(10).toList());
            }
            Thread.sleep(50);
        }
        return kamailio;
    }

    public InetSocketAddress access() {
        return new InetSocketAddress("127.0.0.1", accessPort);
    }

    public InetSocketAddress core() {
        return new InetSocketAddress("127.0.0.1", corePort);
    }

    public Path log() {
        return log;
    }

    public String logText() throws IOException {
        return Files.exists(log) ? Files.readString(log, StandardCharsets.ISO_8859_1) : "";
    }

    public boolean alive() {
        return process.isAlive();
    }

    /** SIGTERM: Kamailio's main process stops its children and exits. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }
}
