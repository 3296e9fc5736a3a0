package org.mediasec.it.megaco;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * An Erlang/OTP megaco MGC or MG (it/src/test/resources/megaco/megaco_peer.escript) running as a child process;
 * its output lines are collected as they come, so a test can wait for an event.
 */
final class MegacoPeer implements AutoCloseable {

    private final Process process;
    private final List<String> lines = Collections.synchronizedList(new ArrayList<>());

    private MegacoPeer(Process process) {
        this.process = process;
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    synchronized (lines) {
                        lines.add(line);
                        lines.notifyAll();
                    }
                }
            } catch (IOException e) {
                // the process went away; await() reports what we have
            }
        }, "megaco-peer-output");
        reader.setDaemon(true);
        reader.start();
    }

    static MegacoPeer start(Path dir, String... arguments) throws IOException {
        Path script = dir.resolve("megaco_peer.escript");
        try (InputStream in = MegacoPeer.class.getResourceAsStream("/megaco/megaco_peer.escript")) {
            Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
        }
        List<String> command = new ArrayList<>(List.of("escript", script.toString()));
        command.addAll(List.of(arguments));
        return new MegacoPeer(new ProcessBuilder(command).redirectErrorStream(true).start());
    }

    /** Waits for the first line that starts with {@code event}; fails with the whole output otherwise. */
    String await(String event, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lines) {
            while (true) {
                for (String line : lines) {
                    if (line.equals(event) || line.startsWith(event + " ")) {
                        return line;
                    }
                    if (line.startsWith("failed ")) {
                        throw new AssertionError("the megaco peer failed:\n" + String.join("\n", lines));
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0 || (!process.isAlive() && lines.stream().noneMatch(l -> l.startsWith(event)))) {
                    if (!process.isAlive()) {
                        lines.wait(200); // the last lines may still be on their way
                    }
                    throw new AssertionError("no '" + event + "' from the megaco peer; its output:\n" + String.join("\n", lines));
                }
                lines.wait(Math.min(TimeUnit.NANOSECONDS.toMillis(left) + 1, 200));
            }
        }
    }

    List<String> lines(String event) {
        synchronized (lines) {
            return lines.stream().filter(line -> line.startsWith(event + " ") || line.equals(event)).toList();
        }
    }

    String output() {
        synchronized (lines) {
            return String.join("\n", lines);
        }
    }

    /** Writes one line to the peer's stdin (a transaction for an {@code mgc-driven} peer). */
    void send(String line) throws IOException {
        process.getOutputStream().write((line + "\n").getBytes(StandardCharsets.UTF_8));
        process.getOutputStream().flush();
    }

    /** Ends the peer at once, as {@code kill -9} does (SIGKILL, its children too): no goodbye on the wire. */
    void kill() throws InterruptedException {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }

    /**
     * Sends {@code signal} ({@code STOP}, {@code CONT}) to the peer and its children, as {@code kill -SIGNAL} does: a
     * stopped peer keeps its sockets, and what reaches them waits in the kernel until it runs again.
     */
    void signal(String signal) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("kill", "-" + signal, Long.toString(process.pid())));
        process.descendants().forEach(child -> command.add(Long.toString(child.pid())));
        Process kill = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + output);
        }
    }

    /** Closes the peer's stdin (an MG then stops) and ends the process. */
    @Override
    public void close() throws InterruptedException {
        try {
            process.getOutputStream().close();
        } catch (IOException e) {
            // already gone
        }
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }

    /** A port free for both UDP and TCP on 127.0.0.1 (a peer binds it right after). */
    static int freePort() throws IOException {
        for (int attempt = 0; attempt < 20; attempt++) {
            try (ServerSocket tcp = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                    DatagramSocket udp = new DatagramSocket(tcp.getLocalPort(), InetAddress.getLoopbackAddress())) {
                return tcp.getLocalPort();
            } catch (IOException taken) {
                // the UDP port was in use: another try
            }
        }
        throw new IOException("no port free for both UDP and TCP");
    }
}
