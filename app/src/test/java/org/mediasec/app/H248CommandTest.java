package org.mediasec.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mediasec.h248.text.H248TextParser;
import picocli.CommandLine;

/** {@code mediasec h248 …} run in-process on real files. */
class H248CommandTest {

    private static final String NOTIFY = """
            MEGACO/1 [124.124.124.222]:55555
            Transaction = 10002 {
                Context = - {
                    Notify = a4444 {ObservedEvents = 2222 {
                        19990729T22000000:al/of}}
                }
            }
            """;

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine commandLine = Main.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        return commandLine.execute(args);
    }

    private Path file(String text) throws IOException {
        Path path = dir.resolve("message.h248");
        Files.writeString(path, text, StandardCharsets.UTF_8);
        return path;
    }

    @Test
    void prettyPrintsLongTokensThatParseToTheSameMessage() throws Exception {
        Path message = file(NOTIFY);

        assertThat(run("h248", "pretty", message.toString())).isZero();

        assertThat(out.toString()).contains("Transaction").contains("Notify").contains("ObservedEvents");
        assertThat(H248TextParser.parse(out.toString())).isEqualTo(H248TextParser.parse(NOTIFY));
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void compactPrintsShortTokensThatParseToTheSameMessage() throws Exception {
        Path message = file(NOTIFY);

        assertThat(run("h248", "compact", message.toString())).isZero();

        assertThat(out.toString()).doesNotContain("Transaction").contains("N=").contains("OE=");
        assertThat(out.toString().length()).isLessThan(NOTIFY.length());
        assertThat(H248TextParser.parse(out.toString())).isEqualTo(H248TextParser.parse(NOTIFY));
    }

    @Test
    void decodePrintsTheStructure() throws Exception {
        assertThat(run("h248", "decode", file(NOTIFY).toString())).isZero();

        assertThat(out.toString()).startsWith("Message").contains("10002").contains("a4444");
    }

    @Test
    void encodeWithTpktIsNotPrintedAsTextButTheCompactFormIsTheDefault() throws Exception {
        assertThat(run("h248", "encode", file(NOTIFY).toString())).isZero();
        assertThat(H248TextParser.parse(out.toString())).isEqualTo(H248TextParser.parse(NOTIFY));
    }

    @Test
    @Tag("H248-6")
    void badInputGivesOneLineWithPositionAndTheH2488Code() throws Exception {
        Path message = file("MEGACO/1 [124.124.124.222]:55555\nTransaction = 10002 {\n  Context = - {\n    Notify = a4444 {ObservedEvents = 2222 {\n");

        int exit = run("h248", "pretty", message.toString());

        assertThat(exit).isEqualTo(H248Command.EXIT_INVALID_MESSAGE);
        assertThat(out.toString()).isEmpty();
        String line = err.toString().strip();
        assertThat(line).doesNotContain("\n");
        assertThat(line).matches(java.util.regex.Pattern.quote(message.toString()) + ":\\d+:\\d+: .*\\b4\\d\\d\\b.*");
    }

    @Test
    @Tag("H248-6")
    void unsupportedVersionIsError406() throws Exception {
        int exit = run("h248", "compact", file("MEGACO/9 [124.124.124.222]:55555 Transaction = 1 { Context = - { Notify = a1 {} } }").toString());

        assertThat(exit).isEqualTo(H248Command.EXIT_INVALID_MESSAGE);
        assertThat(err.toString()).contains("406");
    }

    @Test
    void oversizeInputIsRefusedWithoutReadingItAll() throws Exception {
        Path message = file(NOTIFY + " ".repeat(2000));

        int exit = run("h248", "pretty", "--max-bytes", "256", message.toString());

        assertThat(exit).isEqualTo(H248Command.EXIT_INVALID_MESSAGE);
        assertThat(err.toString()).contains("400");
    }

    @Test
    void missingFileIsExitTwo() {
        assertThat(run("h248", "pretty", dir.resolve("nope").toString())).isEqualTo(H248Command.EXIT_CANNOT_READ);
        assertThat(err.toString()).contains("no such file");
    }

    @Test
    void versionNamesTheRelease() {
        assertThat(run("--version")).isZero();
        assertThat(out.toString()).startsWith("mediasec ").doesNotContain("${");
    }

    @Test
    void noSubcommandIsAUsageError() {
        assertThat(run()).isEqualTo(2);
        assertThat(err.toString()).contains("Usage:");
    }
}
