package org.pageserver.application.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.pageserver.application.engine.EngineFixture.REL;
import static org.pageserver.application.engine.EngineFixture.at;
import static org.pageserver.application.engine.EngineFixture.filled;
import static org.pageserver.application.engine.EngineFixture.image;
import static org.pageserver.application.engine.EngineFixture.ingest;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.pageserver.application.port.out.IngestFile;
import org.pageserver.domain.config.TenantConfigField;
import org.pageserver.domain.layer.LayerDescriptor;
import org.pageserver.domain.layer.LayerName;
import org.pageserver.domain.lsn.Lsn;
import org.pageserver.domain.page.EncodedVersion;
import org.pageserver.domain.page.Key;
import org.pageserver.domain.page.KeyVersion;
import org.pageserver.domain.page.Value;
import org.pageserver.domain.timeline.TimelineMetadata;

/** What a start finds in ingest files, and the order in which batches become durable. */
class TimelineRecoveryTest {
    private final EngineFixture engine = new EngineFixture();

    @AfterEach
    void close() {
        engine.close();
    }

    @Test
    void whatTheIngestFileHoldsIsSealedAndRecordedAtTheNextStart() {
        TimelineMetadata meta = engine.rootMetadata();
        TimelineData timeline = engine.create(meta, null);
        ingest(timeline, image(1, REL, 0, 1));
        ingest(timeline, image(2, REL, 1, 2));
        timeline.shutdown();

        TimelineData loaded = engine.reload(meta, null);
        LayerName recovered = LayerName.l0(Lsn.INITDB.plus(1), at(2).plus(1));
        assertEquals(List.of(recovered), engine.rows.loadLayers(meta.tenantId(), meta.timelineId()).stream()
                .map(LayerDescriptor::name).toList());
        assertEquals(at(2), loaded.metadata().lastRecordLsn());
        assertEquals(at(1), loaded.metadata().prevRecordLsn());
        assertEquals(at(2), loaded.metadata().diskConsistentLsn());
        assertArrayEquals(filled(2), loaded.page(REL, 1, at(2)));
        assertTrue(engine.files.ingestFiles.isEmpty(), "the ingest file became the layer");
    }

    @Test
    void aLeftoverWhoseLayerWasAlreadyRecordedIsOnlyRenamed() {
        TimelineMetadata meta = engine.rootMetadata();
        TimelineData timeline = engine.create(meta, null);
        ingest(timeline, image(1, REL, 0, 1));
        timeline.shutdown();
        // The crash came after the flush recorded the layer and before it renamed the file.
        LayerName name = LayerName.l0(Lsn.INITDB.plus(1), at(1).plus(1));
        LayerDescriptor layer = new LayerDescriptor(name, 1234);
        engine.rows.saveFlushedLayer(meta.withLsns(at(1), Lsn.INITDB, at(1)), layer);

        TimelineData loaded = engine.reload(meta, null);
        assertEquals(List.of(layer), engine.rows.loadLayers(meta.tenantId(), meta.timelineId()), "recorded once");
        assertEquals(Set.of(name), engine.files.listLayers(meta.tenantId(), meta.timelineId()));
        assertArrayEquals(filled(1), loaded.page(REL, 0, at(1)));
    }

    @Test
    void layersWhoseRecordingWasLostAreRecordedAgainBeforeTheIngestFileAfterThem() {
        TimelineMetadata meta = engine.rootMetadata();
        TimelineData timeline = engine.create(meta, null);
        ingest(timeline, image(1, REL, 0, 1));
        timeline.checkpoint();
        ingest(timeline, image(2, REL, 1, 2));
        timeline.checkpoint();
        ingest(timeline, image(3, REL, 2, 3));
        timeline.shutdown();
        // An OS crash that the metadata database did not survive whole: both flushes' commits are
        // gone (the layer rows, and the timeline row as it was before them), their renames are not.
        String key = meta.tenantId() + "/" + meta.timelineId();
        engine.rows.layers.remove(key);
        engine.rows.timelines.remove(key);

        TimelineData loaded = engine.reload(meta, null);
        assertEquals(3, engine.rows.loadLayers(meta.tenantId(), meta.timelineId()).size(),
                "two files recorded again, then the ingest file sealed after them");
        assertEquals(at(3), loaded.metadata().lastRecordLsn());
        assertEquals(at(2), loaded.metadata().prevRecordLsn());
        assertEquals(at(3), loaded.metadata().diskConsistentLsn());
        assertArrayEquals(filled(1), loaded.page(REL, 0, at(3)));
        assertArrayEquals(filled(2), loaded.page(REL, 1, at(3)));
        assertArrayEquals(filled(3), loaded.page(REL, 2, at(3)));
    }

    @Test
    void aLeftoverThatDoesNotContinueTheTimelineIsDeleted() {
        TimelineMetadata meta = engine.rootMetadata();
        TimelineData timeline = engine.create(meta, null);
        ingest(timeline, image(1, REL, 0, 1));
        timeline.checkpoint();
        timeline.shutdown();
        // A file starting past a gap: an older layer lost its tail, so none of this was acknowledged.
        IngestFile stray = engine.files.createIngestFile(meta.tenantId(), meta.timelineId(), at(5));
        EncodedVersion version = EncodedVersion.of(new KeyVersion(Key.block(REL, 0), at(6),
                new Value.PageImage(filled(6))));
        stray.append(List.of(version), at(6), at(5), new long[1]);

        TimelineData loaded = engine.reload(meta, null);
        assertEquals(at(1), loaded.metadata().lastRecordLsn());
        assertEquals(1, engine.rows.loadLayers(meta.tenantId(), meta.timelineId()).size());
        assertTrue(engine.files.ingestFiles.isEmpty(), "the stray ingest file is gone");
        assertArrayEquals(filled(1), loaded.page(REL, 0, at(1)));
    }

    @Test
    void aBatchIsAcknowledgedOnlyOnceTheLayersBeforeItAreDurable() throws Exception {
        // Every batch fills a layer: the second goes to a new layer and file while the first's
        // file is still being forced. Acknowledging the second before the first is durable would
        // let a crash lose the first after the second was acknowledged.
        engine.configure(TenantConfigField.CHECKPOINT_DISTANCE, 1L);
        TimelineData timeline = engine.root();
        CountDownLatch slowDisk = engine.files.holdNextIngestFile();
        CompletableFuture<Lsn> first = CompletableFuture.supplyAsync(() -> ingest(timeline, image(1, REL, 0, 1)));
        awaitAccepted(timeline, 1);
        CompletableFuture<Lsn> second = CompletableFuture.supplyAsync(() -> ingest(timeline, image(2, REL, 1, 2)));
        awaitAccepted(timeline, 2);

        Thread.sleep(200);
        assertFalse(first.isDone());
        assertFalse(second.isDone(), "the second batch waits for the first's file");
        assertEquals(Lsn.INITDB, timeline.metadata().lastRecordLsn());

        slowDisk.countDown();
        assertEquals(at(1), first.get(5, TimeUnit.SECONDS));
        assertEquals(at(2), second.get(5, TimeUnit.SECONDS));
        assertEquals(at(2), timeline.metadata().lastRecordLsn());
    }

    /** Waits until the timeline's files hold {@code batches} batches: accepted, maybe not yet durable. */
    private void awaitAccepted(TimelineData timeline, int batches) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (engine.files.appendedBatches() < batches) {
            assertTrue(System.nanoTime() < deadline, "batch " + batches + " never reached a file");
            Thread.sleep(5);
        }
    }
}
