package org.mediasec.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Two {@code mediasec ue} commands chat directly over TLS, their SDP going through files. */
class UeCommandTest {

    private record Run(int exitCode, String out, String err) {}

    private static CompletableFuture<Run> run(String... args) {
        // a thread each: the common pool may have one thread on a small machine, and the two UEs wait for each other
        return CompletableFuture.supplyAsync(() -> {
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            CommandLine command = Main.commandLine();
            command.setOut(new PrintWriter(out, true));
            command.setErr(new PrintWriter(err, true));
            int code = command.execute(args);
            return new Run(code, out.toString(), err.toString());
        }, task -> Thread.ofVirtual().start(task));
    }

    @Test
    void twoUesChatOverTlsWithSdpInFiles(@TempDir Path directory) throws Exception {
        String offer = directory.resolve("a.sdp").toString();
        String answer = directory.resolve("b.sdp").toString();
        CompletableFuture<Run> alice = run("ue", "--name", "alice", "--tls", "--offer-out", offer, "--answer-in", answer, "--send", "hello bob",
                "--expect", "1", "--wait", "20");
        CompletableFuture<Run> bob = run("ue", "--name", "bob", "--tls", "--offer-in", offer, "--answer-out", answer, "--send", "hello alice",
                "--expect", "1", "--wait", "20");
        Run a = alice.get(30, TimeUnit.SECONDS);
        Run b = bob.get(30, TimeUnit.SECONDS);
        assertThat(a.exitCode()).as(a.out() + a.err()).isZero();
        assertThat(b.exitCode()).as(b.out() + b.err()).isZero();
        assertThat(a.out()).contains("TLS TLSv1.3 established", "message text/plain (11 bytes): hello alice");
        assertThat(b.out()).contains("peer fingerprint checked", "message text/plain (9 bytes): hello bob");
    }

    @Test
    void badOptionsAreUsageErrors(@TempDir Path directory) throws Exception {
        assertThat(run("ue", "--offer-out", directory.resolve("x").toString()).get(10, TimeUnit.SECONDS).exitCode()).isEqualTo(2);
        assertThat(run("ue", "--e2ae", "--offer-out", "a", "--answer-in", "b").get(10, TimeUnit.SECONDS).exitCode()).isEqualTo(2);
        assertThat(run("ue", "--setup", "holdconn", "--offer-out", "a", "--answer-in", "b").get(10, TimeUnit.SECONDS).exitCode()).isEqualTo(2);
    }
}
