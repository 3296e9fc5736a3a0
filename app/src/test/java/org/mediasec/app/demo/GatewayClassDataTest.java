package org.mediasec.app.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which class data a demo gateway JVM gets: recorded once per jar and JDK, never a stale or half-written file. */
class GatewayClassDataTest {

    private static final String PROFILE = "ims-agw";

    @Test
    void jdk25RecordsUnderAnOwnNameThenUsesTheCacheOnceTheProcessEnded(@TempDir Path directory) throws Exception {
        Path jar = jar(directory);
        String key = directory.resolve("class-data").resolve("25.0.3_9_LTS-0123456789abcdef").toString();
        Path cache = Path.of(key + "-gateway-" + PROFILE + ".aot");
        GatewayClassData classData = GatewayClassData.of(jar, PROFILE, key, 25, false);

        List<String> first = classData.options(jar);
        assertThat(classData.recording()).isTrue();
        Path recording = Path.of(option(first, "-XX:AOTCacheOutput="));
        assertThat(recording).isNotEqualTo(cache);
        assertThat(recording.getParent()).isEqualTo(cache.getParent());
        Files.write(recording, new byte[] {1, 2, 3}); // what the JVM writes when it exits
        classData.processEnded(true);

        assertThat(cache).hasBinaryContent(new byte[] {1, 2, 3});
        assertThat(recording).doesNotExist();
        assertThat(option(classData.options(jar), "-XX:AOTCache=")).isEqualTo(cache.toString());
        assertThat(classData.recording()).isFalse();
    }

    @Test
    void aProcessKilledBeforeItWroteTheCacheLeavesNoneAndTheNextStartRecordsAgain(@TempDir Path directory) throws Exception {
        Path jar = jar(directory);
        String key = directory.resolve("k").toString();
        GatewayClassData classData = GatewayClassData.of(jar, PROFILE, key, 25, false);
        Path recording = Path.of(option(classData.options(jar), "-XX:AOTCacheOutput="));
        Files.createFile(recording); // an empty file: the JVM was killed while writing
        classData.processEnded(false); // killed while writing

        assertThat(Path.of(key + "-gateway-" + PROFILE + ".aot")).doesNotExist();
        assertThat(recording).doesNotExist();
        assertThat(option(classData.options(jar), "-XX:AOTCacheOutput=")).isNotEqualTo(recording.toString());
    }

    @Test
    void aProcessThatEndedByItselfWithoutACacheFailedToRecordItAndLaterStartsTakeTheDynamicArchiveUntilTheJarChanges(@TempDir Path directory)
            throws Exception {
        Path jar = jar(directory);
        String key = directory.resolve("k").toString();
        GatewayClassData classData = GatewayClassData.of(jar, PROFILE, key, 25, false);
        Path recording = Path.of(option(classData.options(jar), "-XX:AOTCacheOutput="));
        classData.processEnded(false); // killed: nothing is concluded, the next start records again
        assertThat(classData.options(jar)).anyMatch(o -> o.startsWith("-XX:AOTCacheOutput="));
        classData.processEnded(true); // ended by itself and wrote nothing: the JVM could not record it (JDK 25.0.3's crash)

        assertThat(recording).doesNotExist();
        assertThat(GatewayClassData.of(jar, PROFILE, key, 25, false).options(jar))
                .contains("-XX:SharedArchiveFile=" + key + "-gateway-" + PROFILE + ".jsa").noneMatch(o -> o.startsWith("-XX:AOT"));
        Files.setLastModifiedTime(jar, FileTime.from(Instant.now().plusSeconds(60))); // a rebuilt jar may record again
        assertThat(GatewayClassData.of(jar, PROFILE, key, 25, false).options(jar)).anyMatch(o -> o.startsWith("-XX:AOTCacheOutput="));
    }

    @Test
    void aCacheOlderThanTheJarIsRecordedAgain(@TempDir Path directory) throws Exception {
        Path jar = jar(directory);
        String key = directory.resolve("k").toString();
        Path cache = Path.of(key + "-gateway-" + PROFILE + ".aot");
        Files.write(cache, new byte[] {1});
        Files.setLastModifiedTime(cache, FileTime.from(Instant.now().minusSeconds(60))); // the jar was rebuilt since

        assertThat(GatewayClassData.of(jar, PROFILE, key, 25, false).options(jar)).noneMatch(o -> o.startsWith("-XX:AOTCache="))
                .anyMatch(o -> o.startsWith("-XX:AOTCacheOutput="));
    }

    @Test
    void beforeJdk25ADynamicArchiveUnderTheKeyAndOneOlderThanTheJarIsDeleted(@TempDir Path directory) throws Exception {
        Path jar = jar(directory);
        String key = directory.resolve("21.0.5_11-0123456789abcdef").toString();
        Path archive = Path.of(key + "-gateway-" + PROFILE + ".jsa");
        Files.write(archive, new byte[] {1});
        Files.setLastModifiedTime(archive, FileTime.from(Instant.now().minusSeconds(60)));

        List<String> options = GatewayClassData.of(jar, PROFILE, key, 21, false).options(jar);

        assertThat(options).contains("-XX:SharedArchiveFile=" + archive, "-XX:+AutoCreateSharedArchive").noneMatch(o -> o.startsWith("-XX:AOT"));
        assertThat(archive).doesNotExist(); // the JVM refuses it and would not remake it
    }

    @Test
    void withoutTheWrapperAnArchiveBesideTheJarAndWithAotOffTheDynamicArchive(@TempDir Path directory) throws Exception {
        Path jar = jar(directory);
        assertThat(GatewayClassData.of(jar, PROFILE, null, 25, false).options(jar))
                .contains("-XX:SharedArchiveFile=" + directory.resolve("mediasec-gateway.jsa"));
        assertThat(GatewayClassData.of(jar, PROFILE, directory.resolve("k").toString(), 25, true).options(jar))
                .contains("-XX:SharedArchiveFile=" + directory.resolve("k-gateway-" + PROFILE + ".jsa"));
    }

    private static Path jar(Path directory) throws Exception {
        return Files.write(directory.resolve("mediasec.jar"), new byte[] {0x50, 0x4b});
    }

    private static String option(List<String> options, String prefix) {
        return options.stream().filter(o -> o.startsWith(prefix)).findFirst().orElseThrow().substring(prefix.length());
    }
}
