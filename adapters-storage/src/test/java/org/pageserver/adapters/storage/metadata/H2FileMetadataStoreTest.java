package org.pageserver.adapters.storage.metadata;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;

/** The contract on an H2 file database, the default deployment. */
class H2FileMetadataStoreTest extends MetadataStoreContractTest {
    @TempDir
    static Path dir;

    @Override
    protected Map<String, String> startDatabase() {
        return H2Database.datasourceProperties(dir.resolve("metadata"));
    }

    @Override
    protected boolean forcesItsOwnCommits() {
        return false;
    }
}
