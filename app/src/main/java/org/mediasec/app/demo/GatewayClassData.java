package org.mediasec.app.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The class data a demo gateway process starts from (JVM start is most of a gateway's start-up): on JDK 25 and later,
 * when {@code ./mediasec} named a cache key ({@code MEDIASEC_AOT}: the JDK's runtime version and the jar's checksum),
 * an AOT cache per gateway profile (JEP 483/514), recorded by the first demo run and used by every later one; else a
 * dynamic class-data-sharing archive beside the jar that the JVM makes and remakes itself. A recording goes to a name
 * of its own and is renamed once its process has ended, so a demo beside it never reads half a cache. Thread rule:
 * one instance per gateway process, used by the thread that launches and closes it.
 */
final class GatewayClassData {

    /** JEP 514's {@code -XX:AOTCacheOutput} (record in one run) came with JDK 25. */
    private static final int AOT_CACHE_SINCE = 25;

    private final Optional<Path> cache;
    private Path recording;

    private GatewayClassData(Optional<Path> cache) {
        this.cache = cache;
    }

    /** The class data for a gateway of {@code profile} started from the runnable jar. */
    static GatewayClassData of(String profile) {
        String key = System.getenv("MEDIASEC_AOT");
        boolean aot = key != null && !key.isBlank() && Runtime.version().feature() >= AOT_CACHE_SINCE;
        return new GatewayClassData(aot ? Optional.of(Path.of(key + "-gateway-" + profile + ".aot")) : Optional.empty());
    }

    /** The JVM options for the next start: use the cache, record it, or the dynamic archive. */
    List<String> options(Path jar) throws IOException {
        if (cache.isEmpty()) {
            return List.of("-XX:SharedArchiveFile=" + jar.resolveSibling("mediasec-gateway.jsa"), "-XX:+AutoCreateSharedArchive", "-Xlog:cds*=off");
        }
        Path file = cache.get();
        // a cache older than the jar belongs to an earlier build with the same checksum: the JVM would refuse it
        if (Files.isRegularFile(file) && Files.getLastModifiedTime(file).compareTo(Files.getLastModifiedTime(jar)) >= 0) {
            return List.of("-XX:AOTCache=" + file, "-Xlog:aot*=off", "-Xlog:cds*=off");
        }
        Files.createDirectories(file.getParent());
        discard();
        recording = file.resolveSibling(file.getFileName() + "." + Long.toHexString(ThreadLocalRandom.current().nextLong()));
        return List.of("-XX:AOTCacheOutput=" + recording, "-Xlog:aot*=off", "-Xlog:cds*=off");
    }

    /** Whether the process started last records a cache (it writes it when it exits: seconds more, once). */
    boolean recording() {
        return recording != null;
    }

    /** After the process ended: a complete recording becomes the cache; a process killed before it wrote one leaves none. */
    void processEnded() throws IOException {
        if (recording != null && cache.isPresent() && Files.isRegularFile(recording) && Files.size(recording) > 0) {
            Files.move(recording, cache.get(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            recording = null;
        }
        discard();
    }

    private void discard() throws IOException {
        if (recording != null) {
            Files.deleteIfExists(recording);
            Files.deleteIfExists(Path.of(recording + ".config"));
            recording = null;
        }
    }
}
