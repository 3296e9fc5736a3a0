package org.mediasec.app.demo;

import java.util.List;

/** One scenario's outcome: its checks (each passed or not), its ladder, how long it took. */
public record ScenarioResult(int number, String title, List<Check> checks, String ladderText, String ladderSvg, long millis) {

    /** One thing the scenario verified end to end. */
    public record Check(boolean passed, String what) {}

    public boolean passed() {
        return !checks.isEmpty() && checks.stream().allMatch(Check::passed);
    }

    public String verdict() {
        long failed = checks.stream().filter(c -> !c.passed()).count();
        return String.format("%s  %d  %s  (%d checks%s, %.1f s)", passed() ? "PASS" : "FAIL", number, title, checks.size(),
                failed == 0 ? "" : ", " + failed + " failed", millis / 1000.0);
    }
}
