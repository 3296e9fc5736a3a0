package org.mediasec.it.reliability;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The soak (issue 24): {@code --sessions} concurrent calls with churn, a mix of MSRP over TCP, BFCP over TCP, e2ae TLS
 * to TCP, TLS to TLS and T.38 fax in DTLS to plain UDPTL ({@link SoakStream}), through a {@code mediasec gateway}
 * process driven over H.248 by our MGC ({@link SoakLoad}), every byte stream checked end to end; the gateway sampled
 * every {@code --sample-seconds} ({@link Sample}); once the load has ended, the gateway watched going back to idle;
 * then the {@link SoakVerdict}. Writes {@code summary.txt}, {@code samples.csv} and {@code soak.svg} to {@code --out}.
 * Exits 1 when the verdict fails.
 *
 * <pre>./mvnw -q -pl it -am install -DskipTests -Dfuzz.skip=true && ./mvnw -q -pl it exec:exec@soak -Dsoak.args="--sessions 8000 --hold-seconds 40 --seconds 3600"</pre>
 * The CI short form is {@code SoakShortTest} (the defaults: 500 sessions, 60 s). Thread rule: the caller's thread
 * samples and judges; the calls run on the load's virtual threads.
 */
public final class Soak {

    private static final Duration REGISTRATION = Duration.ofSeconds(60);
    /** How long the gateway may take, after the last call ended, to close its last sockets and ports. */
    private static final Duration SETTLE_LIMIT = Duration.ofSeconds(60);
    private static final Duration SETTLE_POLL = Duration.ofSeconds(1);

    private Soak() {}

    /** What the soak found: its verdict and the text of {@code summary.txt}. */
    public record Result(boolean ok, String summary, Path out) {}

    public static void main(String[] args) throws Exception {
        Result result = run(SoakOptions.parse(args), System.out::println);
        System.out.println(result.summary());
        System.exit(result.ok() ? 0 : 1);
    }

    public static Result run(List<String> args, Consumer<String> progress) throws Exception {
        return run(SoakOptions.parse(args.toArray(String[]::new)), progress);
    }

    static Result run(SoakOptions options, Consumer<String> progress) throws Exception {
        Files.createDirectories(options.out());
        int mgcPort = freeUdpPort();
        int controlPort = freeUdpPort();
        int eventLoops = options.eventLoops() == 0 ? 2 * Runtime.getRuntime().availableProcessors() : options.eventLoops();
        String started = Instant.now().toString();
        String load = Files.readString(Path.of("/proc/loadavg")).trim();
        try (SoakGateway gateway = SoakGateway.start(options.out(), controlPort, mgcPort, SoakGateway.Sizing.forSessions(options.sessions()), options.eventLoops(), "",
                options.firstPort());
                SoakMgc mgc = SoakMgc.start(mgcPort, gateway.control())) {
            mgc.awaitRegistration(REGISTRATION, gateway.process().log());
            SoakLoad calls = new SoakLoad(mgc, options);
            List<Sample> samples = new ArrayList<>();
            Sample baseline = Sample.take(0, "baseline", gateway, calls.counts());
            samples.add(baseline);
            progress.accept(baseline.toString());
            long begin = System.nanoTime();
            calls.start();
            long every = options.sampleEvery().toNanos();
            long end = begin + options.duration().toNanos();
            // a sample that took longer than the period (jcmd on a loaded machine) delays the next one, never doubles it up
            for (long next = begin + every; next <= end; next = Math.max(next + every, System.nanoTime() + every)) {
                TimeUnit.NANOSECONDS.sleep(Math.max(0, next - System.nanoTime()));
                Sample sample = Sample.take(seconds(begin), "load", gateway, calls.counts());
                samples.add(sample);
                progress.accept(sample.toString());
            }
            double loadEnd = seconds(begin);
            Duration stopLimit = options.hold().multipliedBy(2).plus(SoakLoad.READ_TIMEOUT).plus(SoakMgc.COMMAND_TIMEOUT);
            boolean stopped = calls.stop(stopLimit);
            Sample after = settle(gateway, calls, begin, baseline);
            samples.add(after);
            progress.accept(after.toString());
            int audited = mgc.leftOver();
            double steadyFrom = options.sessions() / (double) options.rampPerSecond() + options.hold().toSeconds();
            List<Sample> steady = samples.stream().filter(s -> s.phase().equals("load") && s.seconds() >= steadyFrom).toList();
            SoakLoad.Counts counts = calls.counts();
            SoakVerdict verdict = SoakVerdict.judge(counts, mgc.notifies(), baseline, steady, new SoakVerdict.Released(after, audited), eventLoops);
            List<String> lines = new ArrayList<>(verdict.lines());
            if (!stopped) {
                lines.addFirst("FAIL calls still running " + stopLimit.toSeconds() + " s after the load stopped");
            }
            if (!gateway.process().alive()) {
                lines.addFirst("FAIL the gateway process died: see " + gateway.process().log());
            }
            boolean ok = verdict.ok() && stopped && gateway.process().alive();
            String title = String.format(Locale.ROOT, "mediasec soak: %,d sessions, churn %.0f calls/s, %d s, started %s", options.sessions(),
                    options.churnPerSecond(), options.duration().toSeconds(), started);
            String summary = summary(title, options, load, samples, counts, steadyFrom, lines, ok);
            Files.writeString(options.out().resolve("summary.txt"), summary);
            Files.writeString(options.out().resolve("samples.csv"), Sample.CSV_HEADER + "\n" + String.join("\n", samples.stream().map(Sample::csv).toList()) + "\n");
            Files.writeString(options.out().resolve("soak.svg"), SvgPlot.plot(title, samples, loadEnd));
            return new Result(ok, summary, options.out());
        }
    }

    /** Waits (polling) until the gateway holds no context or port and its fds are back, or the limit; then the sample after. */
    private static Sample settle(SoakGateway gateway, SoakLoad calls, long begin, Sample baseline) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + SETTLE_LIMIT.toNanos();
        while (System.nanoTime() < deadline && !(gateway.metric("mediasec_contexts") == 0 && gateway.metric("mediasec_ports_in_use") == 0
                && gateway.openFiles() <= baseline.openFiles() + SoakVerdict.FD_SLACK)) {
            TimeUnit.NANOSECONDS.sleep(SETTLE_POLL.toNanos());
        }
        return Sample.take(seconds(begin), "after", gateway, calls.counts());
    }

    private static String summary(String title, SoakOptions options, String load, List<Sample> samples, SoakLoad.Counts counts, double steadyFrom,
            List<String> verdict, boolean ok) {
        StringBuilder text = new StringBuilder(title).append('\n');
        text.append(String.format(Locale.ROOT, "machine: %d cores, load average at start %s; calls hold %d s on average, %d bytes each way every %d ms%n",
                Runtime.getRuntime().availableProcessors(), load, options.hold().toSeconds(), options.chunkBytes(), options.chunkEvery().toMillis()));
        text.append(String.format(Locale.ROOT, "calls: %,d completed %s, %,d failed; bytes %,d sent, %,d received; steady from %.0f s%n%n",
                counts.completed(), counts.completedByKind(), counts.failed(), counts.bytesSent(), counts.bytesReceived(), steadyFrom));
        samples.forEach(sample -> text.append(sample).append('\n'));
        text.append('\n').append("verdict: ").append(ok ? "PASS" : "FAIL").append('\n');
        verdict.forEach(line -> text.append(line).append('\n'));
        return text.toString();
    }

    private static double seconds(long begin) {
        return (System.nanoTime() - begin) / 1e9;
    }

    private static int freeUdpPort() throws IOException {
        try (DatagramSocket probe = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        }
    }
}
