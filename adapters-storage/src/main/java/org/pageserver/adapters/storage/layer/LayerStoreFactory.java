package org.pageserver.adapters.storage.layer;

import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.pageserver.application.port.out.DiskSpace;
import org.pageserver.application.port.out.LayerStore;

/** Puts the layer files under the node's work directory, and tells how full its disk is. */
@Factory
class LayerStoreFactory {

    @Singleton
    LayerStore layerStore(@Value("${pageserver.workdir:.pageserver}") Path workdir,
                          @Value("${pageserver.map-layer-files:true}") boolean mapLayerFiles) {
        refuseOldIngestLog(workdir.resolve("wal"));
        // Absolute, so that every message naming a file names it whole (and Failures can keep it from clients).
        return new LocalLayerStore(workdir.toAbsolutePath().normalize(), mapLayerFiles);
    }

    /** The disk of the work directory, for disk-usage based eviction. */
    @Singleton
    DiskSpace diskSpace(@Value("${pageserver.workdir:.pageserver}") Path workdir) {
        return new FileStoreDiskSpace(workdir.toAbsolutePath().normalize());
    }

    /**
     * Before ingest files, acknowledged batches went to a node-wide log under {@code <workdir>/wal}
     * and layer files had format version 1. This version reads neither: starting would silently
     * drop what the log holds, so the node refuses to start on such a work directory instead.
     */
    static void refuseOldIngestLog(Path walDir) {
        try (DirectoryStream<Path> segments = Files.newDirectoryStream(walDir, "*.log")) {
            if (segments.iterator().hasNext()) {
                throw new IllegalStateException(walDir + " holds an ingest log written by an earlier version of the"
                        + " pageserver, whose files this version does not read: start it on a new work directory"
                        + " (pageserver.workdir)");
            }
        } catch (NoSuchFileException e) {
            // No old log: the usual case.
        } catch (IOException e) {
            throw new UncheckedIOException("checking " + walDir + " for an earlier version's ingest log", e);
        }
    }
}
