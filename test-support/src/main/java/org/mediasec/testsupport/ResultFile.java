package org.mediasec.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The results of one test JVM (one listener) in one module: {@code target/conformance/tests-<execution>-<pid>-<n>.tsv}.
 * One file per JVM and listener, so forks never overwrite each other (Surefire's {@code reuseForks=false} runs one
 * JVM per class). Read by {@code org.mediasec.it.conformance.ResultFiles}; the format, tab-separated:
 *
 * <pre>
 * # mediasec conformance results 2
 * # build      the build's id (Maven's maven.build.timestamp): the report reads only files of the build it runs in
 * # module     the module's artifactId
 * # execution  the Surefire execution (default, fuzz, legacy-tls)
 * test         class  method  passed|skipped|failed  wire|unit  ID,ID  note
 * misplaced    class or class#method  ID,ID  reason
 * # complete   (last line, once the test plan has finished: a file without it comes from a JVM that died)
 * </pre>
 *
 * Written whole and atomically (a temporary file moved over the old one) after every test class, so the results
 * never live only in memory.
 */
final class ResultFile {

    static final String MAGIC = "# mediasec conformance results 2";
    static final String COMPLETE = "# complete";
    /** Stands for the build when the tests run outside Maven (an IDE): such files never count for a report. */
    static final String NO_BUILD = "none";
    private static final int NOTE_LIMIT = 160;

    private final Path file;
    private final String build;
    private final String module;
    private final String execution;

    ResultFile(Path file, String build, String module, String execution) {
        this.file = file;
        this.build = build;
        this.module = module;
        this.execution = execution;
    }

    /**
     * The file of this JVM's listener number {@code instance}, from the system properties Surefire passes
     * ({@code basedir}, {@code mediasec.build}, {@code mediasec.module}, {@code mediasec.execution}).
     */
    static ResultFile forThisJvm(int instance) {
        Path module = Path.of(Optional.ofNullable(System.getProperty("basedir")).orElse(System.getProperty("user.dir")));
        String execution = property("mediasec.execution").orElse("default");
        String name = "tests-" + execution + "-" + ProcessHandle.current().pid() + "-" + instance + ".tsv";
        return new ResultFile(module.resolve("target").resolve("conformance").resolve(name), property("mediasec.build").orElse(NO_BUILD),
                property("mediasec.module").orElse(module.getFileName().toString()), execution);
    }

    /** A system property that is set and not an uninterpolated Maven expression. */
    private static Optional<String> property(String name) {
        return Optional.ofNullable(System.getProperty(name)).map(String::strip).filter(value -> !value.isEmpty() && !value.startsWith("${"));
    }

    Path path() {
        return file;
    }

    void write(Collection<TaggedTest> tests, Collection<Misplaced> misplaced, boolean complete) {
        try {
            Files.createDirectories(file.getParent());
            Path temporary = Files.createTempFile(file.getParent(), ".tests-", ".tmp");
            Files.writeString(temporary, render(tests, misplaced, complete), StandardCharsets.UTF_8);
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the requirement-tag results to " + file, e);
        }
    }

    String render(Collection<TaggedTest> tests, Collection<Misplaced> misplaced, boolean complete) {
        List<String> lines = new ArrayList<>();
        lines.add(MAGIC);
        lines.add("# build\t" + build);
        lines.add("# module\t" + module);
        lines.add("# execution\t" + execution);
        for (TaggedTest test : tests) {
            lines.add(String.join("\t", "test", test.testClass(), test.method(), test.outcome().name().toLowerCase(Locale.ROOT),
                    test.wire() ? "wire" : "unit", String.join(",", test.requirements()), clean(test.note())));
        }
        for (Misplaced entry : misplaced) {
            lines.add(String.join("\t", "misplaced", entry.where(), String.join(",", entry.tags()), clean(entry.reason())));
        }
        if (complete) {
            lines.add(COMPLETE);
        }
        return String.join("\n", lines) + "\n";
    }

    /**
     * Deletes the result files in this file's folder that an earlier build wrote, so that the folder holds this
     * build's files only. Nothing is deleted when this JVM does not know its build.
     */
    void deleteOtherBuilds() {
        Path directory = file.getParent();
        if (build.equals(NO_BUILD) || !Files.isDirectory(directory)) {
            return;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "tests-*.tsv")) {
            for (Path other : files) {
                if (!other.equals(file) && !("# build\t" + build).equals(secondLine(other))) {
                    Files.deleteIfExists(other);
                }
            }
        } catch (IOException e) {
            // only tidying: the report ignores other builds' files anyway
        }
    }

    private static String secondLine(Path path) throws IOException {
        try (var lines = Files.lines(path, StandardCharsets.UTF_8)) {
            return lines.skip(1).findFirst().orElse("");
        } catch (UncheckedIOException e) {
            return "";
        }
    }

    /** One line, no tabs, bounded: a note is a hint in a table cell, not a log. */
    private static String clean(String text) {
        String flat = text.replaceAll("[\\t\\r\\n]+", " ").strip();
        return flat.length() <= NOTE_LIMIT ? flat : flat.substring(0, NOTE_LIMIT - 1) + "…";
    }
}
