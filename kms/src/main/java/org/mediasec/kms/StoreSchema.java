package org.mediasec.kms;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/** What the user and master key stores share about their schema. Stateless. */
final class StoreSchema {

    private StoreSchema() {}

    /**
     * Refuses a database made before keys were sealed at rest (its tables exist with the clear key column and without
     * {@code column}): it would have to be converted, and its file would still hold the clear keys in old pages.
     */
    static void requireSealedColumn(Connection connection, String table, String column, String jdbcUrl) throws KmsStoreException {
        try (Statement probe = connection.createStatement()) {
            probe.executeQuery("SELECT " + column + " FROM " + table + " WHERE 1 = 0").close();
        } catch (SQLException e) {
            throw new KmsStoreException("the database at " + jdbcUrl + " was made by an earlier mediasec that stored keys in clear (table " + table
                    + " has no " + column + "): move it away and provision the users again (docs/kms.md)", e);
        }
    }

    static void closeQuietly(Connection connection) {
        if (connection == null) {
            return;
        }
        try {
            connection.close();
        } catch (SQLException ignored) {
            // failing already: the first error is the one to report
        }
    }
}
