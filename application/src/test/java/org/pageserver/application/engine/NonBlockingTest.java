package org.pageserver.application.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.pageserver.application.engine.EngineFixture.REL;
import static org.pageserver.application.engine.EngineFixture.at;
import static org.pageserver.application.engine.EngineFixture.filled;
import static org.pageserver.application.engine.EngineFixture.image;
import static org.pageserver.application.engine.EngineFixture.ingest;

import org.junit.jupiter.api.Test;
import org.pageserver.domain.layer.LayerName;

/**
 * A read attempted without waiting (an event loop) answers from layer files on local disk that
 * are open, and gives up, downloading nothing, where it would need an evicted one, open a file or
 * wait for the disk; the same read outside an attempt is unchanged.
 */
class NonBlockingTest {

    @Test
    void anAttemptGivesUpWhereItWouldDownloadAndAnswersWhereTheFilesAreLocal() {
        try (EngineFixture engine = new EngineFixture()) {
            TimelineData timeline = engine.root();
            ingest(timeline, image(1, REL, 0, 1));
            timeline.checkpoint();
            ingest(timeline, image(2, REL, 1, 2));
            timeline.checkpoint();
            assertEquals(2, timeline.layerFiles().size());

            assertNull(NonBlocking.attempt(() -> timeline.page(REL, 0, at(2))),
                    "the files are not open yet: opening one reads and checks its index, a wait");
            assertArrayEquals(filled(1), timeline.page(REL, 0, at(2)), "a read that may wait opens them");
            LayerName older = timeline.layerFiles().stream().map(l -> l.name())
                    .min(java.util.Comparator.comparing(LayerName::lsnStart)).orElseThrow();
            assertTrue(timeline.residence().evictLayer(older, name -> true, "test"));

            // Block 1 was never read, so no cached page answers for it: the layers do.
            assertArrayEquals(filled(2), NonBlocking.attempt(() -> timeline.page(REL, 1, at(2))),
                    "the newer layer holds block 1 and, since the first write, the relation's size: no need of the evicted one");
            // Block 0's cached page was read at at(2), above at(1): a read at at(1) needs the layers.
            assertNull(NonBlocking.attempt(() -> timeline.page(REL, 0, at(1))), "block 0 is only in the evicted layer");
            assertFalse(timeline.residence().layerMap().historic().stream().filter(h -> h.layer().name().equals(older))
                    .findFirst().orElseThrow().resident(), "the attempt downloaded nothing");
            assertNull(timeline.brokenReason());
        }
    }

    @Test
    void anAttemptGivesUpWhereTheFilesBytesAreNotInMemory() {
        try (EngineFixture engine = new EngineFixture()) {
            TimelineData timeline = engine.root();
            ingest(timeline, image(1, REL, 0, 1), image(2, REL, 1, 3));
            timeline.checkpoint();
            assertArrayEquals(filled(1), timeline.page(REL, 0, at(2)), "opens the file");

            engine.files.notInMemory = true;
            assertNull(NonBlocking.attempt(() -> timeline.page(REL, 1, at(2))),
                    "reading the page would wait for the disk: the attempt gives up");
            assertArrayEquals(filled(3), timeline.page(REL, 1, at(2)), "a read that may wait reads it");
            engine.files.notInMemory = false;
            assertArrayEquals(filled(3), NonBlocking.attempt(() -> timeline.page(REL, 1, at(2))));
        }
    }
}
