package org.pageserver.application.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.pageserver.application.engine.EngineFixture.REL;
import static org.pageserver.application.engine.EngineFixture.at;
import static org.pageserver.application.engine.EngineFixture.delta;
import static org.pageserver.application.engine.EngineFixture.filled;
import static org.pageserver.application.engine.EngineFixture.image;
import static org.pageserver.application.engine.EngineFixture.ingest;
import static org.pageserver.application.engine.EngineFixture.resize;

import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.pageserver.domain.config.TenantConfigField;
import org.pageserver.domain.layer.LayerDescriptor;
import org.pageserver.domain.layer.LayerName;
import org.pageserver.domain.lsn.Lsn;
import org.pageserver.domain.page.Key;
import org.pageserver.domain.page.Page;
import org.pageserver.domain.timeline.TimelineMetadata;

/** Freezing, flushing to layer files, and what a load finds on disk. */
class TimelineDataFlushTest {
    private final EngineFixture engine = new EngineFixture();

    @AfterEach
    void close() {
        engine.close();
    }

    private List<LayerDescriptor> recorded(TimelineMetadata m) {
        return engine.rows.loadLayers(m.tenantId(), m.timelineId());
    }

    @Test
    void checkpointWritesALayerAndMovesDiskConsistentLsn() {
        TimelineMetadata meta = engine.rootMetadata();
        TimelineData timeline = engine.create(meta, null);
        ingest(timeline, image(1, REL, 0, 1), delta(2, REL, 0, 5, 9), resize(3, REL, 4));
        assertEquals(Lsn.INITDB, timeline.metadata().diskConsistentLsn());
        assertTrue(timeline.layerFiles().isEmpty());

        timeline.checkpoint();
        assertEquals(at(3), timeline.metadata().diskConsistentLsn());
        assertEquals(at(3), timeline.metadata().lastRecordLsn());
        assertEquals(1, timeline.layerFiles().size());
        LayerDescriptor layer = timeline.layerFiles().get(0);
        // Named for the keys it holds, from the block's to the relation size's, so that reads of other keys pass it by.
        assertEquals(LayerName.l0(Lsn.INITDB.plus(1), at(3).plus(1)),
                layer.name());
        assertEquals(List.of(layer), recorded(meta));
        assertEquals(Collections.singleton(layer.name()), engine.files.listLayers(meta.tenantId(), meta.timelineId()));
        assertEquals(layer.fileSize(), timeline.physicalSize());
        assertTrue(layer.fileSize() > Page.SIZE);
        TimelineMetadata stored = engine.rows.timelines.get(meta.tenantId() + "/" + meta.timelineId());
        assertEquals(at(3), stored.diskConsistentLsn());
        assertEquals(at(3), stored.lastRecordLsn());
        assertEquals(at(2), stored.prevRecordLsn());

        byte[] expected = filled(1);
        expected[5] = 9;
        assertArrayEquals(expected, timeline.page(REL, 0, at(3)), "read back from the layer file");
        assertArrayEquals(Page.zero(), timeline.page(REL, 3, at(3)));

        timeline.checkpoint();
        assertEquals(1, timeline.layerFiles().size(), "nothing new, no new layer");
        ingest(timeline, image(4, REL, 1, 4));
        timeline.checkpoint();
        assertEquals(2, timeline.layerFiles().size());
        assertEquals(at(4), timeline.metadata().diskConsistentLsn());
        assertEquals(at(3).plus(1), timeline.layerFiles().get(0).name().lsnStart(), "layers meet without a gap");
    }

    @Test
    void checkpointTimeoutFreezesAndFlushes() throws Exception {
        engine.configure(TenantConfigField.CHECKPOINT_TIMEOUT, Duration.ofMillis(20));
        TimelineData timeline = engine.root();
        timeline.freezeIfOld();
        assertTrue(timeline.layerFiles().isEmpty(), "an empty layer is never frozen");
        ingest(timeline, image(1, REL, 0, 1));
        Thread.sleep(40);
        timeline.freezeIfOld();
        EngineFixture.awaitFlushed(timeline);
        assertEquals(1, timeline.layerFiles().size());
        assertEquals(at(1), timeline.metadata().diskConsistentLsn());
        assertArrayEquals(filled(1), timeline.page(REL, 0, at(1)));
    }

    @Test
    void aYoungLayerIsNotFrozen() throws Exception {
        TimelineData timeline = engine.root();
        ingest(timeline, image(1, REL, 0, 1));
        timeline.freezeIfOld();
        Thread.sleep(50);
        assertTrue(timeline.layerFiles().isEmpty());
        assertEquals(Lsn.INITDB, timeline.metadata().diskConsistentLsn());
    }

    @Test
    void checkpointDistanceFreezesInTheBackground() throws Exception {
        engine.configure(TenantConfigField.CHECKPOINT_DISTANCE, 1000L);
        TimelineData timeline = engine.root();
        ingest(timeline, image(1, REL, 0, 1));  // 8 KiB of values: above the distance at once
        EngineFixture.awaitFlushed(timeline);
        assertEquals(1, timeline.layerFiles().size());
    }

    @Test
    void loadDeletesStrayLayersAndSealsWhatTheIngestFileHolds() {
        TimelineMetadata meta = engine.rootMetadata();
        TimelineData timeline = engine.create(meta, null);
        ingest(timeline, image(1, REL, 0, 1));
        timeline.checkpoint();
        ingest(timeline, image(2, REL, 1, 2));
        LayerName stray = new LayerName(Key.MIN, Key.MAX, at(5), at(6));
        engine.files.putLayer(meta.tenantId(), meta.timelineId(), stray, List.of());
        timeline.shutdown();

        TimelineData loaded = engine.reload(meta, null);
        LayerName recovered = LayerName.l0(at(1).plus(1), at(2).plus(1));
        assertEquals(Set.of(timeline.layerFiles().get(0).name(), recovered),
                engine.files.listLayers(meta.tenantId(), meta.timelineId()), "the stray file is gone");
        assertEquals(at(2), loaded.metadata().lastRecordLsn());
        assertEquals(at(2), loaded.metadata().diskConsistentLsn(), "the ingest file was sealed as a layer");
        assertArrayEquals(filled(1), loaded.page(REL, 0, at(2)));
        assertArrayEquals(filled(2), loaded.page(REL, 1, at(2)));
        assertEquals(2L * Page.SIZE, loaded.logicalSize());
    }

    @Test
    void loadFailsWhenARecordedLayerIsMissing() {
        TimelineMetadata meta = engine.rootMetadata();
        TimelineData timeline = engine.create(meta, null);
        ingest(timeline, image(1, REL, 0, 1));
        timeline.checkpoint();
        LayerName name = timeline.layerFiles().get(0).name();
        timeline.shutdown();
        engine.files.deleteLayer(meta.tenantId(), meta.timelineId(), name);

        TimelineMetadata stored = engine.rows.timelines.get(meta.tenantId() + "/" + meta.timelineId());
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> TimelineData.load(engine.context, () -> engine.config, stored, null));
        assertTrue(e.getMessage().contains(name.fileName()) && e.getMessage().contains("missing")
                && e.getMessage().contains(meta.timelineId().toString()), e.getMessage());
    }

    @Test
    void theDataSurvivesAReloadAfterSeveralFlushes() {
        TimelineMetadata meta = engine.rootMetadata();
        TimelineData timeline = engine.create(meta, null);
        for (int n = 1; n <= 6; n++) {
            ingest(timeline, image(n, REL, n % 3, n));
            if (n % 2 == 0) {
                timeline.checkpoint();
            }
        }
        timeline.shutdown();
        TimelineData loaded = engine.reload(meta, null);
        assertEquals(3, loaded.layerFiles().size());
        for (int n = 1; n <= 6; n++) {
            assertArrayEquals(filled(n), loaded.page(REL, n % 3, at(n)), "block " + n % 3 + " at " + at(n));
        }
        assertFalse(loaded.relSize(REL, at(0)).exists());
    }
}
