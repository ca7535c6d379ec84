package org.pageserver.adapters.storage.wal;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micronaut.context.ApplicationContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pageserver.adapters.storage.layer.LocalLayerStore;
import org.pageserver.application.port.out.IngestLog;
import org.pageserver.application.port.out.LayerStore;

/** The beans sit under {@code pageserver.workdir}, and shutting the context down closes the log. */
class IngestLogFactoryTest {
    @TempDir
    Path workdir;

    @Test
    void theLogAndTheLayerStoreLiveUnderTheWorkdirAndTheLogClosesWithTheContext() {
        IngestLog log;
        try (ApplicationContext context = ApplicationContext.run(Map.of("pageserver.workdir", workdir.toString()))) {
            assertInstanceOf(LocalLayerStore.class, context.getBean(LayerStore.class));
            log = context.getBean(IngestLog.class);
            log.append(FileIngestLogTest.TENANT, FileIngestLogTest.A, TestBatches.commits(0x1000, 1)).join();
            assertTrue(Files.exists(SegmentFile.path(workdir.resolve("wal"), 1)));
        }
        IngestLog closed = log;
        assertThrows(CompletionException.class,
                () -> closed.append(FileIngestLogTest.TENANT, FileIngestLogTest.A, TestBatches.commits(0x2000, 1)).join());
    }
}
