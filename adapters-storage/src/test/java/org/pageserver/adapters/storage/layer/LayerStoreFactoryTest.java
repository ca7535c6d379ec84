package org.pageserver.adapters.storage.layer;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LayerStoreFactoryTest {
    @TempDir
    Path workdir;

    @Test
    void aWorkDirectoryWithAnEarlierVersionsIngestLogIsRefused() throws IOException {
        Path wal = Files.createDirectories(workdir.resolve("wal"));
        Files.write(wal.resolve("0000000000000001.log"), new byte[] {1, 2, 3});
        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> LayerStoreFactory.refuseOldIngestLog(wal));
        assertTrue(refused.getMessage().contains("new work directory"), refused.getMessage());
    }

    @Test
    void aWorkDirectoryWithoutOneIsTaken() throws IOException {
        assertDoesNotThrow(() -> LayerStoreFactory.refuseOldIngestLog(workdir.resolve("wal")));
        Files.createDirectories(workdir.resolve("wal"));
        assertDoesNotThrow(() -> LayerStoreFactory.refuseOldIngestLog(workdir.resolve("wal")));
    }
}
