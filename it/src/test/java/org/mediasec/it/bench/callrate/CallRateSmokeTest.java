package org.mediasec.it.bench.callrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.mediasec.testsupport.RequiresPeer;

/**
 * The benchmark measures what it says, at a rate any machine sustains: every call of each system runs whole (set-up
 * answered, then answer, media for the bearer calls, release) without a failure, the gateway reports each bearer
 * call's two TCP connections exactly once, and afterwards neither system holds anything. Figures are not asserted
 * (the benchmark runs on demand, docs/performance.md).
 */
@Timeout(180)
class CallRateSmokeTest {

    private static final int CALLS = 20;
    private static final OpenLoop.Plan GENTLE = new OpenLoop.Plan(CALLS, Duration.ZERO, Duration.ofSeconds(1), 2, Round.DRAIN);
    private static final int BEARER_BYTES = 4096;

    @TempDir
    Path dir;
    private final ExecutorService bearerThreads = Executors.newVirtualThreadPerTaskExecutor();

    @AfterEach
    void stopThreads() {
        bearerThreads.close();
    }

    private static List<Long> ours(CallSystem system) {
        return List.of(ProcessHandle.current().pid(), system.pids().get(0));
    }

    @Test
    void wholeCallsThroughAGatewayProcessLeaveNoContextAndRelayTheirBearers() throws Exception {
        try (MediasecSystem mediasec = MediasecSystem.start(dir, 1, true, BEARER_BYTES, bearerThreads)) {
            StepResult step = OpenLoop.run(mediasec, GENTLE, ours(mediasec));
            assertThat(step.errors()).isEmpty();
            assertThat(step.setUp().samples()).isEqualTo(CALLS);
            // 10 bearer calls, each with a UE and a core connection: one Notify each, and no more after a quiet second
            Map<String, Long> expected = Map.of("TCP established", (long) CALLS);
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(mediasec.events()).isEqualTo(expected));
            await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).untilAsserted(() -> assertThat(mediasec.events()).isEqualTo(expected));
            assertThat(mediasec.leftOver().get(10, TimeUnit.SECONDS)).isZero();
        }
    }

    @Test
    @RequiresPeer(command = RtpengineProcess.COMMAND, debianPackage = "rtpengine-daemon")
    void wholeCallsThroughRtpengineLeaveNoCallAndRelayTheirRtp() throws Exception {
        try (RtpengineSystem rtpengine = RtpengineSystem.start(dir, "smoke", true, BEARER_BYTES, bearerThreads)) {
            StepResult step = OpenLoop.run(rtpengine, GENTLE, ours(rtpengine));
            assertThat(step.errors()).isEmpty();
            assertThat(step.setUp().samples()).isEqualTo(CALLS);
            assertThat(rtpengine.leftOver().get(10, TimeUnit.SECONDS)).isZero();
        }
    }
}
