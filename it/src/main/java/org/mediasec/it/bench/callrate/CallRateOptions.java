package org.mediasec.it.bench.callrate;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.mediasec.it.harness.NamedOptions;

/**
 * The benchmark's options ({@code --name value} pairs; every one has a default):
 * <pre>
 * --steps 250,500,750,1000,1250,1500,2000,2500,3000,4000,6000,8000,12000,16000
 *                                             offered calls/s, rising until a system fails the stop rule
 * --step-seconds 10 --settle-seconds 2        measured time per step, after calls started but not yet measured
 * --warmup-seconds 60 --warmup-rate 250       each system before its first step (JIT), not measured: climbs to
 *                                             the rate in four 5 s stages, each twice the one before, then holds it
 * --event-loops 1,2                           the gateway's bearer event loops, one round each
 * --bearer-every 10 --bearer-bytes 4096       1 call in N moves media (0: none), this many bytes each way
 * --systems mediasec,rtpengine                which systems run
 * --logs shipped                              shipped (each at its default log level) or quiet (warnings only)
 * --max-error-percent 1 --max-p99-ms 500      the stop rule (also: sustained below 90 % of offered)
 * --repeat 1                                  the whole run again, to see how much the figures vary (every
 *                                             other time with the event-loop settings in reverse order)
 * --out target/callrate                       logs and configuration files
 * </pre>
 */
record CallRateOptions(List<Integer> steps, Duration step, Duration settle, Duration warmup, int warmupRate, List<Integer> eventLoops,
        int bearerEvery, int bearerBytes, List<String> systems, boolean quietLogs, StopRule stopRule, int repeat, Path out) {

    /** Below this share of the offered rate a step is overloaded. */
    static final double MIN_SUSTAINED_SHARE = 0.9;

    private static final Map<String, String> DEFAULTS = Map.ofEntries(Map.entry("--steps", "250,500,750,1000,1250,1500,2000,2500,3000,4000,6000,8000,12000,16000"),
            Map.entry("--step-seconds", "10"), Map.entry("--settle-seconds", "2"), Map.entry("--warmup-seconds", "60"),
            Map.entry("--warmup-rate", "250"), Map.entry("--event-loops", "1,2"), Map.entry("--bearer-every", "10"),
            Map.entry("--bearer-bytes", "4096"), Map.entry("--systems", "mediasec,rtpengine"), Map.entry("--logs", "shipped"),
            Map.entry("--max-error-percent", "1"), Map.entry("--max-p99-ms", "500"), Map.entry("--repeat", "1"),
            Map.entry("--out", "target/callrate"));

    static CallRateOptions parse(String... args) {
        NamedOptions options = NamedOptions.parse(DEFAULTS, args);
        String logs = options.text("--logs");
        if (!logs.equals("shipped") && !logs.equals("quiet")) {
            throw new IllegalArgumentException("--logs shipped or quiet, not " + logs);
        }
        List<String> systems = List.of(options.text("--systems").split(","));
        if (systems.isEmpty() || !List.of("mediasec", "mediasec-ng", "rtpengine").containsAll(systems)) {
            throw new IllegalArgumentException("--systems: mediasec, mediasec-ng (through the controller's ng port), rtpengine, not " + systems);
        }
        return new CallRateOptions(options.numbers("--steps"), options.seconds("--step-seconds"), options.seconds("--settle-seconds"),
                options.seconds("--warmup-seconds"), options.number("--warmup-rate"), options.numbers("--event-loops"),
                options.number("--bearer-every"), options.number("--bearer-bytes"), systems, logs.equals("quiet"),
                new StopRule(options.decimal("--max-error-percent") / 100, MIN_SUSTAINED_SHARE, options.millis("--max-p99-ms")),
                options.number("--repeat"), options.path("--out"));
    }

    boolean runs(String system) {
        return systems.contains(system);
    }

    /**
     * When a system stops climbing: more than {@code maxFailedShare} of a step's calls failed, it sustained less than
     * {@code minSustainedShare} of the offered rate, or its p99 set-up latency passed {@code maxP99}.
     */
    record StopRule(double maxFailedShare, double minSustainedShare, Duration maxP99) {

        boolean healthy(StepResult step) {
            return step.failedFraction() <= maxFailedShare && step.sustained() >= minSustainedShare * step.offered()
                    && step.setUp().p99Micros() >= 0 && step.setUp().p99Micros() <= maxP99.toNanos() / 1000;
        }
    }
}
