package org.mediasec.mikey.ticket;

import org.mediasec.mikey.crypto.KeyDerivation;

/**
 * The keys that protect one MIKEY message (RFC 3830 4.1.4): the KEMAC encryption key and the MAC key, derived with
 * the PRF from a pre-shared key (user ↔ KMS) or an MPK (initiator ↔ responder), the crypto session bundle ID and
 * the RAND of the exchange.
 */
public record MessageKeys(byte[] encryptionKey, byte[] authenticationKey) {

    public static MessageKeys derive(byte[] preSharedKey, long cryptoSessionBundleId, byte[] rand) {
        KeyDerivation derivation = new KeyDerivation(TicketProfile.PRF_FUNCTION);
        return new MessageKeys(
                derivation.fromPreSharedKey(preSharedKey, KeyDerivation.PSK_ENCRYPTION, cryptoSessionBundleId, rand, TicketProfile.ENCRYPTION_KEY_BYTES),
                derivation.fromPreSharedKey(preSharedKey, KeyDerivation.PSK_AUTHENTICATION, cryptoSessionBundleId, rand, TicketProfile.AUTHENTICATION_KEY_BYTES));
    }

    @Override
    public String toString() {
        return "MessageKeys[not shown]";
    }
}
