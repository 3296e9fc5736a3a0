package org.mediasec.it.conformance;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Writes {@code docs/conformance.md}: every requirement of the catalogue, the tests that name it (JUnit tags
 * recorded by test-support's listener into each module's {@code target/conformance/}), and whether they pass.
 * Run by the {@code it} module in the verify phase, after every module's tests.
 *
 * <p>Fails the build when a test names an ID that is not in the catalogue. In CI ({@code CI=true}) it checks
 * instead of writing: a committed report that differs from the one the build produces fails the build.
 */
public final class ConformanceReport {

    static final String REPORT = "docs/conformance.md";
    static final String CATALOGUE_COPY = "docs/requirements.md";

    private ConformanceReport() {}

    public static void main(String[] args) throws IOException {
        Path root = Path.of(args.length > 0 ? args[0] : ".").toAbsolutePath().normalize();
        boolean check = Boolean.parseBoolean(System.getProperty("mediasec.conformance.check", String.valueOf("true".equalsIgnoreCase(System.getenv("CI")))));
        System.out.println(run(root, check));
    }

    /** Generates (or checks) the report; returns the one line to print. */
    static String run(Path root, boolean check) throws IOException {
        String catalogueText = catalogue(root, !check);
        Map<String, Requirement> requirements = RequirementCatalogue.parse(catalogueText);
        List<TestResult> results = results(root);
        if (results.isEmpty()) {
            return "conformance: no test results under */target/conformance (tests skipped?): " + REPORT + " left as it is";
        }
        String report = render(requirements, results);
        Path file = root.resolve(REPORT);
        String committed = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        if (check) {
            if (!committed.equals(report)) {
                throw new IllegalStateException(REPORT + " is out of date: run ./mvnw verify and commit it");
            }
            return "conformance: " + summary(requirements, results) + " (" + REPORT + " is current)";
        }
        if (!committed.equals(report)) {
            Files.createDirectories(file.getParent());
            Files.writeString(file, report, StandardCharsets.UTF_8);
        }
        return "conformance: " + summary(requirements, results) + " -> " + REPORT;
    }

    /** ../shared/REQUIREMENTS.md when it is there (kept in a copy in docs/), else the copy. */
    private static String catalogue(Path root, boolean refreshCopy) throws IOException {
        Path shared = root.resolveSibling("shared").resolve("REQUIREMENTS.md");
        Path copy = root.resolve(CATALOGUE_COPY);
        if (Files.isRegularFile(shared)) {
            String text = Files.readString(shared, StandardCharsets.UTF_8);
            if (refreshCopy && (!Files.exists(copy) || !Files.readString(copy, StandardCharsets.UTF_8).equals(text))) {
                Files.createDirectories(copy.getParent());
                Files.writeString(copy, text, StandardCharsets.UTF_8);
            }
            return text;
        }
        if (Files.isRegularFile(copy)) {
            return Files.readString(copy, StandardCharsets.UTF_8);
        }
        throw new IOException("no requirement catalogue: neither " + shared + " nor " + copy);
    }

    static List<TestResult> results(Path root) throws IOException {
        List<TestResult> results = new ArrayList<>();
        try (DirectoryStream<Path> modules = Files.newDirectoryStream(root, Files::isDirectory)) {
            for (Path module : modules) {
                Path directory = module.resolve("target").resolve("conformance");
                if (!Files.isDirectory(directory)) {
                    continue;
                }
                try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "*.tsv")) {
                    for (Path file : files) {
                        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                            if (!line.isBlank()) {
                                results.add(TestResult.parse(line));
                            }
                        }
                    }
                }
            }
        }
        return results;
    }

    static String render(Map<String, Requirement> requirements, List<TestResult> results) {
        Set<String> unknown = new TreeSet<>();
        Map<String, Map<String, String>> byRequirement = new TreeMap<>();
        for (TestResult result : results) {
            if (!requirements.containsKey(result.requirementId())) {
                unknown.add(result.requirementId() + " (named by " + result.label() + ")");
                continue;
            }
            // a test method that ran in several forks keeps its worst outcome
            byRequirement.computeIfAbsent(result.requirementId(), id -> new TreeMap<>())
                    .merge(result.label(), result.outcome(), ConformanceReport::worse);
        }
        if (!unknown.isEmpty()) {
            throw new IllegalStateException("tests name requirement IDs that are not in REQUIREMENTS.md: " + String.join(", ", unknown));
        }
        StringBuilder out = new StringBuilder();
        out.append("# Conformance: requirements and the tests that prove them\n\n");
        out.append("Generated by `./mvnw verify` from the requirement catalogue (`../shared/REQUIREMENTS.md`, copied to\n");
        out.append("`docs/requirements.md`) and the JUnit tags of the tests (`@Tag(\"TLS-4\")`). Do not edit by hand; CI fails\n");
        out.append("when this file is not what the build produces.\n\n");
        out.append("Status: **covered** — at least one tagged test passes and none fails; **failing** — a tagged test fails;\n");
        out.append("**skipped** — tagged tests exist but did not run; **none** — no test names the requirement yet.\n\n");
        out.append(summaryLine(requirements, byRequirement)).append("\n");
        for (String group : RequirementCatalogue.groups(requirements)) {
            out.append("\n## ").append(group).append("\n\n");
            out.append("| ID | requirement | tests | status |\n|---|---|---|---|\n");
            for (Requirement requirement : requirements.values()) {
                if (!requirement.group().equals(group)) {
                    continue;
                }
                Map<String, String> tests = byRequirement.getOrDefault(requirement.id(), Map.of());
                out.append("| ").append(requirement.id()).append(" | ").append(requirement.text().replaceAll("(?<!\\\\)\\|", "\\\\|")).append(" | ");
                out.append(tests.isEmpty() ? "—" : String.join("<br>", tests.entrySet().stream()
                        .map(test -> test.getKey() + (test.getValue().equals("passed") ? "" : " (" + test.getValue() + ")")).toList()));
                out.append(" | ").append(status(tests)).append(" |\n");
            }
        }
        return out.toString();
    }

    static String status(Map<String, String> tests) {
        if (tests.isEmpty()) {
            return "none";
        }
        if (tests.containsValue("failed")) {
            return "failing";
        }
        return tests.containsValue("passed") ? "covered" : "skipped";
    }

    private static String worse(String a, String b) {
        if (a.equals("failed") || b.equals("failed")) {
            return "failed";
        }
        return a.equals("passed") || b.equals("passed") ? "passed" : "skipped";
    }

    private static String summaryLine(Map<String, Requirement> requirements, Map<String, Map<String, String>> byRequirement) {
        int covered = 0;
        int failing = 0;
        int skipped = 0;
        for (String id : requirements.keySet()) {
            switch (status(byRequirement.getOrDefault(id, Map.of()))) {
                case "covered" -> covered++;
                case "failing" -> failing++;
                case "skipped" -> skipped++;
                default -> { }
            }
        }
        return "**" + covered + " of " + requirements.size() + " requirements covered**, " + failing + " failing, " + skipped
                + " skipped, " + (requirements.size() - covered - failing - skipped) + " without a test.";
    }

    private static String summary(Map<String, Requirement> requirements, List<TestResult> results) {
        Set<String> named = new TreeSet<>();
        results.forEach(result -> named.add(result.requirementId()));
        return named.size() + "/" + requirements.size() + " requirements named by tests";
    }
}
