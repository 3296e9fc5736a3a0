package org.mediasec.it.bench.callrate;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.mediasec.app.ServerJvmOptions;
import org.mediasec.it.harness.PeerProcess;

/**
 * {@code mediasec gateway} in a JVM of its own (the same Java and class path as the benchmark, started as the
 * {@code mediasec} script starts it), configured by a YAML file (docs/gateway.md): IMS-AGW, H.248 over UDP towards
 * the benchmark's MGC, {@value #PORTS} bearer ports on 127.0.0.1, the bearer plane on {@code eventLoops} threads.
 * Its output goes to {@code <directory>/gateway-<loops>.log}. Thread rule: one owner (the benchmark's main thread).
 */
record GatewayUnderTest(PeerProcess process, InetSocketAddress control) implements AutoCloseable {

    /** Bearer ports: two per context, 5,000 contexts at once, below the ephemeral range (32768) and the tests' blocks (20000 up). */
    static final int FIRST_PORT = 10000;
    static final int PORTS = 10000;
    /** More than the port range can hold, so that ports, not this limit, bound the contexts. */
    private static final int MAX_CONTEXTS = 100_000;
    private static final Duration STOP = Duration.ofSeconds(20);

    /**
     * Starts the gateway on {@code controlPort}, registering with the MGC on {@code mgcPort}; {@code quietLogs} turns
     * its per-context INFO lines off ({@code -Dmediasec.log=warn}), otherwise it logs as shipped.
     */
    static GatewayUnderTest start(Path directory, int controlPort, int mgcPort, int eventLoops, boolean quietLogs) throws IOException {
        Files.createDirectories(directory);
        Path config = directory.resolve("gateway-" + eventLoops + ".yaml");
        Files.writeString(config, """
                profile: ims-agw
                control: { address: 127.0.0.1, port: %d, transport: udp, version: 3 }
                mgcs: ["127.0.0.1:%d"]
                realms: [ { name: access, address: 127.0.0.1, ports: %d-%d } ]
                metrics: { port: 0 }
                limits: { maxContexts: %d, eventLoops: %d }
                """.formatted(controlPort, mgcPort, FIRST_PORT, FIRST_PORT + PORTS - 1, MAX_CONTEXTS, eventLoops));
        List<String> command = new ArrayList<>(List.of(PeerProcess.java(), "--enable-native-access=ALL-UNNAMED"));
        command.addAll(ServerJvmOptions.options()); // as ./mediasec gateway starts it
        if (quietLogs) {
            command.add("-Dmediasec.log=warn");
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "org.mediasec.app.Main", "gateway", "--config", config.toString(),
                "--data-dir", directory.resolve("gateway-data").toString()));
        PeerProcess process = PeerProcess.start(command, directory.resolve("gateway-" + eventLoops + ".log"), STOP);
        return new GatewayUnderTest(process, new InetSocketAddress(InetAddress.getLoopbackAddress(), controlPort));
    }

    /** SIGTERM (the gateway deregisters and releases everything), then a kill if it has not ended in time. */
    @Override
    public void close() {
        process.close();
    }

    static int freeUdpPort() throws IOException {
        try (DatagramSocket probe = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        }
    }
}
