package org.mediasec.it.kms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.mediasec.bearer.tls.CertificateFingerprint;
import org.mediasec.kms.client.KmsClient;
import org.mediasec.mikey.MikeyErrorCode;
import org.mediasec.mikey.MikeyException;
import org.mediasec.mikey.Payload;
import org.mediasec.mikey.ticket.KmsUid;
import org.mediasec.mikey.ticket.ReplayCache;
import org.mediasec.mikey.ticket.SessionKeys;
import org.mediasec.mikey.ticket.TicketInitiator;
import org.mediasec.mikey.ticket.TicketResponder;
import org.mediasec.testsupport.WireTest;

/**
 * {@code mediasec kms} as processes: users provisioned with {@code kms user add} (also while the KMS runs), a
 * {@code kms serve} process over HTTPS; an initiator gets a ticket, a responder resolves it, both derive the same
 * TEK; an unauthorised responder and replays are refused; a key rotation and a restart of the KMS keep every
 * ticket still valid resolvable.
 */
@Timeout(240)
class KmsProcessTest {

    private static final KmsUid KMS = new KmsUid("sip:kms@ims.example.org");
    private static final int FLAGS = Payload.TicketPolicy.FLAG_KMS_GENERATES_KEYS | Payload.TicketPolicy.FLAG_FORK_PER_RESPONDER
            | Payload.TicketPolicy.FLAG_TRANSFER_RESPONSE;

    @TempDir
    Path dir;
    private final List<Process> processes = new ArrayList<>();
    private final SecureRandom random = new SecureRandom();
    private final Clock clock = Clock.systemUTC();

    @AfterEach
    void tearDown() {
        processes.forEach(Process::destroyForcibly);
    }

    private ProcessBuilder mediasec(String... arguments) {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                "org.mediasec.app.Main"));
        command.addAll(List.of(arguments));
        return new ProcessBuilder(command).redirectErrorStream(true);
    }

    /** Runs a {@code mediasec kms ...} command to its end; returns its output, failing on a non-zero exit. */
    private String run(int expectedExit, String... arguments) throws Exception {
        Process process = mediasec(arguments).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isEqualTo(expectedExit);
        return output;
    }

    private byte[] addUser(String uri, String... rules) throws Exception {
        List<String> arguments = new ArrayList<>(List.of("kms", "user", "add", uri, "--data-dir", dir.toString()));
        arguments.addAll(List.of(rules));
        String output = run(0, arguments.toArray(String[]::new));
        Matcher key = Pattern.compile("pre-shared key ([0-9a-f]+)").matcher(output);
        assertThat(key.find()).as(output).isTrue();
        return HexFormat.of().parseHex(key.group(1));
    }

    private record Running(Process process, KmsClient client, Path out) {}

    private Running serve(String name) throws Exception {
        Path out = dir.resolve(name + ".out");
        Process process = mediasec("kms", "serve", "--listen", "127.0.0.1:0", "--identity", KMS.value(), "--data-dir", dir.toString())
                .redirectOutput(out.toFile()).start();
        processes.add(process);
        // ready once the whole start-up report is out (its lines may be flushed one by one)
        Pattern ready = Pattern.compile("listening on (https://\\S+)/mikey\\s+certificate fingerprint (sha-256 \\S+)\\s+\\d+ users, master key \\d+");
        Matcher[] match = new Matcher[1];
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> {
            assertThat(process.isAlive()).as(Files.readString(out)).isTrue();
            match[0] = ready.matcher(Files.readString(out));
            return match[0].find();
        });
        String[] fingerprint = match[0].group(2).split(" ", 2);
        KmsClient client = new KmsClient(URI.create(match[0].group(1) + "/"), CertificateFingerprint.parse(fingerprint[0], fingerprint[1]),
                Duration.ofSeconds(10));
        return new Running(process, client, out);
    }

    private void stop(Running kms) throws Exception {
        kms.process().destroy(); // SIGTERM
        assertThat(kms.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(kms.process().exitValue()).as(Files.readString(kms.out())).isZero();
    }

    private TicketResponder responder(KmsUid uid, byte[] key) {
        return new TicketResponder(uid, key, KMS, clock, random, new ReplayCache(clock));
    }

    private static SessionKeys complete(KmsClient client, TicketInitiator initiator, TicketInitiator.IssuedTicket ticket, TicketResponder responder)
            throws Exception {
        TicketInitiator.PendingTransfer transfer = initiator.transferInit(ticket);
        TicketResponder.Answer answer = responder.transferResp(client.resolve(responder, responder.acceptTransferInit(transfer.message())));
        SessionKeys keys = initiator.acceptTransferResp(transfer, answer.message());
        assertThat(keys.tek(1).orElseThrow()).isEqualTo(answer.keys().tek(1).orElseThrow());
        return keys;
    }

    @Test
    @Tag("E2E-9")
    @Tag("E2E-7")
    @WireTest
    void aKmsProcessIssuesAndResolvesTicketsAcrossRotationAndRestart() throws Exception {
        // E2E-7: users are named by the KMS UID derived from their SIP URI, whatever the header decoration
        byte[] aliceKey = addUser("\"Alice\" <sip:alice@IMS.example.org;transport=tls>", "--conference", "sip:conf1@ims.example.org");
        byte[] conferenceKey = addUser("sip:conf1@ims.example.org", "--may-resolve-for", "*");
        byte[] malloryKey = addUser("sip:mallory@ims.example.org");
        assertThat(run(0, "kms", "user", "list", "--data-dir", dir.toString())).contains("sip:alice@ims.example.org").doesNotContain(
                HexFormat.of().formatHex(aliceKey));
        assertThat(run(1, "kms", "user", "add", "sip:alice@ims.example.org", "--data-dir", dir.toString())).contains("exists already");
        assertThat(run(2, "kms", "user", "add", "sip:bob@ims.example.org", "--key-hex", "00ff", "--data-dir", dir.toString())).contains("16 to 64");

        Running kms = serve("kms-1");
        KmsUid alice = KmsUid.fromSipUri("sip:alice@ims.example.org");
        KmsUid conference = new KmsUid("sip:conf1@ims.example.org");
        TicketInitiator initiator = new TicketInitiator(alice, aliceKey, KMS, clock, random);
        TicketInitiator.IssuedTicket first = kms.client().requestTicket(initiator, initiator.requestInit(List.of(), 1, Duration.ofHours(1), FLAGS));
        complete(kms.client(), initiator, first, responder(conference, conferenceKey));

        // an unauthorised responder is refused by the KMS
        TicketResponder mallory = responder(new KmsUid("sip:mallory@ims.example.org"), malloryKey);
        TicketInitiator.PendingTransfer transfer = initiator.transferInit(first);
        assertThatThrownBy(() -> kms.client().resolve(mallory, mallory.acceptTransferInit(transfer.message()))).isInstanceOf(MikeyException.class)
                .satisfies(e -> assertThat(((MikeyException) e).error()).isEqualTo(MikeyErrorCode.INVALID_ID));
        // a replayed TRANSFER_INIT is refused by the responder, a replayed RESOLVE_INIT by the KMS
        TicketResponder conferenceResponder = responder(conference, conferenceKey);
        TicketResponder.ReceivedTransfer received = conferenceResponder.acceptTransferInit(transfer.message());
        assertThatThrownBy(() -> conferenceResponder.acceptTransferInit(transfer.message())).hasMessageContaining("replayed");
        TicketResponder.PendingResolve resolve = conferenceResponder.resolveInit(received);
        conferenceResponder.acceptResolveResp(resolve, kms.client().exchange(resolve.message()));
        assertThatThrownBy(() -> conferenceResponder.acceptResolveResp(resolve, kms.client().exchange(resolve.message())))
                .isInstanceOf(MikeyException.class).satisfies(e -> assertThat(((MikeyException) e).error()).isEqualTo(MikeyErrorCode.INVALID_TIMESTAMP));

        // a user added while the KMS runs can use it at once
        byte[] bobKey = addUser("sip:bob@ims.example.org", "--may-resolve-for", "sip:alice@ims.example.org");
        TicketInitiator bob = new TicketInitiator(new KmsUid("sip:bob@ims.example.org"), bobKey, KMS, clock, random);
        kms.client().requestTicket(bob, bob.requestInit(List.of(conference), 1, Duration.ofMinutes(5), FLAGS));

        // master key rotation while it runs: new tickets use the new key, old ones still resolve
        assertThat(run(0, "kms", "rotate-key", "--data-dir", dir.toString())).contains("master key 2 is current; kept: [1, 2]");
        TicketInitiator.IssuedTicket second = kms.client().requestTicket(initiator, initiator.requestInit(List.of(), 1, Duration.ofHours(1), FLAGS));
        complete(kms.client(), initiator, first, responder(conference, conferenceKey));
        complete(kms.client(), initiator, second, responder(conference, conferenceKey));
        stop(kms);

        // a restart keeps the users, the keys and every ticket still valid
        Running again = serve("kms-2");
        assertThat(Files.readString(again.out())).contains("4 users, master key 2");
        complete(again.client(), initiator, first, responder(conference, conferenceKey));
        complete(again.client(), initiator, second, responder(conference, conferenceKey));
        assertThat(run(0, "kms", "user", "remove", "sip:mallory@ims.example.org", "--data-dir", dir.toString())).contains("removed");
        stop(again);
    }

    @Test
    void badOptionsExitTwoWithTheReason() throws Exception {
        assertThat(run(2, "kms", "serve", "--listen", "nowhere", "--data-dir", dir.toString())).contains("HOST:PORT");
        assertThat(run(2, "kms", "user", "add", "mailto:x@example.org", "--data-dir", dir.toString())).contains("not a SIP or tel URI");
        assertThat(run(1, "kms", "user", "remove", "sip:nobody@example.org", "--data-dir", dir.toString())).contains("no user");
    }

}
