package org.mediasec.it.controller;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mediasec.app.Main;
import picocli.CommandLine;

/** {@code mediasec demo} as a user runs it: ladders, checks and verdicts on stdout, the HTML page, exit code 0. */
class DemoCommandTest {

    @Test
    void theDemoRunsItsScenariosPrintsLaddersAndWritesTheHtmlPage(@TempDir Path directory) throws Exception {
        Path html = directory.resolve("demo.html");
        StringWriter out = new StringWriter();
        CommandLine command = Main.commandLine();
        command.setOut(new PrintWriter(out, true));
        int exit = command.execute("demo", "--sequential", "--scenario", "3", "--scenario", "4", "--html", html.toString(), "--work-dir", directory.resolve("work").toString());
        assertThat(exit).as(out.toString()).isZero();
        assertThat(out.toString()).contains("SIP is not simulated", "UE-A            IMS-ALG         IMS-AGW         UE-B",
                "PASS  3", "PASS  4", "All scenarios passed.");
        assertThat(Files.readString(html)).contains("<svg", "Scenario 3", "Scenario 4", "tlsbsc/fail").doesNotContain("FAILED");
        assertThat(command.execute("demo", "--scenario", "9")).isEqualTo(2);
    }

    /**
     * A work folder is used again as a user would: the second run must not meet the first's KMS store (the conference's
     * users exist already) or anything else it left; a folder holding files a demo did not make is refused, untouched.
     */
    @Test
    void aWorkFolderADemoUsedServesTheNextRunAndAForeignOneIsRefused(@TempDir Path directory) throws Exception {
        Path work = directory.resolve("work");
        for (int run = 1; run <= 2; run++) {
            StringWriter out = new StringWriter();
            CommandLine command = Main.commandLine();
            command.setOut(new PrintWriter(out, true));
            int exit = command.execute("demo", "--scenario", "5", "--work-dir", work.toString());
            assertThat(exit).as("run %d: %s", run, out).isZero();
            assertThat(out.toString()).contains("PASS  5", "All scenarios passed.");
        }
        Path foreign = Files.createDirectories(directory.resolve("foreign"));
        Files.writeString(foreign.resolve("notes.txt"), "mine");
        StringWriter err = new StringWriter();
        CommandLine command = Main.commandLine();
        command.setErr(new PrintWriter(err, true));
        assertThat(command.execute("demo", "--scenario", "5", "--work-dir", foreign.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("--work-dir " + foreign, "holds files that no demo made");
        try (var entries = Files.list(foreign)) {
            assertThat(entries).containsExactly(foreign.resolve("notes.txt"));
        }
    }

    /**
     * The calls run at once through one IMS-AGW, yet each ladder draws its own call's H.248 only: one context each
     * (from the Add's reply to the Subtract), no two calls the same, and every H.248 line of a ladder names it.
     */
    @Test
    void callsRunAtOnceAndEachLadderDrawsItsOwnCallsH248Only(@TempDir Path directory) {
        StringWriter out = new StringWriter();
        CommandLine command = Main.commandLine();
        command.setOut(new PrintWriter(out, true));
        int exit = command.execute("demo", "--scenario", "1", "--scenario", "2", "--scenario", "3", "--scenario", "8", "--work-dir",
                directory.resolve("work").toString());
        assertThat(exit).as(out.toString()).isZero();
        String[] sections = out.toString().split("== Scenario ");
        assertThat(sections).hasSize(5);
        Pattern context = Pattern.compile("\\[C=([0-9$]+)]");
        List<Set<String>> contexts = new ArrayList<>();
        for (int i = 1; i < sections.length; i++) {
            String ladder = sections[i].substring(0, sections[i].indexOf("\n\n"));
            Set<String> own = new HashSet<>();
            List<String> h248 = ladder.lines().filter(line -> line.contains("[C=")).toList();
            for (String line : h248) {
                Matcher matcher = context.matcher(line);
                while (matcher.find()) {
                    own.add(matcher.group(1));
                }
            }
            own.remove("$");
            assertThat(own).as("the contexts drawn in scenario " + sections[i].lines().findFirst().orElse("")).hasSize(1);
            String mine = own.iterator().next();
            assertThat(h248).as(ladder).anyMatch(line -> line.contains("Add ip/$") && line.contains("[C=$]"))
                    .anyMatch(line -> line.contains("Reply Add") && line.contains("[C=" + mine + "]"))
                    .anyMatch(line -> line.contains("Subtract") && line.contains("[C=" + mine + "]"))
                    .allMatch(line -> line.contains("[C=" + mine + "]") || line.contains("[C=$]"));
            contexts.add(own);
        }
        Set<String> all = new HashSet<>();
        contexts.forEach(all::addAll);
        assertThat(all).as("one context per call, no two calls the same: " + contexts).hasSize(4);
    }
}
