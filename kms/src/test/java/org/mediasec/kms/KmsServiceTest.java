package org.mediasec.kms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mediasec.kms.KmsFixture.ALICE;
import static org.mediasec.kms.KmsFixture.CONFERENCE;
import static org.mediasec.kms.KmsFixture.CONFERENCE_2;
import static org.mediasec.kms.KmsFixture.CONFERENCE_2_KEY;
import static org.mediasec.kms.KmsFixture.CONFERENCE_KEY;
import static org.mediasec.kms.KmsFixture.MALLORY;
import static org.mediasec.kms.KmsFixture.MALLORY_KEY;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mediasec.mikey.CryptoSessionMap;
import org.mediasec.mikey.MikeyDecoder;
import org.mediasec.mikey.MikeyErrorCode;
import org.mediasec.mikey.MikeyException;
import org.mediasec.mikey.Payload;
import org.mediasec.mikey.ticket.KmsUid;
import org.mediasec.mikey.ticket.SessionKeys;
import org.mediasec.mikey.ticket.TicketInitiator;
import org.mediasec.mikey.ticket.TicketProfile;
import org.mediasec.mikey.ticket.TicketResponder;

/**
 * MIKEY-TICKET end to end through the KMS's procedures on a real database: Ticket Request, Transfer and Resolve
 * give both ends the same TEKs; every refusal carries its MIKEY error code.
 */
class KmsServiceTest {

    private static final int FORK = Payload.TicketPolicy.FLAG_KMS_GENERATES_KEYS | Payload.TicketPolicy.FLAG_FORK_PER_RESPONDER
            | Payload.TicketPolicy.FLAG_TRANSFER_RESPONSE;

    private KmsFixture kms;

    @BeforeEach
    void start(@TempDir Path data) throws Exception {
        kms = new KmsFixture(data);
    }

    @AfterEach
    void stop() throws Exception {
        kms.close();
    }

    private TicketInitiator.IssuedTicket ticket(TicketInitiator alice, List<KmsUid> responders, int sessions, int flags) throws MikeyException {
        TicketInitiator.PendingRequest request = alice.requestInit(responders, sessions, Duration.ofHours(1), flags);
        return alice.acceptRequestResp(request, kms.kms(request.message()));
    }

    private TicketResponder.Resolved resolve(TicketResponder responder, TicketResponder.ReceivedTransfer transfer) throws MikeyException {
        TicketResponder.PendingResolve pending = responder.resolveInit(transfer);
        return responder.acceptResolveResp(pending, kms.kms(pending.message()));
    }

    @Test
    @Tag("E2E-9")
    @Tag("E2E-6")
    @Tag("E2E-4")
    void initiatorAndResponderDeriveTheSameTekPerCryptoSession() throws Exception {
        TicketInitiator alice = kms.alice();
        TicketInitiator.IssuedTicket ticket = ticket(alice, List.of(CONFERENCE), 2, FORK);
        TicketInitiator.PendingTransfer transfer = alice.transferInit(ticket);

        // E2E-6: one TLS crypto session per m-line, #P = 0, no session data, an SPI naming the TGK
        CryptoSessionMap.Generic map = (CryptoSessionMap.Generic) MikeyDecoder.decode(transfer.message()).message().header().map();
        assertThat(map.entries()).hasSize(2).allSatisfy(entry -> {
            assertThat(entry.protocolType()).isEqualTo(TicketProfile.PROTOCOL_TYPE_TLS);
            assertThat(entry.policyNumbers()).isEmpty();
            assertThat(entry.sessionData()).isEmpty();
            assertThat(entry.spi()).hasSize(4);
        });

        TicketResponder conference = kms.responder(CONFERENCE, CONFERENCE_KEY);
        TicketResponder.Resolved resolved = resolve(conference, conference.acceptTransferInit(transfer.message()));
        assertThat(resolved.initiator()).isEqualTo(ALICE);
        TicketResponder.Answer answer = conference.transferResp(resolved);
        SessionKeys initiatorKeys = alice.acceptTransferResp(transfer, answer.message());

        assertThat(initiatorKeys.responder()).isEqualTo(CONFERENCE);
        assertThat(answer.keys().initiator()).isEqualTo(ALICE);
        for (int cs = 1; cs <= 2; cs++) {
            assertThat(initiatorKeys.tek(cs).orElseThrow()).hasSize(16).isEqualTo(answer.keys().tek(cs).orElseThrow());
        }
        // E2E-4: a key per stream, and a new key for each session even with the same ticket
        assertThat(initiatorKeys.tek(1).orElseThrow()).isNotEqualTo(initiatorKeys.tek(2).orElseThrow());
        TicketInitiator.PendingTransfer again = alice.transferInit(ticket);
        TicketResponder.Answer second = conference.transferResp(resolve(conference, conference.acceptTransferInit(again.message())));
        assertThat(alice.acceptTransferResp(again, second.message()).tek(1).orElseThrow()).isNotEqualTo(initiatorKeys.tek(1).orElseThrow());
    }

    @Test
    @Tag("E2E-9")
    void keysAreForkedPerResponder() throws Exception {
        TicketInitiator alice = kms.alice();
        TicketInitiator.IssuedTicket ticket = ticket(alice, List.of(), 1, FORK);
        TicketInitiator.PendingTransfer transfer = alice.transferInit(ticket);
        TicketResponder first = kms.responder(CONFERENCE, CONFERENCE_KEY);
        TicketResponder second = kms.responder(CONFERENCE_2, CONFERENCE_2_KEY);
        TicketResponder.Resolved one = resolve(first, first.acceptTransferInit(transfer.message()));
        TicketResponder.Resolved two = resolve(second, second.acceptTransferInit(transfer.message()));
        assertThat(one.tgks().get(0).key()).isNotEqualTo(two.tgks().get(0).key());
        assertThat(one.mpk()).isNotEqualTo(two.mpk());

        // the initiator follows whichever responder answers (a forked INVITE)
        TicketResponder.Answer fromSecond = second.transferResp(two);
        assertThat(alice.acceptTransferResp(transfer, fromSecond.message()).tek(1).orElseThrow()).isEqualTo(fromSecond.keys().tek(1).orElseThrow());
        // an answer that claims to come from another responder does not check
        TicketResponder.Answer fromFirst = first.transferResp(one);
        org.mediasec.mikey.MikeyMessage original = MikeyDecoder.decode(fromFirst.message()).message();
        List<Payload> payloads = new java.util.ArrayList<>(original.payloads());
        payloads.replaceAll(p -> p instanceof Payload.Identity ? CONFERENCE_2.idr(Payload.Identity.ROLE_RESPONDER) : p);
        byte[] claimed = org.mediasec.mikey.MikeyEncoder.encode(new org.mediasec.mikey.MikeyMessage(original.header(), payloads)).bytes();
        assertThatThrownBy(() -> alice.acceptTransferResp(transfer, claimed)).isInstanceOf(MikeyException.class)
                .satisfies(e -> assertThat(((MikeyException) e).error()).isEqualTo(MikeyErrorCode.AUTHENTICATION_FAILURE));
        assertThat(alice.acceptTransferResp(transfer, fromFirst.message()).responder()).isEqualTo(CONFERENCE);
    }

    @Test
    @Tag("E2E-9")
    void aResponderNotAuthorisedForTheTicketIsRefused() throws Exception {
        TicketInitiator alice = kms.alice();
        TicketInitiator.PendingTransfer locked = alice.transferInit(ticket(alice, List.of(CONFERENCE), 1,
                FORK | Payload.TicketPolicy.FLAG_LOCK_TO_RESPONDERS));
        TicketResponder conference2 = kms.responder(CONFERENCE_2, CONFERENCE_2_KEY);
        // the TRANSFER_INIT names its responder: another refuses it before asking the KMS
        assertThatThrownBy(() -> conference2.acceptTransferInit(locked.message())).isInstanceOf(MikeyException.class)
                .satisfies(e -> assertThat(((MikeyException) e).error()).isEqualTo(MikeyErrorCode.INVALID_ID));

        // a ticket for anyone: mallory has no rule that lets it resolve alice's tickets
        TicketInitiator.PendingTransfer open = alice.transferInit(ticket(alice, List.of(), 1, FORK));
        TicketResponder mallory = kms.responder(MALLORY, MALLORY_KEY);
        TicketResponder.ReceivedTransfer received = mallory.acceptTransferInit(open.message());
        TicketResponder.PendingResolve pending = mallory.resolveInit(received);
        KmsService.Reply reply = kms.service.handle(pending.message());
        assertThat(reply.outcome()).isEqualTo(KmsService.Outcome.REFUSED);
        assertThatThrownBy(() -> mallory.acceptResolveResp(pending, reply.message())).isInstanceOf(MikeyException.class)
                .satisfies(e -> assertThat(((MikeyException) e).error()).isEqualTo(MikeyErrorCode.INVALID_ID));
    }

    @Test
    void aWrongPreSharedKeyOrAnUnknownUserIsRefused() throws Exception {
        TicketInitiator impostor = new TicketInitiator(ALICE, "not-alices-key-0123".getBytes(), KmsFixture.KMS, kms.clock, kms.random);
        TicketInitiator.PendingRequest request = impostor.requestInit(List.of(), 1, Duration.ofHours(1), FORK);
        KmsService.Reply reply = kms.service.handle(request.message());
        assertThat(reply.outcome()).isEqualTo(KmsService.Outcome.REFUSED);
        assertThatThrownBy(() -> impostor.acceptRequestResp(request, reply.message())).isInstanceOf(MikeyException.class)
                .satisfies(e -> assertThat(((MikeyException) e).error()).isEqualTo(MikeyErrorCode.AUTHENTICATION_FAILURE));

        TicketInitiator stranger = new TicketInitiator(new KmsUid("sip:stranger@example.org"), "stranger-key-0123456".getBytes(), KmsFixture.KMS,
                kms.clock, kms.random);
        // no user enumeration: a stranger is told exactly what a wrong key is told (KmsEnumerationTest has the rest)
        assertThat(reply.reason()).endsWith("the MAC does not check (AUTHENTICATION_FAILURE)");
        assertThat(kms.service.handle(stranger.requestInit(List.of(), 1, Duration.ofHours(1), FORK).message()).reason())
                .endsWith("the MAC does not check (AUTHENTICATION_FAILURE)");
    }

    @Test
    void replayedMessagesAreRefused() throws Exception {
        TicketInitiator alice = kms.alice();
        TicketInitiator.PendingRequest request = alice.requestInit(List.of(CONFERENCE), 1, Duration.ofHours(1), FORK);
        alice.acceptRequestResp(request, kms.kms(request.message()));
        KmsService.Reply replayed = kms.service.handle(request.message());
        assertThat(replayed.outcome()).isEqualTo(KmsService.Outcome.REFUSED);
        assertThat(replayed.reason()).contains("replayed");

        TicketInitiator.PendingTransfer transfer = alice.transferInit(alice.acceptRequestResp(request = alice.requestInit(List.of(CONFERENCE), 1,
                Duration.ofHours(1), FORK), kms.kms(request.message())));
        TicketResponder conference = kms.responder(CONFERENCE, CONFERENCE_KEY);
        conference.acceptTransferInit(transfer.message());
        assertThatThrownBy(() -> conference.acceptTransferInit(transfer.message())).isInstanceOf(MikeyException.class)
                .hasMessageContaining("replayed").satisfies(e -> assertThat(((MikeyException) e).error()).isEqualTo(MikeyErrorCode.INVALID_TIMESTAMP));

        // a stale message is refused by its timestamp
        TicketInitiator.PendingTransfer late = alice.transferInit(transferTicket(alice));
        kms.clock.advance(Duration.ofMinutes(3));
        assertThatThrownBy(() -> kms.responder(CONFERENCE, CONFERENCE_KEY).acceptTransferInit(late.message())).isInstanceOf(MikeyException.class)
                .hasMessageContaining("outside");
    }

    private TicketInitiator.IssuedTicket transferTicket(TicketInitiator alice) throws MikeyException {
        return ticket(alice, List.of(CONFERENCE), 1, FORK);
    }

    @Test
    void aTamperedTransferInitOrTicketIsRefused() throws Exception {
        TicketInitiator alice = kms.alice();
        TicketInitiator.PendingTransfer transfer = alice.transferInit(transferTicket(alice));
        byte[] tampered = transfer.message().clone();
        tampered[tampered.length - 40] ^= 1; // inside the ticket data
        TicketResponder conference = kms.responder(CONFERENCE, CONFERENCE_KEY);
        TicketResponder.ReceivedTransfer received = conference.acceptTransferInit(tampered);
        assertThatThrownBy(() -> resolve(conference, received)).isInstanceOf(MikeyException.class)
                .satisfies(e -> assertThat(((MikeyException) e).error()).isEqualTo(MikeyErrorCode.AUTHENTICATION_FAILURE));
    }

    @Test
    void anExpiredTicketDoesNotResolve() throws Exception {
        TicketInitiator alice = kms.alice();
        TicketInitiator.PendingRequest request = alice.requestInit(List.of(CONFERENCE), 1, Duration.ofMinutes(10), FORK);
        TicketInitiator.IssuedTicket ticket = alice.acceptRequestResp(request, kms.kms(request.message()));
        assertThat(ticket.validUntil()).isEqualTo(kms.clock.instant().plus(Duration.ofMinutes(10)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
                .plusNanos(ticket.validUntil().getNano()));
        kms.clock.advance(Duration.ofMinutes(11));
        TicketResponder conference = kms.responder(CONFERENCE, CONFERENCE_KEY);
        TicketResponder.ReceivedTransfer received = conference.acceptTransferInit(alice.transferInit(ticket).message());
        TicketResponder.PendingResolve pending = conference.resolveInit(received);
        KmsService.Reply reply = kms.service.handle(pending.message());
        assertThat(reply.reason()).contains("expired");
        assertThatThrownBy(() -> conference.acceptResolveResp(pending, reply.message())).isInstanceOf(MikeyException.class)
                .satisfies(e -> assertThat(((MikeyException) e).error()).isEqualTo(MikeyErrorCode.INVALID_TIMESTAMP));
    }

    @Test
    @Tag("E2E-9")
    void ticketsSurviveARestartAndAMasterKeyRotation() throws Exception {
        TicketInitiator alice = kms.alice();
        TicketInitiator.IssuedTicket before = transferTicket(alice);
        kms.restart();
        MasterKey second = kms.masterKeys.rotate(Duration.ofHours(24));
        assertThat(second.keyId()).isEqualTo(2);
        TicketInitiator.IssuedTicket after = transferTicket(alice);

        TicketResponder conference = kms.responder(CONFERENCE, CONFERENCE_KEY);
        for (TicketInitiator.IssuedTicket ticket : List.of(before, after)) {
            TicketInitiator.PendingTransfer transfer = alice.transferInit(ticket);
            TicketResponder.Answer answer = conference.transferResp(resolve(conference, conference.acceptTransferInit(transfer.message())));
            assertThat(alice.acceptTransferResp(transfer, answer.message()).tek(1)).contains(answer.keys().tek(1).orElseThrow());
        }
        // a day and more later, a third rotation drops key 1: no ticket it sealed can still be valid
        kms.clock.advance(Duration.ofHours(25));
        kms.masterKeys.rotate(Duration.ofHours(24));
        assertThat(kms.masterKeys.all()).extracting(MasterKey::keyId).containsExactly(2, 3);
    }

    @Test
    void requestsOfOtherKindsOrMalformedAreAnsweredWithAnErrorMessage() throws Exception {
        KmsService.Reply garbage = kms.service.handle(new byte[] {1, 99, 0});
        assertThat(garbage.outcome()).isEqualTo(KmsService.Outcome.MALFORMED);
        assertThat(MikeyDecoder.decode(garbage.message()).message().payloads()).contains(new Payload.Error(MikeyErrorCode.INVALID_DATA_TYPE));

        TicketInitiator alice = kms.alice();
        byte[] transfer = alice.transferInit(transferTicket(alice)).message();
        KmsService.Reply wrongKind = kms.service.handle(transfer);
        assertThat(wrongKind.reason()).contains("not a request to a KMS");
        KmsService.Reply truncated = kms.service.handle(java.util.Arrays.copyOf(transfer, 30));
        assertThat(truncated.outcome()).isEqualTo(KmsService.Outcome.MALFORMED);
        assertThat(MikeyDecoder.decode(truncated.message()).message().header().dataType()).isEqualTo(org.mediasec.mikey.DataType.ERROR);
    }
}
