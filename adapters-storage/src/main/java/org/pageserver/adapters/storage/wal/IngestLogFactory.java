package org.pageserver.adapters.storage.wal;

import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;
import java.nio.file.Path;

/** Puts the ingest log in {@code <workdir>/wal}; closing it on shutdown writes out what is queued. */
@Factory
class IngestLogFactory {

    @Singleton
    @Bean(preDestroy = "close")
    FileIngestLog ingestLog(@Value("${pageserver.workdir:.pageserver}") Path workdir) {
        return new FileIngestLog(workdir.resolve("wal"));
    }
}
