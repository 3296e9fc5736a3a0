package org.mediasec.it.conformance;

import com.sun.source.tree.AnnotationTree;
import com.sun.source.tree.AssignmentTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.ImportTree;
import com.sun.source.tree.LiteralTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.ModifiersTree;
import com.sun.source.tree.NewArrayTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.JavacTask;
import com.sun.source.util.TreeScanner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * Collects the {@code @Implements("TLS-4")} markers (module {@code traceability}) from the main sources of every
 * module. The marker has source retention, so the sources are the only place it exists: they are parsed with the
 * JDK's compiler (syntax only, nothing is compiled), which reads annotations wherever the code puts them.
 */
final class CodeMarkers {

    static final String ANNOTATION = "org.mediasec.traceability.Implements";
    private static final String SIMPLE_NAME = "Implements";

    /** One marked place: the requirement, the module, {@code Class#member} and the source file relative to the root. */
    record CodeLocation(String requirementId, String module, String member, String path) {

        /** {@code module: [Class#member](../path)}, a link from {@code docs/}. */
        String link() {
            return module + ": [" + member + "](../" + path + ")";
        }
    }

    private CodeMarkers() {}

    static List<CodeLocation> collect(Path root, List<String> modules) throws IOException {
        List<Path> sources = new ArrayList<>();
        for (String module : modules) {
            Path main = root.resolve(module).resolve("src/main/java");
            if (Files.isDirectory(main)) {
                try (Stream<Path> files = Files.walk(main)) {
                    files.filter(file -> file.toString().endsWith(".java")).sorted().forEach(sources::add);
                }
            }
        }
        sources.removeIf(file -> !mentionsMarker(file));
        List<CodeLocation> found = new ArrayList<>();
        if (sources.isEmpty()) {
            return found;
        }
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        if (compiler == null) {
            throw new IllegalStateException("the report reads @Implements from the sources with the JDK's compiler: run it on a JDK, not a JRE");
        }
        try (StandardJavaFileManager files = compiler.getStandardFileManager(null, Locale.ROOT, StandardCharsets.UTF_8)) {
            JavacTask task = (JavacTask) compiler.getTask(null, files, diagnostic -> { }, List.of("-proc:none"), null,
                    files.getJavaFileObjectsFromPaths(sources));
            for (CompilationUnitTree unit : task.parse()) {
                if (usesMarker(unit)) {
                    Path file = Path.of(unit.getSourceFile().toUri()).toAbsolutePath().normalize();
                    String relative = root.toAbsolutePath().normalize().relativize(file).toString().replace('\\', '/');
                    new Scanner(relative.substring(0, relative.indexOf('/')), relative, found).scan(unit, null);
                }
            }
        }
        return found;
    }

    /** Only files that mention the marker are parsed: the others cannot carry it. */
    private static boolean mentionsMarker(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8).contains(SIMPLE_NAME);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether the unit can name our annotation: it imports it (or its package), or is in its package. */
    private static boolean usesMarker(CompilationUnitTree unit) {
        String packageName = ANNOTATION.substring(0, ANNOTATION.lastIndexOf('.'));
        if (unit.getPackageName() != null && unit.getPackageName().toString().equals(packageName)) {
            return true;
        }
        for (ImportTree imported : unit.getImports()) {
            String name = imported.getQualifiedIdentifier().toString();
            if (name.equals(ANNOTATION) || name.equals(packageName + ".*")) {
                return true;
            }
        }
        return false;
    }

    /** Walks one compilation unit, keeping the names of the classes it is in. */
    private static final class Scanner extends TreeScanner<Void, Void> {

        private final String module;
        private final String path;
        private final List<CodeLocation> found;
        private final Deque<String> classes = new ArrayDeque<>();

        Scanner(String module, String path, List<CodeLocation> found) {
            this.module = module;
            this.path = path;
            this.found = found;
        }

        @Override
        public Void visitClass(ClassTree tree, Void nothing) {
            if (tree.getSimpleName().isEmpty()) {
                return null; // an anonymous class: its members are no place a reader looks for
            }
            classes.push(classes.isEmpty() ? tree.getSimpleName().toString() : classes.peek() + "." + tree.getSimpleName());
            mark(tree.getModifiers(), classes.peek());
            for (Tree member : tree.getMembers()) {
                switch (member) {
                    case MethodTree method -> mark(method.getModifiers(), classes.peek() + "#"
                            + (method.getName().contentEquals("<init>") ? tree.getSimpleName() : method.getName()));
                    case VariableTree field -> mark(field.getModifiers(), classes.peek() + "#" + field.getName());
                    default -> { }
                }
            }
            super.visitClass(tree, nothing);
            classes.pop();
            return null;
        }

        @Override
        public Void visitMethod(MethodTree tree, Void nothing) {
            return null; // local and anonymous classes inside methods are not marked places
        }

        private void mark(ModifiersTree modifiers, String member) {
            for (AnnotationTree annotation : modifiers.getAnnotations()) {
                String name = annotation.getAnnotationType().toString();
                if (!name.equals(SIMPLE_NAME) && !name.equals(ANNOTATION)) {
                    continue;
                }
                for (ExpressionTree argument : annotation.getArguments()) {
                    ExpressionTree value = argument instanceof AssignmentTree assignment ? assignment.getExpression() : argument;
                    List<ExpressionTree> values = value instanceof NewArrayTree array ? List.copyOf(array.getInitializers()) : List.of(value);
                    for (ExpressionTree id : values) {
                        if (!(id instanceof LiteralTree literal) || !(literal.getValue() instanceof String text)) {
                            throw new IllegalStateException(path + ": @Implements on " + member + " takes string literals (the report reads the source), not "
                                    + id);
                        }
                        found.add(new CodeLocation(text, module, member, path));
                    }
                }
            }
        }
    }
}
