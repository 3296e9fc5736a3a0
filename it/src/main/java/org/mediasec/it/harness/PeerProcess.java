package org.mediasec.it.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A peer program that a harness starts, watches and stops (the gateway under test, rtpengine): its standard output
 * and error both go to one log file, which the harness quotes when the peer fails to come up. Closing sends SIGTERM
 * and waits up to the stop time before a kill, so that a peer that releases its resources on SIGTERM can do so.
 * Thread rule: one owner (the harness's main thread).
 */
public final class PeerProcess implements AutoCloseable {

    private final List<String> command;
    private final Process process;
    private final Path log;
    private final Duration stop;

    private PeerProcess(List<String> command, Process process, Path log, Duration stop) {
        this.command = command;
        this.process = process;
        this.log = log;
        this.stop = stop;
    }

    /** Starts {@code command}, its output replacing {@code log}; {@link #close} waits up to {@code stop}. */
    public static PeerProcess start(List<String> command, Path log, Duration stop) throws IOException {
        return new PeerProcess(List.copyOf(command), begin(command, ProcessBuilder.Redirect.to(log.toFile())), log, stop);
    }

    /** As {@link #start}, its output appended to {@code log} (a peer started again writes on after its earlier life). */
    public static PeerProcess startAppending(List<String> command, Path log, Duration stop) throws IOException {
        return new PeerProcess(List.copyOf(command), begin(command, ProcessBuilder.Redirect.appendTo(log.toFile())), log, stop);
    }

    /**
     * The Java that runs this harness, to start {@code org.mediasec.app.Main} as the {@code mediasec} script starts it
     * (same Java, the harness's class path).
     */
    public static String java() {
        return ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    /** The same command started again, its output appended to the same log (e.g. after {@link #kill}). */
    public PeerProcess restarted() throws IOException {
        return startAppending(command, log, stop);
    }

    public long pid() {
        return process.pid();
    }

    public boolean alive() {
        return process.isAlive();
    }

    public Path log() {
        return log;
    }

    /** The log as it stands, or "(none)" when the peer never wrote one: for the message of a peer that did not come up. */
    public String logText() throws IOException {
        return Files.exists(log) ? Files.readString(log) : "(none)";
    }

    /** SIGKILL: the peer releases nothing (a crash). */
    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor(stop.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** SIGTERM, then a kill if the peer has not ended within the stop time. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(stop.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static Process begin(List<String> command, ProcessBuilder.Redirect output) throws IOException {
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output).start();
    }
}
