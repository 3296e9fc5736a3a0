package org.mediasec.testsupport;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.TestTag;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

/**
 * Records, for every test method that carries a requirement tag ({@code @Tag("TLS-4")}), its outcome and whether it
 * is a {@link WireTest}, and writes them to the module's {@code target/conformance/} ({@link ResultFile}). The
 * conformance report ({@code org.mediasec.it.conformance.ConformanceReport}) joins these files with the requirement
 * catalogue. Registered through {@code ServiceLoader}, so every module with test-support on its test class path
 * takes part.
 *
 * <ul>
 *   <li>A method's outcome combines all its runs ({@link Outcome#combine}): failed when any invocation failed,
 *       else passed when any passed, else skipped.</li>
 *   <li>A class that is skipped as a whole (a missing peer, {@code @Disabled}) reports no event for its methods:
 *       each tagged method is recorded as skipped, with the reason. A class whose set-up ({@code @BeforeAll}, an
 *       extension) fails runs none of its methods: each is recorded as failed; a tear-down that fails after the
 *       methods passed fails them too.</li>
 *   <li>Tags on a class, and JUnit tags no engine reports, are recorded as misplaced ({@link TagPlacement}): the
 *       report refuses them.</li>
 *   <li>The file is rewritten after every test class and marked complete when the test plan ends.</li>
 * </ul>
 *
 * Every event is handled under this listener's monitor: engines may report from several threads.
 */
public final class RequirementTagListener implements TestExecutionListener {

    static final Pattern REQUIREMENT_ID = Pattern.compile("[A-Z][A-Z0-9]*-[0-9]+");
    /** Numbers the listeners of one JVM, so that two never share a file. */
    private static final AtomicInteger INSTANCES = new AtomicInteger();

    private final Map<String, TaggedTest> tests = new TreeMap<>();
    private final Set<Misplaced> misplaced = new LinkedHashSet<>();
    private final ResultFile file;
    private TestPlan plan;

    public RequirementTagListener() {
        this(ResultFile.forThisJvm(INSTANCES.incrementAndGet()));
    }

    RequirementTagListener(ResultFile file) {
        this.file = file;
    }

    @Override
    public synchronized void testPlanExecutionStarted(TestPlan testPlan) {
        plan = testPlan;
        file.deleteOtherBuilds();
        file.write(tests.values(), misplaced, false);
    }

    @Override
    public synchronized void executionSkipped(TestIdentifier identifier, String reason) {
        // a skipped container reports nothing for what it holds: every tagged method under it is skipped
        for (TaggedTest test : taggedUnder(identifier, Outcome.SKIPPED, "skipped: " + reason)) {
            record(test);
        }
        if (isClass(identifier)) {
            file.write(tests.values(), misplaced, false);
        }
    }

    @Override
    public synchronized void executionFinished(TestIdentifier identifier, TestExecutionResult result) {
        if (identifier.isTest()) {
            Outcome outcome = switch (result.getStatus()) {
                case SUCCESSFUL -> Outcome.PASSED;
                case ABORTED -> Outcome.SKIPPED;
                case FAILED -> Outcome.FAILED;
            };
            String note = outcome == Outcome.SKIPPED ? "aborted: " + message(result) : "";
            tagged(identifier, outcome, note).ifPresent(this::record);
        } else if (result.getStatus() != TestExecutionResult.Status.SUCCESSFUL) {
            containerEnded(identifier, result);
        }
        if (isClass(identifier)) {
            file.write(tests.values(), misplaced, false);
        }
    }

    @Override
    public synchronized void testPlanExecutionFinished(TestPlan testPlan) {
        // checked once the plan holds what the engines added while running (the methods of a parameterized class)
        misplaced.addAll(TagPlacement.check(testPlan));
        file.write(tests.values(), misplaced, true);
    }

    /**
     * A container that failed (set-up or tear-down) or was aborted: its tagged methods that never ran take its
     * outcome; after a failed tear-down, those that passed are failed too.
     */
    private void containerEnded(TestIdentifier container, TestExecutionResult result) {
        boolean failed = result.getStatus() == TestExecutionResult.Status.FAILED;
        String note = (failed ? "failed with its class (set-up or tear-down): " : "aborted with its class: ") + message(result);
        for (TaggedTest tagged : taggedUnder(container, failed ? Outcome.FAILED : Outcome.SKIPPED, note)) {
            TaggedTest recorded = tests.get(tagged.key());
            if (recorded == null) {
                tests.put(tagged.key(), tagged);
            } else if (failed && recorded.outcome() != Outcome.FAILED) {
                tests.put(recorded.key(), recorded.withOutcome(Outcome.FAILED, note));
            }
        }
    }

    private void record(TaggedTest test) {
        tests.merge(test.key(), test, TaggedTest::combine);
    }

    /** The test method behind an identifier (a method, an invocation, a template) with its requirement tags, if any. */
    private Optional<TaggedTest> tagged(TestIdentifier identifier, Outcome outcome, String note) {
        Set<String> tags = new TreeSet<>();
        Optional<TestIdentifier> current = Optional.of(identifier);
        MethodSource method = null;
        while (current.isPresent() && !isClass(current.get())) {
            current.get().getTags().stream().map(TestTag::getName).forEach(tags::add);
            if (method == null && current.get().getSource().orElse(null) instanceof MethodSource source) {
                method = source;
            }
            current = parent(current.get());
        }
        Set<String> requirements = new TreeSet<>();
        tags.stream().filter(tag -> REQUIREMENT_ID.matcher(tag).matches()).forEach(requirements::add);
        if (method == null || requirements.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new TaggedTest(method.getClassName(), method.getMethodName(), requirements, tags.contains(WireTest.TAG), outcome, note));
    }

    /**
     * The tagged methods under a container that reported nothing for them: those in the test plan, and for a class
     * also those its source declares (a parameterized class has no methods in the plan before it runs).
     */
    private Collection<TaggedTest> taggedUnder(TestIdentifier container, Outcome outcome, String note) {
        Map<String, TaggedTest> found = new TreeMap<>();
        List<TestIdentifier> identifiers = new ArrayList<>();
        identifiers.add(container);
        if (plan != null) {
            identifiers.addAll(plan.getDescendants(container));
        }
        for (TestIdentifier identifier : identifiers) {
            tagged(identifier, outcome, note).ifPresent(test -> found.putIfAbsent(test.key(), test));
        }
        if (container.getSource().orElse(null) instanceof ClassSource source) {
            TagPlacement.loaded(source).ifPresent(testClass -> {
                for (Method method : testClass.getDeclaredMethods()) {
                    Set<String> tags = TagPlacement.junitTags(method);
                    Set<String> requirements = new TreeSet<>();
                    tags.stream().filter(tag -> REQUIREMENT_ID.matcher(tag).matches()).forEach(requirements::add);
                    if (!requirements.isEmpty()) {
                        TaggedTest test = new TaggedTest(testClass.getName(), method.getName(), requirements, tags.contains(WireTest.TAG), outcome, note);
                        found.putIfAbsent(test.key(), test);
                    }
                }
            });
        }
        return found.values();
    }

    private Optional<TestIdentifier> parent(TestIdentifier identifier) {
        return plan == null ? Optional.empty() : plan.getParent(identifier);
    }

    private static boolean isClass(TestIdentifier identifier) {
        return identifier.getSource().orElse(null) instanceof ClassSource;
    }

    private static String message(TestExecutionResult result) {
        return result.getThrowable().map(thrown -> thrown.getClass().getSimpleName() + (thrown.getMessage() == null ? "" : ": " + thrown.getMessage()))
                .orElse("no reason given");
    }
}
