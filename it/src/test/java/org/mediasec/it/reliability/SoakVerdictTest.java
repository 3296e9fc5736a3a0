package org.mediasec.it.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Each rule of the soak's verdict fails on what it guards against, and a clean run passes. */
class SoakVerdictTest {

    private static final int LOOPS = 4;
    private static final Sample BASELINE = sample(0, "baseline", 80, 16 * 1024, 20, 0, 0);
    private static final Sample IDLE_AFTER = sample(70, "after", 82, 17 * 1024, 28, 0, 0);
    private static final SoakLoad.Counts CLEAN = new SoakLoad.Counts(0, 1000, Map.of("tcp", 1000L), 4096, 4096, 0, 0, Map.of(), Map.of());
    private static final Map<String, Long> ESTABLISHED = Map.of("TCP established", 2000L);

    private static Sample sample(double seconds, String phase, long fds, long heapKib, long threads, long contexts, long ports) {
        return withHandshakeFailures(seconds, phase, fds, heapKib, threads, contexts, ports, 0);
    }

    private static Sample withHandshakeFailures(double seconds, String phase, long fds, long heapKib, long threads, long contexts, long ports,
            long handshakeFailures) {
        return new Sample(seconds, phase, fds, 200 * 1024, heapKib, threads, contexts, ports, contexts, handshakeFailures, contexts, 0, 0);
    }

    private static List<Sample> steady(long heapGrowthKibPerSample) {
        return IntStream.range(0, 5).mapToObj(i -> sample(20 + 10 * i, "load", 1080, 20 * 1024 + i * heapGrowthKibPerSample, 28, 500, 1000)).toList();
    }

    private static SoakVerdict judge(SoakLoad.Counts load, Map<String, Long> notifies, List<Sample> steady, Sample after, int audited) {
        return SoakVerdict.judge(load, notifies, BASELINE, steady, new SoakVerdict.Released(after, audited), LOOPS);
    }

    @Test
    void aCleanRunPasses() {
        assertThat(judge(CLEAN, ESTABLISHED, steady(0), IDLE_AFTER, 0).ok()).isTrue();
    }

    @Test
    void oneLostOrChangedByteFails() {
        assertThat(judge(new SoakLoad.Counts(0, 1000, Map.of("tcp", 1000L), 4096, 4095, 0, 1, Map.of(), Map.of()), ESTABLISHED, steady(0), IDLE_AFTER, 0).failed())
                .singleElement().asString().startsWith("bytes:");
        assertThat(judge(new SoakLoad.Counts(0, 1000, Map.of("tcp", 1000L), 4096, 4096, 1, 1, Map.of(), Map.of()), ESTABLISHED, steady(0), IDLE_AFTER, 0).failed())
                .singleElement().asString().startsWith("bytes:");
    }

    @Test
    void aFailedCallOrAFailureNotifyFails() {
        assertThat(judge(new SoakLoad.Counts(0, 1000, Map.of("tcp", 1000L), 4096, 4096, 0, 0, Map.of("open: TimeoutException", 1L), Map.of()), ESTABLISHED, steady(0),
                IDLE_AFTER, 0).failed()).singleElement().asString().startsWith("calls:");
        assertThat(judge(CLEAN, Map.of("TCP established", 2000L, "TCP failed (peer reset)", 1L), steady(0), IDLE_AFTER, 0).failed()).singleElement()
                .asString().startsWith("Notifies:");
    }

    @Test
    void aFailedTlsHandshakeFails() {
        assertThat(judge(CLEAN, ESTABLISHED, steady(0), withHandshakeFailures(70, "after", 82, 17 * 1024, 28, 0, 0, 1), 0).failed()).singleElement()
                .asString().startsWith("TLS handshakes failed: 0 before the load, 1 after");
    }

    @Test
    void aContextOrPortLeftOrAnAuditedTerminationFails() {
        assertThat(judge(CLEAN, ESTABLISHED, steady(0), sample(70, "after", 82, 17 * 1024, 28, 1, 0), 0).failed()).singleElement().asString()
                .startsWith("released:");
        assertThat(judge(CLEAN, ESTABLISHED, steady(0), IDLE_AFTER, 2).failed()).singleElement().asString().startsWith("released:");
    }

    @Test
    void fdsThreadsOrHeapAboveTheBaselineFail() {
        assertThat(judge(CLEAN, ESTABLISHED, steady(0), sample(70, "after", 80 + SoakVerdict.FD_SLACK + 1, 17 * 1024, 28, 0, 0), 0).failed())
                .singleElement().asString().startsWith("open fds:");
        assertThat(judge(CLEAN, ESTABLISHED, steady(0), sample(70, "after", 82, 17 * 1024, 20 + LOOPS + SoakVerdict.THREAD_SLACK + 1, 0, 0), 0)
                .failed()).singleElement().asString().startsWith("threads:");
        assertThat(judge(CLEAN, ESTABLISHED, steady(0), sample(70, "after", 82, (16 + SoakVerdict.HEAP_SLACK_MIB + 1) * 1024, 28, 0, 0), 0).failed())
                .singleElement().asString().startsWith("heap after full GC:");
    }

    @Test
    void aHeapThatKeepsGrowingFailsTheTrendAndTooFewSamplesAreNoVerdict() {
        // 3 MiB per 10 s sample: 12 MiB over the 40 s window, above the 8 MiB floor (and 10 % of the ~26 MiB mean)
        assertThat(judge(CLEAN, ESTABLISHED, steady(3 * 1024), IDLE_AFTER, 0).failed()).singleElement().asString().startsWith("heap after full GC trend:");
        assertThat(judge(CLEAN, ESTABLISHED, steady(0).subList(0, 2), IDLE_AFTER, 0).failed()).hasSize(3).allMatch(line -> line.contains("only 2 steady samples"));
    }
}
