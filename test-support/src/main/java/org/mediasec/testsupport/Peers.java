package org.mediasec.testsupport;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Finding and running the real peer programs that interoperability tests use. */
public final class Peers {

    private Peers() {}

    /** CI runs with {@code CI=true}; the system property {@code mediasec.ci} overrides it (for tests of this class). */
    public static boolean inCi() {
        String property = System.getProperty("mediasec.ci");
        if (property != null) {
            return Boolean.parseBoolean(property);
        }
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    /** The command's path on PATH, if any. */
    public static Optional<Path> find(String command) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String directory : path.split(File.pathSeparator)) {
            Path candidate = Path.of(directory, command);
            if (Files.isExecutable(candidate) && !Files.isDirectory(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** What a finished process printed and returned. */
    public record Result(int exitCode, String stdout, String stderr) {}

    /**
     * Runs a command with {@code input} on its standard input, and waits at most {@code timeout}; the process is
     * killed and an IOException thrown when it takes longer.
     */
    public static Result run(List<String> command, byte[] input, Duration timeout) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).start();
        CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> readAll(process.getInputStream()));
        CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> readAll(process.getErrorStream()));
        try (var stdin = process.getOutputStream()) {
            stdin.write(input);
        } catch (IOException closedEarly) {
            // the peer may exit before reading everything: its output says why
        }
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new IOException(String.join(" ", command) + " did not finish within " + timeout);
        }
        return new Result(process.exitValue(), new String(out.join(), StandardCharsets.UTF_8), new String(err.join(), StandardCharsets.UTF_8));
    }

    private static byte[] readAll(java.io.InputStream in) {
        try {
            return in.readAllBytes();
        } catch (IOException e) {
            return new byte[0];
        }
    }
}
