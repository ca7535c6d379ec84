package org.pageserver.application.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.pageserver.application.engine.EngineFixture.REL;
import static org.pageserver.application.engine.EngineFixture.at;
import static org.pageserver.application.engine.EngineFixture.filled;
import static org.pageserver.application.engine.EngineFixture.image;
import static org.pageserver.application.engine.EngineFixture.ingest;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.pageserver.domain.error.ErrorKind;
import org.pageserver.domain.error.PageserverException;
import org.pageserver.domain.lsn.Lsn;

/**
 * Removing a timeline while an operation is halfway through it: the operation is paused at the
 * worst point (an ingest between its write and its force, a read inside a layer file) while the
 * removal runs. The removal waits for it, the operation ends whole, and whatever comes after the
 * removal began is refused with 503, never an I/O error on a file closed under it.
 */
class TimelineRemovalTest {
    private final EngineFixture engine = new EngineFixture();

    @AfterEach
    void close() {
        engine.close();
    }

    @Test
    void removalWaitsForAnIngestBetweenItsWriteAndItsForce() throws Exception {
        TimelineData timeline = engine.root();
        CountDownLatch slowDisk = engine.files.holdNextIngestFile();
        CompletableFuture<Lsn> ingest = CompletableFuture.supplyAsync(() -> ingest(timeline, image(1, REL, 0, 1)));
        awaitAppended(1);

        CompletableFuture<Void> removal = CompletableFuture.runAsync(() -> remove(timeline));
        awaitRemovalBegun(timeline, removal);
        boolean removalWaited = !removal.isDone();
        assertStopping(() -> ingest(timeline, image(2, REL, 1, 2)));
        assertStopping(timeline::checkpoint);

        slowDisk.countDown();
        assertEquals(at(1), ingest.get(5, TimeUnit.SECONDS), "the batch in progress is acknowledged whole");
        assertTrue(removalWaited, "the removal waits for the ingest in progress");
        removal.get(5, TimeUnit.SECONDS);
        assertTrue(engine.files.ingestFiles.isEmpty(), "the removal deleted the ingest file once the ingest was done");
        assertEquals(0, engine.context.memoryBudget().used());
    }

    @Test
    void removalWaitsForAReadInsideALayerFile() throws Exception {
        TimelineData timeline = engine.root();
        ingest(timeline, image(1, REL, 0, 7));
        timeline.checkpoint();
        MemoryLayerStore.Hold slowRead = engine.files.holdNextRead();
        CompletableFuture<byte[]> read = CompletableFuture.supplyAsync(() -> timeline.page(REL, 0, at(1)));
        slowRead.awaitEntered();

        CompletableFuture<Void> removal = CompletableFuture.runAsync(() -> remove(timeline));
        awaitRemovalBegun(timeline, removal);
        boolean removalWaited = !removal.isDone();

        slowRead.release();
        assertArrayEquals(filled(7), read.get(5, TimeUnit.SECONDS), "the read in progress reads the file whole");
        assertTrue(removalWaited, "the removal waits for the read in progress");
        removal.get(5, TimeUnit.SECONDS);
        assertStopping(() -> timeline.page(REL, 0, at(1)));
    }

    /** What TimelineStorage does to a timeline that goes: stop it, then take it apart. */
    private static void remove(TimelineData timeline) {
        timeline.shutdown();
        timeline.discard();
    }

    /**
     * Waits until the removal has ended or refuses new operations (503, the timeline is stopping):
     * from then on all it may do is wait for the operations inside.
     */
    private static void awaitRemovalBegun(TimelineData timeline, CompletableFuture<Void> removal) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!removal.isDone()) {
            try {
                timeline.relSize(REL, at(1));
            } catch (PageserverException e) {
                assertEquals(ErrorKind.UNAVAILABLE, e.kind(), e.getMessage());
                assertTrue(e.getMessage().contains("is stopping"), e.getMessage());
                return;
            }
            assertTrue(System.nanoTime() < deadline, "the removal never began refusing operations");
            Thread.sleep(5);
        }
    }

    private static void assertStopping(Executable operation) {
        PageserverException refused = assertThrows(PageserverException.class, operation);
        assertEquals(ErrorKind.UNAVAILABLE, refused.kind(), refused.getMessage());
    }

    private void awaitAppended(int batches) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (engine.files.appendedBatches() < batches) {
            assertTrue(System.nanoTime() < deadline, "batch " + batches + " never reached a file");
            Thread.sleep(5);
        }
    }
}
