package org.mediasec.it.conformance;

import java.util.Collections;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * One tagged test method as one module's test JVMs recorded it: the requirement IDs it names, whether it is a wire
 * test ({@code @WireTest}: real sockets or a real peer process), its outcome over all its runs, and a note saying
 * why when the outcome came from outside the method (a skip reason, a failed class set-up).
 */
record TestResult(String module, String testClass, String method, SortedSet<String> requirements, boolean wire, Outcome outcome, String note) {

    enum Outcome { PASSED, SKIPPED, FAILED }

    TestResult {
        requirements = Collections.unmodifiableSortedSet(new TreeSet<>(requirements));
        note = note == null ? "" : note;
    }

    static TestResult of(String module, String testClass, String method, Set<String> requirements, boolean wire, Outcome outcome) {
        return new TestResult(module, testClass, method, new TreeSet<>(requirements), wire, outcome, "");
    }

    /** {@code module: Class#method}, without the {@code mediasec-} prefix; nested classes as {@code Outer.Inner}. */
    String label() {
        String simple = testClass.substring(testClass.lastIndexOf('.') + 1).replace('$', '.');
        return module.replaceFirst("^mediasec-", "") + ": " + simple + "#" + method;
    }

    String key() {
        return module + "\t" + testClass + "#" + method;
    }

    /**
     * The same method seen in two JVMs (two Surefire executions, two forks): failed when either failed, else passed
     * when either passed, else skipped; the note follows the outcome that counts.
     */
    TestResult combine(TestResult other) {
        Outcome combined = outcome == Outcome.FAILED || other.outcome == Outcome.FAILED ? Outcome.FAILED
                : outcome == Outcome.PASSED || other.outcome == Outcome.PASSED ? Outcome.PASSED : Outcome.SKIPPED;
        SortedSet<String> union = new TreeSet<>(requirements);
        union.addAll(other.requirements);
        String reason = outcome == combined ? note : other.note;
        return new TestResult(module, testClass, method, union, wire || other.wire, combined, reason);
    }
}
