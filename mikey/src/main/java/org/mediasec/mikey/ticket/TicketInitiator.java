package org.mediasec.mikey.ticket;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.mediasec.mikey.CryptoSessionMap;
import org.mediasec.mikey.DataType;
import org.mediasec.mikey.KeyData;
import org.mediasec.mikey.MikeyDecoder;
import org.mediasec.mikey.MikeyErrorCode;
import org.mediasec.mikey.MikeyException;
import org.mediasec.mikey.MikeyMessage;
import org.mediasec.mikey.Payload;
import org.mediasec.mikey.crypto.MikeyMacs;

/**
 * The initiator of MIKEY-TICKET (RFC 6043 4.1; TS 33.328 6.2.3): asks the KMS for a ticket (REQUEST_INIT_PSK,
 * REQUEST_RESP), sends it to the responder (TRANSFER_INIT, carried in SDP) and derives the TEKs when the
 * responder answers (TRANSFER_RESP). Pure: the caller moves the bytes (HTTP to the KMS, SDP to the responder).
 */
public final class TicketInitiator {

    /** A REQUEST_INIT_PSK on its way to the KMS, and what is needed to read the answer. */
    public record PendingRequest(byte[] message, long cryptoSessionBundleId, CryptoSessionMap.Generic sessions, byte[] rand) {}

    /** A ticket from the KMS, with the keys it carries for this initiator. */
    public record IssuedTicket(KmsUid initiator, Payload.TicketPolicy policy, Payload.Ticket ticket, long cryptoSessionBundleId,
                               CryptoSessionMap.Generic sessions, List<CryptoSessionKey> tgks, byte[] mpk, Instant validUntil,
                               List<KmsUid> responders) {
        @Override
        public String toString() {
            return "IssuedTicket[" + initiator + " → " + responders + ", " + sessions.sessions() + " crypto sessions, valid until " + validUntil + "]";
        }
    }

    /** A TRANSFER_INIT sent to the responder, and what is needed to read its TRANSFER_RESP. */
    public record PendingTransfer(byte[] message, IssuedTicket ticket, byte[] rand) {}

    private final KmsUid self;
    private final byte[] preSharedKey;
    private final KmsUid kms;
    private final Clock clock;
    private final SecureRandom random;

    public TicketInitiator(KmsUid self, byte[] preSharedKey, KmsUid kms, Clock clock, SecureRandom random) {
        this.self = self;
        this.preSharedKey = preSharedKey.clone();
        this.kms = kms;
        this.clock = clock;
        this.random = random;
    }

    /**
     * REQUEST_INIT_PSK for a ticket with {@code cryptoSessions} TLS crypto sessions (one per m-line, E2E-6), for
     * {@code responders} (empty: whoever the KMS lets resolve it), valid for {@code lifetime}; {@code flags} are
     * {@link Payload.TicketPolicy}'s.
     */
    public PendingRequest requestInit(List<KmsUid> responders, int cryptoSessions, Duration lifetime, int flags) {
        if (cryptoSessions < 1 || cryptoSessions > 255) {
            throw new IllegalArgumentException("1 to 255 crypto sessions, not " + cryptoSessions);
        }
        List<CryptoSessionMap.Generic.Entry> entries = new ArrayList<>();
        for (int id = 1; id <= cryptoSessions; id++) {
            entries.add(CryptoSessionMap.Generic.Entry.tls(id, TicketProfile.PROTOCOL_TYPE_TLS, randomBytes(4)));
        }
        CryptoSessionMap.Generic sessions = new CryptoSessionMap.Generic(entries);
        long bundle = random.nextInt() & 0xffffffffL;
        byte[] rand = randomBytes(TicketProfile.RAND_BYTES);
        Instant now = clock.instant();
        List<Payload> payloads = new ArrayList<>();
        payloads.add(TicketMessages.now(now));
        payloads.add(new Payload.Rand(rand));
        payloads.add(self.idr(Payload.Identity.ROLE_INITIATOR));
        responders.forEach(r -> payloads.add(r.idr(Payload.Identity.ROLE_RESPONDER)));
        payloads.add(kms.idr(Payload.Identity.ROLE_KMS));
        payloads.add(new Payload.TicketPolicy(TicketProfile.TICKET_TYPE, TicketProfile.TICKET_SUBTYPE, TicketProfile.TICKET_VERSION,
                TicketProfile.PRF, flags, new byte[0]));
        payloads.add(new Payload.TimestampWithRole(Payload.TimestampWithRole.END_OF_VALIDITY, TicketMessages.now(now.plus(lifetime))));
        payloads.add(TicketMessages.verificationPlaceholder());
        MikeyMessage message = new MikeyMessage(TicketMessages.header(DataType.REQUEST_INIT_PSK, bundle, sessions), payloads);
        return new PendingRequest(TicketMessages.signed(message, MessageKeys.derive(preSharedKey, bundle, rand)), bundle, sessions, rand);
    }

    /** Reads the KMS's REQUEST_RESP: checks its MAC, decrypts the TGKs and MPK. An Error answer is thrown with its code. */
    public IssuedTicket acceptRequestResp(PendingRequest request, byte[] response) throws MikeyException {
        MikeyDecoder.Decoded decoded = TicketMessages.decode(response, DataType.REQUEST_RESP);
        MikeyMessage message = decoded.message();
        if (message.header().cryptoSessionBundleId() != request.cryptoSessionBundleId() || !message.header().map().equals(request.sessions())) {
            throw new MikeyException(4, MikeyErrorCode.UNSPECIFIED, "REQUEST_RESP is for another crypto session bundle");
        }
        List<KeyData> keys = TicketMessages.openKemac(decoded, MessageKeys.derive(preSharedKey, request.cryptoSessionBundleId(), request.rand()));
        Payload.Ticket ticket = TicketMessages.required(message, Payload.Ticket.class, "TICKET");
        Payload.TicketPolicy policy = TicketMessages.required(message, Payload.TicketPolicy.class, "ticket policy (TP)");
        Instant validUntil = TicketMessages.timestampWithRole(message, Payload.TimestampWithRole.END_OF_VALIDITY)
                .map(tr -> NtpTime.toInstant(tr.timestamp().value())).orElse(Instant.MAX);
        return new IssuedTicket(self, policy, ticket, request.cryptoSessionBundleId(), request.sessions(), TicketMessages.tgks(keys, request.sessions()),
                TicketMessages.key(keys, KeyData.MPK, TicketProfile.MPK_INITIATOR, "MPK"), validUntil,
                TicketMessages.identities(MikeyDecoder.decode(request.message()).message(), Payload.Identity.ROLE_RESPONDER));
    }

    /** TRANSFER_INIT carrying the ticket, protected with the MPK; a fresh RAND makes the TEKs of this session. */
    public PendingTransfer transferInit(IssuedTicket ticket) {
        byte[] rand = randomBytes(TicketProfile.RAND_BYTES);
        List<Payload> payloads = new ArrayList<>();
        payloads.add(TicketMessages.now(clock.instant()));
        payloads.add(new Payload.Rand(rand));
        payloads.add(self.idr(Payload.Identity.ROLE_INITIATOR));
        ticket.responders().forEach(r -> payloads.add(r.idr(Payload.Identity.ROLE_RESPONDER)));
        payloads.add(ticket.policy());
        payloads.add(ticket.ticket());
        payloads.add(TicketMessages.verificationPlaceholder());
        MikeyMessage message = new MikeyMessage(TicketMessages.header(DataType.TRANSFER_INIT, ticket.cryptoSessionBundleId(), ticket.sessions()), payloads);
        return new PendingTransfer(TicketMessages.signed(message, MessageKeys.derive(ticket.mpk(), ticket.cryptoSessionBundleId(), rand)), ticket, rand);
    }

    /**
     * Reads the responder's TRANSFER_RESP: learns who answered (IDRr), forks the MPK and TGKs for that identity when
     * the ticket says so, checks the MAC with the responder's MPK, and derives the TEKs with both RANDs.
     */
    public SessionKeys acceptTransferResp(PendingTransfer transfer, byte[] response) throws MikeyException {
        IssuedTicket ticket = transfer.ticket();
        MikeyDecoder.Decoded decoded = TicketMessages.decode(response, DataType.TRANSFER_RESP);
        MikeyMessage message = decoded.message();
        if (message.header().cryptoSessionBundleId() != ticket.cryptoSessionBundleId()) {
            throw new MikeyException(4, MikeyErrorCode.UNSPECIFIED, "TRANSFER_RESP is for another crypto session bundle");
        }
        KmsUid responder = TicketMessages.identity(message, Payload.Identity.ROLE_RESPONDER, "responder");
        if (!ticket.responders().isEmpty() && !ticket.responders().contains(responder)) {
            throw new MikeyException(0, MikeyErrorCode.INVALID_ID, "TRANSFER_RESP comes from " + responder + ", not one of " + ticket.responders());
        }
        boolean fork = ticket.policy().has(Payload.TicketPolicy.FLAG_FORK_PER_RESPONDER);
        long bundle = ticket.cryptoSessionBundleId();
        byte[] mpk = fork ? TicketMessages.forkMpk(ticket.mpk(), bundle, responder) : ticket.mpk();
        MikeyMacs.verify(decoded, MessageKeys.derive(mpk, bundle, transfer.rand()).authenticationKey());
        Payload.RandWithRole responderRand = message.payloads().stream()
                .filter(p -> p instanceof Payload.RandWithRole r && r.role() == Payload.RandWithRole.RESPONDER).map(Payload.RandWithRole.class::cast)
                .findFirst().orElseThrow(() -> new MikeyException(0, MikeyErrorCode.UNSPECIFIED, "TRANSFER_RESP has no responder RAND (RANDRr)"));
        List<CryptoSessionKey> tgks = fork ? TicketMessages.forkTgks(ticket.tgks(), bundle, responder) : ticket.tgks();
        return new SessionKeys(self, responder, bundle, TicketMessages.teks(tgks, bundle, transfer.rand(), responderRand.rand().value()));
    }

    private byte[] randomBytes(int count) {
        byte[] bytes = new byte[count];
        random.nextBytes(bytes);
        return bytes;
    }
}
