package org.mediasec.it.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs {@link CodecBenchmark} (JMH, with the GC profiler for bytes per message) and times Erlang/OTP megaco's codec
 * on the same messages in the same run, then prints one table with the ratio. Not a test: run on demand, see
 * docs/performance.md. Arguments: [iterations (3)] [seconds per iteration (2)] [forks (1)].
 */
public final class CodecBench {

    private CodecBench() {}

    public static void main(String[] args) throws Exception {
        int iterations = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        int forks = args.length > 2 ? Integer.parseInt(args[2]) : 1;
        Options options = new OptionsBuilder()
                .include(CodecBenchmark.class.getName())
                .warmupIterations(2).warmupTime(TimeValue.seconds(seconds))
                .measurementIterations(iterations).measurementTime(TimeValue.seconds(seconds))
                .forks(forks).threads(1)
                .addProfiler("gc")
                .timeUnit(TimeUnit.SECONDS)
                .build();
        Map<String, double[]> ours = new HashMap<>(); // key "add compact decode" -> {ops/s, bytes/op}
        for (RunResult result : new Runner(options).run()) {
            String name = result.getParams().getParam("message") + " " + result.getParams().getParam("style").toLowerCase() + " "
                    + result.getParams().getBenchmark().substring(result.getParams().getBenchmark().lastIndexOf('.') + 1);
            double opsPerSecond = result.getPrimaryResult().getScore();
            var allocation = result.getSecondaryResults().get("·gc.alloc.rate.norm");
            if (allocation == null) {
                allocation = result.getSecondaryResults().get("gc.alloc.rate.norm");
            }
            ours.put(name, new double[] {opsPerSecond, allocation == null ? Double.NaN : allocation.getScore()});
        }
        Map<String, Double> megaco = megaco();
        System.out.println();
        System.out.println("| message | style | op | mediasec msgs/s | mediasec µs/msg | B/msg | megaco µs/msg | speed-up |");
        System.out.println("|---|---|---|---|---|---|---|---|");
        List<String> keys = new ArrayList<>(ours.keySet());
        keys.sort(null);
        for (String key : keys) {
            double[] figures = ours.get(key);
            double micros = 1e6 / figures[0];
            Double peer = megaco.get(key);
            String[] parts = key.split(" ");
            System.out.printf("| %s | %s | %s | %,.0f | %.2f | %.0f | %s | %s |%n", parts[0], parts[1], parts[2], figures[0], micros, figures[1],
                    peer == null ? "—" : String.format("%.2f", peer), peer == null ? "—" : String.format("%.1f×", peer / micros));
        }
    }

    /** megaco's µs per message, keyed like ours; empty when escript is not installed. */
    private static Map<String, Double> megaco() throws IOException, InterruptedException {
        Map<String, Double> figures = new HashMap<>();
        Path dir = Files.createTempDirectory("megaco-bench");
        Path script = dir.resolve("megaco_bench.escript");
        try (InputStream in = CodecBench.class.getResourceAsStream("/bench/megaco_bench.escript")) {
            Files.copy(in, script);
        }
        List<String> command = new ArrayList<>(List.of("escript", script.toString(), "20000"));
        for (String name : List.of("add", "notify", "serviceChange")) {
            Path file = dir.resolve(name + ".txt");
            Files.writeString(file, BenchMessages.text(name), StandardCharsets.UTF_8);
            command.add(file.toString());
        }
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException noEscript) {
            System.out.println("megaco: escript not found (apt-get install erlang-megaco); no peer figures");
            return figures;
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor();
        for (String line : output.split("\n")) {
            String[] fields = line.trim().split(" ");
            if (fields.length == 4) {
                figures.put(fields[0] + " " + fields[1] + " decode", Double.parseDouble(fields[2]));
                figures.put(fields[0] + " " + fields[1] + " encode", Double.parseDouble(fields[3]));
            } else if (!line.isBlank()) {
                System.out.println("megaco: " + line);
            }
        }
        return figures;
    }
}
