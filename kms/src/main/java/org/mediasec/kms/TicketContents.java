package org.mediasec.kms;

import java.time.Instant;
import java.util.List;
import org.mediasec.mikey.CryptoSessionMap;
import org.mediasec.mikey.ticket.CryptoSessionKey;
import org.mediasec.mikey.ticket.KmsUid;

/**
 * What a ticket says, readable by the KMS only: who it was issued to, who may resolve it (empty: whoever the rules
 * allow), the granted flags, its validity, the crypto session bundle and map it keys, the TGK of each crypto
 * session and the MPK.
 */
public record TicketContents(KmsUid initiator, List<KmsUid> responders, int flags, Instant issued, Instant validUntil,
                             long cryptoSessionBundleId, CryptoSessionMap.Generic sessions, List<CryptoSessionKey> tgks, byte[] mpk) {

    public TicketContents {
        responders = List.copyOf(responders);
        tgks = List.copyOf(tgks);
        mpk = mpk.clone();
    }

    @Override
    public byte[] mpk() {
        return mpk.clone();
    }

    @Override
    public String toString() {
        return "TicketContents[" + initiator + " → " + responders + ", flags " + Integer.toHexString(flags) + ", valid until " + validUntil + "]";
    }
}
