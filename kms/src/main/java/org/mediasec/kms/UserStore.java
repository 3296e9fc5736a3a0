package org.mediasec.kms;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The KMS's users and their rules in a relational database through JDBC: an embedded H2 file in the data directory
 * by default, or any JDBC URL (PostgreSQL works: the schema is plain SQL). The schema is created on first use.
 * Pre-shared keys are stored sealed under the KMS's key-encryption key ({@link KeyEncryptionKeys}, SEC-4), each bound
 * to its user; every stored key is opened once when the store opens, so a wrong KEK fails there, not at a request.
 * Keys are never logged.
 *
 * <p>Thread rule: every method holds this object's monitor (one connection; the KMS's load is a few requests per call).
 */
public final class UserStore implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(UserStore.class);
    /** The row a decoy sealed value is bound to: a KMS UID never has spaces, so no user can collide with it. */
    private static final String DECOY_ROW = "no such user";
    /** H2's setting: committed changes written to the file at the commit, not by a background thread later. */
    private static final String WRITE_AT_COMMIT = "WRITE_DELAY=0";

    private final StoreConnection link;
    private final KeyEncryptionKeys keks;
    /** Opened in place of a missing user's key; sealed at first need (so never before the stored keys were checked). */
    private String decoy;

    private UserStore(String jdbcUrl, Connection connection, KeyEncryptionKeys keks) {
        this.link = new StoreConnection(jdbcUrl, connection, "SELECT COUNT(*) FROM kms_user");
        this.keks = keks;
    }

    /**
     * The embedded database in {@code dataDirectory}: {@code jdbc:h2:file:<dataDirectory>/kms}. No server mode: the
     * database opens no network listener (SEC-4); one process holds it, and {@code mediasec kms user …} reaches a
     * running KMS through its admin socket instead (docs/kms.md). {@code WRITE_DELAY=0}: a commit is written to the
     * file before it returns (H2 otherwise writes committed changes up to 500 ms later, in the background, and a KMS
     * killed meanwhile lost users it had acknowledged: KmsFaultTest).
     */
    public static String defaultUrl(Path dataDirectory) {
        return "jdbc:h2:file:" + dataDirectory.toAbsolutePath().resolve("kms") + ";" + WRITE_AT_COMMIT;
    }

    public static UserStore open(String jdbcUrl, KeyEncryptionKeys keks) throws KmsStoreException {
        Connection connection = null;
        try {
            connection = DriverManager.getConnection(jdbcUrl);
            try (Statement schema = connection.createStatement()) {
                schema.execute("CREATE TABLE IF NOT EXISTS kms_user (uid VARCHAR(1024) PRIMARY KEY, psk_sealed VARCHAR(256) NOT NULL)");
                schema.execute("CREATE TABLE IF NOT EXISTS kms_resolve_rule (uid VARCHAR(1024) NOT NULL REFERENCES kms_user(uid) ON DELETE CASCADE,"
                        + " for_uid VARCHAR(1024) NOT NULL, PRIMARY KEY (uid, for_uid))");
                schema.execute("CREATE TABLE IF NOT EXISTS kms_conference_rule (uid VARCHAR(1024) NOT NULL REFERENCES kms_user(uid) ON DELETE CASCADE,"
                        + " conference VARCHAR(1024) NOT NULL, PRIMARY KEY (uid, conference))");
            }
            StoreSchema.requireSealedColumn(connection, "kms_user", "psk_sealed", jdbcUrl);
            UserStore store = new UserStore(jdbcUrl, connection, keks);
            for (Map.Entry<String, String> user : store.sealedKeys().entrySet()) {
                keks.open(KeyEncryptionKeys.Purpose.USER_PSK, user.getKey(), user.getValue());
            }
            return store;
        } catch (SQLException e) {
            StoreSchema.closeQuietly(connection);
            throw new KmsStoreException("cannot open the user store at " + jdbcUrl + ": " + e.getMessage(), e);
        } catch (KmsStoreException e) {
            StoreSchema.closeQuietly(connection);
            throw e;
        }
    }

    /** Adds a user with its rules, all or nothing; a user of that identity already stored is a conflict. */
    public synchronized void add(KmsUser user) throws KmsStoreException {
        try {
            link.get().setAutoCommit(false);
            if (find(user.uid()).isPresent()) {
                throw new KmsStoreException("user " + user.uid() + " exists already");
            }
            try (PreparedStatement insert = link.get().prepareStatement("INSERT INTO kms_user (uid, psk_sealed) VALUES (?, ?)")) {
                insert.setString(1, user.uid());
                insert.setString(2, keks.seal(KeyEncryptionKeys.Purpose.USER_PSK, user.uid(), user.preSharedKey()));
                insert.executeUpdate();
            }
            insertAll("INSERT INTO kms_resolve_rule (uid, for_uid) VALUES (?, ?)", user.uid(), user.mayResolveFor());
            insertAll("INSERT INTO kms_conference_rule (uid, conference) VALUES (?, ?)", user.uid(), user.conferences());
            link.get().commit();
            link.forceToDisk();
            LOG.atInfo().addKeyValue("uid", user.uid()).log("user added");
        } catch (SQLException e) {
            rollback();
            throw new KmsStoreException("cannot add " + user.uid() + ": " + link.failed(e), e);
        } catch (KmsStoreException e) {
            rollback();
            throw e;
        } finally {
            autoCommit();
        }
    }

    private void insertAll(String sql, String uid, Set<String> values) throws SQLException {
        try (PreparedStatement insert = link.current().prepareStatement(sql)) {
            for (String value : values) {
                insert.setString(1, uid);
                insert.setString(2, value);
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    /** Removes a user and its rules; false when there was none. */
    public synchronized boolean remove(String uid) throws KmsStoreException {
        try (PreparedStatement delete = link.get().prepareStatement("DELETE FROM kms_user WHERE uid = ?")) {
            delete.setString(1, uid);
            boolean removed = delete.executeUpdate() > 0;
            if (removed) {
                link.forceToDisk();
                LOG.atInfo().addKeyValue("uid", uid).log("user removed");
            }
            return removed;
        } catch (SQLException e) {
            throw new KmsStoreException("cannot remove " + uid + ": " + link.failed(e), e);
        }
    }

    public synchronized Optional<KmsUser> find(String uid) throws KmsStoreException {
        Optional<String> sealed = sealedKey(uid);
        if (sealed.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new KmsUser(uid, keks.open(KeyEncryptionKeys.Purpose.USER_PSK, uid, sealed.get()),
                    rules("SELECT for_uid FROM kms_resolve_rule WHERE uid = ?", uid), rules("SELECT conference FROM kms_conference_rule WHERE uid = ?", uid)));
        } catch (SQLException e) {
            throw new KmsStoreException("cannot read " + uid + ": " + link.failed(e), e);
        } catch (IllegalArgumentException e) {
            throw new KmsStoreException("cannot read " + uid + ": " + e.getMessage(), e);
        }
    }

    /**
     * The pre-shared key of {@code uid}, to check a request's MAC with. One query and one opening of a sealed value
     * whether the user exists or not (a decoy is opened for a missing one), so that its cost does not say which.
     */
    public synchronized Optional<byte[]> preSharedKey(String uid) throws KmsStoreException {
        Optional<String> sealed = sealedKey(uid);
        if (decoy == null) {
            decoy = sealDecoy();
        }
        byte[] key = sealed.isPresent() ? keks.open(KeyEncryptionKeys.Purpose.USER_PSK, uid, sealed.get())
                : keks.open(KeyEncryptionKeys.Purpose.USER_PSK, DECOY_ROW, decoy);
        return sealed.map(s -> key);
    }

    private Optional<String> sealedKey(String uid) throws KmsStoreException {
        try (PreparedStatement select = link.get().prepareStatement("SELECT psk_sealed FROM kms_user WHERE uid = ?")) {
            select.setString(1, uid);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? Optional.of(row.getString(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new KmsStoreException("cannot read " + uid + ": " + link.failed(e), e);
        }
    }

    /** Every user, by identity. */
    public synchronized List<KmsUser> list() throws KmsStoreException {
        List<KmsUser> users = new ArrayList<>();
        for (String uid : sealedKeys().keySet()) {
            find(uid).ifPresent(users::add);
        }
        return users;
    }

    /**
     * Re-seals every pre-shared key under the current KEK, in one transaction (the middle step of a KEK rotation).
     * Returns how many.
     */
    public synchronized int reseal() throws KmsStoreException {
        Map<String, String> sealed = sealedKeys();
        try {
            link.get().setAutoCommit(false);
            try (PreparedStatement update = link.get().prepareStatement("UPDATE kms_user SET psk_sealed = ? WHERE uid = ?")) {
                for (Map.Entry<String, String> user : sealed.entrySet()) {
                    byte[] key = keks.open(KeyEncryptionKeys.Purpose.USER_PSK, user.getKey(), user.getValue());
                    update.setString(1, keks.seal(KeyEncryptionKeys.Purpose.USER_PSK, user.getKey(), key));
                    update.setString(2, user.getKey());
                    update.addBatch();
                }
                update.executeBatch();
            }
            link.get().commit();
            link.forceToDisk();
            decoy = null; // sealed again under the new KEK when next needed
            return sealed.size();
        } catch (SQLException e) {
            rollback();
            throw new KmsStoreException("cannot re-seal the users' keys: " + link.failed(e), e);
        } catch (KmsStoreException e) {
            rollback();
            throw e;
        } finally {
            autoCommit();
        }
    }

    /** The KEK IDs the stored keys are sealed under. */
    public synchronized Set<Integer> kekIds() throws KmsStoreException {
        Set<Integer> ids = new HashSet<>();
        sealedKeys().values().forEach(s -> KeyEncryptionKeys.kekId(s).ifPresent(ids::add));
        return ids;
    }

    private Map<String, String> sealedKeys() throws KmsStoreException {
        Map<String, String> sealed = new LinkedHashMap<>();
        try (Statement select = link.get().createStatement(); ResultSet rows = select.executeQuery("SELECT uid, psk_sealed FROM kms_user ORDER BY uid")) {
            while (rows.next()) {
                sealed.put(rows.getString(1), rows.getString(2));
            }
        } catch (SQLException e) {
            throw new KmsStoreException("cannot list users: " + link.failed(e), e);
        }
        return sealed;
    }

    private String sealDecoy() throws KmsStoreException {
        byte[] key = new byte[KmsUser.MAX_KEY_BYTES / 2];
        new SecureRandom().nextBytes(key);
        return keks.seal(KeyEncryptionKeys.Purpose.USER_PSK, DECOY_ROW, key);
    }

    private Set<String> rules(String sql, String uid) throws SQLException {
        Set<String> values = new HashSet<>();
        try (PreparedStatement select = link.current().prepareStatement(sql)) {
            select.setString(1, uid);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    values.add(rows.getString(1));
                }
            }
        }
        return values;
    }

    private void rollback() {
        try {
            link.current().rollback();
        } catch (SQLException ignored) {
            // the connection is broken: the next call reports it
        }
    }

    private void autoCommit() {
        try {
            link.current().setAutoCommit(true);
        } catch (SQLException ignored) {
            // as above
        }
    }

    @Override
    public synchronized void close() throws KmsStoreException {
        try {
            link.close();
        } catch (SQLException e) {
            throw new KmsStoreException("cannot close the user store: " + e.getMessage(), e);
        }
    }
}
