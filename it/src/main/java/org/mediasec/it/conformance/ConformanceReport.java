package org.mediasec.it.conformance;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.mediasec.it.conformance.CodeMarkers.CodeLocation;

/**
 * Writes {@code docs/conformance.md}: every requirement of the catalogue, its status, the tests that name it (split
 * into wire tests and unit tests) and the code marked {@code @Implements} for it. Run by the {@code it} module in
 * the verify phase, after every module's tests, with the build's id and test switches (it/pom.xml).
 *
 * <ul>
 *   <li>Only results of this build count ({@link ResultFiles}): the report is refused when a module with tests
 *       has none, and left alone when this build ran no tests ({@code -DskipTests}, {@code -Dmaven.test.skip}) or
 *       only some ({@code -Dtest}, {@code -Dgroups}, {@code -DexcludedGroups}).</li>
 *   <li>Refused too: a test or a marker naming an ID that is not in the catalogue, a requirement tag on a class or
 *       where no engine reports it.</li>
 *   <li>In CI ({@code CI=true}) it checks instead of writing: a committed report that differs from the one the
 *       build produces fails the build.</li>
 * </ul>
 */
public final class ConformanceReport {

    static final String REPORT = "docs/conformance.md";
    static final String CATALOGUE_COPY = "docs/requirements.md";

    /**
     * What the build asks for: the reactor's root, the build's id ({@code maven.build.timestamp}, the same that the
     * tests wrote), whether tests were skipped, the test filter if any, and whether to check instead of write.
     */
    record Request(Path root, String build, boolean testsSkipped, String testFilter, boolean check) {

        /** {@code <root> --build=… --skip-tests=… --test-skip=… --test=… --groups=… --excluded-groups=…}. */
        static Request parse(String[] args, boolean check) {
            Map<String, String> options = new HashMap<>();
            for (int i = 1; i < args.length; i++) {
                String[] option = args[i].split("=", 2);
                options.put(option[0], option.length > 1 && !option[1].startsWith("${") ? option[1].strip() : "");
            }
            String filter = String.join(" ", List.of(
                    flag("-Dtest", options.get("--test")), flag("-Dgroups", options.get("--groups")), flag("-DexcludedGroups", options.get("--excluded-groups"))))
                    .strip();
            boolean skipped = Boolean.parseBoolean(options.getOrDefault("--skip-tests", "")) || Boolean.parseBoolean(options.getOrDefault("--test-skip", ""));
            Path root = Path.of(args.length > 0 ? args[0] : ".").toAbsolutePath().normalize();
            return new Request(root, options.getOrDefault("--build", ""), skipped, filter, check);
        }

        private static String flag(String name, String value) {
            return value == null || value.isEmpty() ? "" : name + "=" + value;
        }
    }

    private ConformanceReport() {}

    public static void main(String[] args) throws IOException {
        boolean check = Boolean.parseBoolean(System.getProperty("mediasec.conformance.check", String.valueOf("true".equalsIgnoreCase(System.getenv("CI")))));
        System.out.println(run(Request.parse(args, check)));
    }

    /** Generates (or checks) the report; returns the one line to print. */
    static String run(Request request) throws IOException {
        if (request.testsSkipped()) {
            return "conformance: this build skipped the tests: " + REPORT + " left as it is";
        }
        if (!request.testFilter().isEmpty()) {
            return "conformance: this build ran only some tests (" + request.testFilter() + "): " + REPORT + " left as it is";
        }
        if (request.build().isEmpty()) {
            throw new IllegalArgumentException("no build id (--build=${maven.build.timestamp}): the report reads only the test results of its own build");
        }
        Path root = request.root();
        Map<String, Requirement> requirements = RequirementCatalogue.parse(catalogue(root, !request.check()));
        ResultFiles.Results results = ResultFiles.read(root, request.build());
        if (!results.misplaced().isEmpty()) {
            throw new IllegalStateException("tags the report cannot count (put requirement tags and @WireTest on the test methods that prove them): "
                    + String.join("; ", results.misplaced()));
        }
        List<CodeLocation> code = CodeMarkers.collect(root, ResultFiles.modules(root));
        ConformanceMarkdown markdown = new ConformanceMarkdown(requirements, results.tests(), code);
        String report = markdown.render();
        String sources = " (" + results.files() + " result files of this build" + (results.otherBuilds() > 0 ? ", " + results.otherBuilds()
                + " of other builds ignored" : "") + ")";
        Path file = root.resolve(REPORT);
        String committed = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        if (request.check()) {
            if (!committed.equals(report)) {
                throw new IllegalStateException(REPORT + " is out of date: run ./mvnw verify (without CI=true) and commit it");
            }
            return "conformance: " + markdown.summary() + sources + "; " + REPORT + " is current";
        }
        if (!committed.equals(report)) {
            Files.createDirectories(file.getParent());
            Files.writeString(file, report, StandardCharsets.UTF_8);
        }
        return "conformance: " + markdown.summary() + sources + " -> " + REPORT;
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
}
