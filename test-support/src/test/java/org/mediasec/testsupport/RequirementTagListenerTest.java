package org.mediasec.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.core.LauncherConfig;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * The listener run on fixture classes (nested, so Surefire does not run them by themselves) by a launcher of its
 * own, and the lines it writes.
 */
class RequirementTagListenerTest {

    @TempDir
    Path dir;

    static class Methods {
        @Test
        @Tag("TLS-4")
        @WireTest
        void onTheWire() {}

        @Test
        @Tag("TLS-4")
        @Tag("TLS-10")
        void inProcess() {}

        @Test
        @Tag("GW-1")
        void failing() {
            throw new AssertionError("broken");
        }

        @Test
        @Disabled("not today")
        @Tag("GW-2")
        void disabled() {}

        @Test
        void untagged() {}

        @ParameterizedTest
        @ValueSource(ints = {1, 2, 3})
        @Tag("H248-1")
        void oneInvocationFails(int value) {
            assertThat(value).isNotEqualTo(2);
        }

        @ParameterizedTest
        @ValueSource(ints = {1, 2, 3})
        @Tag("H248-2")
        void oneInvocationAborted(int value) {
            Assumptions.assumeTrue(value != 2);
        }

        @ParameterizedTest
        @ValueSource(ints = {1, 2})
        @Tag("H248-3")
        void everyInvocationAborted(int value) {
            Assumptions.assumeTrue(false, "no peer");
        }
    }

    @Disabled("peer missing")
    static class SkippedClass {
        @Test
        @Tag("TCP-8")
        @WireTest
        void wouldRun() {}
    }

    @Disabled("no provider")
    @ParameterizedClass
    @ValueSource(strings = {"jdk", "openssl"})
    static class SkippedTemplate {
        @Parameter
        String provider;

        @Test
        @Tag("TLS-7")
        @WireTest
        void perProvider() {}
    }

    @ParameterizedClass
    @ValueSource(strings = {"jdk", "openssl"})
    static class RunningTemplate {
        @Parameter
        String provider;

        @Test
        @Tag("TLS-6")
        @WireTest
        void perProvider() {}
    }

    static class FailingSetUp {
        @BeforeAll
        static void setUp() {
            throw new IllegalStateException("gateway did not start");
        }

        @Test
        @Tag("TCP-3")
        void neverRuns() {}
    }

    static class FailingTearDown {
        @AfterAll
        static void tearDown() {
            throw new IllegalStateException("gateway did not stop");
        }

        @Test
        @Tag("TCP-2")
        void passesFirst() {}
    }

    @Tag("H248-5")
    static class TaggedClass {
        @Test
        void anything() {}

        @Tag("H248-6")
        void helperThatIsNoTest() {}
    }

    private List<String> run(Class<?>... classes) throws Exception {
        Path file = dir.resolve("tests-default-1-1.tsv");
        RequirementTagListener listener = new RequirementTagListener(new ResultFile(file, "build-1", "mediasec-x", "default"));
        Launcher launcher = LauncherFactory.create(LauncherConfig.builder().enableTestExecutionListenerAutoRegistration(false).build());
        LauncherDiscoveryRequestBuilder request = LauncherDiscoveryRequestBuilder.request();
        for (Class<?> fixture : classes) {
            request.selectors(selectClass(fixture));
        }
        launcher.execute(request.build(), listener);
        return Files.readAllLines(file);
    }

    private static String test(Class<?> fixture, String method, String outcome, String kind, String requirements) {
        return "test\t" + fixture.getName() + "\t" + method + "\t" + outcome + "\t" + kind + "\t" + requirements + "\t";
    }

    @Test
    void eachTaggedMethodIsOneLineWithItsOutcomeAndWhetherItRanOnTheWire() throws Exception {
        List<String> lines = run(Methods.class);

        assertThat(lines.subList(0, 4)).containsExactly(ResultFile.MAGIC, "# build\tbuild-1", "# module\tmediasec-x", "# execution\tdefault");
        assertThat(lines).contains(test(Methods.class, "onTheWire", "passed", "wire", "TLS-4"))
                .contains(test(Methods.class, "inProcess", "passed", "unit", "TLS-10,TLS-4"))
                .contains(test(Methods.class, "failing", "failed", "unit", "GW-1"))
                .contains(test(Methods.class, "disabled", "skipped", "unit", "GW-2") + "skipped: not today")
                .noneMatch(line -> line.contains("untagged"))
                .last().isEqualTo(ResultFile.COMPLETE);
    }

    @Test
    void aMethodFailsWhenAnyInvocationFailsPassesWhenNoneFailsAndOnePassedAndIsSkippedOnlyWhenAllWere() throws Exception {
        List<String> lines = run(Methods.class);

        assertThat(lines).contains(test(Methods.class, "oneInvocationFails", "failed", "unit", "H248-1"))
                .contains(test(Methods.class, "oneInvocationAborted", "passed", "unit", "H248-2"))
                .anyMatch(line -> line.startsWith(test(Methods.class, "everyInvocationAborted", "skipped", "unit", "H248-3") + "aborted: "));
    }

    @Test
    void aSkippedClassOrParameterizedClassASetUpThatFailsAndATearDownThatFailsReachEveryTaggedMethod() throws Exception {
        List<String> lines = run(SkippedClass.class, SkippedTemplate.class, FailingSetUp.class, FailingTearDown.class);

        assertThat(lines).contains(test(SkippedClass.class, "wouldRun", "skipped", "wire", "TCP-8") + "skipped: peer missing")
                .contains(test(SkippedTemplate.class, "perProvider", "skipped", "wire", "TLS-7") + "skipped: no provider")
                .contains(test(FailingSetUp.class, "neverRuns", "failed", "unit", "TCP-3")
                        + "failed with its class (set-up or tear-down): IllegalStateException: gateway did not start")
                .contains(test(FailingTearDown.class, "passesFirst", "failed", "unit", "TCP-2")
                        + "failed with its class (set-up or tear-down): IllegalStateException: gateway did not stop");
    }

    @Test
    void theMethodsOfAParameterizedClassCountWhetherItRanOrWasSkipped() throws Exception {
        List<String> lines = run(RunningTemplate.class, SkippedTemplate.class);

        assertThat(lines).contains(test(RunningTemplate.class, "perProvider", "passed", "wire", "TLS-6"))
                .contains(test(SkippedTemplate.class, "perProvider", "skipped", "wire", "TLS-7") + "skipped: no provider")
                .noneMatch(line -> line.startsWith("misplaced"));
    }

    @Test
    void tagsOnAClassOrOnAMethodNoEngineRunsAreMisplaced() throws Exception {
        List<String> lines = run(TaggedClass.class);

        assertThat(lines).contains("misplaced\t" + TaggedClass.class.getName() + "\tH248-5\ton the class: put each tag on the test methods that prove it")
                .anyMatch(line -> line.startsWith("misplaced\t" + TaggedClass.class.getName() + "#helperThatIsNoTest\tH248-6\tno test engine reports this tag"));
    }

    @Test
    void requirementIdsLookLikeTheCatalogue() {
        assertThat(RequirementTagListener.REQUIREMENT_ID.matcher("H248-1").matches()).isTrue();
        assertThat(RequirementTagListener.REQUIREMENT_ID.matcher("TLS-12").matches()).isTrue();
        assertThat(RequirementTagListener.REQUIREMENT_ID.matcher("jazzer").matches()).isFalse();
        assertThat(RequirementTagListener.REQUIREMENT_ID.matcher(WireTest.TAG).matches()).isFalse();
    }

    @Test
    void aFileFromAnotherBuildIsDeletedAndOneOfThisBuildIsKept() throws Exception {
        Path folder = Files.createDirectories(dir.resolve("target/conformance"));
        Path old = Files.writeString(folder.resolve("tests-default-7-1.tsv"), ResultFile.MAGIC + "\n# build\tbuild-0\n");
        Path sibling = Files.writeString(folder.resolve("tests-fuzz-8-1.tsv"), ResultFile.MAGIC + "\n# build\tbuild-1\n");
        Path legacy = Files.writeString(folder.resolve("tests-default.tsv"), "GW-1\tmediasec-x\torg.x.T\tt\tpassed\n");

        new ResultFile(folder.resolve("tests-default-9-1.tsv"), "build-1", "mediasec-x", "default").deleteOtherBuilds();

        assertThat(old).doesNotExist();
        assertThat(legacy).doesNotExist();
        assertThat(sibling).exists();
    }
}
