package org.mediasec.kms;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A store's JDBC connection, opened again when the database closed itself under it. H2 closes an embedded database
 * when a write to its file fails (a full file system, a file-size limit: its MVStore "panics"), and every later
 * statement on every connection to it fails with "The database has been closed", reads included: the KMS could then
 * neither issue a ticket nor list a user until restarted (KmsFaultTest). The file holds the last commit (the failed
 * write was never acknowledged), so after a failed statement on any store's connection (the user store's write closes
 * the database under the master-key store too) the next use of each connection probes the database and opens it
 * again if it is closed; a write that needs space fails again, alone, until there is space.
 *
 * The database opens again only once every connection to the closed one is closed (H2 keeps its file locked until
 * then: "Database may be already in use"), so the first store to find it closed closes the others' connections to it
 * too ({@link #EPOCH}: which opening of the database a connection belongs to); the others then join the new one.
 *
 * <p>Thread rule: the owning store's monitor; {@link #FAILURES} and {@link #OPEN} are shared by all, concurrent, and
 * another store may close this one's connection (JDBC's close is thread-safe; the field is volatile).
 */
final class StoreConnection implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StoreConnection.class);

    private final String jdbcUrl;
    /** A read of the store's own table, to tell a closed database from a failed statement. */
    private final String probe;
    /** Failed statements on every store's connection in this process: the stores may share one database. */
    private static final AtomicLong FAILURES = new AtomicLong();
    /** Every store's connection in this process, to close them all when their database has closed. */
    private static final Set<StoreConnection> OPEN = ConcurrentHashMap.newKeySet();
    /** How many times a store opened the database again: a connection opened in an older epoch is to a closed one. */
    private static final AtomicLong EPOCH = new AtomicLong();
    private volatile Connection connection;
    /** The {@link #EPOCH} this connection was opened in. */
    private volatile long openedIn;
    /** {@link #FAILURES} when this connection was last known to be open: any other count means probe it. */
    private long knownOpenAt;

    StoreConnection(String jdbcUrl, Connection connection, String probe) {
        this.jdbcUrl = jdbcUrl;
        this.connection = connection;
        this.probe = probe;
        this.knownOpenAt = FAILURES.get();
        this.openedIn = EPOCH.get();
        OPEN.add(this);
    }

    /** The connection, opened again first if a statement failed and the database has closed since. */
    Connection get() throws KmsStoreException {
        long failures = FAILURES.get();
        if (failures == knownOpenAt) {
            return connection;
        }
        knownOpenAt = failures;
        try (Statement statement = connection.createStatement(); ResultSet ignored = statement.executeQuery(probe)) {
            return connection; // still open: the failure was the statement's own
        } catch (SQLException closed) {
            LOG.warn("the KMS's database closed itself after a failed statement ({}): opening it again", closed.getMessage());
        }
        StoreSchema.closeQuietly(connection);
        synchronized (OPEN) {
            long epoch = EPOCH.get();
            if (openedIn == epoch) {
                // the first to find it closed: every connection still to the closed database goes, then it opens again
                OPEN.stream().filter(store -> store.jdbcUrl.equals(jdbcUrl) && store.openedIn == epoch).forEach(store -> StoreSchema.closeQuietly(store.connection));
                EPOCH.incrementAndGet();
            }
            return reconnect();
        }
    }

    private Connection reconnect() throws KmsStoreException {
        long failures = FAILURES.get();
        try {
            connection = DriverManager.getConnection(jdbcUrl);
            openedIn = EPOCH.get();
            return connection;
        } catch (SQLException e) {
            knownOpenAt = failures - 1; // probed again at the next use
            throw new KmsStoreException("the KMS's database closed and cannot be opened again: " + reason(e), e);
        }
    }

    /** The connection as it is, not probed: for a statement after {@link #get} in the same call, or to roll back after a failure. */
    Connection current() {
        return connection;
    }

    /**
     * Forces what was committed onto the disk before the caller acknowledges it. {@code WRITE_DELAY=0} makes H2 write
     * a commit to its file at once, but into the page cache, which a power cut (or a kernel crash) loses after the
     * KMS said "added" or "rotated"; {@code CHECKPOINT SYNC} (H2's grammar: "forces all system buffers be written to
     * the underlying device") ends in fsync(2) of the file. The KMS writes a few times per administrative command,
     * never per ticket, so one fsync per write costs nothing that matters (KmsDurabilityTest shows the order).
     */
    void forceToDisk() throws SQLException {
        // on the connection the write just used: a database closed since fails here like the write would have
        try (Statement sync = current().createStatement()) {
            sync.execute("CHECKPOINT SYNC");
        } catch (SQLException notForced) {
            // not acknowledged, yet not undone either: the page cache may still write it, or a restart find it
            throw new SQLException("written but not forced to disk, so it may or may not be kept: " + reason(notForced),
                    notForced.getSQLState(), notForced.getErrorCode(), notForced);
        }
    }

    /** Notes that a statement failed and says why ({@link #reason}). */
    String failed(SQLException e) {
        FAILURES.incrementAndGet();
        return reason(e);
    }

    /**
     * The database's message and, when it does not say it, the system's reason at the bottom of the chain: H2 reports a
     * write the file system refused as "Writing to … failed" and keeps "No space left on device" or "File too large" in
     * its cause, which is what the administrator needs to read.
     */
    static String reason(SQLException e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = String.valueOf(e.getMessage());
        return root == e || root.getMessage() == null || message.contains(root.getMessage()) ? message : message + " (" + root.getMessage() + ")";
    }

    @Override
    public void close() throws SQLException {
        OPEN.remove(this);
        connection.close();
    }
}
