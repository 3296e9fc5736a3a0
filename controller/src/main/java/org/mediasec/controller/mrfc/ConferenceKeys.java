package org.mediasec.controller.mrfc;

import java.io.IOException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.mediasec.controller.alg.OfferRejectedException;
import org.mediasec.kms.client.KmsClient;
import org.mediasec.mikey.MikeyException;
import org.mediasec.mikey.Payload;
import org.mediasec.mikey.ticket.KmsUid;
import org.mediasec.mikey.ticket.ReplayCache;
import org.mediasec.mikey.ticket.SessionKeys;
import org.mediasec.mikey.ticket.TicketInitiator;
import org.mediasec.mikey.ticket.TicketResponder;

/**
 * The MRFC's MIKEY-TICKET exchanges with the KMS for a conference (TS 33.328 Annex G/H; E2E-1, E2E-2, E2E-3, E2E-7):
 * resolving a dial-in's TRANSFER_INIT, getting a ticket for a dial-out, checking its TRANSFER_RESP. The KMS calls
 * block (HTTPS): every method here runs on the KMS executor and touches no participant state; what it learnt is
 * returned to the procedures' thread. The replay cache is thread-safe.
 */
final class ConferenceKeys {

    /** RFC 6043: how long a ticket the MRFC asks for stays valid. */
    private static final Duration TICKET_LIFETIME = Duration.ofHours(1);

    private final KmsUid kmsUid;
    private final KmsClient kms;
    private final ConferenceRoster roster;
    private final Clock clock;
    private final ConferenceListener listener;
    private final SecureRandom random = new SecureRandom();
    private final ReplayCache replayCache;

    ConferenceKeys(KmsUid kmsUid, KmsClient kms, ConferenceRoster roster, Clock clock, ConferenceListener listener) {
        this.kmsUid = kmsUid;
        this.kms = kms;
        this.roster = roster;
        this.clock = clock;
        this.listener = listener;
        this.replayCache = new ReplayCache(clock);
    }

    /** A dial-in's keys and the TRANSFER_RESP that answers it. */
    record Resolved(SessionKeys keys, byte[] transferResp) {}

    /** A dial-out's ticket: its initiator and the TRANSFER_INIT to offer. */
    record Ticket(TicketInitiator initiator, TicketInitiator.PendingTransfer transfer) {}

    /** RESOLVE at the KMS, then the checks only an authenticated identity allows (E2E-3, E2E-7); TRANSFER_RESP. */
    Resolved resolve(String callId, MrfcProcedures.ConferenceIdentity conference, KmsUid from, byte[] transferInit) throws OfferRejectedException {
        TicketResponder responder = new TicketResponder(conference.uri(), conference.kmsKey(), kmsUid, clock, random, replayCache);
        try {
            listener.onMikey(callId, "TRANSFER_INIT", from.value());
            TicketResponder.ReceivedTransfer transfer = responder.acceptTransferInit(transferInit);
            if (!transfer.initiator().equals(from)) {
                throw new OfferRejectedException(403, "TRANSFER_INIT is from " + transfer.initiator() + ", the INVITE from " + from + " (E2E-7)");
            }
            if (!roster.mayJoin(transfer.initiator(), conference.uri())) {
                // checked before the KMS is asked, and again on the identity the KMS vouches for
                throw new OfferRejectedException(403, transfer.initiator() + " may not join " + conference.uri() + " (E2E-3)");
            }
            listener.onMikey(callId, "RESOLVE_INIT", "KMS");
            TicketResponder.Resolved resolved = kms.resolve(responder, transfer);
            listener.onMikey(callId, "RESOLVE_RESP", "KMS");
            if (!roster.mayJoin(resolved.initiator(), conference.uri())) {
                throw new OfferRejectedException(403, resolved.initiator() + " may not join " + conference.uri() + " (E2E-3)");
            }
            TicketResponder.Answer answer = responder.transferResp(resolved);
            listener.onMikey(callId, "TRANSFER_RESP", from.value());
            return new Resolved(answer.keys(), answer.message());
        } catch (MikeyException e) {
            throw new OfferRejectedException(606, "key management refused: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new OfferRejectedException(503, "the KMS could not be reached: " + e.getMessage(), e);
        }
    }

    /** A ticket for {@code target} with one crypto session per TLS m-line, forked per responder (E2E-2, E2E-4). */
    Ticket ticket(String callId, MrfcProcedures.ConferenceIdentity conference, KmsUid target, int cryptoSessions) throws OfferRejectedException {
        TicketInitiator initiator = new TicketInitiator(conference.uri(), conference.kmsKey(), kmsUid, clock, random);
        try {
            TicketInitiator.PendingRequest request = initiator.requestInit(List.of(target), cryptoSessions, TICKET_LIFETIME,
                    Payload.TicketPolicy.FLAG_KMS_GENERATES_KEYS | Payload.TicketPolicy.FLAG_FORK_PER_RESPONDER);
            listener.onMikey(callId, "REQUEST_INIT", "KMS");
            TicketInitiator.IssuedTicket issued = kms.requestTicket(initiator, request);
            listener.onMikey(callId, "REQUEST_RESP", "KMS");
            TicketInitiator.PendingTransfer transfer = initiator.transferInit(issued);
            listener.onMikey(callId, "TRANSFER_INIT", target.value());
            return new Ticket(initiator, transfer);
        } catch (MikeyException e) {
            throw new OfferRejectedException(500, "the KMS refused a ticket: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new OfferRejectedException(503, "the KMS could not be reached: " + e.getMessage(), e);
        }
    }

    /** The dial-out's TRANSFER_RESP: the TEKs, from the identity the call was made to (E2E-2, E2E-7). */
    SessionKeys acceptTransferResp(Participant participant, byte[] transferResp) throws OfferRejectedException {
        try {
            listener.onMikey(participant.callId, "TRANSFER_RESP", participant.identity.value());
            SessionKeys keys = participant.initiator.acceptTransferResp(participant.pendingTransfer, transferResp);
            if (!keys.responder().equals(participant.identity)) {
                throw new OfferRejectedException(403, "TRANSFER_RESP is from " + keys.responder() + ", not " + participant.identity);
            }
            return keys;
        } catch (MikeyException e) {
            throw new OfferRejectedException(606, "key management refused: " + e.getMessage(), e);
        }
    }
}
