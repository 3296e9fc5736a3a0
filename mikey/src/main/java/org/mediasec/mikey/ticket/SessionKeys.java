package org.mediasec.mikey.ticket;

import java.util.List;
import java.util.Optional;

/**
 * What a completed MIKEY-TICKET exchange gives both ends: the peer's identity and, per crypto session (one per
 * {@code X/TLS/Y} m-line, E2E-6), the TEK — the TLS PSK of TS 33.328 H.2.
 */
public record SessionKeys(KmsUid initiator, KmsUid responder, long cryptoSessionBundleId, List<CryptoSessionKey> teks) {

    public SessionKeys {
        teks = List.copyOf(teks);
    }

    /** The TEK of crypto session {@code cryptoSessionId}. */
    public Optional<byte[]> tek(int cryptoSessionId) {
        return teks.stream().filter(k -> k.cryptoSessionId() == cryptoSessionId).findFirst().map(CryptoSessionKey::key);
    }
}
