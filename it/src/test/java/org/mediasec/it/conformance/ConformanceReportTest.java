package org.mediasec.it.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mediasec.it.conformance.CodeMarkers.CodeLocation;
import org.mediasec.it.conformance.ConformanceReport.Request;
import org.mediasec.it.conformance.TestResult.Outcome;

/**
 * The traceability report: catalogue parsing, the status rules (covered needs a wire test), results of this build
 * only, refusals (unknown IDs, misplaced tags, missing or partial results), the code column, the CI check.
 */
class ConformanceReportTest {

    private static final Path ROOT = Path.of(System.getProperty("mediasec.root", "..")).toAbsolutePath().normalize();
    private static final String BUILD = "2026-12-04T08:00:00.000Z";

    private static final String CATALOGUE = """
            # Requirements
            ## GW: gateway
            | ID | requirement | source |
            |---|---|---|
            | GW-1 | interworking | 000 |
            | GW-2 | two TLS sessions | 000 |
            ## H248: control
            | ID | requirement | source |
            |---|---|---|
            | H248-1 | text encoding, with a \\| bar | H.248.1 |
            | H248-2 | transports | H.248.1 |
            """;

    @TempDir
    Path root;

    @BeforeEach
    void aReactorWithTwoModules() throws Exception {
        Files.writeString(root.resolve("pom.xml"), "<project><modules><module>h248</module><module>bearer</module><module>traceability</module></modules></project>");
        Files.createDirectories(root.resolve("docs"));
        Files.writeString(root.resolve("docs/requirements.md"), CATALOGUE);
        for (String module : List.of("h248", "bearer")) {
            Files.createDirectories(root.resolve(module + "/src/test/java/org/x"));
            Files.writeString(root.resolve(module + "/src/test/java/org/x/SomeTest.java"), "class SomeTest {}");
        }
        Files.createDirectories(root.resolve("traceability/src/main/java"));
    }

    private Path results(String module, String name, String build, boolean complete, String... lines) throws Exception {
        Path folder = Files.createDirectories(root.resolve(module + "/target/conformance"));
        String text = ResultFiles.MAGIC + "\n# build\t" + build + "\n# module\tmediasec-" + module + "\n# execution\t" + name.split("-")[1] + "\n"
                + String.join("\n", lines) + "\n" + (complete ? ResultFiles.COMPLETE + "\n" : "");
        return Files.writeString(folder.resolve(name), text);
    }

    private static String test(String testClass, String method, String outcome, String kind, String ids, String note) {
        return String.join("\t", "test", testClass, method, outcome, kind, ids, note);
    }

    private Request write() {
        return new Request(root, BUILD, false, "", false);
    }

    private Request check() {
        return new Request(root, BUILD, false, "", true);
    }

    private void bothModulesRan() throws Exception {
        results("h248", "tests-default-10-1.tsv", BUILD, true, test("org.x.ParserTest", "parses", "passed", "unit", "H248-1", ""));
        results("bearer", "tests-default-11-1.tsv", BUILD, true, test("org.x.RelayTest", "relays", "passed", "wire", "GW-1", ""));
    }

    @Test
    void theRealCatalogueHasEveryGroupAndNoDuplicates() throws Exception {
        Map<String, Requirement> requirements = RequirementCatalogue.parse(Files.readString(ROOT.resolve("docs/requirements.md")));
        assertThat(requirements).containsKeys("GW-1", "TLS-4", "TCP-9", "E2E-9", "CTRL-6", "H248-7");
        assertThat(RequirementCatalogue.groups(requirements)).hasSizeGreaterThanOrEqualTo(6);
    }

    @Test
    void coveredNeedsAPassingWireTestUnitTestsAloneAreUnitOnly() {
        TestResult wire = TestResult.of("m", "T", "w", Set.of("GW-1"), true, Outcome.PASSED);
        TestResult unit = TestResult.of("m", "T", "u", Set.of("GW-1"), false, Outcome.PASSED);
        TestResult skippedWire = TestResult.of("m", "T", "s", Set.of("GW-1"), true, Outcome.SKIPPED);
        TestResult failedUnit = TestResult.of("m", "T", "f", Set.of("GW-1"), false, Outcome.FAILED);

        assertThat(Status.of(List.of())).isEqualTo(Status.NOT_COVERED);
        assertThat(Status.of(List.of(wire, unit))).isEqualTo(Status.COVERED);
        assertThat(Status.of(List.of(unit))).isEqualTo(Status.UNIT_ONLY);
        assertThat(Status.of(List.of(unit, skippedWire))).isEqualTo(Status.UNIT_ONLY);
        assertThat(Status.of(List.of(wire, failedUnit))).isEqualTo(Status.FAILING);
        assertThat(Status.of(List.of(skippedWire))).isEqualTo(Status.SKIPPED);
    }

    @Test
    void rendersEveryRequirementWithItsWireTestsUnitTestsAndCodeDeterministically() {
        Map<String, Requirement> requirements = RequirementCatalogue.parse(CATALOGUE);
        List<TestResult> results = List.of(
                TestResult.of("mediasec-it", "org.x.BTest", "b", Set.of("GW-1"), true, Outcome.PASSED),
                new TestResult("mediasec-h248", "org.x.ATest", "a", new TreeSet<>(Set.of("GW-1", "H248-2")), false, Outcome.FAILED,
                        "failed with its class (set-up or tear-down): IllegalStateException: a | b"),
                TestResult.of("mediasec-h248", "org.x.CTest$Inner", "c", Set.of("H248-1"), false, Outcome.PASSED),
                new TestResult("mediasec-it", "org.x.DTest", "d", new TreeSet<>(Set.of("H248-2")), true, Outcome.SKIPPED, "skipped: missing peer: tshark"));
        List<CodeLocation> code = List.of(new CodeLocation("H248-1", "h248", "H248TextParser#parse", "h248/src/main/java/org/x/H248TextParser.java"));

        String report = new ConformanceMarkdown(requirements, results, code).render();

        assertThat(report)
                .contains("| GW-1 | interworking | failing | it: BTest#b | h248: ATest#a (failed with its class (set-up or tear-down): IllegalStateException: a \\| b) | — |")
                .contains("| GW-2 | two TLS sessions | not covered | — | — | — |")
                .contains("| H248-1 | text encoding, with a \\| bar | unit only | — | h248: CTest.Inner#c | h248: [H248TextParser#parse](../h248/src/main/java/org/x/H248TextParser.java) |")
                .contains("| H248-2 | transports | failing | it: DTest#d (skipped: missing peer: tshark) |")
                .contains("| covered | ").contains("| unit only | ").contains("| not covered | ")
                .contains("| failing | a test that names it failed, or its class's set-up or tear-down did | 2 |")
                .contains("| all | the catalogue | 4 |")
                .contains("(1 of 4 requirements have one)");
        assertThat(new ConformanceMarkdown(requirements, results.reversed(), code).render()).isEqualTo(report);
    }

    @Test
    void anIdOutsideTheCatalogueFailsTheBuildWhetherATestOrTheCodeNamesIt() {
        Map<String, Requirement> requirements = RequirementCatalogue.parse(CATALOGUE);
        assertThatThrownBy(() -> new ConformanceMarkdown(requirements, List.of(TestResult.of("mediasec-it", "org.x.T", "t", Set.of("GW-99"), true, Outcome.PASSED)), List.of()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("GW-99").hasMessageContaining("T#t");
        assertThatThrownBy(() -> new ConformanceMarkdown(requirements, List.of(), List.of(new CodeLocation("TLS-99", "bearer", "Relay#run", "bearer/Relay.java"))))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("TLS-99").hasMessageContaining("Relay#run");
    }

    @Test
    void onlyThisBuildsResultsCountAndTheRunsOfOneMethodCombine() throws Exception {
        bothModulesRan();
        results("h248", "tests-default-3-1.tsv", "2026-12-01T00:00:00.000Z", true, test("org.x.OldTest", "stale", "passed", "wire", "H248-2", ""));
        Files.writeString(root.resolve("h248/target/conformance/tests-default.tsv"), "H248-2\tmediasec-h248\torg.x.OlderTest\tolder\tpassed\n");
        results("h248", "tests-fuzz-12-1.tsv", BUILD, true, test("org.x.ParserTest", "parses", "failed", "unit", "H248-1", ""));

        assertThat(ConformanceReport.run(write())).contains("2 of other builds ignored").contains("3 result files of this build");

        String written = Files.readString(root.resolve(ConformanceReport.REPORT));
        assertThat(written).contains("| H248-2 | transports | not covered | — | — | — |")
                .contains("| H248-1 | text encoding, with a \\| bar | failing | — | h248: ParserTest#parses (failed) | — |")
                .contains("| GW-1 | interworking | covered | bearer: RelayTest#relays | — | — |");
    }

    @Test
    void aModuleWithTestsButNoResultsOfThisBuildIsRefusedEvenWithOlderResults() throws Exception {
        results("h248", "tests-default-10-1.tsv", BUILD, true, test("org.x.ParserTest", "parses", "passed", "unit", "H248-1", ""));
        results("bearer", "tests-default-3-1.tsv", "2026-12-01T00:00:00.000Z", true, test("org.x.RelayTest", "relays", "passed", "wire", "GW-1", ""));

        assertThatThrownBy(() -> ConformanceReport.run(write())).hasMessageContaining("no test results of this build").hasMessageContaining("bearer")
                .hasMessageNotContaining("h248");
        assertThat(root.resolve(ConformanceReport.REPORT)).doesNotExist();
    }

    @Test
    void aTestJvmThatDiedBeforeItsPlanFinishedIsRefused() throws Exception {
        bothModulesRan();
        results("bearer", "tests-legacy-12-1.tsv", BUILD, false, test("org.x.LegacyTest", "old", "passed", "wire", "GW-2", ""));

        assertThatThrownBy(() -> ConformanceReport.run(write())).hasMessageContaining("ended before their test plan finished")
                .hasMessageContaining("bearer/target/conformance/tests-legacy-12-1.tsv");
    }

    @Test
    void aBuildThatSkippedOrFilteredTheTestsLeavesTheReportAsItIs() throws Exception {
        results("h248", "tests-default-3-1.tsv", "2026-12-01T00:00:00.000Z", true, test("org.x.OldTest", "stale", "passed", "wire", "H248-2", ""));

        assertThat(ConformanceReport.run(Request.parse(new String[] {root.toString(), "--build=" + BUILD, "--skip-tests=true", "--test-skip=false",
                "--test=${test}"}, false))).contains("skipped the tests").contains("left as it is");
        assertThat(ConformanceReport.run(Request.parse(new String[] {root.toString(), "--build=" + BUILD, "--skip-tests=false", "--test-skip=false",
                "--test=RelayTest", "--groups=${groups}"}, false))).contains("-Dtest=RelayTest").contains("left as it is");
        assertThat(root.resolve(ConformanceReport.REPORT)).doesNotExist();
        assertThat(Request.parse(new String[] {root.toString(), "--build=" + BUILD, "--skip-tests=false", "--test-skip=false", "--test=${test}",
                "--groups=${groups}", "--excluded-groups=${excludedGroups}"}, false)).isEqualTo(new Request(root, BUILD, false, "", false));
    }

    @Test
    void aRequirementTagOnAClassIsRefused() throws Exception {
        bothModulesRan();
        results("h248", "tests-fuzz-12-1.tsv", BUILD, true, "misplaced\torg.x.UdpEndpointTest\tH248-3\ton the class: put each tag on the test methods that prove it");

        assertThatThrownBy(() -> ConformanceReport.run(write())).hasMessageContaining("h248: org.x.UdpEndpointTest (H248-3): on the class");
    }

    @Test
    void theCodeColumnComesFromImplementsMarkersInTheMainSources() throws Exception {
        bothModulesRan();
        Path source = Files.createDirectories(root.resolve("h248/src/main/java/org/x"));
        Files.writeString(source.resolve("Parser.java"), """
                package org.x;

                import org.mediasec.traceability.Implements;

                @Implements("H248-1")
                final class Parser {
                    @Implements({"GW-1", "GW-2"})
                    static final int LIMIT = 1;

                    @Implements(value = "H248-2")
                    Parser() {}

                    static final class Inner {
                        @Implements("H248-2")
                        void run() {
                            Runnable local = new Runnable() {
                                public void run() {}
                            };
                        }
                    }
                }
                """);
        Files.writeString(source.resolve("Other.java"), """
                package org.x;

                import org.elsewhere.Implements;

                @Implements("GW-2")
                final class Other {}
                """);

        List<CodeLocation> code = CodeMarkers.collect(root, ResultFiles.modules(root));

        assertThat(code).containsExactlyInAnyOrder(
                new CodeLocation("H248-1", "h248", "Parser", "h248/src/main/java/org/x/Parser.java"),
                new CodeLocation("GW-1", "h248", "Parser#LIMIT", "h248/src/main/java/org/x/Parser.java"),
                new CodeLocation("GW-2", "h248", "Parser#LIMIT", "h248/src/main/java/org/x/Parser.java"),
                new CodeLocation("H248-2", "h248", "Parser#Parser", "h248/src/main/java/org/x/Parser.java"),
                new CodeLocation("H248-2", "h248", "Parser.Inner#run", "h248/src/main/java/org/x/Parser.java"));
        ConformanceReport.run(write());
        assertThat(Files.readString(root.resolve(ConformanceReport.REPORT)))
                .contains("| h248: [Parser#LIMIT](../h248/src/main/java/org/x/Parser.java) |")
                .contains("h248: [Parser#Parser](../h248/src/main/java/org/x/Parser.java)<br>h248: [Parser.Inner#run](../h248/src/main/java/org/x/Parser.java) |");
    }

    @Test
    void aMarkerMustNameItsRequirementsLiterally() throws Exception {
        Path source = Files.createDirectories(root.resolve("h248/src/main/java/org/x"));
        Files.writeString(source.resolve("Parser.java"), """
                package org.x;

                import org.mediasec.traceability.Implements;

                final class Parser {
                    static final String ID = "H248-1";

                    @Implements(ID)
                    void parse() {}
                }
                """);

        assertThatThrownBy(() -> CodeMarkers.collect(root, ResultFiles.modules(root))).hasMessageContaining("Parser#parse").hasMessageContaining("string literals");
    }

    @Test
    void checkModeRefusesAStaleReportAndWriteModeRefreshesIt() throws Exception {
        bothModulesRan();

        assertThat(ConformanceReport.run(write())).contains("-> docs/conformance.md");
        String written = Files.readString(root.resolve(ConformanceReport.REPORT));
        assertThat(ConformanceReport.run(check())).contains("is current");

        Files.writeString(root.resolve(ConformanceReport.REPORT), written + "hand edit\n");
        assertThatThrownBy(() -> ConformanceReport.run(check())).hasMessageContaining("out of date");
    }

    @Test
    void theCommittedReportListsEveryRequirement() throws Exception {
        String report = Files.readString(ROOT.resolve("docs/conformance.md"));
        for (String id : RequirementCatalogue.parse(Files.readString(ROOT.resolve("docs/requirements.md"))).keySet()) {
            assertThat(report).contains("| " + id + " |");
        }
    }
}
