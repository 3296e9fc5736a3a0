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
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The KMS's master keys, in the same database as its users. The newest key seals new tickets; older keys stay to
 * open the tickets they sealed until those can no longer be valid ({@code maxTicketLifetime} after the next key
 * took over), then are deleted. The first key is made on first use.
 */
public final class MasterKeyStore implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MasterKeyStore.class);
    private static final HexFormat HEX = HexFormat.of();

    private final Connection connection;
    private final Clock clock;
    private final SecureRandom random;

    private MasterKeyStore(Connection connection, Clock clock, SecureRandom random) {
        this.connection = connection;
        this.clock = clock;
        this.random = random;
    }

    public static MasterKeyStore open(String jdbcUrl, Clock clock, SecureRandom random) throws KmsStoreException {
        try {
            Connection connection = DriverManager.getConnection(jdbcUrl);
            try (Statement schema = connection.createStatement()) {
                schema.execute("CREATE TABLE IF NOT EXISTS kms_master_key (key_id INTEGER PRIMARY KEY, key_hex VARCHAR(64) NOT NULL,"
                        + " created_at TIMESTAMP NOT NULL)");
            }
            MasterKeyStore store = new MasterKeyStore(connection, clock, random);
            if (store.all().isEmpty()) {
                store.insert(1);
            }
            return store;
        } catch (SQLException e) {
            throw new KmsStoreException("cannot open the master keys at " + jdbcUrl + ": " + e.getMessage(), e);
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
        try (PreparedStatement select = connection.prepareStatement("SELECT key_id, key_hex, created_at FROM kms_master_key WHERE key_id = ?")) {
            select.setInt(1, keyId);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? Optional.of(read(row)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new KmsStoreException("cannot read master key " + keyId + ": " + e.getMessage(), e);
        }
    }

    /** Oldest first. */
    public synchronized List<MasterKey> all() throws KmsStoreException {
        try (Statement select = connection.createStatement(); ResultSet row = select.executeQuery(
                "SELECT key_id, key_hex, created_at FROM kms_master_key ORDER BY key_id")) {
            List<MasterKey> keys = new ArrayList<>();
            while (row.next()) {
                keys.add(read(row));
            }
            return keys;
        } catch (SQLException e) {
            throw new KmsStoreException("cannot read the master keys: " + e.getMessage(), e);
        }
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

    private MasterKey insert(int keyId) throws KmsStoreException {
        byte[] key = new byte[MasterKey.KEY_BYTES];
        random.nextBytes(key);
        Instant now = clock.instant();
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO kms_master_key (key_id, key_hex, created_at) VALUES (?, ?, ?)")) {
            insert.setInt(1, keyId);
            insert.setString(2, HEX.formatHex(key));
            insert.setTimestamp(3, Timestamp.from(now));
            insert.executeUpdate();
            return new MasterKey(keyId, key, now);
        } catch (SQLException e) {
            throw new KmsStoreException("cannot store master key " + keyId + ": " + e.getMessage(), e);
        }
    }

    private void delete(int keyId) throws KmsStoreException {
        try (PreparedStatement delete = connection.prepareStatement("DELETE FROM kms_master_key WHERE key_id = ?")) {
            delete.setInt(1, keyId);
            delete.executeUpdate();
            LOG.info("master key {} deleted: no ticket it sealed can still be valid", keyId);
        } catch (SQLException e) {
            throw new KmsStoreException("cannot delete master key " + keyId + ": " + e.getMessage(), e);
        }
    }

    private static MasterKey read(ResultSet row) throws SQLException {
        return new MasterKey(row.getInt(1), HEX.parseHex(row.getString(2)), row.getTimestamp(3).toInstant());
    }

    @Override
    public synchronized void close() throws KmsStoreException {
        try {
            connection.close();
        } catch (SQLException e) {
            throw new KmsStoreException("cannot close the master keys: " + e.getMessage(), e);
        }
    }
}
