package org.pageserver.application.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.pageserver.application.engine.EngineFixture.OTHER;
import static org.pageserver.application.engine.EngineFixture.REL;
import static org.pageserver.application.engine.EngineFixture.at;
import static org.pageserver.application.engine.EngineFixture.drop;
import static org.pageserver.application.engine.EngineFixture.image;
import static org.pageserver.application.engine.EngineFixture.ingest;
import static org.pageserver.application.engine.EngineFixture.resize;

import org.junit.jupiter.api.Test;
import org.pageserver.domain.error.PageserverException;
import org.pageserver.domain.page.RelTag;

/**
 * The relation sizes ingest keeps answer size questions without a look in a layer file, from the
 * LSN of each relation's last change on; below it, and for a relation never seen below the point
 * the sizes were worked out from, the layers answer. A layer store that fails its next read shows
 * which reads looked.
 */
class RelSizeCacheTest {

    @Test
    void sizesFromTheLastChangeOnComeFromMemoryAndOlderOnesFromTheLayers() {
        try (EngineFixture engine = new EngineFixture()) {
            TimelineData timeline = engine.root();
            ingest(timeline, image(1, REL, 0, 1), image(2, REL, 4, 2), image(3, OTHER, 0, 3));
            ingest(timeline, resize(5, REL, 2), drop(6, OTHER));
            timeline.checkpoint();

            engine.files.failNext(MemoryLayerStore.Fault.READ, "a read of a layer file");
            assertEquals(2, timeline.relSize(REL, at(6)).nblocks(), "since the cut at 5: from memory");
            assertEquals(2, timeline.relSize(REL, at(5)).nblocks());
            assertFalse(timeline.relSize(OTHER, at(6)).exists(), "dropped at 6: from memory");
            assertFalse(timeline.relSize(new RelTag(1663, 16384, 99, 0), at(6)).exists(),
                    "never created: every relation is known from where the sizes were worked out");
            assertTrue(timeline.brokenReason() == null, "no layer was read");

            // Below the last change, the layers answer: the armed failure fires and breaks the timeline.
            assertThrows(PageserverException.class, () -> timeline.relSize(REL, at(4)));
            assertTrue(timeline.brokenReason() != null && timeline.brokenReason().contains("a read of a layer file"),
                    String.valueOf(timeline.brokenReason()));
        }
    }

    @Test
    void afterARestartTheSizesHoldFromWhereTheTimelineStarted() {
        try (EngineFixture engine = new EngineFixture()) {
            TimelineData timeline = engine.root();
            ingest(timeline, image(1, REL, 0, 1), image(2, REL, 3, 2));
            timeline.checkpoint();
            timeline.shutdown();
            TimelineData again = engine.reload(timeline.metadata(), null);
            // The first ingest works the sizes out from the layers, at the LSN the timeline started from.
            ingest(again, image(3, OTHER, 0, 3));
            engine.files.failNext(MemoryLayerStore.Fault.READ, "a read of a layer file");
            assertEquals(4, again.relSize(REL, at(3)).nblocks());
            assertEquals(4, again.relSize(REL, at(2)).nblocks(), "at the start LSN");
            assertEquals(1, again.relSize(OTHER, at(3)).nblocks());
            assertTrue(again.brokenReason() == null, "no layer was read");
            assertThrows(PageserverException.class, () -> again.relSize(REL, at(1)), "below the start: the layers");
        }
    }
}
