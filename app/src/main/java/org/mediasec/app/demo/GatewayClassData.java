package org.mediasec.app.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The class data a demo gateway process starts from (JVM start is most of a gateway's start-up), per gateway profile,
 * recorded by the first demo run and used by every later one, under the name {@code ./mediasec} chose
 * ({@code MEDIASEC_CLASS_DATA}: the JDK's runtime version and the jar's checksum, so another jar or JDK never meets a
 * stale one): on JDK 25 and later an AOT cache (JEP 483/514), else a dynamic class-data-sharing archive. A file older
 * than the jar (a rebuild with the same checksum, which the JVM would refuse) is made again. An AOT recording goes to
 * a name of its own and is renamed once its process has ended, so a demo beside it never reads half a cache. Without
 * {@code ./mediasec} (java -jar), a dynamic archive beside the jar. Thread rule: one instance per gateway process, used
 * by the thread that launches and closes it.
 */
final class GatewayClassData {

    /** JEP 514's {@code -XX:AOTCacheOutput} (record in one run) came with JDK 25. */
    private static final int AOT_CACHE_SINCE = 25;

    private final Optional<Path> cache;
    private final Path archive;
    private Path recording;

    private GatewayClassData(Optional<Path> cache, Path archive) {
        this.cache = cache;
        this.archive = archive;
    }

    /** The class data for a gateway of {@code profile} started from the runnable {@code jar}. */
    static GatewayClassData of(Path jar, String profile) {
        return of(jar, profile, System.getenv("MEDIASEC_CLASS_DATA"), Runtime.version().feature(), System.getenv("MEDIASEC_NO_AOT") != null);
    }

    /** The same, for a cache {@code key} ({@code ./mediasec}'s), a JDK's {@code feature} version and whether AOT is off. */
    static GatewayClassData of(Path jar, String profile, String key, int feature, boolean noAot) {
        if (key == null || key.isBlank()) {
            return new GatewayClassData(Optional.empty(), jar.resolveSibling("mediasec-gateway.jsa"));
        }
        boolean aot = feature >= AOT_CACHE_SINCE && !noAot;
        return new GatewayClassData(aot ? Optional.of(Path.of(key + "-gateway-" + profile + ".aot")) : Optional.empty(),
                Path.of(key + "-gateway-" + profile + ".jsa"));
    }

    /** The JVM options for the next start: use the cache, record it, or the dynamic archive. */
    List<String> options(Path jar) throws IOException {
        if (cache.isEmpty() || recordingFailed(jar)) {
            if (olderThan(archive, jar)) {
                Files.delete(archive); // -XX:+AutoCreateSharedArchive does not remake an archive the JVM refused
            }
            return List.of("-XX:SharedArchiveFile=" + archive, "-XX:+AutoCreateSharedArchive", "-Xlog:cds*=off");
        }
        Path file = cache.get();
        if (Files.isRegularFile(file) && !olderThan(file, jar)) {
            return List.of("-XX:AOTCache=" + file, "-Xlog:aot*=off", "-Xlog:cds*=off");
        }
        Files.createDirectories(file.getParent());
        discard();
        recording = file.resolveSibling(file.getFileName() + "." + Long.toHexString(ThreadLocalRandom.current().nextLong()));
        // a crash while assembling the cache reports to the temporary folder, not to the demo's working directory
        return List.of("-XX:AOTCacheOutput=" + recording, "-XX:ErrorFile=" + Path.of(System.getProperty("java.io.tmpdir"), "mediasec-hs_err_pid%p.log"),
                "-Xlog:aot*=off", "-Xlog:cds*=off");
    }

    /** Whether the process started last records a cache (it writes it when it exits: seconds more, once). */
    boolean recording() {
        return recording != null;
    }

    /**
     * After the process ended: a complete recording becomes the cache; a process killed before it wrote one leaves
     * none (the next start records again). One that ended by itself without writing it could not record it: JDK
     * 25.0.3 crashed assembling some caches ({@code archiveHeapWriter.cpp:757}); that is remembered for this jar and
     * JDK, and later starts take the dynamic archive instead of recording (seconds) again at every demo.
     */
    void processEnded(boolean endedByItself) throws IOException {
        if (recording != null && cache.isPresent()) {
            if (Files.isRegularFile(recording) && Files.size(recording) > 0) {
                Files.move(recording, cache.get(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                Files.deleteIfExists(failedMarker());
                recording = null;
            } else if (endedByItself) {
                Files.write(failedMarker(), new byte[0]);
            }
        }
        discard();
    }

    /** Whether recording the cache failed for this jar (a marker not older than it). */
    private boolean recordingFailed(Path jar) throws IOException {
        Path marker = failedMarker();
        return Files.isRegularFile(marker) && !olderThan(marker, jar);
    }

    private Path failedMarker() {
        return Path.of(cache.orElseThrow() + ".failed");
    }

    private static boolean olderThan(Path file, Path jar) throws IOException {
        return Files.isRegularFile(file) && Files.getLastModifiedTime(file).compareTo(Files.getLastModifiedTime(jar)) < 0;
    }

    private void discard() throws IOException {
        if (recording != null) {
            Files.deleteIfExists(recording);
            Files.deleteIfExists(Path.of(recording + ".config"));
            recording = null;
        }
    }
}
