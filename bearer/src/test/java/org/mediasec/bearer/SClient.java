package org.mediasec.bearer;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code openssl s_client} as a UE: its standard input stays open until {@link #closeInput} (so that it neither
 * leaves at the end of its input nor misses what the server sends after the handshake), its output and errors in
 * files of the test's directory.
 */
final class SClient implements AutoCloseable {

    private final Process process;
    private final Path out;
    private final Path err;
    private final OutputStream input;

    private SClient(Process process, Path out, Path err) {
        this.process = process;
        this.out = out;
        this.err = err;
        this.input = process.getOutputStream();
    }

    static SClient connect(Path dir, String name, int port, List<String> options) throws IOException {
        List<String> command = new ArrayList<>(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + port));
        command.addAll(options);
        Path out = dir.resolve(name + ".out");
        Path err = dir.resolve(name + ".err");
        Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        return new SClient(process, out, err);
    }

    /** What it printed so far, standard output then errors. */
    String output() throws IOException {
        return Files.readString(out) + Files.readString(err);
    }

    /** Waits until its output shows {@code text}. */
    SClient awaitOutput(String text) {
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(50)).until(() -> output().contains(text));
        return this;
    }

    void send(String line) throws IOException {
        input.write(line.getBytes(StandardCharsets.US_ASCII));
        input.flush();
    }

    void closeInput() throws IOException {
        input.close();
    }

    /** Whether it exited within {@code timeout}. */
    boolean exits(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
