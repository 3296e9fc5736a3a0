package org.mediasec.kms.admin;

import java.time.Duration;
import org.mediasec.kms.KmsUser;

/**
 * What {@code mediasec kms user …}, {@code rotate-key} and {@code rotate-kek} ask of the KMS's store: sent over the
 * admin socket to a running KMS, or done on the store directly when none runs (docs/kms.md). The wire form is
 * {@link AdminCodec}'s.
 */
public sealed interface AdminRequest {

    /** Adds a user with its key and rules; the key travels over the owner-only socket, never on a command line. */
    record AddUser(KmsUser user) implements AdminRequest {}

    record RemoveUser(String uid) implements AdminRequest {}

    record ListUsers() implements AdminRequest {}

    /** A new master key; older ones kept while tickets they sealed can be valid. */
    record RotateMasterKey(Duration maxTicketLifetime) implements AdminRequest {
        public RotateMasterKey {
            if (maxTicketLifetime.isNegative() || maxTicketLifetime.isZero()) {
                throw new IllegalArgumentException("the maximum ticket lifetime must be positive");
            }
        }
    }

    /** A new key-encryption key; every stored key re-sealed under it; the old ones dropped (SEC-4). */
    record RotateKek() implements AdminRequest {}
}
