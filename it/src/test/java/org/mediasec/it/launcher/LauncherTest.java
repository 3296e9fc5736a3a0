package org.mediasec.it.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mediasec.h248.text.H248TextParser;
import org.mediasec.testsupport.WireTest;

/**
 * The README's main command, run as a user runs it: the {@code ./mediasec} script at the root (which finds a
 * JDK, uses the jar the reactor just built, and runs the picocli command in its own process).
 */
class LauncherTest {

    private static final Path ROOT = Path.of(System.getProperty("mediasec.root", "..")).toAbsolutePath().normalize();

    record Result(int exit, String out, String err) {}

    private static Result mediasec(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(ROOT.resolve("mediasec").toString());
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).directory(ROOT.toFile()).start();
        process.getOutputStream().close();
        // generous: the script rebuilds the jar if a source is newer than it
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("./mediasec " + String.join(" ", args) + " did not finish in 5 minutes");
        }
        return new Result(
                process.exitValue(),
                new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
                new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    @Test
    void theReadmeExamplePrintsThePrettyForm() throws Exception {
        Path example = ROOT.resolve("examples/add-e2ae-msrp.h248");

        Result result = mediasec("h248", "pretty", example.toString());

        assertThat(result.exit()).as(result.err()).isZero();
        assertThat(result.out()).contains("Transaction").contains("Context").contains("Add").contains("TCP/TLS/MSRP");
        assertThat(H248TextParser.parse(result.out())).isEqualTo(H248TextParser.parse(Files.readAllBytes(example)));
    }

    @Test
    void versionAndHelp() throws Exception {
        Result version = mediasec("--version");
        assertThat(version.exit()).isZero();
        assertThat(version.out()).startsWith("mediasec 0.");

        Result help = mediasec("--help");
        assertThat(help.exit()).isZero();
        assertThat(help.out()).contains("h248");
    }

    @Test
    @Tag("H248-6")
    @WireTest
    void badMessageExitsOneWithPositionAndCode(@TempDir Path dir) throws Exception {
        Path bad = dir.resolve("bad.h248");
        Files.writeString(bad, "MEGACO/1 [124.124.124.222]:55555\nTransaction = 10002 {\n  Context = - {\n    Bogus = a4444\n  }\n}\n");

        Result result = mediasec("h248", "compact", bad.toString());

        assertThat(result.exit()).isEqualTo(1);
        assertThat(result.out()).isEmpty();
        assertThat(result.err().strip()).matches(".*bad\\.h248:4:\\d+: .*\\b4\\d\\d\\b.*");
    }

    @Test
    void readsStandardInput() throws Exception {
        ProcessBuilder builder = new ProcessBuilder(ROOT.resolve("mediasec").toString(), "h248", "compact", "-")
                .directory(ROOT.toFile());
        Process process = builder.start();
        process.getOutputStream().write("!/1 [1.2.3.4]:2944 T=7{C=-{N=ROOT{OE=1{19990729T22000000:g/cause}}}}".getBytes(StandardCharsets.UTF_8));
        process.getOutputStream().close();
        assertThat(process.waitFor(5, TimeUnit.MINUTES)).isTrue();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as(new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8)).isZero();
        assertThat(out).contains("T=7");
    }
}
