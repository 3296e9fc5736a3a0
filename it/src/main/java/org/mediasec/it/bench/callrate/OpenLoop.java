package org.mediasec.it.bench.callrate;

import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * The open-loop load generator: call {@code i} of a step is started at {@code start + i / rate}, whether or not
 * the calls before it were answered, and its set-up latency counts from that intended time, so a system that falls
 * behind sees its queueing in the figures instead of slowing the generator down (no coordinated omission). A step
 * settles for a while (calls started, nothing measured), then measures; afterwards every call is waited for up to
 * the drain limit, so the next step starts on an idle system.
 *
 * <p>Thread rule: {@link #run} runs on the caller's thread, which is the schedule; completions arrive on whatever
 * thread the system completes them (counters are concurrent, each latency slot is written once, by its own call,
 * and read after the latch that its completion counts down).
 */
final class OpenLoop {

    /** The plan of one step. */
    record Plan(int rate, Duration settle, Duration measured, int bearerEvery, Duration drainLimit) {
        Plan {
            if (rate < 1 || measured.isZero() || measured.isNegative() || bearerEvery < 0) {
                throw new IllegalArgumentException("bad step plan: " + rate + "/s, " + measured + ", bearer 1 in " + bearerEvery);
            }
        }

        long calls(Duration period) {
            return rate * period.toNanos() / 1_000_000_000L;
        }
    }

    private OpenLoop() {}

    /** Runs one step of {@code plan} against {@code system}; {@code ours} are the pids that are not "other work" (this JVM's included). */
    static StepResult run(CallSystem system, Plan plan, List<Long> ours) throws InterruptedException {
        int settleCalls = (int) plan.calls(plan.settle());
        int measuredCalls = (int) plan.calls(plan.measured());
        int total = settleCalls + measuredCalls;
        double interval = 1e9 / plan.rate();
        long[] setUp = new long[measuredCalls];
        Arrays.fill(setUp, -1);
        Map<String, LongAdder> errors = new ConcurrentHashMap<>();
        Map<String, String> examples = new ConcurrentHashMap<>();
        LongAdder succeededInWindow = new LongAdder();
        CountDownLatch done = new CountDownLatch(total);

        Map<String, Long> refusedBefore = system.refusals();
        long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1);
        long measuredFrom = start + plan.settle().toNanos();
        long measuredUntil = measuredFrom + plan.measured().toNanos();
        long maxLag = 0;
        Snapshot before = null;
        for (int i = 0; i < total; i++) {
            long intended = start + (long) (i * interval);
            waitUntil(intended);
            if (i == settleCalls) {
                before = Snapshot.take(system, ours);
            }
            maxLag = Math.max(maxLag, System.nanoTime() - intended);
            int index = i;
            CompletableFuture<Long> call;
            try {
                call = system.call(i, plan.bearerEvery() > 0 && i % plan.bearerEvery() == 0);
            } catch (RuntimeException e) {
                call = CompletableFuture.failedFuture(e);
            }
            call.whenComplete((answeredAt, failure) -> {
                long now = System.nanoTime();
                if (failure != null) {
                    String kind = CallFailure.kindOf(failure);
                    errors.computeIfAbsent(kind, k -> new LongAdder()).increment();
                    examples.putIfAbsent(kind, CallFailure.detailOf(failure));
                } else {
                    if (index >= settleCalls) {
                        setUp[index - settleCalls] = answeredAt - intended;
                    }
                    if (now >= measuredFrom && now < measuredUntil) {
                        succeededInWindow.increment();
                    }
                }
                done.countDown();
            });
        }
        if (before == null) {
            before = Snapshot.take(system, ours);
        }
        waitUntil(measuredUntil);
        Snapshot after = Snapshot.take(system, ours);
        if (!done.await(plan.drainLimit().toNanos(), TimeUnit.NANOSECONDS)) {
            errors.computeIfAbsent("unfinished after " + plan.drainLimit().toSeconds() + " s", kind -> new LongAdder()).add(done.getCount());
        }
        Map<String, Long> refused = new HashMap<>();
        system.refusals().forEach((check, count) -> refused.put(check, count - refusedBefore.getOrDefault(check, 0L)));
        Map<String, Long> counted = new HashMap<>();
        errors.forEach((kind, count) -> counted.put(kind, count.sum()));
        double seconds = plan.measured().toNanos() / 1e9;
        long succeeded = succeededInWindow.sum();
        long systemCpu = after.system() - before.system();
        long window = after.at() - before.at();
        return new StepResult(system.name(), plan.rate(), succeeded / seconds, total, SetUpLatency.of(setUp), counted, Map.copyOf(examples),
                succeeded == 0 ? 0 : systemCpu / 1000.0 / succeeded, (after.generator() - before.generator()) / (double) window,
                Math.max(0, (after.machine() - before.machine()) - (after.ours() - before.ours())) / (double) window, maxLag / 1000, refused);
    }

    /** Parks until {@code deadline} (System.nanoTime); no spinning: the machine has two cores and the systems need them. */
    private static void waitUntil(long deadline) {
        for (long left = deadline - System.nanoTime(); left > 0; left = deadline - System.nanoTime()) {
            LockSupport.parkNanos(left);
        }
    }

    /** CPU counters at one instant: the system's processes, this JVM (the generator), all of ours, and the machine. */
    private record Snapshot(long at, long system, long generator, long ours, long machine) {
        static Snapshot take(CallSystem system, List<Long> ours) {
            return new Snapshot(System.nanoTime(), system.cpuNanos(), CpuTime.process(ProcessHandle.current().pid()), CpuTime.processes(ours),
                    CpuTime.machineBusy());
        }
    }
}
