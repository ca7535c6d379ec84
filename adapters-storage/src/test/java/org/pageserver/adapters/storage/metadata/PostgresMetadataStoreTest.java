package org.pageserver.adapters.storage.metadata;

import java.util.Map;
import org.junit.jupiter.api.AfterAll;

/** The contract on a real PostgreSQL server, the production database, started by the test itself. */
class PostgresMetadataStoreTest extends MetadataStoreContractTest {
    private PostgresCluster cluster;

    @Override
    protected Map<String, String> startDatabase() throws Exception {
        cluster = PostgresCluster.startOrSkip();
        return Map.of(
                "datasources.default.url", cluster.jdbcUrl(),
                "datasources.default.username", cluster.user(),
                "datasources.default.password", "",
                "datasources.default.driver-class-name", "org.postgresql.Driver",
                "datasources.default.dialect", "POSTGRES");
    }

    /** Runs after the base class has closed the application context, so no connection is left open. */
    @AfterAll
    void stopCluster() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Override
    protected boolean forcesItsOwnCommits() {
        return true;
    }
}
