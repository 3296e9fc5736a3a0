package org.mediasec.it.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The traceability report: catalogue parsing, status rules, unknown IDs, determinism, the CI freshness check. */
class ConformanceReportTest {

    private static final Path ROOT = Path.of(System.getProperty("mediasec.root", "..")).toAbsolutePath().normalize();

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
            """;

    @Test
    void theRealCatalogueHasEveryGroupAndNoDuplicates() throws Exception {
        Path catalogue = ROOT.resolve("docs/requirements.md");
        Map<String, Requirement> requirements = RequirementCatalogue.parse(Files.readString(catalogue));
        assertThat(requirements).containsKeys("GW-1", "TLS-4", "TCP-9", "E2E-9", "CTRL-6", "H248-7");
        assertThat(RequirementCatalogue.groups(requirements)).hasSizeGreaterThanOrEqualTo(6);
    }

    @Test
    void statusRules() {
        assertThat(ConformanceReport.status(Map.of())).isEqualTo("none");
        assertThat(ConformanceReport.status(Map.of("a", "passed", "b", "skipped"))).isEqualTo("covered");
        assertThat(ConformanceReport.status(Map.of("a", "passed", "b", "failed"))).isEqualTo("failing");
        assertThat(ConformanceReport.status(Map.of("a", "skipped"))).isEqualTo("skipped");
    }

    @Test
    void rendersEveryRequirementDeterministically() {
        Map<String, Requirement> requirements = RequirementCatalogue.parse(CATALOGUE);
        List<TestResult> results = List.of(
                new TestResult("GW-1", "mediasec-it", "org.x.BTest", "b", "passed"),
                new TestResult("GW-1", "mediasec-h248", "org.x.ATest", "a", "failed"),
                new TestResult("H248-1", "mediasec-h248", "org.x.CTest", "c", "passed"));

        String report = ConformanceReport.render(requirements, results);

        assertThat(report).contains("| GW-1 | interworking | h248: ATest#a (failed)<br>it: BTest#b | failing |")
                .contains("| GW-2 | two TLS sessions | — | none |")
                .contains("| H248-1 | text encoding, with a \\| bar | h248: CTest#c | covered |")
                .contains("**1 of 3 requirements covered**, 1 failing");
        assertThat(ConformanceReport.render(requirements, results.reversed())).isEqualTo(report);
    }

    @Test
    void aTestNamingAnUnknownRequirementFailsTheBuild() {
        Map<String, Requirement> requirements = RequirementCatalogue.parse(CATALOGUE);
        assertThatThrownBy(() -> ConformanceReport.render(requirements, List.of(new TestResult("GW-99", "mediasec-it", "org.x.T", "t", "passed"))))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("GW-99").hasMessageContaining("T#t");
    }

    @Test
    void checkModeRefusesAStaleReportAndWriteModeRefreshesIt(@TempDir Path root) throws Exception {
        Files.createDirectories(root.resolve("docs"));
        Files.writeString(root.resolve("docs/requirements.md"), CATALOGUE);
        Path results = Files.createDirectories(root.resolve("h248/target/conformance"));
        Files.writeString(results.resolve("tests-default.tsv"), "GW-1\tmediasec-h248\torg.x.ATest\ta\tpassed\n");

        assertThat(ConformanceReport.run(root, false)).contains("docs/conformance.md");
        String written = Files.readString(root.resolve("docs/conformance.md"));
        assertThat(written).contains("| GW-1 | interworking | h248: ATest#a | covered |");
        assertThat(ConformanceReport.run(root, true)).contains("is current");

        Files.writeString(root.resolve("docs/conformance.md"), written + "hand edit\n");
        assertThatThrownBy(() -> ConformanceReport.run(root, true)).hasMessageContaining("out of date");
    }

    @Test
    void theCommittedReportListsEveryRequirement() throws Exception {
        String report = Files.readString(ROOT.resolve("docs/conformance.md"));
        for (String id : RequirementCatalogue.parse(Files.readString(ROOT.resolve("docs/requirements.md"))).keySet()) {
            assertThat(report).contains("| " + id + " |");
        }
    }
}
