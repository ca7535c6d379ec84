package org.pageserver.adapters.storage.metadata;

import io.micronaut.transaction.TransactionOperations;
import io.micronaut.transaction.support.TransactionSynchronization;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Makes a committed metadata change survive an OS crash on the embedded H2 database. H2 writes a
 * commit to its file before the commit returns ({@code WRITE_DELAY=0}), so a killed process loses
 * nothing, but it never forces the file: the page cache holds the commit, and an OS crash or power
 * loss may drop it while keeping what the node did after it (a layer file renamed and forced, an
 * answer sent). So after every transaction that changes metadata, {@code CHECKPOINT SYNC} forces
 * H2's file before the save returns. PostgreSQL forces its own commits (its default
 * {@code synchronous_commit=on}): there this does nothing. What it costs is in
 * docs/storage-engine.md ("Crashes of the OS").
 */
@Singleton
final class ForcedCommits {
    private final TransactionOperations<Connection> transactions;
    private final AtomicLong forced = new AtomicLong();
    private volatile Boolean h2;

    ForcedCommits(TransactionOperations<Connection> transactions) {
        this.transactions = transactions;
    }

    /**
     * Called inside a write transaction: once it commits, the database's file is forced before the
     * transactional method returns to its caller.
     */
    void forceOnCommit() {
        var status = transactions.findTransactionStatus()
                .orElseThrow(() -> new IllegalStateException("forceOnCommit outside a transaction"));
        Connection connection = (Connection) status.getConnection();
        if (!isH2(connection)) {
            return;
        }
        status.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                // On the transaction's own connection, which it holds until it completes: taking a
                // second one here would let as many concurrent commits as the pool has connections
                // wait for each other's (ten tenant creates at once did, for the pool's 30 s).
                force(connection);
            }
        });
    }

    private boolean isH2(Connection connection) {
        Boolean known = h2;
        if (known == null) {
            try {
                known = "H2".equals(connection.getMetaData().getDatabaseProductName());
            } catch (SQLException e) {
                throw new IllegalStateException("cannot tell which database holds the metadata", e);
            }
            h2 = known;
        }
        return known;
    }

    private void force(Connection connection) {
        try (Statement statement = connection.createStatement()) {
            statement.execute("CHECKPOINT SYNC");
        } catch (SQLException e) {
            throw new IllegalStateException("the metadata database could not force its commit to disk", e);
        }
        forced.incrementAndGet();
    }

    /** How many commits were forced so far. */
    long forcedCount() {
        return forced.get();
    }
}
