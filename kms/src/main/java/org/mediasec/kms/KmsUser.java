package org.mediasec.kms;

import java.util.Arrays;
import java.util.Set;

/**
 * A user of the KMS: its identity (the KMS UID, a SIP URI, TS 33.328 6.2.3), the pre-shared MIKEY protection key it
 * authenticates its REQUEST and RESOLVE messages with (GBA is not available here), the identities whose tickets it
 * may resolve ({@code *}: any), and the conference identities it may join (E2E-3). The key never appears in
 * {@link #toString()}.
 */
public record KmsUser(String uid, byte[] preSharedKey, Set<String> mayResolveFor, Set<String> conferences) {

    public static final int MIN_KEY_BYTES = 16;
    public static final int MAX_KEY_BYTES = 64;
    public static final int MAX_IDENTITY_CHARS = 1024;
    public static final String ANY = "*";

    public KmsUser {
        requireIdentity(uid, "uid");
        preSharedKey = preSharedKey.clone();
        if (preSharedKey.length < MIN_KEY_BYTES || preSharedKey.length > MAX_KEY_BYTES) {
            throw new IllegalArgumentException("the pre-shared key has " + MIN_KEY_BYTES + " to " + MAX_KEY_BYTES + " bytes, not " + preSharedKey.length);
        }
        mayResolveFor = Set.copyOf(mayResolveFor);
        conferences = Set.copyOf(conferences);
        mayResolveFor.forEach(id -> requireIdentity(id, "may-resolve-for"));
        conferences.forEach(id -> requireIdentity(id, "conference"));
    }

    /** Refuses what cannot be an identity: empty, too long, or with spaces or control characters. */
    public static void requireIdentity(String value, String what) {
        if (value.isBlank() || value.length() > MAX_IDENTITY_CHARS || value.chars().anyMatch(c -> c < 0x21 || c == 0x7f)) {
            throw new IllegalArgumentException(what + ": a non-empty identity of at most " + MAX_IDENTITY_CHARS + " printable characters without spaces");
        }
    }

    @Override
    public byte[] preSharedKey() {
        return preSharedKey.clone();
    }

    /** Whether this user may resolve a ticket issued for {@code identity} (RFC 6043: the KMS checks the responder). */
    public boolean mayResolve(String identity) {
        return mayResolveFor.contains(ANY) || mayResolveFor.contains(identity);
    }

    /** Whether this user may join the conference {@code conference} (E2E-3). */
    public boolean mayJoin(String conference) {
        return conferences.contains(ANY) || conferences.contains(conference);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof KmsUser u && uid.equals(u.uid) && Arrays.equals(preSharedKey, u.preSharedKey) && mayResolveFor.equals(u.mayResolveFor)
                && conferences.equals(u.conferences);
    }

    @Override
    public int hashCode() {
        return uid.hashCode();
    }

    @Override
    public String toString() {
        return "KmsUser[" + uid + ", key of " + preSharedKey.length + " bytes (not shown), may resolve for " + mayResolveFor + ", conferences "
                + conferences + "]";
    }
}
