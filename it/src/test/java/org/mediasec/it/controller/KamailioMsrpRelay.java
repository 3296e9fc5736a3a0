package org.mediasec.it.controller;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.mediasec.testsupport.FreePorts;

/**
 * Kamailio 5.6 (Debian {@code kamailio}) as a stand-alone RFC 4976 MSRP relay: {@code kamailio-msrp-relay.cfg} (next
 * to this class) with its address set to 127.0.0.1 and a free port, run in the foreground as the current user with its
 * runtime directory in {@code directory}; its log (one line per frame it handles) goes to {@code directory/kamailio.log}.
 * Started means: its MSRP port accepts TCP connections.
 */
final class KamailioMsrpRelay implements AutoCloseable {

    static final String COMMAND = "kamailio";
    static final String DEBIAN_PACKAGE = "kamailio";
    private static final String ADDRESS_PLACEHOLDER = "RELAY_ADDRESS";
    private static final Duration READY = Duration.ofSeconds(30);

    private final Process process;
    private final Path log;
    private final InetSocketAddress address;

    private KamailioMsrpRelay(Process process, Path log, InetSocketAddress address) {
        this.process = process;
        this.log = log;
        this.address = address;
    }

    static KamailioMsrpRelay start(Path directory) throws IOException, InterruptedException, TimeoutException {
        Files.createDirectories(directory.resolve("run"));
        int port = FreePorts.tcp();
        String config;
        try (InputStream in = KamailioMsrpRelay.class.getResourceAsStream("kamailio-msrp-relay.cfg")) {
            if (in == null) {
                throw new IOException("kamailio-msrp-relay.cfg is not on the class path");
            }
            config = new String(in.readAllBytes(), StandardCharsets.UTF_8).replace(ADDRESS_PLACEHOLDER, "127.0.0.1:" + port);
        }
        Path file = directory.resolve("kamailio-msrp-relay.cfg");
        Files.writeString(file, config);
        Path log = directory.resolve("kamailio.log");
        Process process = new ProcessBuilder(List.of(COMMAND, "-f", file.toString(), "-DD", "-E", "-Y", directory.resolve("run").toString(), "-P",
                directory.resolve("run").resolve("kamailio.pid").toString(), "-w", directory.toString(), "-m", "64", "-M", "8"))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        KamailioMsrpRelay relay = new KamailioMsrpRelay(process, log, new InetSocketAddress("127.0.0.1", port));
        long deadline = System.nanoTime() + READY.toNanos();
        while (!relay.accepts()) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                relay.close();
                throw new TimeoutException("Kamailio's MSRP port " + port + " did not open within " + READY.toSeconds() + " s (" + log + "):\n"
                        + relay.logText().lines().filter(line -> line.contains("ERROR") || line.contains("CRITICAL")).limit(10).toList());
            }
            Thread.sleep(50);
        }
        return relay;
    }

    private boolean accepts() {
        try (Socket probe = new Socket()) {
            probe.connect(address, 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    InetSocketAddress address() {
        return address;
    }

    String logText() throws IOException {
        return Files.exists(log) ? Files.readString(log, StandardCharsets.ISO_8859_1) : "";
    }

    /** The log lines that contain {@code marker}. */
    List<String> logLines(String marker) throws IOException {
        return logText().lines().filter(line -> line.contains(marker)).toList();
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
