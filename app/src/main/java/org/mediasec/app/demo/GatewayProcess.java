package org.mediasec.app.demo;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A {@code mediasec gateway} in a process of its own (the same Java and class path as this one), configured by a
 * YAML file written here: H.248 over UDP on 127.0.0.1 towards one MGC, bearers on 127.0.0.1 in a port range of its
 * own. Output goes to {@code <directory>/<name>.log}.
 */
public final class GatewayProcess implements AutoCloseable {

    private final String name;
    private final Path directory;
    private final String profile;
    private final int controlPort;
    private final int mgcPort;
    private final int firstPort;
    private GatewayClassData classData;
    private Process process;

    private GatewayProcess(String name, Path directory, String profile, int controlPort, int mgcPort, int firstPort) {
        this.name = name;
        this.directory = directory;
        this.profile = profile;
        this.controlPort = controlPort;
        this.mgcPort = mgcPort;
        this.firstPort = firstPort;
    }

    /** A gateway named {@code name} of {@code profile} (ims-agw, trgw) registering with the MGC at 127.0.0.1:{@code mgcPort}. */
    public static GatewayProcess start(String name, Path directory, String profile, int mgcPort) throws IOException {
        // bearer ports below the ephemeral range, in a block of 200 picked at random so that runs side by side rarely meet
        int firstPort = 20000 + 200 * ThreadLocalRandom.current().nextInt(0, 60);
        GatewayProcess gateway = new GatewayProcess(name, directory, profile, freeUdpPort(), mgcPort, firstPort);
        gateway.launch();
        return gateway;
    }

    public String name() {
        return name;
    }

    public InetSocketAddress control() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), controlPort);
    }

    public Path log() {
        return directory.resolve(name + ".log");
    }

    private void launch() throws IOException {
        Files.createDirectories(directory);
        Path config = directory.resolve(name + ".yaml");
        Files.writeString(config, """
                profile: %s
                control: { address: 127.0.0.1, port: %d, transport: udp, version: 3, protectedNetwork: true }
                mgcs: ["127.0.0.1:%d"]
                realms:
                  - { name: access, address: 127.0.0.1, ports: %d-%d }
                metrics: { port: 0 }
                # scenario 4's impostor is the only one to come: its failed handshake releases the call after a 0.3 s
                # connect window rather than the default 10 s in which the real UE could still have arrived (the window
                # only matters once a handshake has failed: the other calls' UEs are not held to it)
                limits: { passiveWindowSeconds: 0.3 }
                """.formatted(profile, controlPort, mgcPort, firstPort, firstPort + 199));
        String java = ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        String classPath = System.getProperty("java.class.path");
        List<String> command = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED"));
        if (classPath.endsWith(".jar") && !classPath.contains(System.getProperty("path.separator"))) {
            // the runnable jar: class data recorded by the first start and used by every later one (JVM start is most of a
            // gateway's start-up; the dynamic archive roughly halves it, the AOT cache cuts a seventh more)
            if (classData == null) {
                classData = GatewayClassData.of(Path.of(classPath), profile);
            }
            command.addAll(classData.options(Path.of(classPath)));
            // only `mediasec demo` starts gateways from the runnable jar, and they live seconds: the C1 compiler alone (no
            // C2) cut a start-up's CPU from 3.2-3.6 s to 2.1 s on the 2-core machine (docs/performance.md); tests and
            // benchmarks run from class folders and keep the full compiler
            command.add("-XX:TieredStopAtLevel=1");
            command.add("-XX:CompileThresholdScaling=5"); // as the launcher's demo JVM: less compiled, sooner done
            // as the launcher's demo JVM: Netty's buffer allocator declares JFR events, and their classes bring up JFR's
            // event machinery at start (0.1-0.25 s of the demo's wall time, docs/performance.md); a gateway of the
            // product keeps them
            command.add("-Dio.netty.jfr.enabled=false");
            if (HugePages.onRequest(HugePages.SETTING)) {
                command.add("-XX:+UseTransparentHugePages"); // as the launcher's demo JVM: fewer page faults (HugePages)
            }
        }
        String options = System.getenv("MEDIASEC_JAVA_OPTS");
        if (options != null && !options.isBlank()) {
            command.addAll(List.of(options.trim().split("\\s+"))); // the same JVM options as the launcher's (./mediasec)
        }
        command.addAll(List.of("-cp", classPath, "org.mediasec.app.Main", "gateway", "--config", config.toString(), "--data-dir",
                directory.resolve("data-" + name).toString()));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("MEDIASEC_STARTUP_TRACE", "1"); // the log says where its start-up's time went
        builder.environment().put("MEDIASEC_LAUNCHED_AT", Long.toString(System.currentTimeMillis())); // from here
        process = builder.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log().toFile())).start();
    }

    /** Kills the process outright (no ServiceChange) and starts it again on the same ports: a gateway reboot. */
    public void restart() throws IOException, InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
        processEnded(false);
        launch();
    }

    /** Stops the process as an operator would (SIGTERM: ServiceChange Forced, contexts released) and starts it again. */
    public void restartGracefully() throws IOException, InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            throw new IOException("gateway " + name + " did not stop within 10 s of SIGTERM (" + log() + ")");
        }
        processEnded(true);
        launch();
    }

    /** The gateway's process ID (a test stops and resumes it with signals: a gateway that does not answer for a while). */
    public long pid() {
        return process.pid();
    }

    public boolean alive() {
        return process.isAlive();
    }

    private static int freeUdpPort() throws IOException {
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() throws InterruptedException {
        boolean endedByItself = true;
        if (process != null && process.isAlive()) {
            process.destroy(); // SIGTERM: ServiceChange Forced, contexts released
            // a JVM that records its AOT cache writes it after its work is done: give it time to (once per jar and JDK)
            if (!process.waitFor(classData != null && classData.recording() ? 60 : 10, TimeUnit.SECONDS)) {
                endedByItself = false;
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        }
        processEnded(endedByItself);
    }

    private void processEnded(boolean endedByItself) {
        if (classData != null) {
            try {
                classData.processEnded(endedByItself);
            } catch (IOException e) {
                // the cache is an optimisation: the next demo records it again
                System.err.println("mediasec demo: cannot keep the class data of " + name + ": " + e);
            }
        }
    }
}
