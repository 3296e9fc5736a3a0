package org.mediasec.it.conformance;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads the results that test-support's listener wrote into each module's {@code target/conformance/} (format in
 * {@code org.mediasec.testsupport.ResultFile}), and only those of the build that runs the report: a file of another
 * build (an older run, a run in the IDE) is ignored, and the report is refused when a module that has tests has no
 * results of this build, or when a test JVM of this build ended before its test plan finished.
 */
final class ResultFiles {

    static final String MAGIC = "# mediasec conformance results 2";
    static final String COMPLETE = "# complete";
    private static final Pattern MODULE = Pattern.compile("<module>\\s*([^<\\s]+)\\s*</module>");
    /** Test classes Surefire runs by default (its default includes). */
    private static final Pattern TEST_CLASS = Pattern.compile("(Test.*|.*Tests?|.*TestCase)\\.java");

    /** What the files of this build hold, and how many files of other builds were left aside. */
    record Results(List<TestResult> tests, List<String> misplaced, int files, int otherBuilds) {}

    /** One file's header and lines. */
    private record ResultFile(Path path, String build, String module, String execution, boolean complete, List<String> lines) {}

    private ResultFiles() {}

    /** The modules of the reactor, in the root pom's order. */
    static List<String> modules(Path root) throws IOException {
        List<String> modules = new ArrayList<>();
        Matcher matcher = MODULE.matcher(Files.readString(root.resolve("pom.xml"), StandardCharsets.UTF_8));
        while (matcher.find()) {
            modules.add(matcher.group(1));
        }
        return modules;
    }

    /** A module whose tests Surefire runs: it must leave results in every build that runs tests. */
    static boolean hasTests(Path module) throws IOException {
        Path tests = module.resolve("src/test/java");
        if (!Files.isDirectory(tests)) {
            return false;
        }
        try (Stream<Path> files = Files.walk(tests)) {
            return files.anyMatch(file -> TEST_CLASS.matcher(file.getFileName().toString()).matches() && !file.toString().contains("$"));
        }
    }

    /**
     * The results of build {@code build} in every module of the reactor under {@code root}.
     *
     * @throws IllegalStateException when a module with tests has no results of this build from its default Surefire
     *     execution, or a file of this build is incomplete
     */
    static Results read(Path root, String build) throws IOException {
        Map<String, TestResult> tests = new TreeMap<>();
        List<String> misplaced = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        List<String> incomplete = new ArrayList<>();
        int files = 0;
        int otherBuilds = 0;
        for (String name : modules(root)) {
            Path module = root.resolve(name);
            boolean defaultExecution = false;
            for (ResultFile file : files(module.resolve("target").resolve("conformance"))) {
                if (!file.build().equals(build)) {
                    otherBuilds++;
                    continue;
                }
                files++;
                if (!file.complete()) {
                    incomplete.add(name + "/target/conformance/" + file.path().getFileName());
                }
                defaultExecution |= file.execution().equals("default");
                for (String line : file.lines()) {
                    read(line, file.module(), tests, misplaced);
                }
            }
            if (!defaultExecution && hasTests(module)) {
                missing.add(name);
            }
        }
        if (!incomplete.isEmpty()) {
            throw new IllegalStateException("test JVMs of this build ended before their test plan finished (crashed or killed), their results are partial: "
                    + String.join(", ", incomplete));
        }
        if (!missing.isEmpty()) {
            throw new IllegalStateException("no test results of this build (" + build + ") from module(s) " + String.join(", ", missing)
                    + ": their tests did not run in this build, and results of earlier builds are not used. Run the whole build"
                    + " (./mvnw verify), or pass -DskipTests to leave " + ConformanceReport.REPORT + " as it is");
        }
        return new Results(List.copyOf(tests.values()), misplaced, files, otherBuilds);
    }

    private static void read(String line, String module, Map<String, TestResult> tests, List<String> misplaced) {
        String[] fields = line.split("\t", -1);
        switch (fields[0]) {
            case "test" -> {
                if (fields.length != 7) {
                    throw new IllegalArgumentException("malformed test result line: " + line);
                }
                TestResult result = new TestResult(module, fields[1], fields[2], new TreeSet<>(Arrays.asList(fields[5].split(","))),
                        fields[4].equals("wire"), TestResult.Outcome.valueOf(fields[3].toUpperCase(Locale.ROOT)), fields[6]);
                tests.merge(result.key(), result, TestResult::combine);
            }
            case "misplaced" -> {
                if (fields.length != 4) {
                    throw new IllegalArgumentException("malformed result line: " + line);
                }
                misplaced.add(module.replaceFirst("^mediasec-", "") + ": " + fields[1] + " (" + fields[2] + "): " + fields[3]);
            }
            default -> throw new IllegalArgumentException("malformed result line: " + line);
        }
    }

    /** The result files in a folder, headers parsed; files in an older format count as another build's. */
    private static List<ResultFile> files(Path directory) throws IOException {
        List<ResultFile> files = new ArrayList<>();
        if (!Files.isDirectory(directory)) {
            return files;
        }
        try (DirectoryStream<Path> paths = Files.newDirectoryStream(directory, "tests-*.tsv")) {
            for (Path path : paths) {
                files.add(parse(path, Files.readAllLines(path, StandardCharsets.UTF_8)));
            }
        }
        files.sort((a, b) -> a.path().compareTo(b.path()));
        return files;
    }

    private static ResultFile parse(Path path, List<String> lines) {
        if (lines.isEmpty() || !lines.getFirst().equals(MAGIC)) {
            return new ResultFile(path, "", "", "", false, List.of());
        }
        Map<String, String> header = new LinkedHashMap<>();
        List<String> body = new ArrayList<>();
        boolean complete = false;
        for (String line : lines.subList(1, lines.size())) {
            if (line.equals(COMPLETE)) {
                complete = true;
            } else if (line.startsWith("# ")) {
                String[] field = line.substring(2).split("\t", 2);
                header.put(field[0], field.length > 1 ? field[1] : "");
            } else if (!line.isBlank()) {
                body.add(line);
            }
        }
        return new ResultFile(path, header.getOrDefault("build", ""), header.getOrDefault("module", ""), header.getOrDefault("execution", ""),
                complete, body);
    }
}
