package org.mediasec.kms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The KMS's key-encryption keys (SEC-4): values sealed for one row and purpose open for that one only; the KEK file is
 * made owner-only and refused otherwise; a wrong KEK file or a stale one says so; a rotation keeps everything opening
 * until the old KEK is retired, after which it opens nothing; a store sealed under one KEK file refuses to open under
 * another.
 */
class KeyEncryptionKeysTest {

    private static final byte[] KEY = "0123456789abcdef0123".getBytes();

    @TempDir
    Path dir;
    private final SecureRandom random = new SecureRandom();

    private KeyEncryptionKeys keks(String name) throws KmsStoreException {
        return KeyEncryptionKeys.open(dir.resolve(name), random);
    }

    @Test
    void aSealedValueOpensForItsRowAndPurposeOnly() throws Exception {
        KeyEncryptionKeys keks = keks("kek");
        String sealed = keks.seal(KeyEncryptionKeys.Purpose.USER_PSK, "sip:alice@x", KEY);
        assertThat(sealed).startsWith("k1:").doesNotContain(java.util.HexFormat.of().formatHex(KEY));
        assertThat(keks.open(KeyEncryptionKeys.Purpose.USER_PSK, "sip:alice@x", sealed)).isEqualTo(KEY);
        assertThatThrownBy(() -> keks.open(KeyEncryptionKeys.Purpose.USER_PSK, "sip:mallory@x", sealed)).isInstanceOf(KmsStoreException.class)
                .hasMessageContaining("does not open");
        assertThatThrownBy(() -> keks.open(KeyEncryptionKeys.Purpose.MASTER_KEY, "sip:alice@x", sealed)).isInstanceOf(KmsStoreException.class);
        assertThatThrownBy(() -> keks.open(KeyEncryptionKeys.Purpose.USER_PSK, "sip:alice@x", "00112233")).hasMessageContaining("not a sealed value");
    }

    @Test
    @Tag("SEC-4")
    void theFileIsOwnerOnlyAndAFileOthersMayReadIsRefused() throws Exception {
        KeyEncryptionKeys keks = keks("kek");
        assertThat(dir.resolve("kek")).doesNotExist();
        keks.seal(KeyEncryptionKeys.Purpose.MASTER_KEY, "master key 1", KEY);
        assertThat(Files.getPosixFilePermissions(dir.resolve("kek"))).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        Files.setPosixFilePermissions(dir.resolve("kek"), PosixFilePermissions.fromString("rw-r--r--"));
        assertThatThrownBy(() -> keks("kek")).isInstanceOf(KmsStoreException.class).hasMessageContaining("chmod 600");
    }

    @Test
    void aFileThatDoesNotParseIsRefusedWithItsLine() throws Exception {
        String good = "kek 1 " + "00".repeat(KeyEncryptionKeys.KEY_BYTES);
        assertThat(KeyEncryptionKeys.parse("# comment\n\n" + good + "\n", "f")).hasSize(1);
        assertThatThrownBy(() -> KeyEncryptionKeys.parse("# c\nkek 1 00\n", "f")).hasMessageContaining("f line 2").hasMessageContaining("32 bytes");
        assertThatThrownBy(() -> KeyEncryptionKeys.parse(good + "\n" + good + "\n", "f")).hasMessageContaining("line 2").hasMessageContaining("twice");
        assertThatThrownBy(() -> KeyEncryptionKeys.parse("key 1 00\n", "f")).hasMessageContaining("line 1: expected");
        assertThatThrownBy(() -> KeyEncryptionKeys.parse("kek x zz\n", "f")).hasMessageContaining("not a number");
        assertThatThrownBy(() -> KeyEncryptionKeys.parse("kek -1 " + "00".repeat(32) + "\n", "f")).hasMessageContaining("positive");
    }

    @Test
    @Tag("SEC-4")
    void anotherKekFileOpensNothingAndSaysWhichKeyItLacks() throws Exception {
        String sealed = keks("kek").seal(KeyEncryptionKeys.Purpose.USER_PSK, "sip:alice@x", KEY);
        KeyEncryptionKeys other = keks("other");
        other.seal(KeyEncryptionKeys.Purpose.USER_PSK, "sip:bob@x", KEY); // its own KEK 1
        assertThatThrownBy(() -> other.open(KeyEncryptionKeys.Purpose.USER_PSK, "sip:alice@x", sealed))
                .hasMessageContaining("does not open with key-encryption key 1").hasMessageContaining("wrong --kek-file");
        assertThatThrownBy(() -> keks("missing").open(KeyEncryptionKeys.Purpose.USER_PSK, "sip:alice@x", sealed))
                .hasMessageContaining("sealed under key-encryption key 1, which").hasMessageContaining("does not hold");
    }

    @Test
    @Tag("SEC-4")
    void aRotationKeepsEverythingOpeningUntilTheOldKeyIsRetired() throws Exception {
        KeyEncryptionKeys keks = keks("kek");
        String old = keks.seal(KeyEncryptionKeys.Purpose.USER_PSK, "sip:alice@x", KEY);
        assertThat(keks.rotate()).isEqualTo(2);
        assertThat(keks("kek").ids()).containsExactly(1, 2);
        assertThat(keks("kek").open(KeyEncryptionKeys.Purpose.USER_PSK, "sip:alice@x", old)).isEqualTo(KEY);
        String renewed = keks.seal(KeyEncryptionKeys.Purpose.USER_PSK, "sip:alice@x", KEY);
        assertThat(KeyEncryptionKeys.kekId(renewed)).contains(2);
        keks.retireAllButCurrent();
        KeyEncryptionKeys reread = keks("kek");
        assertThat(reread.ids()).containsExactly(2);
        assertThat(reread.open(KeyEncryptionKeys.Purpose.USER_PSK, "sip:alice@x", renewed)).isEqualTo(KEY);
        assertThatThrownBy(() -> reread.open(KeyEncryptionKeys.Purpose.USER_PSK, "sip:alice@x", old)).hasMessageContaining("does not hold");
    }

    @Test
    @Tag("SEC-4")
    void storesSealedUnderOneKekFileRefuseToOpenUnderAnother() throws Exception {
        String url = UserStore.defaultUrl(dir);
        try (UserStore users = UserStore.open(url, keks("kek")); MasterKeyStore keys = MasterKeyStore.open(url, keks("kek"), java.time.Clock.systemUTC(), random)) {
            users.add(new KmsUser("sip:alice@x", KEY, Set.of(), Set.of()));
        }
        keks("other").seal(KeyEncryptionKeys.Purpose.USER_PSK, "another store", KEY);
        assertThatThrownBy(() -> UserStore.open(url, keks("other"))).isInstanceOf(KmsStoreException.class)
                .hasMessageContaining("user-psk of sip:alice@x does not open with key-encryption key 1");
        assertThatThrownBy(() -> MasterKeyStore.open(url, keks("other"), java.time.Clock.systemUTC(), random)).isInstanceOf(KmsStoreException.class)
                .hasMessageContaining("master-key of master key 1 does not open");
        try (UserStore users = UserStore.open(url, keks("kek"))) {
            assertThat(users.find("sip:alice@x").orElseThrow().preSharedKey()).isEqualTo(KEY);
        }
    }
}
