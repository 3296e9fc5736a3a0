package org.mediasec.kms;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The KMS's users and their rules in a relational database through JDBC: an embedded H2 file in the data directory
 * by default, or any JDBC URL (PostgreSQL works: the schema is plain SQL, keys are stored as hex text). The schema
 * is created on first use. Methods are serialised on one connection: the KMS's load is a few requests per call.
 * Keys are never logged.
 */
public final class UserStore implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(UserStore.class);
    private static final HexFormat HEX = HexFormat.of();

    private final Connection connection;

    private UserStore(Connection connection) {
        this.connection = connection;
    }

    /**
     * The embedded database in {@code dataDirectory}: {@code jdbc:h2:file:<dataDirectory>/kms}, in H2's automatic
     * mixed mode so that {@code mediasec kms user add} can change users while {@code mediasec kms serve} runs
     * (the second process reaches the first through the lock file's secret).
     */
    public static String defaultUrl(Path dataDirectory) {
        return "jdbc:h2:file:" + dataDirectory.toAbsolutePath().resolve("kms") + ";AUTO_SERVER=TRUE";
    }

    public static UserStore open(String jdbcUrl) throws KmsStoreException {
        try {
            Connection connection = DriverManager.getConnection(jdbcUrl);
            try (Statement schema = connection.createStatement()) {
                schema.execute("CREATE TABLE IF NOT EXISTS kms_user (uid VARCHAR(1024) PRIMARY KEY, psk VARCHAR(128) NOT NULL)");
                schema.execute("CREATE TABLE IF NOT EXISTS kms_resolve_rule (uid VARCHAR(1024) NOT NULL REFERENCES kms_user(uid) ON DELETE CASCADE,"
                        + " for_uid VARCHAR(1024) NOT NULL, PRIMARY KEY (uid, for_uid))");
                schema.execute("CREATE TABLE IF NOT EXISTS kms_conference_rule (uid VARCHAR(1024) NOT NULL REFERENCES kms_user(uid) ON DELETE CASCADE,"
                        + " conference VARCHAR(1024) NOT NULL, PRIMARY KEY (uid, conference))");
            }
            return new UserStore(connection);
        } catch (SQLException e) {
            throw new KmsStoreException("cannot open the user store at " + jdbcUrl + ": " + e.getMessage(), e);
        }
    }

    /** Adds a user with its rules, all or nothing; a user of that identity already stored is a conflict. */
    public synchronized void add(KmsUser user) throws KmsStoreException {
        try {
            connection.setAutoCommit(false);
            if (find(user.uid()).isPresent()) {
                throw new KmsStoreException("user " + user.uid() + " exists already");
            }
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO kms_user (uid, psk) VALUES (?, ?)")) {
                insert.setString(1, user.uid());
                insert.setString(2, HEX.formatHex(user.preSharedKey()));
                insert.executeUpdate();
            }
            insertAll("INSERT INTO kms_resolve_rule (uid, for_uid) VALUES (?, ?)", user.uid(), user.mayResolveFor());
            insertAll("INSERT INTO kms_conference_rule (uid, conference) VALUES (?, ?)", user.uid(), user.conferences());
            connection.commit();
            LOG.atInfo().addKeyValue("uid", user.uid()).log("user added");
        } catch (SQLException e) {
            rollback();
            throw new KmsStoreException("cannot add " + user.uid() + ": " + e.getMessage(), e);
        } catch (KmsStoreException e) {
            rollback();
            throw e;
        } finally {
            autoCommit();
        }
    }

    private void insertAll(String sql, String uid, Set<String> values) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(sql)) {
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
        try (PreparedStatement delete = connection.prepareStatement("DELETE FROM kms_user WHERE uid = ?")) {
            delete.setString(1, uid);
            boolean removed = delete.executeUpdate() > 0;
            if (removed) {
                LOG.atInfo().addKeyValue("uid", uid).log("user removed");
            }
            return removed;
        } catch (SQLException e) {
            throw new KmsStoreException("cannot remove " + uid + ": " + e.getMessage(), e);
        }
    }

    public synchronized Optional<KmsUser> find(String uid) throws KmsStoreException {
        try (PreparedStatement select = connection.prepareStatement("SELECT psk FROM kms_user WHERE uid = ?")) {
            select.setString(1, uid);
            try (ResultSet row = select.executeQuery()) {
                if (!row.next()) {
                    return Optional.empty();
                }
                return Optional.of(new KmsUser(uid, HEX.parseHex(row.getString(1)), rules("SELECT for_uid FROM kms_resolve_rule WHERE uid = ?", uid),
                        rules("SELECT conference FROM kms_conference_rule WHERE uid = ?", uid)));
            }
        } catch (SQLException | IllegalArgumentException e) {
            throw new KmsStoreException("cannot read " + uid + ": " + e.getMessage(), e);
        }
    }

    /** Every user, by identity. */
    public synchronized List<KmsUser> list() throws KmsStoreException {
        List<String> uids = new ArrayList<>();
        try (Statement select = connection.createStatement(); ResultSet rows = select.executeQuery("SELECT uid FROM kms_user ORDER BY uid")) {
            while (rows.next()) {
                uids.add(rows.getString(1));
            }
        } catch (SQLException e) {
            throw new KmsStoreException("cannot list users: " + e.getMessage(), e);
        }
        List<KmsUser> users = new ArrayList<>();
        for (String uid : uids) {
            find(uid).ifPresent(users::add);
        }
        return users;
    }

    private Set<String> rules(String sql, String uid) throws SQLException {
        Set<String> values = new HashSet<>();
        try (PreparedStatement select = connection.prepareStatement(sql)) {
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
            connection.rollback();
        } catch (SQLException ignored) {
            // the connection is broken: the next call reports it
        }
    }

    private void autoCommit() {
        try {
            connection.setAutoCommit(true);
        } catch (SQLException ignored) {
            // as above
        }
    }

    @Override
    public synchronized void close() throws KmsStoreException {
        try {
            connection.close();
        } catch (SQLException e) {
            throw new KmsStoreException("cannot close the user store: " + e.getMessage(), e);
        }
    }
}
