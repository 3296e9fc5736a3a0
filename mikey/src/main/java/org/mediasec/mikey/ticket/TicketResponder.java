package org.mediasec.mikey.ticket;

import java.security.SecureRandom;
import java.time.Clock;
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
 * The responder of MIKEY-TICKET (RFC 6043 4.1; TS 33.328 6.2.3): takes the initiator's TRANSFER_INIT (refusing a
 * stale or replayed one), has the KMS resolve the ticket (RESOLVE_INIT_PSK, RESOLVE_RESP), checks the TRANSFER_INIT's
 * MAC with the MPK the KMS returns, and answers with TRANSFER_RESP. Pure: the caller moves the bytes.
 */
public final class TicketResponder {

    /** A TRANSFER_INIT that is fresh and well formed; its MAC is checked once the KMS gives the MPK. */
    public record ReceivedTransfer(MikeyDecoder.Decoded transferInit, KmsUid initiator, Payload.TicketPolicy policy, Payload.Ticket ticket,
                                   long cryptoSessionBundleId, CryptoSessionMap.Generic sessions, byte[] rand) {}

    /** A RESOLVE_INIT_PSK on its way to the KMS. */
    public record PendingResolve(byte[] message, ReceivedTransfer transfer, byte[] rand) {}

    /** The ticket resolved: the initiator as the KMS attests it, this responder's TGKs and MPKr. */
    public record Resolved(ReceivedTransfer transfer, KmsUid initiator, List<CryptoSessionKey> tgks, byte[] mpk) {
        @Override
        public String toString() {
            return "Resolved[initiator " + initiator + ", keys not shown]";
        }
    }

    /** The TRANSFER_RESP to send back and the keys of the session. */
    public record Answer(byte[] message, SessionKeys keys) {}

    private final KmsUid self;
    private final byte[] preSharedKey;
    private final KmsUid kms;
    private final Clock clock;
    private final SecureRandom random;
    private final ReplayCache replayCache;

    public TicketResponder(KmsUid self, byte[] preSharedKey, KmsUid kms, Clock clock, SecureRandom random, ReplayCache replayCache) {
        this.self = self;
        this.preSharedKey = preSharedKey.clone();
        this.kms = kms;
        this.clock = clock;
        this.random = random;
        this.replayCache = replayCache;
    }

    public KmsUid self() {
        return self;
    }

    /** Checks a TRANSFER_INIT's form, profile, freshness and that it is not a replay (RFC 3830 5.4). */
    public ReceivedTransfer acceptTransferInit(byte[] bytes) throws MikeyException {
        MikeyDecoder.Decoded decoded = TicketMessages.decode(bytes, DataType.TRANSFER_INIT);
        MikeyMessage message = decoded.message();
        CryptoSessionMap.Generic sessions = TicketMessages.tlsSessions(message.header());
        KmsUid initiator = TicketMessages.identity(message, Payload.Identity.ROLE_INITIATOR, "initiator");
        List<KmsUid> intended = TicketMessages.identities(message, Payload.Identity.ROLE_RESPONDER);
        if (!intended.isEmpty() && !intended.contains(self)) {
            throw new MikeyException(0, MikeyErrorCode.INVALID_ID, "TRANSFER_INIT is for " + intended + ", not " + self);
        }
        Payload.Ticket ticket = TicketMessages.required(message, Payload.Ticket.class, "TICKET");
        Payload.TicketPolicy policy = TicketMessages.required(message, Payload.TicketPolicy.class, "ticket policy (TP)");
        byte[] rand = TicketMessages.required(message, Payload.Rand.class, "RAND").value();
        // the initiator is not authenticated yet (the MPK that keys this MAC comes from the KMS): a forger naming someone
        // fills that one identity's share of the cache, never everybody's
        replayCache.accept(initiator.value(), TicketMessages.timestamp(message), TicketMessages.macOf(decoded), 0);
        return new ReceivedTransfer(decoded, initiator, policy, ticket, message.header().cryptoSessionBundleId(), sessions, rand);
    }

    /** RESOLVE_INIT_PSK asking the KMS to resolve the ticket for this responder. */
    public PendingResolve resolveInit(ReceivedTransfer transfer) {
        byte[] rand = new byte[TicketProfile.RAND_BYTES];
        random.nextBytes(rand);
        MikeyMessage message = new MikeyMessage(TicketMessages.header(DataType.RESOLVE_INIT_PSK, transfer.cryptoSessionBundleId(), transfer.sessions()),
                List.of(TicketMessages.now(clock.instant()), new Payload.Rand(rand), self.idr(Payload.Identity.ROLE_RESPONDER),
                        kms.idr(Payload.Identity.ROLE_KMS), transfer.ticket(), TicketMessages.verificationPlaceholder()));
        return new PendingResolve(TicketMessages.signed(message, MessageKeys.derive(preSharedKey, transfer.cryptoSessionBundleId(), rand)), transfer, rand);
    }

    /**
     * Reads RESOLVE_RESP: checks its MAC, decrypts this responder's TGKs and the two MPKs, then checks the
     * TRANSFER_INIT's MAC with MPKi — only now is it known to come from the ticket's initiator.
     */
    public Resolved acceptResolveResp(PendingResolve resolve, byte[] response) throws MikeyException {
        ReceivedTransfer transfer = resolve.transfer();
        MikeyDecoder.Decoded decoded = TicketMessages.decode(response, DataType.RESOLVE_RESP);
        MikeyMessage message = decoded.message();
        if (message.header().cryptoSessionBundleId() != transfer.cryptoSessionBundleId()) {
            throw new MikeyException(4, MikeyErrorCode.UNSPECIFIED, "RESOLVE_RESP is for another crypto session bundle");
        }
        List<KeyData> keys = TicketMessages.openKemac(decoded, MessageKeys.derive(preSharedKey, transfer.cryptoSessionBundleId(), resolve.rand()));
        KmsUid initiator = TicketMessages.identity(message, Payload.Identity.ROLE_INITIATOR, "initiator");
        if (!initiator.equals(transfer.initiator())) {
            throw new MikeyException(0, MikeyErrorCode.INVALID_ID, "the ticket was issued to " + initiator + ", but TRANSFER_INIT names " + transfer.initiator());
        }
        byte[] mpkInitiator = TicketMessages.key(keys, KeyData.MPK, TicketProfile.MPK_INITIATOR, "MPKi");
        MikeyMacs.verify(transfer.transferInit(), MessageKeys.derive(mpkInitiator, transfer.cryptoSessionBundleId(), transfer.rand()).authenticationKey());
        return new Resolved(transfer, initiator, TicketMessages.tgks(keys, transfer.sessions()),
                TicketMessages.key(keys, KeyData.MPK, TicketProfile.MPK_RESPONDER, "MPKr"));
    }

    /** TRANSFER_RESP (IDRr, RANDRr, MAC with MPKr), and the TEKs both ends now hold. */
    public Answer transferResp(Resolved resolved) {
        ReceivedTransfer transfer = resolved.transfer();
        byte[] responderRand = new byte[TicketProfile.RAND_BYTES];
        random.nextBytes(responderRand);
        long bundle = transfer.cryptoSessionBundleId();
        MikeyMessage message = new MikeyMessage(TicketMessages.header(DataType.TRANSFER_RESP, bundle, transfer.sessions()),
                List.of(TicketMessages.now(clock.instant()), self.idr(Payload.Identity.ROLE_RESPONDER),
                        new Payload.RandWithRole(Payload.RandWithRole.RESPONDER, new Payload.Rand(responderRand)), TicketMessages.verificationPlaceholder()));
        byte[] bytes = TicketMessages.signed(message, MessageKeys.derive(resolved.mpk(), bundle, transfer.rand()));
        return new Answer(bytes, new SessionKeys(resolved.initiator(), self, bundle, TicketMessages.teks(resolved.tgks(), bundle, transfer.rand(), responderRand)));
    }
}
