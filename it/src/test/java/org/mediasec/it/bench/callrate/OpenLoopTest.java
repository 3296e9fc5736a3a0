package org.mediasec.it.bench.callrate;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The load generator's bookkeeping, against systems made for the purpose: calls start on schedule whatever the replies
 * do, latency counts from the intended send time, failures are counted by kind, and calls still open after the drain
 * limit are counted too. Every timing assertion is a lower bound, which a loaded machine cannot break.
 */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // fails even when a closed-loop generator waits uninterruptibly
class OpenLoopTest {

    private static final int RATE = 100;
    private static final OpenLoop.Plan ONE_SECOND = new OpenLoop.Plan(RATE, Duration.ZERO, Duration.ofSeconds(1), 10, Duration.ofSeconds(10));

    /** A system whose calls end as {@code behaviour} says; it records which calls were bearer calls. */
    private static final class Scripted implements CallSystem {
        final List<Long> bearerCalls = new CopyOnWriteArrayList<>();
        private final LongFunction<CompletableFuture<Long>> behaviour;

        Scripted(LongFunction<CompletableFuture<Long>> behaviour) {
            this.behaviour = behaviour;
        }

        @Override
        public String name() {
            return "scripted";
        }

        @Override
        public CompletableFuture<Long> call(long number, boolean bearer) {
            if (bearer) {
                bearerCalls.add(number);
            }
            return behaviour.apply(number);
        }

        @Override
        public long cpuNanos() {
            return 0;
        }

        @Override
        public List<Long> pids() {
            return List.of();
        }

        @Override
        public CompletableFuture<Integer> leftOver() {
            return CompletableFuture.completedFuture(0);
        }

        @Override
        public String notes() {
            return "";
        }

        @Override
        public void close() {}
    }

    private static StepResult run(Scripted system, OpenLoop.Plan plan) throws InterruptedException {
        return OpenLoop.run(system, plan, List.of(ProcessHandle.current().pid()));
    }

    @Test
    void callsStartOnScheduleWhileEarlierCallsAreStillUnanswered() throws Exception {
        // nothing is answered until the 50th call has been started: a generator that waited for replies would never get there
        CompletableFuture<Void> fiftiethStarted = new CompletableFuture<>();
        Scripted system = new Scripted(number -> {
            if (number == 49) {
                fiftiethStarted.complete(null);
            }
            return fiftiethStarted.thenApply(started -> System.nanoTime());
        });
        StepResult step = run(system, ONE_SECOND);
        assertThat(step.calls()).isEqualTo(RATE);
        assertThat(step.errors()).isEmpty();
        assertThat(step.setUp().samples()).isEqualTo(RATE);
        // call 1 was meant for 10 ms and answered after call 49 was started (at 490 ms at the earliest)
        assertThat(step.setUp().p99Micros()).isGreaterThanOrEqualTo(480_000);
    }

    @Test
    void latencyCountsFromTheIntendedSendTimeSoAStalledGeneratorIsNotHidden() throws Exception {
        // call 10 holds the generator for 300 ms; calls 11 to 39 go out late and are answered at once: their latency
        // counts from when they should have gone out (coordinated omission), not from when they did
        Scripted system = new Scripted(number -> {
            if (number == 10) {
                try {
                    Thread.sleep(300);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return CompletableFuture.completedFuture(System.nanoTime());
        });
        StepResult step = run(system, ONE_SECOND);
        assertThat(step.setUp().samples()).isEqualTo(RATE);
        // second largest of 100: at least call 11's, meant for 110 ms, sent after 400 ms
        assertThat(step.setUp().p99Micros()).isGreaterThanOrEqualTo(290_000);
        assertThat(step.maxSendLagMicros()).isGreaterThanOrEqualTo(290_000);
    }

    @Test
    void failedCallsAreCountedByKindAndLeftOutOfTheLatencies() throws Exception {
        Scripted system = new Scripted(number -> number % 3 == 0
                ? CompletableFuture.failedFuture(new CallFailure("Add: error 510", "insufficient resources"))
                : CompletableFuture.completedFuture(System.nanoTime()));
        StepResult step = run(system, ONE_SECOND);
        assertThat(step.errors()).isEqualTo(Map.of("Add: error 510", 34L)); // calls 0, 3, …, 99
        assertThat(step.setUp().samples()).isEqualTo(66);
        assertThat(step.failedFraction()).isEqualTo(0.34);
    }

    @Test
    void aCallStillOpenAfterTheDrainLimitIsCountedAsUnfinished() throws Exception {
        Scripted system = new Scripted(number -> number == 5 ? new CompletableFuture<>() : CompletableFuture.completedFuture(System.nanoTime()));
        StepResult step = run(system, new OpenLoop.Plan(RATE, Duration.ZERO, Duration.ofSeconds(1), 10, Duration.ofSeconds(1)));
        assertThat(step.errors()).isEqualTo(Map.of("unfinished after 1 s", 1L));
    }

    @Test
    void oneCallInBearerEveryMovesMedia() throws Exception {
        Scripted system = new Scripted(number -> CompletableFuture.completedFuture(System.nanoTime()));
        run(system, ONE_SECOND);
        assertThat(system.bearerCalls).containsExactlyInAnyOrder(0L, 10L, 20L, 30L, 40L, 50L, 60L, 70L, 80L, 90L);
    }

    @Test
    void aBenchmarkBugIsCountedUnderItsOwnKind() throws Exception {
        Scripted system = new Scripted(number -> CompletableFuture.failedFuture(new IllegalStateException("our mistake")));
        StepResult step = run(system, new OpenLoop.Plan(10, Duration.ZERO, Duration.ofSeconds(1), 0, Duration.ofSeconds(10)));
        assertThat(step.errors()).isEqualTo(Map.of("benchmark bug: IllegalStateException", 10L));
    }
}
