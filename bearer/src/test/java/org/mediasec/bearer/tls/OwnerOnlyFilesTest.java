package org.mediasec.bearer.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Secret files are 0600 whatever was there before, whole or not there at all, and never leave a temporary file behind.
 * (That they are 0600 from their creation, with no window, is proven on the system calls by the it module's
 * KmsHardeningTest under strace.)
 */
class OwnerOnlyFilesTest {

    @TempDir
    Path dir;

    @Test
    @Tag("SEC-4")
    void aKeyReplacesAFileOfAWiderModeAndIsOwnerOnly() throws Exception {
        Path target = dir.resolve("key.pem");
        Files.writeString(target, "old");
        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-r--r--"));
        OwnerOnlyFiles.write(target, "new".getBytes(StandardCharsets.US_ASCII));
        assertThat(Files.readString(target)).isEqualTo("new");
        assertThat(Files.getPosixFilePermissions(target)).isEqualTo(OwnerOnlyFiles.OWNER_READ_WRITE);
        assertThat(OwnerOnlyFiles.openToOthers(target)).isFalse();
        try (var listing = Files.list(dir)) {
            assertThat(listing).containsExactly(target);
        }
    }

    @Test
    void aFailedWriteLeavesTheOldFileAndNoTemporaryOne() throws IOException {
        Path target = Files.createDirectory(dir.resolve("occupied"));
        Files.writeString(target.resolve("inside"), "x"); // a non-empty directory cannot be replaced
        assertThatThrownBy(() -> OwnerOnlyFiles.write(target, new byte[] {1})).isInstanceOf(IOException.class);
        assertThat(target.resolve("inside")).hasContent("x");
        try (var listing = Files.list(dir)) {
            assertThat(listing).containsExactly(target);
        }
    }

    @Test
    @Tag("SEC-4")
    void aGeneratedCertificateAndItsKeyAreOwnerOnlyAndReadBack() throws Exception {
        SelfSignedCertificate generated = SelfSignedCertificate.loadOrGenerate(dir, "test");
        for (String name : new String[] {"cert.pem", "key.pem"}) {
            assertThat(Files.getPosixFilePermissions(dir.resolve(name))).as(name).isEqualTo(OwnerOnlyFiles.OWNER_READ_WRITE);
        }
        assertThat(SelfSignedCertificate.loadOrGenerate(dir, "test").certificate()).isEqualTo(generated.certificate());
        SelfSignedCertificate.generate("other", Duration.ofDays(1)).write(dir.resolve("cert.pem"), dir.resolve("key.pem"));
        assertThat(SelfSignedCertificate.read(dir.resolve("cert.pem"), dir.resolve("key.pem")).certificate()).isNotEqualTo(generated.certificate());
    }
}
