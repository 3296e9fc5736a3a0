package org.mediasec.app.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether the demo's JVMs should ask for transparent huge pages. Where the kernel gives them only on request
 * ({@code madvise}, Debian's default), {@code -XX:+UseTransparentHugePages} makes the JVM ask for them for its heap and
 * code cache: a short-lived JVM then takes one page fault per 2 MiB it touches instead of one per 4 KiB. Page faults
 * were about 7 % of each of the demo's JVMs' CPU (async-profiler), and the demo ran 0.1-0.25 s faster with the flag,
 * side by side (docs/performance.md). With {@code always} the kernel already gives them; with {@code never} the flag
 * would only make each JVM print a warning, so it is not given. {@code ./mediasec} makes the same choice for the
 * launcher's JVM.
 */
final class HugePages {

    static final Path SETTING = Path.of("/sys/kernel/mm/transparent_hugepage/enabled");

    private HugePages() {}

    /** Whether {@code setting} (the kernel's file: "always [madvise] never") selects madvise. */
    static boolean onRequest(Path setting) {
        try {
            return Files.readString(setting).contains("[madvise]");
        } catch (IOException | SecurityException e) {
            return false; // no such file (another OS, a container without /sys): no flag, as with never
        }
    }
}
