package org.mediasec.it.bench.callrate;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The round's figures as Markdown, ready for docs/performance.md: per step, each system's sustained rate, set-up
 * percentiles, failed calls and CPU per call, and the ratio mediasec ÷ rtpengine; then the sustained maxima, their
 * ratio, and the p99 at half the maximum against the targets. Stateless.
 */
final class Report {

    /** Issue 17's targets, reported against, not asserted. */
    static final double TARGET_RATIO = 1.0;
    static final long TARGET_HALF_RATE_P99_MICROS = 5_000;

    private static final int EXAMPLE_LENGTH = 160;

    private Report() {}

    static String markdown(String title, List<Round.SystemResult> systems) {
        StringBuilder text = new StringBuilder("### ").append(title).append("\n\n| offered calls/s |");
        StringBuilder rule = new StringBuilder("|---|");
        for (Round.SystemResult system : systems) {
            text.append(' ').append(system.system()).append(": sustained | p50 | p99 | p99.9 | failed | CPU µs/call |");
            rule.append("---|---|---|---|---|---|");
        }
        Optional<Round.SystemResult[]> pair = pair(systems);
        if (pair.isPresent()) {
            text.append(" ratio |");
            rule.append("---|");
        }
        text.append('\n').append(rule).append('\n');
        int rows = systems.stream().mapToInt(s -> s.steps().size()).max().orElse(0);
        for (int row = 0; row < rows; row++) {
            int offered = 0;
            StringBuilder cells = new StringBuilder();
            for (Round.SystemResult system : systems) {
                if (row < system.steps().size()) {
                    StepResult step = system.steps().get(row);
                    offered = step.offered();
                    cells.append(cells(step));
                } else {
                    cells.append(" — | | | | | |");
                }
            }
            text.append("| ").append(String.format(Locale.ROOT, "%,d", offered)).append(" |").append(cells);
            if (pair.isPresent()) {
                text.append(' ').append(ratio(pair.get()[0].steps(), pair.get()[1].steps(), row)).append(" |");
            }
            text.append('\n');
        }
        text.append('\n');
        for (Round.SystemResult system : systems) {
            StepResult best = system.best();
            StepResult half = system.halfRate();
            text.append(String.format(Locale.ROOT, "- %s: sustained maximum **%,.0f calls/s** (offered %,d); at half of it (%,d calls/s) set-up p99 %s"
                    + " (target < %d ms: %s), p50 %s, failed %s; held after the round: %s%n", system.system(), best.sustained(), best.offered(), half.offered(),
                    StepResult.millis(half.setUp().p99Micros()), TARGET_HALF_RATE_P99_MICROS / 1000,
                    half.setUp().p99Micros() >= 0 && half.setUp().p99Micros() < TARGET_HALF_RATE_P99_MICROS ? "met" : "not met",
                    StepResult.millis(half.setUp().p50Micros()), half.errorSummary(), system.leftOver()));
            system.steps().stream().filter(step -> step.failed() > 0).forEach(step -> {
                text.append("  - failed at ").append(step.offered()).append("/s: ").append(step.errors()).append('\n');
                step.examples().forEach((kind, detail) -> text.append("    - ").append(kind).append(", e.g.: ")
                        .append(detail.length() > EXAMPLE_LENGTH ? detail.substring(0, EXAMPLE_LENGTH) + "…" : detail).append('\n'));
            });
        }
        pair.ifPresent(p -> text.append(String.format(Locale.ROOT, "- ratio of the sustained maxima %s ÷ %s: **%.2f×** (target ≥ %.1f×: %s)%n",
                p[0].system(), p[1].system(), p[0].best().sustained() / p[1].best().sustained(), TARGET_RATIO,
                p[0].best().sustained() >= TARGET_RATIO * p[1].best().sustained() ? "met" : "not met")));
        pair.flatMap(p -> commonStep(p[0].steps(), p[1].steps())).ifPresent(common -> text.append(String.format(Locale.ROOT,
                "- CPU per call at %,d calls/s, the highest step both sustained: %s %.0f µs, %s %.0f µs; calls per CPU-second %s ÷ %s: **%.2f×**%n",
                common[0].offered(), common[0].system(), common[0].cpuMicrosPerCall(), common[1].system(), common[1].cpuMicrosPerCall(),
                common[0].system(), common[1].system(), common[1].cpuMicrosPerCall() / common[0].cpuMicrosPerCall())));
        double othersLow = systems.stream().flatMap(s -> s.steps().stream()).mapToDouble(StepResult::otherCores).min().orElse(0);
        double othersHigh = systems.stream().flatMap(s -> s.steps().stream()).mapToDouble(StepResult::otherCores).max().orElse(0);
        text.append(String.format(Locale.ROOT, "- other work on the machine during the steps: %.2f to %.2f of its 2 cores%n", othersLow, othersHigh));
        return text.toString();
    }

    private static String cells(StepResult step) {
        return String.format(Locale.ROOT, " %,.0f | %s | %s | %s | %s | %.0f |", step.sustained(), StepResult.millis(step.setUp().p50Micros()),
                StepResult.millis(step.setUp().p99Micros()), StepResult.millis(step.setUp().p999Micros()),
                step.failed() == 0 ? "0" : String.format(Locale.ROOT, "%d (%.1f %%)", step.failed(), 100 * step.failedFraction()), step.cpuMicrosPerCall());
    }

    /** The steps of the highest offered rate that both systems sustained without failures. */
    private static Optional<StepResult[]> commonStep(List<StepResult> ours, List<StepResult> anchor) {
        StepResult[] found = null;
        for (int row = 0; row < Math.min(ours.size(), anchor.size()); row++) {
            StepResult a = ours.get(row);
            StepResult b = anchor.get(row);
            if (a.failed() == 0 && b.failed() == 0 && a.sustained() >= CallRateOptions.MIN_SUSTAINED_SHARE * a.offered()
                    && b.sustained() >= CallRateOptions.MIN_SUSTAINED_SHARE * b.offered() && a.cpuMicrosPerCall() > 0) {
                found = new StepResult[] {a, b};
            }
        }
        return Optional.ofNullable(found);
    }

    /** mediasec first, rtpengine second, when both ran. */
    private static Optional<Round.SystemResult[]> pair(List<Round.SystemResult> systems) {
        Optional<Round.SystemResult> ours = systems.stream().filter(s -> s.system().startsWith("mediasec")).findFirst();
        Optional<Round.SystemResult> anchor = systems.stream().filter(s -> s.system().equals("rtpengine")).findFirst();
        return ours.isPresent() && anchor.isPresent() ? Optional.of(new Round.SystemResult[] {ours.get(), anchor.get()}) : Optional.empty();
    }

    private static String ratio(List<StepResult> ours, List<StepResult> anchor, int row) {
        if (row >= ours.size() || row >= anchor.size() || anchor.get(row).sustained() == 0) {
            return "—";
        }
        return String.format(Locale.ROOT, "%.2f×", ours.get(row).sustained() / anchor.get(row).sustained());
    }
}
