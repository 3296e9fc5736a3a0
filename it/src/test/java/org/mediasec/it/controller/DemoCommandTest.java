package org.mediasec.it.controller;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
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
        int exit = command.execute("demo", "--scenario", "3", "--scenario", "4", "--html", html.toString(), "--work-dir", directory.resolve("work").toString());
        assertThat(exit).as(out.toString()).isZero();
        assertThat(out.toString()).contains("SIP is not simulated", "UE-A            IMS-ALG         IMS-AGW         UE-B",
                "PASS  3", "PASS  4", "All scenarios passed.");
        assertThat(Files.readString(html)).contains("<svg", "Scenario 3", "Scenario 4", "tlsbsc/fail").doesNotContain("FAILED");
        assertThat(command.execute("demo", "--scenario", "9")).isEqualTo(2);
    }
}
