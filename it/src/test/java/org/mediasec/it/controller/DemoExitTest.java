package org.mediasec.it.controller;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mediasec demo} as a process of its own ends without a thread in native code: HotSpot's exit waits up to
 * 300 ms for such threads (VM_Exit), which every demo run paid while the UE simulators read their sockets on virtual
 * threads (the JDK's poller thread stays in epoll_wait for good) and the MRFC's KMS client was never closed (the HTTP
 * client's selector thread). The start-up trace's last line names them; here it must name none, for the calls' UEs
 * (scenario 1) and the conference's (scenario 5, with its KMS client).
 */
class DemoExitTest {

    @Test
    void theDemoProcessLeavesNoThreadInNativeCodeAtItsExit(@TempDir Path directory) throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        Path output = directory.resolve("demo.out");
        ProcessBuilder builder = new ProcessBuilder(List.of(java, "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                "org.mediasec.app.Main", "demo", "--scenario", "1", "--scenario", "5", "--work-dir", directory.resolve("work").toString()));
        builder.environment().put("MEDIASEC_STARTUP_TRACE", "1");
        Process demo = builder.redirectErrorStream(true).redirectOutput(output.toFile()).start();
        try {
            assertThat(demo.waitFor(120, TimeUnit.SECONDS)).as("the demo ended").isTrue();
        } finally {
            demo.destroyForcibly();
        }
        String printed = Files.readString(output);
        assertThat(demo.exitValue()).as(printed).isZero();
        assertThat(printed).contains("All scenarios passed.");
        assertThat(printed.lines().filter(line -> line.contains("exiting (threads in native code")).toList()).as(printed)
                .singleElement().asString().endsWith("waits up to 300 ms for: none)");
    }
}
