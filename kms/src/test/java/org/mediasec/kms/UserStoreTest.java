package org.mediasec.kms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The KMS user store on a real embedded database file: provisioning, rules, restart, conflicts, bad input. */
class UserStoreTest {

    private static final byte[] KEY = "0123456789abcdef".getBytes();

    @Test
    void usersAndTheirRulesSurviveARestart(@TempDir Path dataDirectory) throws Exception {
        String url = UserStore.defaultUrl(dataDirectory);
        KmsUser alice = new KmsUser("sip:alice@ims.example.org", KEY, Set.of("sip:conf1@ims.example.org"), Set.of("sip:conf1@ims.example.org"));
        KmsUser mrfc = new KmsUser("sip:mrfc@ims.example.org", new byte[32], Set.of(KmsUser.ANY), Set.of());
        try (UserStore store = UserStore.open(url, KeyEncryptionKeys.open(dataDirectory.resolve("kek"), new SecureRandom()))) {
            store.add(alice);
            store.add(mrfc);
            assertThatThrownBy(() -> store.add(alice)).isInstanceOf(KmsStoreException.class).hasMessageContaining("exists already");
        }
        try (UserStore store = UserStore.open(url, KeyEncryptionKeys.open(dataDirectory.resolve("kek"), new SecureRandom()))) {
            assertThat(store.list()).containsExactly(alice, mrfc);
            KmsUser found = store.find("sip:mrfc@ims.example.org").orElseThrow();
            assertThat(found.mayResolve("sip:anybody@example.org")).isTrue();
            assertThat(store.find("sip:alice@ims.example.org").orElseThrow().mayJoin("sip:conf2@ims.example.org")).isFalse();
            assertThat(store.remove("sip:alice@ims.example.org")).isTrue();
            assertThat(store.remove("sip:alice@ims.example.org")).isFalse();
            assertThat(store.list()).containsExactly(mrfc);
        }
    }

    @Test
    void badUsersAreRefusedAndKeysAreNeverShown() {
        assertThatThrownBy(() -> new KmsUser("sip:a@b", new byte[8], Set.of(), Set.of())).hasMessageContaining("16 to 64 bytes");
        assertThatThrownBy(() -> new KmsUser("sip:a b", KEY, Set.of(), Set.of())).hasMessageContaining("uid");
        assertThatThrownBy(() -> new KmsUser("sip:a@b", KEY, Set.of(""), Set.of())).hasMessageContaining("may-resolve-for");
        assertThat(new KmsUser("sip:a@b", KEY, Set.of(), Set.of()).toString()).doesNotContain("0123456789abcdef").contains("not shown");
    }

    @Test
    void anyJdbcUrlWorksAndABrokenOneSaysWhy(@TempDir Path dataDirectory) throws Exception {
        KeyEncryptionKeys keks = KeyEncryptionKeys.open(dataDirectory.resolve("kek"), new SecureRandom());
        try (UserStore store = UserStore.open("jdbc:h2:mem:kms-test", keks)) {
            store.add(new KmsUser("sip:a@b", KEY, Set.of(), Set.of("*")));
            assertThat(store.find("sip:a@b").orElseThrow().mayJoin("sip:any@conference")).isTrue();
        }
        assertThatThrownBy(() -> UserStore.open("jdbc:nosuchdb:x", keks)).isInstanceOf(KmsStoreException.class).hasMessageContaining("cannot open");
    }
}
