package org.mediasec.it.kms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.mediasec.kms.KmsUser;
import org.mediasec.kms.UserStore;
import org.mediasec.kms.admin.AdminClient;
import org.mediasec.kms.admin.AdminReply;
import org.mediasec.kms.admin.AdminRequest;
import org.mediasec.kms.admin.AdminServer;
import org.mediasec.mikey.MikeyErrorCode;
import org.mediasec.mikey.MikeyException;
import org.mediasec.mikey.ticket.KmsUid;
import org.mediasec.mikey.ticket.TicketInitiator;
import org.mediasec.mikey.ticket.TicketResponder;
import org.mediasec.testsupport.RequiresPeer;
import org.mediasec.testsupport.WireTest;

/**
 * The KMS on its worst days, as processes: killed (SIGKILL) in the middle of a conference and started again, killed
 * in the middle of writes, and its database held by another process. A ticket issued before the kill still resolves
 * after the restart (the KMS stores nothing per ticket), while it is down a client gets a clear error at once; a
 * RESOLVE_INIT answered before the kill is not answered again after it. Every user whose addition the KMS
 * acknowledged before the kill is there after it, with at most the one in flight beyond them. A KMS whose database
 * another process holds exits 1 with the reason before anything listens. A KMS whose database cannot grow refuses the
 * write with the reason, keeps no part of it, and goes on issuing tickets; once it may grow, it writes again.
 */
@Timeout(120)
class KmsFaultTest {

    private static final KmsUid KMS = KmsProcesses.KMS;
    private static final Duration DOWN_ERROR_BOUND = Duration.ofSeconds(5);
    private static final int WRITES_BEFORE_THE_KILL = 30;
    /** The H2 file {@code UserStore.defaultUrl} names. */
    private static final String DATABASE_FILE = "kms.mv.db";
    /** Users added at most before the database must have needed to grow (H2 reuses free space inside the file first). */
    private static final int MAX_WRITES_TO_FILL = 500;

    @TempDir
    Path work;
    private KmsProcesses processes;
    private final SecureRandom random = new SecureRandom();
    private final Clock clock = Clock.systemUTC();

    @BeforeEach
    void setUp() {
        processes = new KmsProcesses(work);
    }

    @AfterEach
    void tearDown() {
        processes.close();
    }

    @Test
    @Tag("E2E-9")
    @WireTest
    void aKmsKilledMidConferenceComesBackWithEveryIssuedTicketResolvableAndNoReplayTaken() throws Exception {
        byte[] aliceKey = processes.addUser("sip:alice@ims.example.org", "--conference", "sip:conf1@ims.example.org");
        byte[] conferenceKey = processes.addUser("sip:conf1@ims.example.org", "--may-resolve-for", "*");
        KmsProcesses.Running kms = processes.serve("kms-1");
        KmsUid conference = new KmsUid("sip:conf1@ims.example.org");
        TicketInitiator alice = new TicketInitiator(new KmsUid("sip:alice@ims.example.org"), aliceKey, KMS, clock, random);
        TicketInitiator.IssuedTicket ticket = kms.client().requestTicket(alice, alice.requestInit(List.of(), 1, Duration.ofHours(1),
                KmsProcessTest.FLAGS));
        // Alice joins the conference: the focus resolves her ticket
        KmsProcessTest.complete(kms.client(), alice, ticket, KmsProcessTest.responder(conference, conferenceKey, clock, random));
        // a second participant's RESOLVE_INIT reaches the KMS just before it dies; an attacker keeps a copy
        TicketResponder focus = KmsProcessTest.responder(conference, conferenceKey, clock, random);
        TicketResponder.PendingResolve captured = focus.resolveInit(focus.acceptTransferInit(alice.transferInit(ticket).message()));
        focus.acceptResolveResp(captured, kms.client().exchange(captured.message()));

        kms.process().destroyForcibly(); // kill -9: no shutdown hook, nothing flushed
        assertThat(kms.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
        long asked = System.nanoTime();
        assertThatThrownBy(() -> kms.client().requestTicket(alice, alice.requestInit(List.of(), 1, Duration.ofHours(1), KmsProcessTest.FLAGS)))
                .as("while the KMS is down").isInstanceOf(IOException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - asked)).as("the client's error comes at once").isLessThan(DOWN_ERROR_BOUND);

        KmsProcesses.Running again = processes.serve("kms-2");
        // the ticket issued before the kill still resolves: Alice joins again after the restart
        KmsProcessTest.complete(again.client(), alice, ticket, KmsProcessTest.responder(conference, conferenceKey, clock, random));
        // and new tickets are issued
        TicketInitiator.IssuedTicket after = again.client().requestTicket(alice, alice.requestInit(List.of(), 1, Duration.ofHours(1),
                KmsProcessTest.FLAGS));
        KmsProcessTest.complete(again.client(), alice, after, KmsProcessTest.responder(conference, conferenceKey, clock, random));
        // the RESOLVE_INIT the KMS answered before the kill, replayed within its timestamp's window, is not answered again
        byte[] answer = again.client().exchange(captured.message());
        assertThatThrownBy(() -> focus.acceptResolveResp(captured, answer)).isInstanceOf(MikeyException.class)
                .hasMessageContaining("the peer answered with an Error message")
                .satisfies(e -> assertThat(((MikeyException) e).error()).isEqualTo(MikeyErrorCode.INVALID_TIMESTAMP));
        processes.stop(again);
    }

    @Test
    @WireTest
    void aDatabaseHeldByAnotherProcessStopsTheKmsWithTheReasonBeforeItListens() throws Exception {
        processes.addUser("sip:alice@ims.example.org");
        Files.createDirectories(processes.dataDir());
        try (H2Holder holder = H2Holder.hold(work, processes.dataDir())) {
            KmsProcesses.Finished refused = processes.run(new byte[0], List.of(), "kms", "serve", "--listen", "127.0.0.1:0", "--identity", KMS.value(),
                    "--data-dir", processes.dataDir().toString());
            assertThat(refused.exitCode()).as(refused.output()).isEqualTo(1);
            assertThat(refused.output()).contains("cannot open the user store").containsIgnoringCase("in use").doesNotContain("listening on");
        }
        KmsProcesses.Running kms = processes.serve("kms");
        assertThat(Files.readString(kms.out())).contains("1 users, master key 1");
        processes.stop(kms);
    }

    @Test
    @WireTest
    void aKmsKilledInTheMiddleOfWritesRestartsWithEveryAcknowledgedUserAndNoTornRecord() throws Exception {
        KmsProcesses.Running kms = processes.serve("kms-1");
        Path socket = processes.dataDir().resolve(AdminServer.SOCKET_NAME);
        List<String> acknowledged = new CopyOnWriteArrayList<>();
        AtomicInteger attempted = new AtomicInteger();
        Thread writer = Thread.ofVirtual().start(() -> {
            byte[] key = new byte[16];
            for (int i = 0; ; i++) {
                String uid = "sip:user" + i + "@ims.example.org";
                random.nextBytes(key);
                attempted.set(i + 1);
                try {
                    Optional<AdminReply> reply = AdminClient.send(socket, new AdminRequest.AddUser(new KmsUser(uid, key, Set.of(), Set.of())),
                            Duration.ofSeconds(10));
                    if (reply.isEmpty() || reply.get().status() != AdminReply.Status.OK) {
                        return;
                    }
                    acknowledged.add(uid);
                } catch (IOException killed) {
                    return;
                }
            }
        });
        Awaitility.await("users added").atMost(Duration.ofSeconds(60)).until(() -> acknowledged.size() >= WRITES_BEFORE_THE_KILL);
        kms.process().destroyForcibly(); // kill -9 while the writer is adding the next users
        assertThat(kms.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
        writer.join(Duration.ofSeconds(30));
        assertThat(writer.isAlive()).isFalse();
        List<String> acked = List.copyOf(acknowledged);

        // serve opens every stored key once before it listens: a torn record would stop it
        KmsProcesses.Running again = processes.serve("kms-2");
        Optional<AdminReply> listed = AdminClient.send(socket, new AdminRequest.ListUsers(), Duration.ofSeconds(30));
        assertThat(listed).isPresent();
        List<String> users = listed.get().lines().stream().map(line -> line.split(" ", 2)[0]).toList();
        assertThat(users).as("every acknowledged write is there").containsAll(acked);
        assertThat(users.size()).as("at most the one in flight beyond them (%d acknowledged, %d attempted)", acked.size(), attempted.get())
                .isBetween(acked.size(), acked.size() + 1);
        assertThat(Files.readString(again.out())).contains(users.size() + " users");
        processes.stop(again);
    }

    /**
     * The KMS's database full: the running {@code kms serve} may not grow any file past the size its database has
     * (RLIMIT_FSIZE, set on the process with prlimit: the kernel's EFBIG, as a full file system's ENOSPC, at the write;
     * the JVM ignores SIGXFSZ). Users are added through the admin socket until one is refused: the refusal names the
     * user and the cause, the user is not there (no partial user), every user added before it is, and tickets are
     * issued and resolved as before (the KMS stores nothing per ticket). Once the file may grow again the refused user
     * is added, and a restart on the same directory opens every stored key.
     */
    @Test
    @RequiresPeer(command = "prlimit", debianPackage = "util-linux")
    @Tag("E2E-9")
    @WireTest
    void aKmsWhoseDatabaseCannotGrowRefusesTheWriteClearlyKeepsServingAndWritesAgainOnceItCan() throws Exception {
        byte[] aliceKey = processes.addUser("sip:alice@ims.example.org", "--conference", "sip:conf1@ims.example.org");
        byte[] conferenceKey = processes.addUser("sip:conf1@ims.example.org", "--may-resolve-for", "*");
        KmsProcesses.Running kms = processes.serve("kms-1");
        Path socket = processes.dataDir().resolve(AdminServer.SOCKET_NAME);
        KmsUid conference = new KmsUid("sip:conf1@ims.example.org");
        TicketInitiator alice = new TicketInitiator(new KmsUid("sip:alice@ims.example.org"), aliceKey, KMS, clock, random);

        long databaseBytes = Files.size(processes.dataDir().resolve(DATABASE_FILE));
        fileSizeLimit(kms.process(), Long.toString(databaseBytes));
        List<String> acknowledged = new ArrayList<>();
        AdminReply refused = null;
        String refusedUid = null;
        for (int i = 0; i < MAX_WRITES_TO_FILL && refused == null; i++) {
            String uid = "sip:user" + i + "@ims.example.org";
            AdminReply reply = AdminClient.send(socket, new AdminRequest.AddUser(new KmsUser(uid, key(), Set.of(), Set.of())),
                    Duration.ofSeconds(30)).orElseThrow(() -> new AssertionError("no reply to the admin request"));
            if (reply.status() == AdminReply.Status.OK) {
                acknowledged.add(uid);
            } else {
                refused = reply;
                refusedUid = uid;
            }
        }
        assertThat(refused).as("a write refused within %d users (database %d bytes)", MAX_WRITES_TO_FILL, databaseBytes).isNotNull();
        assertThat(refused.status()).isEqualTo(AdminReply.Status.REFUSED);
        assertThat(refused.message()).as("the user and the cause").contains("cannot add " + refusedUid).containsIgnoringCase("file too large");
        // no partial user: the refused one is not there, every acknowledged one is
        assertThat(users(socket)).doesNotContain(refusedUid).containsAll(acknowledged);
        // the KMS keeps serving what it has: a ticket issued and resolved
        TicketInitiator.IssuedTicket ticket = kms.client().requestTicket(alice, alice.requestInit(List.of(), 1, Duration.ofHours(1),
                KmsProcessTest.FLAGS));
        KmsProcessTest.complete(kms.client(), alice, ticket, KmsProcessTest.responder(conference, conferenceKey, clock, random));

        fileSizeLimit(kms.process(), "unlimited"); // space freed
        AdminReply added = AdminClient.send(socket, new AdminRequest.AddUser(new KmsUser(refusedUid, key(), Set.of(), Set.of())),
                Duration.ofSeconds(30)).orElseThrow();
        assertThat(added.status()).as(added.message()).isEqualTo(AdminReply.Status.OK);
        assertThat(users(socket)).contains(refusedUid).containsAll(acknowledged);
        processes.stop(kms);

        // serve opens every stored key before it listens: nothing torn by the refused write
        KmsProcesses.Running again = processes.serve("kms-2");
        assertThat(users(socket)).contains(refusedUid).containsAll(acknowledged).hasSize(acknowledged.size() + 3);
        TicketInitiator.IssuedTicket after = again.client().requestTicket(alice, alice.requestInit(List.of(), 1, Duration.ofHours(1),
                KmsProcessTest.FLAGS));
        KmsProcessTest.complete(again.client(), alice, after, KmsProcessTest.responder(conference, conferenceKey, clock, random));
        processes.stop(again);
    }

    /**
     * A power cut loses what is only in the page cache: the KMS acknowledges a write only once fsync(2) of its database
     * file returned. Proven on the system calls of the running {@code kms serve}: strace, attached to it, makes every
     * fsync fail with EIO (strace's fault injection, as a failing disk would); an admin write then is refused, naming
     * the user and the cause, and the trace shows the database file's fsync that failed. Once strace lets go, writes
     * are acknowledged again. (A KMS that answered before forcing the file, or never forced it, would acknowledge the
     * first write.)
     */
    @Test
    @RequiresPeer(command = "strace", debianPackage = "strace")
    @Tag("E2E-9")
    @WireTest
    void aWriteIsAcknowledgedOnlyOnceItsDatabaseFileIsForcedToDisk() throws Exception {
        KmsProcesses.Running kms = processes.serve("kms-1");
        Path socket = processes.dataDir().resolve(AdminServer.SOCKET_NAME);
        Path trace = work.resolve("fsync.trace");
        Path attached = work.resolve("strace.err");
        Process strace = new ProcessBuilder("strace", "-f", "-p", Long.toString(kms.process().pid()), "-y", "-e", "trace=fsync,fdatasync",
                "-e", "inject=fsync,fdatasync:error=EIO", "-o", trace.toString()).redirectErrorStream(true).redirectOutput(attached.toFile()).start();
        try {
            // "Process N attached with M threads": every thread of the KMS is traced from then on (and those it starts, -f)
            Awaitility.await("strace attached").atMost(Duration.ofSeconds(30)).until(() -> Files.readString(attached).contains("attached"));
            AdminReply refused = AdminClient.send(socket, new AdminRequest.AddUser(new KmsUser("sip:bob@ims.example.org", key(), Set.of(), Set.of())),
                    Duration.ofSeconds(30)).orElseThrow(() -> new AssertionError("no reply to the admin request"));
            assertThat(refused.status()).as(refused.message()).isEqualTo(AdminReply.Status.REFUSED);
            assertThat(refused.message()).contains("cannot add sip:bob@ims.example.org").contains("not forced to disk")
                    .containsIgnoringCase("input/output error");
        } finally {
            strace.destroy(); // strace detaches and the KMS runs on untraced
            assertThat(strace.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(Files.readString(trace)).as("the database file's fsync, failed by the injection")
                .containsPattern("fsync\\(\\d+<" + java.util.regex.Pattern.quote(processes.dataDir().resolve(DATABASE_FILE).toString()) + ">\\) += -1 EIO");
        AdminReply added = AdminClient.send(socket, new AdminRequest.AddUser(new KmsUser("sip:carol@ims.example.org", key(), Set.of(), Set.of())),
                Duration.ofSeconds(30)).orElseThrow();
        assertThat(added.status()).as(added.message()).isEqualTo(AdminReply.Status.OK);
        assertThat(users(socket)).contains("sip:carol@ims.example.org");
        processes.stop(kms);
    }

    /** Sets the soft RLIMIT_FSIZE of the running {@code process} (bytes, or "unlimited"); the hard limit stays unlimited. */
    private static void fileSizeLimit(Process process, String bytes) throws IOException, InterruptedException {
        Process prlimit = new ProcessBuilder("prlimit", "--pid", Long.toString(process.pid()), "--fsize=" + bytes + ":unlimited")
                .redirectErrorStream(true).start();
        String output = new String(prlimit.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(prlimit.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(prlimit.exitValue()).as(output).isZero();
    }

    private byte[] key() {
        byte[] key = new byte[16];
        random.nextBytes(key);
        return key;
    }

    private static List<String> users(Path socket) throws IOException {
        AdminReply listed = AdminClient.send(socket, new AdminRequest.ListUsers(), Duration.ofSeconds(30)).orElseThrow();
        assertThat(listed.status()).as(listed.message()).isEqualTo(AdminReply.Status.OK);
        return listed.lines().stream().map(line -> line.split(" ", 2)[0]).toList();
    }

    /** Another process that holds the KMS's H2 database open (H2's own Shell, waiting on its standard input). */
    private record H2Holder(Process process) implements AutoCloseable {
        static H2Holder hold(Path work, Path dataDir) throws IOException {
            String java = ProcessHandle.current().info().command().orElse("java");
            Process shell = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), "org.h2.tools.Shell", "-url",
                    UserStore.defaultUrl(dataDir), "-user", "", "-password", "").redirectErrorStream(true)
                    .redirectOutput(work.resolve("h2-shell.out").toFile()).start();
            Path out = work.resolve("h2-shell.out");
            // its prompt comes once it has opened the database (H2 2's MVStore holds a lock on the file while open)
            Awaitility.await("H2's Shell connected").atMost(Duration.ofSeconds(30)).until(() -> Files.readString(out).contains("sql>"));
            return new H2Holder(shell);
        }

        @Override
        public void close() throws Exception {
            process.getOutputStream().close(); // end of input: the Shell closes the database and exits
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }
}
