package org.mediasec.it.reliability;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The soak's verdict, each rule a line that passes or fails:
 * <ul>
 *   <li><b>no byte lost or changed</b>: every stream's bytes arrived (counts equal), equal to the pattern byte for byte
 *       and by CRC-32;</li>
 *   <li><b>no call failed</b>: every open, bearer and release succeeded, and the gateway notified no failure;</li>
 *   <li><b>no TLS handshake failed</b>: the gateway's own count of failed handshakes did not rise (every UE and core
 *       presented the certificate its Remote names);</li>
 *   <li><b>everything released</b>: after the load, no context, no bearer port, no relay pair in the gateway's metrics,
 *       and its own AuditValue of every context finds no termination;</li>
 *   <li><b>back to baseline</b>: open fds at most {@value #FD_SLACK} above the baseline (before the load); threads at most
 *       the bearer event loops (started on the first call) plus {@value #THREAD_SLACK} above it; heap after full GC at most
 *       {@value #HEAP_SLACK_MIB} MiB above it;</li>
 *   <li><b>no growth trend</b>: over the steady samples (the load running, the population built and one mean hold
 *       past), the least-squares line of heap after GC, RSS and open fds rises by less than {@value #TREND_SHARE_PERCENT} %
 *       of the series' mean over the steady window, or less than a floor (heap {@value #HEAP_FLOOR_MIB} MiB, RSS
 *       {@value #RSS_FLOOR_MIB} MiB, fds {@value #FD_SLACK}) — judged with at least {@value #MIN_TREND_SAMPLES} samples.</li>
 * </ul>
 */
record SoakVerdict(List<String> passed, List<String> failed) {

    static final int FD_SLACK = 16;
    static final int THREAD_SLACK = 8;
    static final int HEAP_SLACK_MIB = 16;
    static final int TREND_SHARE_PERCENT = 10;
    static final int HEAP_FLOOR_MIB = 8;
    static final int RSS_FLOOR_MIB = 64;
    static final int MIN_TREND_SAMPLES = 3;

    boolean ok() {
        return failed.isEmpty();
    }

    /** What the gateway holds once the load ended, by its metrics and its own audit. */
    record Released(Sample after, int auditedTerminations) {}

    static SoakVerdict judge(SoakLoad.Counts load, Map<String, Long> notifies, Sample baseline, List<Sample> steady, Released released, int eventLoops) {
        Rules rules = new Rules();
        long lost = load.bytesSent() - load.bytesReceived();
        rules.check(lost == 0 && load.bytesCorrupted() == 0 && load.streamsBroken() == 0, "bytes: %,d sent, %,d received, %,d lost, %,d changed, %d streams broken",
                load.bytesSent(), load.bytesReceived(), lost, load.bytesCorrupted(), load.streamsBroken());
        rules.check(load.completed() > 0 && load.failed() == 0, "calls: %,d completed, %,d failed %s%s", load.completed(), load.failed(), load.failures(),
                load.examples().isEmpty() ? "" : " e.g. " + load.examples());
        Map<String, Long> failures = notifies.entrySet().stream().filter(e -> !e.getKey().endsWith("established"))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
        rules.check(failures.isEmpty(), "Notifies: %s (failures: %s)", notifies, failures);
        Sample after = released.after();
        rules.check(after.handshakeFailures() == baseline.handshakeFailures(), "TLS handshakes failed: %d before the load, %d after",
                baseline.handshakeFailures(), after.handshakeFailures());
        rules.check(after.contexts() == 0 && after.portsInUse() == 0 && after.bearersOpen() == 0 && released.auditedTerminations() == 0,
                "released: %d contexts, %d ports, %d relay pairs left (metrics); AuditValue finds %d terminations", after.contexts(), after.portsInUse(),
                after.bearersOpen(), released.auditedTerminations());
        rules.check(after.openFiles() <= baseline.openFiles() + FD_SLACK, "open fds: %d before, %d after (at most +%d)", baseline.openFiles(),
                after.openFiles(), FD_SLACK);
        rules.check(after.threads() <= baseline.threads() + eventLoops + THREAD_SLACK, "threads: %d before, %d after (at most +%d event loops +%d)",
                baseline.threads(), after.threads(), eventLoops, THREAD_SLACK);
        rules.check(after.heapAfterGcKib() <= baseline.heapAfterGcKib() + HEAP_SLACK_MIB * 1024L, "heap after full GC: %.1f MiB before, %.1f MiB after (at most +%d)",
                baseline.heapAfterGcKib() / 1024.0, after.heapAfterGcKib() / 1024.0, HEAP_SLACK_MIB);
        trend(rules, steady, Sample.HEAP, HEAP_FLOOR_MIB);
        trend(rules, steady, Sample.RESIDENT, RSS_FLOOR_MIB);
        trend(rules, steady, Sample.OPEN_FILES, FD_SLACK);
        return new SoakVerdict(List.copyOf(rules.passed), List.copyOf(rules.failed));
    }

    private static void trend(Rules rules, List<Sample> steady, Sample.Series series, double floor) {
        if (steady.size() < MIN_TREND_SAMPLES) {
            rules.check(false, "%s trend: only %d steady samples (at least %d needed: run longer)", series.name(), steady.size(), MIN_TREND_SAMPLES);
            return;
        }
        double window = steady.getLast().seconds() - steady.getFirst().seconds();
        double meanX = steady.stream().mapToDouble(Sample::seconds).average().orElseThrow();
        double meanY = steady.stream().mapToDouble(series.value()).average().orElseThrow();
        double covariance = steady.stream().mapToDouble(s -> (s.seconds() - meanX) * (series.value().applyAsDouble(s) - meanY)).sum();
        double variance = steady.stream().mapToDouble(s -> (s.seconds() - meanX) * (s.seconds() - meanX)).sum();
        double growth = variance == 0 ? 0 : covariance / variance * window;
        double allowed = Math.max(floor, meanY * TREND_SHARE_PERCENT / 100);
        rules.check(growth < allowed, "%s trend: %+.1f %s over the %.0f s steady window (%d samples, mean %.1f; allowed < %.1f)", series.name(), growth,
                series.unit(), window, steady.size(), meanY, allowed);
    }

    List<String> lines() {
        List<String> lines = new ArrayList<>();
        failed.forEach(line -> lines.add("FAIL " + line));
        passed.forEach(line -> lines.add("ok   " + line));
        return lines;
    }

    private static final class Rules {
        private final List<String> passed = new ArrayList<>();
        private final List<String> failed = new ArrayList<>();

        void check(boolean holds, String format, Object... arguments) {
            (holds ? passed : failed).add(String.format(Locale.ROOT, format, arguments));
        }
    }
}
