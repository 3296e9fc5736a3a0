package org.mediasec.it.kms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
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

    private static final KmsUid KMS = KmsProcesses.KMS;
    static final int FLAGS = Payload.TicketPolicy.FLAG_KMS_GENERATES_KEYS | Payload.TicketPolicy.FLAG_FORK_PER_RESPONDER
            | Payload.TicketPolicy.FLAG_TRANSFER_RESPONSE;

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

    static TicketResponder responder(KmsUid uid, byte[] key, Clock clock, SecureRandom random) {
        return new TicketResponder(uid, key, KMS, clock, random, new ReplayCache(clock));
    }

    private TicketResponder responder(KmsUid uid, byte[] key) {
        return responder(uid, key, clock, random);
    }

    static SessionKeys complete(KmsClient client, TicketInitiator initiator, TicketInitiator.IssuedTicket ticket, TicketResponder responder)
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
        byte[] aliceKey = processes.addUser("\"Alice\" <sip:alice@IMS.example.org;transport=tls>", "--conference", "sip:conf1@ims.example.org");
        byte[] conferenceKey = processes.addUser("sip:conf1@ims.example.org", "--may-resolve-for", "*");
        byte[] malloryKey = processes.addUser("sip:mallory@ims.example.org");
        assertThat(processes.kms(0, "user", "list")).contains("sip:alice@ims.example.org").doesNotContain(HexFormat.of().formatHex(aliceKey));
        assertThat(processes.kms(1, "user", "add", "sip:alice@ims.example.org")).contains("exists already");
        Path shortKey = Files.writeString(work.resolve("short.key"), "00ff\n");
        assertThat(processes.kms(2, "user", "add", "sip:bob@ims.example.org", "--key-file", shortKey.toString())).contains("16 to 64");

        KmsProcesses.Running kms = processes.serve("kms-1");
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
        byte[] bobKey = processes.addUser("sip:bob@ims.example.org", "--may-resolve-for", "sip:alice@ims.example.org");
        TicketInitiator bob = new TicketInitiator(new KmsUid("sip:bob@ims.example.org"), bobKey, KMS, clock, random);
        kms.client().requestTicket(bob, bob.requestInit(List.of(conference), 1, Duration.ofMinutes(5), FLAGS));

        // master key rotation while it runs: new tickets use the new key, old ones still resolve
        assertThat(processes.kms(0, "rotate-key")).contains("master key 2 is current; kept: [1, 2]");
        TicketInitiator.IssuedTicket second = kms.client().requestTicket(initiator, initiator.requestInit(List.of(), 1, Duration.ofHours(1), FLAGS));
        complete(kms.client(), initiator, first, responder(conference, conferenceKey));
        complete(kms.client(), initiator, second, responder(conference, conferenceKey));
        processes.stop(kms);

        // a restart keeps the users, the keys and every ticket still valid
        KmsProcesses.Running again = processes.serve("kms-2");
        assertThat(Files.readString(again.out())).contains("4 users, master key 2");
        complete(again.client(), initiator, first, responder(conference, conferenceKey));
        complete(again.client(), initiator, second, responder(conference, conferenceKey));
        assertThat(processes.kms(0, "user", "remove", "sip:mallory@ims.example.org")).contains("removed");
        processes.stop(again);
    }

    @Test
    void badOptionsExitTwoWithTheReason() throws Exception {
        assertThat(processes.kms(2, "serve", "--listen", "nowhere")).contains("HOST:PORT");
        assertThat(processes.kms(2, "user", "add", "mailto:x@example.org")).contains("not a SIP or tel URI");
        assertThat(processes.kms(1, "user", "remove", "sip:nobody@example.org")).contains("no user");
    }
}
