package org.mediasec.kms.admin;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.mediasec.kms.KeyEncryptionKeys;
import org.mediasec.kms.KmsStoreException;
import org.mediasec.kms.KmsUser;
import org.mediasec.kms.MasterKey;
import org.mediasec.kms.MasterKeyStore;
import org.mediasec.kms.UserStore;

/**
 * Carries out {@link AdminRequest}s on the KMS's stores: the same code whether the request came over the admin socket
 * of a running KMS or the command opened the stores itself. A refusal is a reply, never an exception.
 *
 * <p>A KEK rotation (SEC-4) runs in three steps, each leaving a state that opens everything: a new KEK is added to the
 * file and becomes current; every user key and master key is re-sealed under it (one transaction per table); the file
 * then keeps only the new KEK, once no stored value names another.
 *
 * <p>Thread rule: {@link #handle} holds this object's monitor, so admin requests run one at a time; the stores have
 * their own monitors for the KMS's requests running meanwhile.
 */
public final class AdminService {

    private final UserStore users;
    private final MasterKeyStore masterKeys;
    private final KeyEncryptionKeys keks;

    public AdminService(UserStore users, MasterKeyStore masterKeys, KeyEncryptionKeys keks) {
        this.users = users;
        this.masterKeys = masterKeys;
        this.keks = keks;
    }

    public synchronized AdminReply handle(AdminRequest request) {
        try {
            return switch (request) {
                case AdminRequest.AddUser add -> {
                    users.add(add.user());
                    yield AdminReply.ok("added " + add.user().uid());
                }
                case AdminRequest.RemoveUser remove -> users.remove(remove.uid()) ? AdminReply.ok("removed " + remove.uid())
                        : AdminReply.refused("no user " + remove.uid());
                case AdminRequest.ListUsers list -> {
                    List<KmsUser> all = users.list();
                    yield AdminReply.ok(all.size() + " users", all.stream().map(AdminService::describe).toList());
                }
                case AdminRequest.RotateMasterKey rotate -> {
                    MasterKey current = masterKeys.rotate(rotate.maxTicketLifetime());
                    yield AdminReply.ok("master key " + current.keyId() + " is current; kept: " + masterKeys.all().stream().map(MasterKey::keyId).toList());
                }
                case AdminRequest.RotateKek rotate -> rotateKek();
            };
        } catch (KmsStoreException e) {
            return AdminReply.refused(e.getMessage());
        }
    }

    private AdminReply rotateKek() throws KmsStoreException {
        int kek = keks.rotate();
        int userKeys = users.reseal();
        int keys = masterKeys.reseal();
        Set<Integer> sealedUnder = new HashSet<>(users.kekIds());
        sealedUnder.addAll(masterKeys.kekIds());
        if (!Set.of(kek).containsAll(sealedUnder)) {
            return AdminReply.refused("key-encryption key " + kek + " is current, but stored values are still sealed under " + sealedUnder
                    + ": the file keeps every key; run rotate-kek again");
        }
        keks.retireAllButCurrent();
        return AdminReply.ok("key-encryption key " + kek + " is current in " + keks.file() + "; " + userKeys + " user keys and " + keys
                + " master keys re-sealed under it; the older keys are gone from the file");
    }

    /** A user as {@code user list} shows it: identity and rules, never the key. */
    static String describe(KmsUser user) {
        return user.uid() + "  may-resolve-for=" + String.join(",", new TreeSet<>(user.mayResolveFor())) + "  conferences="
                + String.join(",", new TreeSet<>(user.conferences()));
    }
}
