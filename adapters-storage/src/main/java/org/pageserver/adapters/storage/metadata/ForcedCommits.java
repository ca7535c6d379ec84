package org.pageserver.adapters.storage.metadata;

import io.micronaut.data.connection.ConnectionDefinition;
import io.micronaut.data.connection.ConnectionOperations;
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
    private final ConnectionOperations<Connection> connections;
    private final AtomicLong forced = new AtomicLong();
    private volatile Boolean h2;

    ForcedCommits(TransactionOperations<Connection> transactions, ConnectionOperations<Connection> connections) {
        this.transactions = transactions;
        this.connections = connections;
    }

    /**
     * Called inside a write transaction: once it commits, the database's file is forced before the
     * transactional method returns to its caller.
     */
    void forceOnCommit() {
        var status = transactions.findTransactionStatus()
                .orElseThrow(() -> new IllegalStateException("forceOnCommit outside a transaction"));
        if (!isH2((Connection) status.getConnection())) {
            return;
        }
        status.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                force();
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

    private void force() {
        connections.execute(ConnectionDefinition.REQUIRES_NEW, status -> {
            try (Statement statement = status.getConnection().createStatement()) {
                statement.execute("CHECKPOINT SYNC");
            } catch (SQLException e) {
                throw new IllegalStateException("the metadata database could not force its commit to disk", e);
            }
            return null;
        });
        forced.incrementAndGet();
    }

    /** How many commits were forced so far. */
    long forcedCount() {
        return forced.get();
    }
}
