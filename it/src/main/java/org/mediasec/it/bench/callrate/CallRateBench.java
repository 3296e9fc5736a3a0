package org.mediasec.it.bench.callrate;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The call-rate benchmark (issue 17; run on demand, never in CI): whole calls through a {@code mediasec gateway}
 * process driven by our MGC over H.248 ({@link MediasecSystem}), and through rtpengine driven over its ng port
 * ({@link RtpengineSystem}), by the same open-loop load generator ({@link OpenLoop}) at the same rising steps, in
 * one run; one round per setting of the gateway's bearer event loops. Prints each step as it ends and each round as a
 * Markdown table with the ratio mediasec ÷ rtpengine (also appended to {@code <out>/report.md}).
 *
 * <pre>./mvnw -q -pl it -am install -DskipTests -Dfuzz.skip=true && ./mvnw -q -pl it exec:exec@call-rate</pre>
 * Options: see {@link CallRateOptions}; through Maven, {@code -Dcallrate.args="--steps 500,1000 --event-loops 2"}.
 */
public final class CallRateBench {

    private CallRateBench() {}

    public static void main(String[] args) throws Exception {
        CallRateOptions options = CallRateOptions.parse(args);
        Files.createDirectories(options.out());
        Path report = options.out().resolve("report.md");
        String machine = Machine.describe();
        System.out.println(machine);
        System.out.println("options: " + String.join(" ", args));
        Files.writeString(report, "## Call rate run\n\n" + machine + "\n\noptions: `" + String.join(" ", args) + "`\n\n", StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
        Map<String, List<Double>> maxima = new LinkedHashMap<>();
        try (ExecutorService bearerThreads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int repeat = 1; repeat <= options.repeat(); repeat++) {
                // every other repeat in reverse order, so that neither setting always meets a colder load generator (our MGC's JIT)
                List<Integer> settings = options.runs("mediasec") ? options.eventLoops() : List.of(0);
                for (int loops : repeat % 2 == 1 ? settings : settings.reversed()) {
                    String round = "r" + repeat + "-loops" + loops;
                    List<CallSystem> systems = new ArrayList<>();
                    try {
                        if (options.runs("mediasec")) {
                            systems.add(MediasecSystem.start(options.out(), loops, options.quietLogs(), options.bearerBytes(), bearerThreads));
                        }
                        if (options.runs("rtpengine")) {
                            systems.add(RtpengineSystem.start(options.out(), round, options.quietLogs(), options.bearerBytes(), bearerThreads));
                        }
                        List<Long> ours = new ArrayList<>(List.of(ProcessHandle.current().pid()));
                        systems.forEach(system -> ours.addAll(system.pids()));
                        List<Round.SystemResult> results = Round.run(systems, options, ours, System.out::println);
                        String title = "Round " + repeat + (options.runs("mediasec") ? ", " + loops + " bearer event loop" + (loops == 1 ? "" : "s") : "");
                        String table = Report.markdown(title, results);
                        System.out.println();
                        System.out.println(table);
                        Files.writeString(report, table + "\n", StandardOpenOption.APPEND);
                        results.forEach(result -> maxima.computeIfAbsent(result.system(), name -> new ArrayList<>()).add(result.best().sustained()));
                    } finally {
                        systems.forEach(CallSystem::close);
                    }
                }
            }
        }
        String summary = spread(maxima);
        System.out.println(summary);
        Files.writeString(report, summary + "\n", StandardOpenOption.APPEND);
    }

    /** Each system's sustained maxima over the rounds: lowest, median, highest, and how far apart (of the median). */
    private static String spread(Map<String, List<Double>> maxima) {
        StringBuilder text = new StringBuilder("Sustained maxima over the rounds:\n");
        maxima.forEach((system, values) -> {
            List<Double> sorted = values.stream().sorted().toList();
            double median = sorted.get(sorted.size() / 2);
            text.append(String.format(Locale.ROOT, "- %s: %s calls/s (median %,.0f, spread %.0f %%)%n", system,
                    sorted.stream().map(v -> String.format(Locale.ROOT, "%,.0f", v)).toList(), median,
                    median == 0 ? 0 : 100 * (sorted.get(sorted.size() - 1) - sorted.get(0)) / median));
        });
        return text.toString();
    }

    /** The machine, as docs/performance.md describes it. */
    private static final class Machine {
        static String describe() throws IOException {
            String model = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name")).findFirst()
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("unknown CPU");
            String memory = Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal")).findFirst()
                    .map(l -> Long.parseLong(l.replaceAll("[^0-9]", "")) / 1024 / 1024 + " GiB").orElse("? GiB");
            String load = Files.readString(Path.of("/proc/loadavg")).trim();
            return String.format(Locale.ROOT, "machine: %d cores (%s), %s; JDK %s; load average at start %s", Runtime.getRuntime().availableProcessors(),
                    model, memory, Runtime.version(), load);
        }
    }
}
