package org.mediasec.testsupport;

/** What one test method did in one test JVM. */
enum Outcome {
    PASSED, SKIPPED, FAILED;

    /**
     * The outcome of a method that ran several times (the invocations of a parameterized test or a property, or
     * the same method in two forks): failed when any run failed; else passed when any run passed; skipped only
     * when every run was skipped. A skipped invocation does not fail a method whose other invocations passed.
     */
    static Outcome combine(Outcome a, Outcome b) {
        if (a == FAILED || b == FAILED) {
            return FAILED;
        }
        return a == PASSED || b == PASSED ? PASSED : SKIPPED;
    }
}
