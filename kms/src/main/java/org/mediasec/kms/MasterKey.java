package org.mediasec.kms;

import java.time.Instant;

/**
 * One of the KMS's own keys, which seal the ticket data (AES-256-GCM): its key ID travels in every ticket, so a
 * ticket sealed before a rotation still opens while its key is kept.
 */
public record MasterKey(int keyId, byte[] key, Instant created) {

    public static final int KEY_BYTES = 32;

    public MasterKey {
        key = key.clone();
        if (key.length != KEY_BYTES || keyId <= 0) {
            throw new IllegalArgumentException("a master key has a positive ID and " + KEY_BYTES + " bytes");
        }
    }

    @Override
    public byte[] key() {
        return key.clone();
    }

    @Override
    public String toString() {
        return "MasterKey[id=" + keyId + ", created " + created + ", key not shown]";
    }
}
