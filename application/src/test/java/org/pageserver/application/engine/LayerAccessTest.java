package org.pageserver.application.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.pageserver.application.engine.EngineFixture.REL;
import static org.pageserver.application.engine.EngineFixture.image;
import static org.pageserver.application.engine.EngineFixture.ingest;

import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Reads of a layer file are recorded in its metadata (for eviction), in batches, and only when there were reads. */
class LayerAccessTest {
    private final EngineFixture engine = new EngineFixture();

    @AfterEach
    void close() {
        engine.close();
    }

    @Test
    void aReadLayerGetsItsAccessTimeSavedOnce() {
        TimelineData timeline = engine.root();
        ingest(timeline, image(1, REL, 0, 7));
        timeline.checkpoint();
        String layer = timeline.metadata().tenantId() + "/" + timeline.metadata().timelineId() + "/"
                + timeline.layerFiles().get(0).name().fileName();

        timeline.saveAccessTimes();
        assertFalse(engine.rows.lastAccess.containsKey(layer), "not read yet");

        Instant before = Instant.now().minusMillis(1);
        timeline.page(REL, 0, timeline.metadata().lastRecordLsn());
        timeline.saveAccessTimes();
        Instant saved = engine.rows.lastAccess.get(layer);
        assertTrue(saved != null && !saved.isBefore(before), String.valueOf(saved));

        engine.rows.lastAccess.clear();
        timeline.saveAccessTimes();
        assertEquals(Map.of(), engine.rows.lastAccess, "nothing read since the last save");
    }

    /** An eviction and a download are saved with the access times, each once. */
    @Test
    void aLayersResidenceIsSavedWhenItChanges() {
        TimelineData timeline = engine.root();
        ingest(timeline, image(1, REL, 0, 7));
        timeline.checkpoint();
        org.pageserver.domain.layer.LayerName name = timeline.layerFiles().get(0).name();
        String layer = timeline.metadata().tenantId() + "/" + timeline.metadata().timelineId() + "/" + name.fileName();

        timeline.saveAccessTimes();
        assertFalse(engine.rows.residence.containsKey(layer), "resident since its flush: nothing to save");
        assertTrue(timeline.residence().evictLayer(name, n -> true, "manual"));
        timeline.saveAccessTimes();
        assertEquals(Boolean.FALSE, engine.rows.residence.get(layer), "evicted");
        engine.rows.residence.clear();
        timeline.saveAccessTimes();
        assertEquals(Map.of(), engine.rows.residence, "no change since the last save");
    }
}
