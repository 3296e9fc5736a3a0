package org.mediasec.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mediasec.app.demo.ScenarioResult;

/** The demo's conference (scenario 5) when its network cannot start. */
class DemoConferenceNetworkTest {

    /**
     * A conference network that cannot start (here its folder cannot be made: a file is where it would go) is scenario
     * 5's failed check with the reason, and the demo goes on to print every verdict; it used to end the demo with a
     * stack trace and no verdicts.
     */
    @Test
    void aConferenceNetworkThatCannotStartIsAFailedCheckWithItsReason(@TempDir Path directory) throws Exception {
        Path file = Files.writeString(directory.resolve("work"), "a file where the work folder would be");
        StringWriter trace = new StringWriter();
        DemoCommand.Conference done = DemoCommand.conference(file.resolve("conference"), System.nanoTime(), new PrintWriter(trace, true));
        assertThat(done.upSeconds()).isEmpty();
        ScenarioResult result = done.result();
        assertThat(result.number()).isEqualTo(5);
        assertThat(result.verdict()).startsWith("FAIL  5");
        assertThat(result.checks()).singleElement().satisfies(check -> {
            assertThat(check.passed()).isFalse();
            assertThat(check.what()).startsWith("the conference network (KMS, MRFC, MRFP process) started: ").contains(file.toString());
        });
    }
}
