package org.mediasec.kms;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The KMS's master keys, in the same database as its users, each sealed under the key-encryption key
 * ({@link KeyEncryptionKeys}, SEC-4) and bound to its key ID. The newest key seals new tickets; older keys stay to
 * open the tickets they sealed until those can no longer be valid ({@code maxTicketLifetime} after the next key
 * took over), then are deleted. The first key is made on first use, after every stored key has been opened once (a
 * wrong KEK fails at open, before anything is served).
 *
 * <p>Thread rule: every method holds this object's monitor.
 */
public final class MasterKeyStore implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MasterKeyStore.class);

    private record Row(int keyId, String sealed, Instant created) {}

    private final StoreConnection link;
    private final KeyEncryptionKeys keks;
    private final Clock clock;
    private final SecureRandom random;

    private MasterKeyStore(String jdbcUrl, Connection connection, KeyEncryptionKeys keks, Clock clock, SecureRandom random) {
        this.link = new StoreConnection(jdbcUrl, connection, "SELECT COUNT(*) FROM kms_master_key");
        this.keks = keks;
        this.clock = clock;
        this.random = random;
    }

    public static MasterKeyStore open(String jdbcUrl, KeyEncryptionKeys keks, Clock clock, SecureRandom random) throws KmsStoreException {
        Connection connection = null;
        try {
            connection = DriverManager.getConnection(jdbcUrl);
            try (Statement schema = connection.createStatement()) {
                schema.execute("CREATE TABLE IF NOT EXISTS kms_master_key (key_id INTEGER PRIMARY KEY, key_sealed VARCHAR(256) NOT NULL,"
                        + " created_at TIMESTAMP NOT NULL)");
            }
            StoreSchema.requireSealedColumn(connection, "kms_master_key", "key_sealed", jdbcUrl);
            MasterKeyStore store = new MasterKeyStore(jdbcUrl, connection, keks, clock, random);
            if (store.all().isEmpty()) {
                store.insert(1);
            }
            return store;
        } catch (SQLException e) {
            StoreSchema.closeQuietly(connection);
            throw new KmsStoreException("cannot open the master keys at " + jdbcUrl + ": " + e.getMessage(), e);
        } catch (KmsStoreException e) {
            StoreSchema.closeQuietly(connection);
            throw e;
        }
    }

    /** The key that seals new tickets: the newest. */
    public synchronized MasterKey current() throws KmsStoreException {
        List<MasterKey> keys = all();
        if (keys.isEmpty()) {
            throw new KmsStoreException("the KMS has no master key");
        }
        return keys.get(keys.size() - 1);
    }

    public synchronized Optional<MasterKey> find(int keyId) throws KmsStoreException {
        try (PreparedStatement select = link.get().prepareStatement("SELECT key_id, key_sealed, created_at FROM kms_master_key WHERE key_id = ?")) {
            select.setInt(1, keyId);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? Optional.of(open(read(row))) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new KmsStoreException("cannot read master key " + keyId + ": " + link.failed(e), e);
        }
    }

    /** Oldest first. */
    public synchronized List<MasterKey> all() throws KmsStoreException {
        List<MasterKey> keys = new ArrayList<>();
        for (Row row : rows()) {
            keys.add(open(row));
        }
        return keys;
    }

    /**
     * Makes a new current key and deletes the keys no valid ticket can need: those whose successor has been current
     * for longer than {@code maxTicketLifetime}. Returns the new key.
     */
    public synchronized MasterKey rotate(Duration maxTicketLifetime) throws KmsStoreException {
        List<MasterKey> keys = all();
        int next = keys.isEmpty() ? 1 : keys.get(keys.size() - 1).keyId() + 1;
        MasterKey created = insert(next);
        Instant now = clock.instant();
        for (int i = 0; i + 1 < keys.size(); i++) {
            if (keys.get(i + 1).created().plus(maxTicketLifetime).isBefore(now)) {
                delete(keys.get(i).keyId());
            }
        }
        LOG.info("master key {} is current; tickets sealed with older kept keys still resolve", created.keyId());
        return created;
    }

    /** Re-seals every master key under the current KEK, in one transaction (a KEK rotation's middle step). */
    public synchronized int reseal() throws KmsStoreException {
        List<Row> rows = rows();
        try {
            link.get().setAutoCommit(false);
            try (PreparedStatement update = link.get().prepareStatement("UPDATE kms_master_key SET key_sealed = ? WHERE key_id = ?")) {
                for (Row row : rows) {
                    update.setString(1, keks.seal(KeyEncryptionKeys.Purpose.MASTER_KEY, row(row.keyId()), open(row).key()));
                    update.setInt(2, row.keyId());
                    update.addBatch();
                }
                update.executeBatch();
            }
            link.get().commit();
            link.forceToDisk();
            return rows.size();
        } catch (SQLException e) {
            rollback();
            throw new KmsStoreException("cannot re-seal the master keys: " + link.failed(e), e);
        } catch (KmsStoreException e) {
            rollback();
            throw e;
        } finally {
            try {
                link.current().setAutoCommit(true);
            } catch (SQLException ignored) {
                // the connection is broken: the next call reports it
            }
        }
    }

    /** The KEK IDs the stored keys are sealed under. */
    public synchronized Set<Integer> kekIds() throws KmsStoreException {
        Set<Integer> ids = new HashSet<>();
        rows().forEach(row -> KeyEncryptionKeys.kekId(row.sealed()).ifPresent(ids::add));
        return ids;
    }

    private List<Row> rows() throws KmsStoreException {
        try (Statement select = link.get().createStatement(); ResultSet rows = select.executeQuery(
                "SELECT key_id, key_sealed, created_at FROM kms_master_key ORDER BY key_id")) {
            List<Row> all = new ArrayList<>();
            while (rows.next()) {
                all.add(read(rows));
            }
            return all;
        } catch (SQLException e) {
            throw new KmsStoreException("cannot read the master keys: " + link.failed(e), e);
        }
    }

    private MasterKey insert(int keyId) throws KmsStoreException {
        byte[] key = new byte[MasterKey.KEY_BYTES];
        random.nextBytes(key);
        Instant now = clock.instant();
        try (PreparedStatement insert = link.get().prepareStatement("INSERT INTO kms_master_key (key_id, key_sealed, created_at) VALUES (?, ?, ?)")) {
            insert.setInt(1, keyId);
            insert.setString(2, keks.seal(KeyEncryptionKeys.Purpose.MASTER_KEY, row(keyId), key));
            insert.setTimestamp(3, Timestamp.from(now));
            insert.executeUpdate();
            link.forceToDisk();
            return new MasterKey(keyId, key, now);
        } catch (SQLException e) {
            throw new KmsStoreException("cannot store master key " + keyId + ": " + link.failed(e), e);
        }
    }

    private void delete(int keyId) throws KmsStoreException {
        try (PreparedStatement delete = link.get().prepareStatement("DELETE FROM kms_master_key WHERE key_id = ?")) {
            delete.setInt(1, keyId);
            delete.executeUpdate();
            link.forceToDisk();
            LOG.info("master key {} deleted: no ticket it sealed can still be valid", keyId);
        } catch (SQLException e) {
            throw new KmsStoreException("cannot delete master key " + keyId + ": " + link.failed(e), e);
        }
    }

    private static Row read(ResultSet row) throws SQLException {
        return new Row(row.getInt(1), row.getString(2), row.getTimestamp(3).toInstant());
    }

    private MasterKey open(Row row) throws KmsStoreException {
        return new MasterKey(row.keyId(), keks.open(KeyEncryptionKeys.Purpose.MASTER_KEY, row(row.keyId()), row.sealed()), row.created());
    }

    private static String row(int keyId) {
        return "master key " + keyId;
    }

    private void rollback() {
        try {
            link.current().rollback();
        } catch (SQLException ignored) {
            // the connection is broken: the next call reports it
        }
    }

    @Override
    public synchronized void close() throws KmsStoreException {
        try {
            link.close();
        } catch (SQLException e) {
            throw new KmsStoreException("cannot close the master keys: " + link.failed(e), e);
        }
    }
}
