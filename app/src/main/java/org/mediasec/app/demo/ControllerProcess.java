package org.mediasec.app.demo;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
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
 * A {@code mediasec controller} in a process of its own (the same Java and class path as this one), configured by a
 * YAML file written here: H.248 on 127.0.0.1 (or the address given), the gateways given, the ng port on UDP 127.0.0.1, metrics on a port of
 * its own. Output goes to {@code <directory>/<name>.log}.
 */
public final class ControllerProcess implements AutoCloseable {

    /** A gateway the controller serves: its name and H.248 control address and port. */
    public record Gateway(String name, String address, int controlPort) {
        /** A gateway on 127.0.0.1. */
        public Gateway(String name, int controlPort) {
            this(name, "127.0.0.1", controlPort);
        }
    }

    /** How many of the log's last lines a start-up failure quotes. */
    private static final int LOG_TAIL_LINES = 8;
    private static final Duration READY = Duration.ofSeconds(60);

    private final String name;
    private final Path directory;
    private final String h248Address;
    private final int h248Port;
    private final int ngPort;
    private final int metricsPort;
    private Process process;

    private ControllerProcess(String name, Path directory, String h248Address, int h248Port, int ngPort, int metricsPort) {
        this.name = name;
        this.directory = directory;
        this.h248Address = h248Address;
        this.h248Port = h248Port;
        this.ngPort = ngPort;
        this.metricsPort = metricsPort;
    }

    /** Picks the controller's ports: H.248 (the gateways must be told it before they start), ng and metrics. */
    public static ControllerProcess prepare(String name, Path directory) throws IOException {
        return prepare(name, directory, "127.0.0.1");
    }

    /** As {@link #prepare(String, Path)}, H.248 on {@code h248Address} (an address of this host, e.g. a test network's). */
    public static ControllerProcess prepare(String name, Path directory, String h248Address) throws IOException {
        return new ControllerProcess(name, directory, h248Address, freeUdpPort(), freeUdpPort(), freeUdpPort());
    }

    public int h248Port() {
        return h248Port;
    }

    public InetSocketAddress ng() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), ngPort);
    }

    public int metricsPort() {
        return metricsPort;
    }

    public Path log() {
        return directory.resolve(name + ".log");
    }

    /** Starts the process with {@code extraYaml} appended to its configuration (e.g. a {@code calls:} section). */
    public void start(List<Gateway> gateways, String extraYaml) throws IOException {
        start(gateways, extraYaml, "");
    }

    /**
     * As {@link #start(List, String)}, with {@code extraNg} added to the {@code ng:} map (e.g. {@code softInFlight: 1},
     * without braces).
     */
    public void start(List<Gateway> gateways, String extraYaml, String extraNg) throws IOException {
        start(gateways, extraYaml, extraNg, List.of());
    }

    /**
     * As {@link #start(List, String, String)}, the JVM started with {@code jvmOptions} (e.g. {@code
     * ServerJvmOptions.options()}, as {@code ./mediasec controller} starts it).
     */
    public void start(List<Gateway> gateways, String extraYaml, String extraNg, List<String> jvmOptions) throws IOException {
        Files.createDirectories(directory);
        Path config = directory.resolve(name + ".yaml");
        StringBuilder yaml = new StringBuilder("role: ims-alg\nrealm: access\n")
                .append("h248: { address: ").append(h248Address).append(", port: ").append(h248Port).append(", version: 3 }\n")
                .append("ng: { udp: \"127.0.0.1:").append(ngPort).append("\", allowedSources: [127.0.0.1]").append(extraNg.isBlank() ? "" : ", " + extraNg).append(" }\n")
                .append("metrics: { address: 127.0.0.1, port: ").append(metricsPort).append(" }\n")
                .append("gateways:\n");
        gateways.forEach(g -> yaml.append("  - { name: ").append(g.name()).append(", address: \"").append(g.address()).append(":").append(g.controlPort())
                .append("\", realm: access }\n"));
        yaml.append(extraYaml);
        Files.writeString(config, yaml);
        String java = ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> command = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED"));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "org.mediasec.app.Main", "controller", "--config", config.toString()));
        process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log().toFile())).start();
    }

    /** Waits until the log says that each of {@code gateways} registered ({@code count} registrations in all). */
    public void awaitRegistrations(int count) throws IOException, InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + READY.toNanos();
        while (registrations() < count) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new TimeoutException("the controller saw " + registrations() + " of " + count + " registrations ("
                        + (process.isAlive() ? "still running" : "exited with " + process.exitValue()) + "; " + log() + " ends: " + logTail() + ")");
            }
            Thread.sleep(20);
        }
    }

    private long registrations() throws IOException {
        return Files.exists(log()) ? Files.readString(log(), StandardCharsets.UTF_8).lines().filter(line -> line.startsWith("gateway ") && line.contains(" registered")).count()
                : 0;
    }

    /** The log's last lines, for a failure's message (the test's folder may be gone when it is read). */
    private String logTail() throws IOException {
        List<String> lines = logText().lines().toList();
        return String.join(" | ", lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size()));
    }

    public String logText() throws IOException {
        return Files.exists(log()) ? Files.readString(log(), StandardCharsets.UTF_8) : "";
    }

    public long pid() {
        return process.pid();
    }

    public boolean alive() {
        return process != null && process.isAlive();
    }

    /** SIGTERM and the exit code (0: a clean shutdown). */
    public int stop(Duration timeout) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            process.waitFor();
        }
        return process.exitValue();
    }

    static int freeUdpPort() throws IOException {
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            stop(Duration.ofSeconds(10));
        }
    }
}
