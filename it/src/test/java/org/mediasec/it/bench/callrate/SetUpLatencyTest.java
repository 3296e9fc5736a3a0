package org.mediasec.it.bench.callrate;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** Percentiles by nearest rank, and the stop rule that ends a system's climb. */
class SetUpLatencyTest {

    @Test
    void percentilesAreNearestRanksOverTheAnsweredSetUps() {
        long[] nanos = LongStream.rangeClosed(1, 1000).map(micros -> micros * 1000).toArray();
        assertThat(SetUpLatency.of(nanos)).isEqualTo(new SetUpLatency(500, 990, 999, 1000));
        long[] withUnanswered = LongStream.concat(LongStream.of(-1, -1), LongStream.of(nanos)).toArray();
        assertThat(SetUpLatency.of(withUnanswered)).isEqualTo(new SetUpLatency(500, 990, 999, 1000));
        assertThat(SetUpLatency.of(new long[] {-1})).isEqualTo(SetUpLatency.NONE);
    }

    @Test
    void aStepIsHealthyOnlyWithFewFailuresMostOfTheOfferedRateAndABoundedP99() {
        CallRateOptions.StopRule rule = new CallRateOptions.StopRule(0.01, 0.9, Duration.ofMillis(500));
        SetUpLatency fast = new SetUpLatency(300, 2_000, 4_000, 10_000);
        assertThat(rule.healthy(step(1000, 1000, fast, Map.of()))).isTrue();
        assertThat(rule.healthy(step(1000, 1000, fast, Map.of("Add: error 510", 101L)))).isFalse(); // 1.01 % of 10,000 calls
        assertThat(rule.healthy(step(1000, 1000, fast, Map.of("Add: error 510", 100L)))).isTrue();
        assertThat(rule.healthy(step(1000, 899, fast, Map.of()))).isFalse();
        assertThat(rule.healthy(step(1000, 1000, new SetUpLatency(300, 500_001, 600_000, 10_000), Map.of()))).isFalse();
        assertThat(rule.healthy(step(1000, 0, SetUpLatency.NONE, Map.of()))).isFalse();
    }

    private static StepResult step(int offered, double sustained, SetUpLatency setUp, Map<String, Long> errors) {
        return new StepResult("s", offered, sustained, 10_000, setUp, errors, Map.of(), 0, 0, 0, 0, Map.of());
    }
}
