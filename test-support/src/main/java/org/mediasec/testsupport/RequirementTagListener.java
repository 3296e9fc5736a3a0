package org.mediasec.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.TestTag;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

/**
 * Records, for every test that carries a requirement tag ({@code @Tag("TLS-4")}), its outcome, and writes them to
 * {@code target/conformance/tests-<surefire execution>.tsv} (rewritten by every run) of the module under test when the run ends. The conformance report
 * ({@code org.mediasec.it.conformance.ConformanceReport}) joins these files with the requirement catalogue.
 * Registered through {@code ServiceLoader}, so every module with test-support on its test class path takes part.
 *
 * <p>Outcomes are kept per test method: a parameterized test or a property is passed only when every invocation
 * passed, failed when any failed, skipped when all were skipped.
 */
public final class RequirementTagListener implements TestExecutionListener {

    static final Pattern REQUIREMENT_ID = Pattern.compile("[A-Z][A-Z0-9]*-[0-9]+");

    enum Outcome { PASSED, SKIPPED, FAILED }

    /** One tagged test method: class#method, with the requirement IDs and the worst outcome of its runs. */
    record Entry(String testClass, String method, Set<String> requirements, Outcome outcome) {}

    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private TestPlan plan;

    @Override
    public void testPlanExecutionStarted(TestPlan testPlan) {
        plan = testPlan;
    }

    @Override
    public void executionSkipped(TestIdentifier test, String reason) {
        record(test, Outcome.SKIPPED);
    }

    @Override
    public void executionFinished(TestIdentifier test, TestExecutionResult result) {
        if (!test.isTest()) {
            return;
        }
        record(test, switch (result.getStatus()) {
            case SUCCESSFUL -> Outcome.PASSED;
            case ABORTED -> Outcome.SKIPPED;
            case FAILED -> Outcome.FAILED;
        });
    }

    @Override
    public void testPlanExecutionFinished(TestPlan testPlan) {
        if (entries.isEmpty()) {
            return;
        }
        Path directory = moduleDirectory().resolve("target").resolve("conformance");
        try {
            Files.createDirectories(directory);
            Files.writeString(directory.resolve("tests-" + System.getProperty("mediasec.execution", "default") + ".tsv"), render(entries.values()), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the requirement-tag results to " + directory, e);
        }
    }

    /** The module's folder: Surefire passes {@code basedir}; the working directory is the module otherwise. */
    private static Path moduleDirectory() {
        return Path.of(Optional.ofNullable(System.getProperty("basedir")).orElse(System.getProperty("user.dir")));
    }

    static String render(Iterable<Entry> entries) {
        Map<String, String> lines = new TreeMap<>();
        String module = Optional.ofNullable(System.getProperty("mediasec.module")).orElse(moduleDirectory().getFileName().toString());
        for (Entry entry : entries) {
            for (String requirement : entry.requirements()) {
                String line = requirement + "\t" + module + "\t" + entry.testClass() + "\t" + entry.method() + "\t" + entry.outcome().name().toLowerCase(java.util.Locale.ROOT);
                lines.put(line, line);
            }
        }
        return String.join("\n", lines.values()) + "\n";
    }

    private void record(TestIdentifier test, Outcome outcome) {
        Set<String> requirements = requirements(test);
        if (requirements.isEmpty()) {
            return;
        }
        Optional<MethodSource> method = methodSource(test);
        String testClass = method.map(MethodSource::getClassName).orElse(test.getLegacyReportingName());
        String methodName = method.map(MethodSource::getMethodName).orElse(test.getDisplayName());
        String key = testClass + "#" + methodName;
        entries.merge(key, new Entry(testClass, methodName, requirements, outcome), (a, b) -> {
            Set<String> union = new TreeSet<>(a.requirements());
            union.addAll(b.requirements());
            return new Entry(a.testClass(), a.method(), union, worse(a.outcome(), b.outcome()));
        });
    }

    /** FAILED beats PASSED beats SKIPPED: one failing invocation fails the method; one passing one proves it. */
    static Outcome worse(Outcome a, Outcome b) {
        if (a == Outcome.FAILED || b == Outcome.FAILED) {
            return Outcome.FAILED;
        }
        if (a == Outcome.PASSED || b == Outcome.PASSED) {
            return Outcome.PASSED;
        }
        return Outcome.SKIPPED;
    }

    /** Requirement tags of the test and of every container above it (class tags apply to its methods). */
    private Set<String> requirements(TestIdentifier test) {
        Set<String> ids = new TreeSet<>();
        Optional<TestIdentifier> current = Optional.of(test);
        while (current.isPresent()) {
            for (TestTag tag : current.get().getTags()) {
                if (REQUIREMENT_ID.matcher(tag.getName()).matches()) {
                    ids.add(tag.getName());
                }
            }
            current = plan == null ? Optional.empty() : plan.getParent(current.get());
        }
        return ids;
    }

    /** The method a test runs, also for invocations of parameterized tests and properties (their parent has it). */
    private Optional<MethodSource> methodSource(TestIdentifier test) {
        Optional<TestIdentifier> current = Optional.of(test);
        while (current.isPresent()) {
            if (current.get().getSource().orElse(null) instanceof MethodSource source) {
                return Optional.of(source);
            }
            current = plan == null ? Optional.empty() : plan.getParent(current.get());
        }
        return Optional.empty();
    }
}
