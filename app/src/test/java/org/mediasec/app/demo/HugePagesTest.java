package org.mediasec.app.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo's JVMs ask for transparent huge pages only where the kernel gives them on request. */
class HugePagesTest {

    @Test
    void onlyTheMadviseSettingAsksForThem(@TempDir Path folder) throws Exception {
        Path setting = folder.resolve("enabled");
        Files.writeString(setting, "always [madvise] never\n");
        assertThat(HugePages.onRequest(setting)).isTrue();
        Files.writeString(setting, "[always] madvise never\n");
        assertThat(HugePages.onRequest(setting)).isFalse();
        Files.writeString(setting, "always madvise [never]\n");
        assertThat(HugePages.onRequest(setting)).isFalse();
        assertThat(HugePages.onRequest(folder.resolve("missing"))).isFalse();
    }
}
