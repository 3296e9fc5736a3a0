package org.mediasec.it.bench.callrate;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * One round: every system warmed up (climbing to the warm-up rate), then the offered load rising step by step, the systems taking turns at each
 * step (so that both meet the machine's load of the moment), each leaving the ladder at its first step that breaks
 * the stop rule; last, each system once more at half its sustained maximum, where the p99 target is read (once the
 * system has answered an audit, i.e. has worked off what its last step left queued). Thread rule: the caller's thread
 * (it is the load generator's schedule).
 */
final class Round {

    /** Calls are waited for this long after a step: beyond the longest retransmission patience (30 s) of either client. */
    static final Duration DRAIN = Duration.ofSeconds(45);
    private static final int RAMP_STAGES = 4;
    private static final Duration RAMP_STAGE = Duration.ofSeconds(5);

    /** What one system did in the round. */
    record SystemResult(String system, List<StepResult> steps, StepResult halfRate, String leftOver) {
        StepResult best() {
            return steps.stream().max(Comparator.comparingDouble(StepResult::sustained)).orElseThrow();
        }
    }

    private Round() {}

    static List<SystemResult> run(List<CallSystem> systems, CallRateOptions options, List<Long> ours, Consumer<String> out) throws InterruptedException {
        for (CallSystem system : systems) {
            warmUp(system, options, ours, out);
        }
        Map<CallSystem, List<StepResult>> steps = new LinkedHashMap<>();
        systems.forEach(system -> steps.put(system, new ArrayList<>()));
        List<CallSystem> climbing = new ArrayList<>(systems);
        for (int rate : options.steps()) {
            for (CallSystem system : List.copyOf(climbing)) {
                StepResult step = OpenLoop.run(system, plan(rate, options), ours);
                out.accept(step.toString());
                steps.get(system).add(step);
                if (!options.stopRule().healthy(step)) {
                    climbing.remove(system);
                    out.accept(system.name() + " stops climbing at " + rate + " calls/s");
                }
            }
            if (climbing.isEmpty()) {
                break;
            }
        }
        List<SystemResult> results = new ArrayList<>();
        for (CallSystem system : systems) {
            double best = steps.get(system).stream().mapToDouble(StepResult::sustained).max().orElse(0);
            int half = Math.max(1, (int) Math.round(best / 2));
            // a system that broke the stop rule may still work off requests the clients gave up on: the audit is queued
            // behind them, so its answer says the system is idle again
            String before = leftOver(system);
            StepResult halfRate = OpenLoop.run(system, plan(half, options), ours);
            out.accept("half of its maximum: " + halfRate);
            String leftOver = leftOver(system);
            results.add(new SystemResult(system.name(), List.copyOf(steps.get(system)), halfRate, leftOver));
            out.accept(system.notes() + "; held before the half-rate step: " + before + ", after the round: " + leftOver);
        }
        return results;
    }

    /**
     * The warm-up climbs to its rate in {@value #RAMP_STAGES} stages of {@link #RAMP_STAGE}, each twice the one before,
     * and holds it for the rest of its time: a cold JVM offered its full rate at once on a busy machine falls behind,
     * and the retransmissions keep it there for the whole warm-up.
     */
    private static void warmUp(CallSystem system, CallRateOptions options, List<Long> ours, Consumer<String> out) throws InterruptedException {
        for (int k = RAMP_STAGES; k >= 1; k--) {
            int rate = Math.max(1, options.warmupRate() >> k);
            out.accept("warm-up " + OpenLoop.run(system, new OpenLoop.Plan(rate, Duration.ZERO, RAMP_STAGE, options.bearerEvery(), DRAIN), ours));
        }
        Duration hold = options.warmup().minus(RAMP_STAGE.multipliedBy(RAMP_STAGES));
        if (hold.isPositive()) {
            out.accept("warm-up " + OpenLoop.run(system, new OpenLoop.Plan(options.warmupRate(), Duration.ZERO, hold, options.bearerEvery(), DRAIN), ours));
        }
    }

    /** What the system still holds, or why it did not say. */
    private static String leftOver(CallSystem system) throws InterruptedException {
        try {
            return Integer.toString(system.leftOver().get(DRAIN.toSeconds(), TimeUnit.SECONDS));
        } catch (ExecutionException | TimeoutException unanswered) {
            return "unknown (" + CallFailure.unwrap(unanswered).getMessage() + ")";
        }
    }

    private static OpenLoop.Plan plan(int rate, CallRateOptions options) {
        return new OpenLoop.Plan(rate, options.settle(), options.step(), options.bearerEvery(), DRAIN);
    }
}
