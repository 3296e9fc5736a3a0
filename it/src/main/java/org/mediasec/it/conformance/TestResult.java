package org.mediasec.it.conformance;

/** One line of a module's target/conformance/*.tsv: a requirement, the test method that names it, its outcome. */
record TestResult(String requirementId, String module, String testClass, String method, String outcome) {

    static TestResult parse(String line) {
        String[] fields = line.split("\t", -1);
        if (fields.length != 5) {
            throw new IllegalArgumentException("malformed test result line: " + line);
        }
        return new TestResult(fields[0], fields[1], fields[2], fields[3], fields[4]);
    }

    /** {@code module: SimpleClass#method}. */
    String label() {
        int dot = testClass.lastIndexOf('.');
        return module.replaceFirst("^mediasec-", "") + ": " + testClass.substring(dot + 1) + "#" + method;
    }
}
