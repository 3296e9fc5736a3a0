package org.mediasec.testsupport;

import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Tag;
import org.junit.platform.commons.support.AnnotationSupport;
import org.junit.platform.engine.TestTag;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

/**
 * Finds requirement and wire tags that would count for the wrong tests or for none: a tag on a class (it would
 * claim every method of the class, those that prove nothing included), and a JUnit {@code @Tag} on a method that
 * no test engine reports (a helper that is no test, or a jqwik property: jqwik reads only its own
 * {@code net.jqwik.api.Tag}). Reads the classes of the test plan by reflection once the plan has run, when it also
 * holds what the engines registered while running (the methods of a parameterized class).
 */
final class TagPlacement {

    private TagPlacement() {}

    static List<Misplaced> check(TestPlan plan) {
        Map<String, ClassSource> classes = new TreeMap<>();
        Map<String, Set<String>> classTags = new HashMap<>();
        Map<String, Set<String>> methodTags = new HashMap<>();
        for (TestIdentifier root : plan.getRoots()) {
            for (TestIdentifier identifier : plan.getDescendants(root)) {
                switch (identifier.getSource().orElse(null)) {
                    case ClassSource source -> {
                        classes.putIfAbsent(source.getClassName(), source);
                        classTags.computeIfAbsent(source.getClassName(), name -> new TreeSet<>()).addAll(names(identifier.getTags()));
                    }
                    case MethodSource source -> methodTags.computeIfAbsent(source.getClassName() + "#" + source.getMethodName(), key -> new TreeSet<>())
                            .addAll(names(identifier.getTags()));
                    case null, default -> { }
                }
            }
        }
        List<Misplaced> found = new ArrayList<>();
        classes.forEach((name, source) -> loaded(source).ifPresent(testClass -> {
            Set<String> onClass = counted(classTags.get(name));
            onClass.addAll(counted(junitTags(testClass)));
            if (!onClass.isEmpty()) {
                found.add(new Misplaced(name, onClass, "on the class: put each tag on the test methods that prove it"));
            }
            if (methodTags.keySet().stream().noneMatch(key -> key.startsWith(name + "#"))) {
                return; // none of its methods ran (a skipped class, a parameterized class not expanded): nothing to compare
            }
            for (Method method : testClass.getDeclaredMethods()) {
                Set<String> declared = counted(junitTags(method));
                declared.removeAll(methodTags.getOrDefault(name + "#" + method.getName(), Set.of()));
                if (!declared.isEmpty()) {
                    found.add(new Misplaced(name + "#" + method.getName(), declared,
                            "no test engine reports this tag: not a test method, or an engine that ignores JUnit's @Tag (jqwik: use net.jqwik.api.Tag)"));
                }
            }
        }));
        return found;
    }

    static Optional<Class<?>> loaded(ClassSource source) {
        try {
            return Optional.of(source.getJavaClass());
        } catch (RuntimeException | LinkageError notLoadable) {
            return Optional.empty();
        }
    }

    static Set<String> junitTags(AnnotatedElement element) {
        Set<String> tags = new TreeSet<>();
        AnnotationSupport.findRepeatableAnnotations(element, Tag.class).forEach(tag -> tags.add(tag.value()));
        return tags;
    }

    private static Set<String> names(Set<TestTag> tags) {
        Set<String> names = new TreeSet<>();
        tags.forEach(tag -> names.add(tag.getName()));
        return names;
    }

    /** The tags the report counts: requirement IDs and the wire marker. */
    static Set<String> counted(Set<String> tags) {
        Set<String> counted = new TreeSet<>();
        for (String tag : tags) {
            if (RequirementTagListener.REQUIREMENT_ID.matcher(tag).matches() || tag.equals(WireTest.TAG)) {
                counted.add(tag);
            }
        }
        return counted;
    }
}
