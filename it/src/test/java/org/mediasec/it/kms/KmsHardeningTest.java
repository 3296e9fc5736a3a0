package org.mediasec.it.kms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.mediasec.bearer.tls.OwnerOnlyFiles;
import org.mediasec.kms.KeyEncryptionKeys;
import org.mediasec.kms.KmsStoreException;
import org.mediasec.kms.MasterKey;
import org.mediasec.kms.MasterKeyStore;
import org.mediasec.kms.UserStore;
import org.mediasec.mikey.ticket.KmsUid;
import org.mediasec.mikey.ticket.TicketInitiator;
import org.mediasec.testsupport.RequiresPeer;
import org.mediasec.testsupport.WireTest;

/**
 * The KMS at rest and on the host, attacked as a local user or a thief of its files would (SEC-4), on real
 * {@code mediasec kms} processes: it listens on its HTTPS port alone (no database port) while the commands still work
 * through its admin socket; its files hold no user key or master key in clear; a wrong key-encryption key stops it
 * before it serves anything; a KEK rotation while it runs keeps every user working; its key files are created 0600
 * and renamed into place (strace); no key is ever taken from a command line.
 */
@Timeout(300)
class KmsHardeningTest {

    private static final KmsUid ALICE = new KmsUid("sip:alice@ims.example.org");
    private static final KmsUid CONFERENCE = new KmsUid("sip:conf1@ims.example.org");

    @TempDir
    Path work;
    private KmsProcesses processes;
    private Path dataDir;
    private final SecureRandom random = new SecureRandom();
    private final Clock clock = Clock.systemUTC();

    @BeforeEach
    void setUp() {
        processes = new KmsProcesses(work);
        dataDir = processes.dataDir();
    }

    @AfterEach
    void tearDown() {
        processes.close();
    }

    private TicketInitiator initiator(KmsUid uid, byte[] key) {
        return new TicketInitiator(uid, key, KmsProcesses.KMS, clock, random);
    }

    private static TicketInitiator.IssuedTicket ticket(KmsProcesses.Running kms, TicketInitiator initiator) throws Exception {
        return kms.client().requestTicket(initiator, initiator.requestInit(List.of(), 1, Duration.ofHours(1), KmsProcessTest.FLAGS));
    }

    private void resolve(KmsProcesses.Running kms, TicketInitiator initiator, TicketInitiator.IssuedTicket ticket, byte[] conferenceKey) throws Exception {
        KmsProcessTest.complete(kms.client(), initiator, ticket, KmsProcessTest.responder(CONFERENCE, conferenceKey, clock, random));
    }

    @Test
    @Tag("SEC-4")
    @WireTest
    void theKmsListensOnItsHttpsPortAloneAndTheCommandsWorkWhileItRuns() throws Exception {
        processes.addUser(ALICE.value());
        KmsProcesses.Running kms = processes.serve("kms");
        ProcessSockets expected = new ProcessSockets(Set.of(kms.port()), Set.of());
        assertThat(ProcessSockets.of(kms.process().pid())).isEqualTo(expected);

        // the store is the running KMS's alone: the commands cannot open it, so they go through its admin socket
        assertThatThrownBy(() -> UserStore.open(UserStore.defaultUrl(dataDir), KeyEncryptionKeys.open(dataDir.resolve("kek"), random)))
                .isInstanceOf(KmsStoreException.class).satisfies(e -> assertThat(((KmsStoreException) e).heldByAnotherProcess()).isTrue());
        byte[] bobKey = processes.addUser("sip:bob@ims.example.org");
        assertThat(processes.kms(0, "user", "list")).contains("sip:bob@ims.example.org");
        ticket(kms, initiator(new KmsUid("sip:bob@ims.example.org"), bobKey)); // the running KMS knows Bob at once
        assertThat(processes.kms(0, "rotate-key")).contains("master key 2 is current");
        assertThat(processes.kms(0, "user", "remove", "sip:bob@ims.example.org")).contains("removed");
        assertThat(ProcessSockets.of(kms.process().pid())).isEqualTo(expected);
        processes.stop(kms);
    }

    @Test
    @Tag("SEC-4")
    void theKmsFilesHoldNoUserKeyAndNoMasterKeyInClear() throws Exception {
        byte[] aliceKey = new byte[32];
        random.nextBytes(aliceKey);
        Path aliceKeyFile = work.resolve("alice.key");
        OwnerOnlyFiles.write(aliceKeyFile, HexFormat.of().formatHex(aliceKey).getBytes(StandardCharsets.US_ASCII));
        processes.kms(0, "user", "add", ALICE.value(), "--key-file", aliceKeyFile.toString());
        byte[] conferenceKey = processes.addUser(CONFERENCE.value(), "--may-resolve-for", "*");
        KmsProcesses.Running kms = processes.serve("kms");
        TicketInitiator alice = initiator(ALICE, aliceKey);
        resolve(kms, alice, ticket(kms, alice), conferenceKey);
        assertThat(processes.kms(0, "rotate-key")).contains("master key 2");
        processes.stop(kms);

        List<byte[]> secrets = new ArrayList<>(List.of(aliceKey, conferenceKey));
        KeyEncryptionKeys keks = KeyEncryptionKeys.open(dataDir.resolve("kek"), random);
        try (MasterKeyStore masterKeys = MasterKeyStore.open(UserStore.defaultUrl(dataDir), keks, clock, random)) {
            assertThat(masterKeys.all()).hasSize(2);
            masterKeys.all().stream().map(MasterKey::key).forEach(secrets::add);
        }
        List<Path> files;
        try (Stream<Path> all = Files.walk(dataDir)) {
            files = all.filter(Files::isRegularFile).filter(f -> !f.getFileName().toString().equals("kek")).toList();
        }
        assertThat(files).extracting(f -> f.getFileName().toString()).contains("kms.mv.db");
        for (Path file : files) {
            byte[] content = Files.readAllBytes(file);
            for (byte[] secret : secrets) {
                for (byte[] form : forms(secret)) {
                    assertThat(indexOf(content, form)).as("a key, as %s, in %s", new String(form, StandardCharsets.ISO_8859_1), file).isEqualTo(-1);
                }
            }
        }
    }

    /**
     * How a key could be written down: raw, hex in either case (also in UTF-16), and inside base64 text wherever it
     * starts (the key from its first 3-byte boundary in the stream: one of three shifts).
     */
    private static List<byte[]> forms(byte[] key) {
        String hex = HexFormat.of().formatHex(key);
        List<byte[]> forms = new ArrayList<>(List.of(key, hex.getBytes(StandardCharsets.US_ASCII),
                hex.toUpperCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII), hex.getBytes(StandardCharsets.UTF_16BE)));
        for (int shift = 0; shift < 3; shift++) {
            int whole = (key.length - shift) / 3 * 3;
            forms.add(Base64.getEncoder().encode(java.util.Arrays.copyOfRange(key, shift, shift + whole)));
        }
        return forms;
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    @Test
    @Tag("SEC-4")
    void aWrongOrMissingKekStopsTheKmsBeforeItServesAnything() throws Exception {
        processes.addUser(ALICE.value());
        Path kek = dataDir.resolve("kek");
        byte[] right = Files.readAllBytes(kek);
        try (KmsProcesses elsewhere = new KmsProcesses(work.resolve("elsewhere"))) {
            elsewhere.addUser(ALICE.value());
            OwnerOnlyFiles.write(kek, Files.readAllBytes(elsewhere.dataDir().resolve("kek"))); // a valid KEK file, but another KMS's
        }
        KmsProcesses.Finished wrong = processes.run(new byte[0], List.of(), "kms", "serve", "--listen", "127.0.0.1:0", "--data-dir", dataDir.toString());
        assertThat(wrong.exitCode()).as(wrong.output()).isEqualTo(1);
        assertThat(wrong.output()).contains("cannot start").contains("does not open with key-encryption key 1").contains("wrong --kek-file")
                .doesNotContain("listening");
        assertThat(processes.kms(1, "user", "list")).contains("does not open with key-encryption key 1");

        Files.delete(kek);
        KmsProcesses.Finished missing = processes.run(new byte[0], List.of(), "kms", "serve", "--listen", "127.0.0.1:0", "--data-dir", dataDir.toString());
        assertThat(missing.exitCode()).isEqualTo(1);
        assertThat(missing.output()).contains("sealed under key-encryption key 1, which").contains("does not hold").doesNotContain("listening");
        assertThat(kek).doesNotExist(); // nothing made up in its place

        OwnerOnlyFiles.write(kek, right);
        processes.stop(processes.serve("kms"));
    }

    @Test
    @Tag("SEC-4")
    @WireTest
    void aKekRotationWhileTheKmsRunsKeepsEveryUserWorking() throws Exception {
        byte[] aliceKey = processes.addUser(ALICE.value());
        byte[] conferenceKey = processes.addUser(CONFERENCE.value(), "--may-resolve-for", "*");
        byte[] bobKey = processes.addUser("sip:bob@ims.example.org");
        Path kek = dataDir.resolve("kek");
        byte[] before = Files.readAllBytes(kek);
        KmsProcesses.Running kms = processes.serve("kms-1");
        TicketInitiator alice = initiator(ALICE, aliceKey);
        TicketInitiator.IssuedTicket first = ticket(kms, alice);

        assertThat(processes.kms(0, "rotate-kek")).contains("key-encryption key 2 is current").contains("3 user keys and 1 master keys re-sealed");
        assertThat(Files.readAllLines(kek)).filteredOn(line -> line.startsWith("kek ")).singleElement().asString().startsWith("kek 2 ");
        resolve(kms, alice, first, conferenceKey);
        resolve(kms, alice, ticket(kms, alice), conferenceKey);
        ticket(kms, initiator(new KmsUid("sip:bob@ims.example.org"), bobKey));
        processes.stop(kms);

        // the old KEK opens nothing any more; the new one opens everything after a restart
        byte[] after = Files.readAllBytes(kek);
        OwnerOnlyFiles.write(kek, before);
        KmsProcesses.Finished old = processes.run(new byte[0], List.of(), "kms", "serve", "--listen", "127.0.0.1:0", "--data-dir", dataDir.toString());
        assertThat(old.exitCode()).isEqualTo(1);
        assertThat(old.output()).contains("sealed under key-encryption key 2, which").doesNotContain("listening");
        OwnerOnlyFiles.write(kek, after);
        KmsProcesses.Running again = processes.serve("kms-2");
        resolve(again, alice, first, conferenceKey);
        ticket(again, initiator(new KmsUid("sip:bob@ims.example.org"), bobKey));
        processes.stop(again);
    }

    @Test
    @Tag("SEC-4")
    @RequiresPeer(command = "strace", debianPackage = "strace")
    void keyAndCertificateFilesAreCreatedOwnerOnlyAndRenamedIntoPlace() throws Exception {
        Path trace = work.resolve("strace.txt");
        List<String> strace = List.of("strace", "-f", "--seccomp-bpf", "-qq", "-y", "-e", "trace=open,openat,creat,rename,renameat,renameat2,fsync", "-o",
                trace.toString());
        KmsProcesses.Finished added = processes.run(new byte[0], strace, "kms", "user", "add", ALICE.value(), "--data-dir", dataDir.toString());
        assertThat(added.exitCode()).as(added.output()).isZero();
        String userAdd = Files.readString(trace);
        KmsProcesses.Running kms = processes.serve("kms", strace);
        kms.process().descendants().forEach(ProcessHandle::destroy); // SIGTERM to the KMS under strace
        assertThat(kms.process().waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        String serve = Files.readString(trace);

        createdOwnerOnlyAndRenamed(userAdd, "kek");
        createdOwnerOnlyAndRenamed(serve, "cert.pem");
        createdOwnerOnlyAndRenamed(serve, "key.pem");
        for (String name : List.of("kek", "cert.pem", "key.pem")) {
            assertThat(OwnerOnlyFiles.openToOthers(dataDir.resolve(name))).as(name).isFalse();
        }
    }

    /** The system calls: the final name is never created by open(2); a temporary file is, with 0600, renamed to it, and the directory forced. */
    private void createdOwnerOnlyAndRenamed(String trace, String name) {
        String target = Pattern.quote(dataDir.resolve(name).toString());
        String temporary = Pattern.quote(dataDir.toString() + "/." + name) + "\\d+\\.tmp";
        assertThat(trace).as("%s opened with O_CREAT under its own name", name)
                .doesNotContainPattern("open(at)?\\([^\"]*\"" + target + "\", [^)]*O_CREAT");
        assertThat(trace).as("%s written to a temporary file created 0600", name)
                .containsPattern("open(at)?\\([^\"]*\"" + temporary + "\", [^)]*O_CREAT\\|O_EXCL[^)]*, 0600\\)");
        assertThat(trace).as("%s renamed into place", name).containsPattern("rename(at2?)?\\([^\"]*\"" + temporary + "\", [^\"]*\"" + target + "\"");
        // a power cut must not undo the rename: the directory holding it is forced after it
        assertThat(trace).as("%s's directory forced to disk after the rename", name).containsPattern("(?s)rename(at2?)?\\([^\"]*\"" + temporary
                + "\", [^\"]*\"" + target + "\".*\\bfsync\\(\\d+<" + Pattern.quote(dataDir.toString()) + ">\\) = 0");
    }

    @Test
    @Tag("SEC-4")
    void noKeyIsTakenFromACommandLine() throws Exception {
        assertThat(processes.kms(2, "user", "add", ALICE.value(), "--key-hex", "00112233445566778899aabbccddeeff")).contains("Unknown option").contains("'--key-hex'");
        KmsProcesses.Finished ue = processes.run(new byte[0], List.of(), "ue", "--kms-key-hex", "00112233445566778899aabbccddeeff");
        assertThat(ue.exitCode()).isEqualTo(2);
        assertThat(ue.output()).contains("Unknown option").contains("'--kms-key-hex'");

        // on standard input instead: not echoed, and the KMS then knows the user by it
        byte[] key = new byte[24];
        random.nextBytes(key);
        String hex = HexFormat.of().formatHex(key);
        KmsProcesses.Finished added = processes.run((hex + "\n").getBytes(StandardCharsets.US_ASCII), List.of(), "kms", "user", "add", ALICE.value(),
                "--key-file", "-", "--data-dir", dataDir.toString());
        assertThat(added.exitCode()).as(added.output()).isZero();
        assertThat(added.output()).contains("added " + ALICE.value()).doesNotContain(hex).doesNotContain("pre-shared key");
        KmsProcesses.Running kms = processes.serve("kms");
        ticket(kms, initiator(ALICE, key));
        processes.stop(kms);
    }
}
