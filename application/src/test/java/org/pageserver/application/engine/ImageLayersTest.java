package org.pageserver.application.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.pageserver.application.engine.EngineFixture.OTHER;
import static org.pageserver.application.engine.EngineFixture.REL;
import static org.pageserver.application.engine.EngineFixture.at;
import static org.pageserver.application.engine.EngineFixture.delta;
import static org.pageserver.application.engine.EngineFixture.drop;
import static org.pageserver.application.engine.EngineFixture.filled;
import static org.pageserver.application.engine.EngineFixture.image;
import static org.pageserver.application.engine.EngineFixture.ingest;
import static org.pageserver.application.engine.EngineFixture.resize;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.pageserver.application.engine.MemoryLayerStore.Fault;
import org.pageserver.domain.config.TenantConfigField;
import org.pageserver.domain.error.ErrorKind;
import org.pageserver.domain.error.PageserverException;
import org.pageserver.domain.layer.KeyRange;
import org.pageserver.domain.layer.LayerDescriptor;
import org.pageserver.domain.lsn.Lsn;
import org.pageserver.domain.id.TimelineId;
import org.pageserver.domain.timeline.TimelineMetadata;

/** Image layers: when compaction makes one, what reads see through it, and what a failure or a restart leaves. */
class ImageLayersTest {
    private final EngineFixture engine = new EngineFixture();

    @AfterEach
    void close() {
        engine.close();
    }

    /** Block 0 of REL changed once in each of {@code layers} layer files (at(3), at(4), ...), on an image in the first. */
    private static void history(TimelineData timeline, int layers) {
        ingest(timeline, image(1, REL, 0, 1), image(2, REL, 1, 7));
        timeline.checkpoint();
        for (int i = 1; i < layers; i++) {
            ingest(timeline, delta(2 + i, REL, 0, i, 0x40 + i));
            timeline.checkpoint();
        }
    }

    private static byte[] expectedPage(int deltas) {
        byte[] page = filled(1);
        for (int i = 1; i <= deltas; i++) {
            page[i] = (byte) (0x40 + i);
        }
        return page;
    }

    private static List<LayerDescriptor> images(TimelineData timeline) {
        return timeline.layerFiles().stream().filter(l -> l.name().image()).toList();
    }

    @Test
    void anImageIsMadeOnceEnoughDeltasStackAndReadsThroughItAgreeAtEveryLsn() {
        TimelineMetadata meta = engine.rootMetadata();
        TimelineData timeline = engine.create(meta, null);
        history(timeline, 2);
        assertFalse(timeline.compact(), "2 delta layers: below the threshold of 3");
        ingest(timeline, delta(4, REL, 0, 2, 0x42));
        timeline.checkpoint();
        assertTrue(timeline.compact());
        assertFalse(timeline.compact(), "no delta above the new image");
        List<LayerDescriptor> images = images(timeline);
        assertEquals(1, images.size());
        assertEquals(timeline.metadata().diskConsistentLsn(), images.get(0).name().lsnStart());
        assertEquals(List.of(images.get(0).name()), engine.rows.loadLayers(meta.tenantId(), meta.timelineId()).stream()
                .map(LayerDescriptor::name).filter(n -> n.image()).toList(), "recorded");

        ingest(timeline, delta(5, REL, 0, 3, 0x43));
        timeline.checkpoint();
        for (TimelineData t : List.of(timeline, engine.reload(meta, null))) {
            assertArrayEquals(expectedPage(3), t.page(REL, 0, at(5)), "a delta above the image, then the image");
            assertArrayEquals(expectedPage(2), t.page(REL, 0, at(4)), "the image itself");
            assertArrayEquals(expectedPage(1), t.page(REL, 0, at(3)), "below the image: the deltas as before");
            assertArrayEquals(filled(1), t.page(REL, 0, at(2)));
            assertArrayEquals(filled(7), t.page(REL, 1, at(5)));
            assertEquals(2, t.relSize(REL, at(5)).nblocks());
        }
    }

    /**
     * A flush can publish its L0 layer between a compaction turn's read of disk_consistent_lsn and
     * its count of the layers, and make due again the partition that the previous turn imaged at
     * that LSN. The turn then writes nothing: a second file of the same name broke the timeline
     * ("image layer creation failed: layer … is already recorded", seen in TimelineDataModelTest).
     */
    @Test
    void anImageAlreadyMadeAtTheLsnIsNotMadeAgain() {
        TimelineData timeline = engine.root();
        history(timeline, 3);
        assertTrue(timeline.compact());
        Lsn at = timeline.metadata().diskConsistentLsn();
        List<KeyRange> partitions = ImageLayers.partitions(timeline, timeline.compactionSettings().targetSize());

        assertFalse(timeline.maintenance().makeImages(partitions, at, "asked again at the same LSN"));
        assertEquals(1, images(timeline).size());
        assertEquals(at, images(timeline).get(0).name().lsnStart());
        assertArrayEquals(expectedPage(2), timeline.page(REL, 0, at), "the timeline still reads");
    }

    @Test
    void theImageLeavesOutWhatTheRelationNoLongerHasAndReadsStillSeeItGone() {
        TimelineData timeline = engine.root();
        ingest(timeline, image(1, REL, 0, 1), image(2, REL, 1, 2), image(3, REL, 2, 3), image(4, OTHER, 0, 9));
        timeline.checkpoint();
        ingest(timeline, resize(5, REL, 1));
        timeline.checkpoint();
        ingest(timeline, drop(6, OTHER));
        timeline.checkpoint();
        assertTrue(timeline.compact());

        ingest(timeline, resize(7, REL, 3));
        assertArrayEquals(filled(1), timeline.page(REL, 0, at(7)));
        assertArrayEquals(new byte[8192], timeline.page(REL, 1, at(7)), "cut off, then grown again: zeros");
        assertFalse(timeline.relSize(OTHER, at(7)).exists());
        assertArrayEquals(filled(9), timeline.page(OTHER, 0, at(4)), "before the drop, below the image");
    }

    @Test
    void aBranchsImageHoldsWhatItSeesOfItsAncestor() {
        TimelineMetadata rootMeta = engine.rootMetadata();
        TimelineData root = engine.create(rootMeta, null);
        ingest(root, image(1, REL, 0, 1), image(2, OTHER, 0, 5));
        root.checkpoint();
        ingest(root, image(3, OTHER, 0, 6));
        TimelineData branch = engine.create(root.metadata().branch(TimelineId.generate(), at(2), null), root);
        for (int i = 2; i <= 4; i++) {
            ingest(branch, delta(10 + i, REL, 0, i, 0x50 + i));
            branch.checkpoint();
        }
        assertTrue(branch.compact());
        assertEquals(1, images(branch).size());

        assertArrayEquals(filled(5), branch.page(OTHER, 0, at(14)), "the ancestor's page at the branch point");
        byte[] page = filled(1);
        page[2] = 0x52;
        page[3] = 0x53;
        page[4] = 0x54;
        assertArrayEquals(page, branch.page(REL, 0, at(14)));
        assertArrayEquals(filled(6), root.page(OTHER, 0, at(3)), "the ancestor untouched");
    }

    @Test
    void aFailedWriteBreaksTheTimelineWithTheReasonAndARestartLosesNothing() {
        TimelineMetadata meta = engine.rootMetadata();
        TimelineData timeline = engine.create(meta, null);
        history(timeline, 3);
        engine.files.failNext(Fault.SEAL, "No space left on device");
        PageserverException e = assertThrows(PageserverException.class, timeline::compact);
        assertEquals(ErrorKind.UNAVAILABLE, e.kind());
        assertTrue(e.getMessage().contains("image layer creation failed") && e.getMessage().contains("No space left on device"),
                e.getMessage());
        assertThrows(PageserverException.class, () -> timeline.page(REL, 0, at(4)), "broken: refused, not guessed");

        TimelineData restarted = engine.reload(meta, null);
        assertTrue(images(restarted).isEmpty(), "nothing half-made is recorded");
        assertTrue(engine.files.layerWriters.isEmpty(), "nor left behind");
        assertArrayEquals(expectedPage(2), restarted.page(REL, 0, at(4)));
        assertTrue(restarted.compact(), "and the next compaction makes it");
        assertArrayEquals(expectedPage(2), restarted.page(REL, 0, at(4)));
    }

    @Test
    void aStoppedTimelineMakesNoImage() {
        engine.configure(TenantConfigField.IMAGE_CREATION_THRESHOLD, 1L);
        TimelineData timeline = engine.root();
        ingest(timeline, image(1, REL, 0, 1));
        timeline.checkpoint();
        timeline.shutdown();
        assertFalse(timeline.compact());
        assertTrue(images(timeline).isEmpty());
        assertTrue(engine.files.layerWriters.isEmpty());
    }
}
