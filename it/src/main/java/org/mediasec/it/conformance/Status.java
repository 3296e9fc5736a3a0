package org.mediasec.it.conformance;

import java.util.Collection;

/** Where a requirement stands, from the tests that name it; the report's legend is this enum, in this order. */
enum Status {
    COVERED("covered", "a test that names it passed on the wire (`@WireTest`: real sockets or a real peer process), and none of its tests failed"),
    UNIT_ONLY("unit only", "tests that name it passed, but none of them on the wire (in-process unit, property, corpus or fuzz tests), and none failed"),
    FAILING("failing", "a test that names it failed, or its class's set-up or tear-down did"),
    SKIPPED("skipped", "tests name it, but none of them ran (a peer program missing, a disabled class)"),
    NOT_COVERED("not covered", "no test names it");

    private final String label;
    private final String meaning;

    Status(String label, String meaning) {
        this.label = label;
        this.meaning = meaning;
    }

    String label() {
        return label;
    }

    String meaning() {
        return meaning;
    }

    static Status of(Collection<TestResult> tests) {
        if (tests.isEmpty()) {
            return NOT_COVERED;
        }
        if (tests.stream().anyMatch(test -> test.outcome() == TestResult.Outcome.FAILED)) {
            return FAILING;
        }
        if (tests.stream().anyMatch(test -> test.outcome() == TestResult.Outcome.PASSED && test.wire())) {
            return COVERED;
        }
        return tests.stream().anyMatch(test -> test.outcome() == TestResult.Outcome.PASSED) ? UNIT_ONLY : SKIPPED;
    }
}
