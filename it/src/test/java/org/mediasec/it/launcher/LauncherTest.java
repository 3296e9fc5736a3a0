package org.mediasec.it.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
        return mediasec(Map.of(), args);
    }

    private static Result mediasec(Map<String, String> environment, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(ROOT.resolve("mediasec").toString());
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(ROOT.toFile());
        builder.environment().putAll(environment);
        Process process = builder.start();
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

    /**
     * The commands that run as nodes get the JVM options of server-jvm.options (a young generation of fixed size in a
     * heap of at least 1 GB), the others not, and MEDIASEC_JAVA_OPTS overrides them. The JVM's own account of its
     * flags is the proof.
     */
    @Test
    void theNodesRunWithTheServerJvmOptionsAndAnOperatorsOptionsWin() throws Exception {
        Map<String, String> printFlags = Map.of("MEDIASEC_JAVA_OPTS", "-XX:+PrintFlagsFinal");

        Result kms = mediasec(printFlags, "kms", "--help");
        Result h248 = mediasec(printFlags, "h248", "--help");
        Result overridden = mediasec(Map.of("MEDIASEC_JAVA_OPTS", "-Xmn256m -XX:+PrintFlagsFinal"), "controller", "--help");

        assertThat(kms.exit()).as(kms.err()).isZero();
        assertThat(flag(kms.out(), "InitialHeapSize")).isEqualTo("1073741824");
        assertThat(flag(kms.out(), "NewSize")).isEqualTo("536870912");
        assertThat(flag(kms.out(), "MaxNewSize")).isEqualTo("536870912");
        assertThat(Long.parseLong(flag(kms.out(), "MaxHeapSize"))).isGreaterThanOrEqualTo(1L << 30);
        assertThat(h248.exit()).as(h248.err()).isZero();
        assertThat(flag(h248.out(), "MaxNewSize")).isNotEqualTo("536870912");
        assertThat(overridden.exit()).as(overridden.err()).isZero();
        assertThat(flag(overridden.out(), "NewSize")).isEqualTo("268435456");
        assertThat(flag(overridden.out(), "InitialHeapSize")).isEqualTo("1073741824");
    }

    /** A flag's value in -XX:+PrintFlagsFinal's table ({@code size_t MaxHeapSize = 1073741824 {product} ...}). */
    private static String flag(String printed, String name) {
        Matcher line = Pattern.compile("^\\s*\\S+\\s+" + name + "\\s+:?=\\s+(\\S+)", Pattern.MULTILINE).matcher(printed);
        assertThat(line.find()).as("%s in the JVM's flags", name).isTrue();
        return line.group(1);
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
