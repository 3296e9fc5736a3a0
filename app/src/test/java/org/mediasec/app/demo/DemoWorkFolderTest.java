package org.mediasec.app.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A demo's work folder is fresh for every run, and a folder a demo did not make is never touched. */
class DemoWorkFolderTest {

    @Test
    void aNewFolderIsMadeAndMarked(@TempDir Path root) throws Exception {
        Path folder = DemoWorkFolder.prepare(root.resolve("a/b"));
        assertThat(folder.resolve(DemoWorkFolder.MARKER)).isRegularFile();
        assertThat(DemoWorkFolder.temporary().resolve(DemoWorkFolder.MARKER)).isRegularFile();
    }

    @Test
    void aFolderADemoUsedIsEmptiedButItsMarker(@TempDir Path root) throws Exception {
        Path folder = DemoWorkFolder.prepare(root.resolve("work"));
        Files.createDirectories(folder.resolve("sip/ue-a"));
        Files.writeString(folder.resolve("sip/ue-a/ue-a.msg"), "the last run's SIP messages");
        Files.writeString(folder.resolve("agw1.log"), "log");
        Path outside = Files.createDirectories(root.resolve("outside"));
        Files.writeString(outside.resolve("keep.txt"), "not the demo's");
        Files.createSymbolicLink(folder.resolve("link"), outside);

        DemoWorkFolder.prepare(folder);

        try (var entries = Files.list(folder)) {
            assertThat(entries).containsExactly(folder.resolve(DemoWorkFolder.MARKER));
        }
        assertThat(outside.resolve("keep.txt")).hasContent("not the demo's"); // the link went, not what it pointed to
    }

    @Test
    void aFolderWithOtherFilesIsRefusedAndLeftAsItWas(@TempDir Path root) throws Exception {
        Files.writeString(root.resolve("thesis.tex"), "months of work");
        assertThatThrownBy(() -> DemoWorkFolder.prepare(root)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("holds files that no demo made");
        assertThat(root.resolve("thesis.tex")).hasContent("months of work");
        assertThat(root.resolve(DemoWorkFolder.MARKER)).doesNotExist();

        Path file = Files.writeString(root.resolve("file"), "x");
        assertThatThrownBy(() -> DemoWorkFolder.prepare(file)).hasMessageContaining("is not a folder");
    }
}
