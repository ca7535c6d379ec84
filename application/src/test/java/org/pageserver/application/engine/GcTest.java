package org.pageserver.application.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.pageserver.application.engine.EngineFixture.REL;
import static org.pageserver.application.engine.EngineFixture.at;
import static org.pageserver.application.engine.EngineFixture.commit;
import static org.pageserver.application.engine.EngineFixture.filled;
import static org.pageserver.application.engine.EngineFixture.image;
import static org.pageserver.application.engine.EngineFixture.ingest;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.pageserver.application.engine.MemoryLayerStore.Hold;
import org.pageserver.domain.error.ErrorKind;
import org.pageserver.domain.error.PageserverException;
import org.pageserver.domain.id.TimelineId;
import org.pageserver.domain.layer.LayerDescriptor;
import org.pageserver.domain.lsn.Lsn;
import org.pageserver.domain.timeline.GcResult;
import org.pageserver.domain.timeline.TimelineMetadata;

/** GC: what it removes and keeps, what reads see after it, branches, PITR, reads in flight, failures. */
class GcTest {
    private static final Instant NOW = Instant.parse("2026-12-05T12:00:00Z");

    private final EngineFixture engine = new EngineFixture();

    @AfterEach
    void close() {
        engine.close();
    }

    /** Round r (from 1) rewrites blocks 0..3 with fill r at at(10 r + blk), in a layer file of its own. */
    private static void rounds(TimelineData timeline, int from, int to) {
        for (int r = from; r <= to; r++) {
            for (int blk = 0; blk < 4; blk++) {
                ingest(timeline, image(10L * r + blk, REL, blk, r));
            }
            timeline.checkpoint();
        }
    }

    private static List<LayerDescriptor> images(TimelineData timeline) {
        return timeline.layerFiles().stream().filter(l -> l.name().image()).toList();
    }

    @Test
    void layersBelowTheCutoffThatAnImageCoversGoAndReadsAtOrAboveItAgree() {
        TimelineMetadata meta = engine.rootMetadata();
        TimelineData timeline = engine.create(meta, null);
        rounds(timeline, 1, 5);
        assertTrue(timeline.compact(), "an image at round 5's end");
        rounds(timeline, 6, 7);
        long horizon = at(73).distanceFrom(at(60));

        GcResult result = timeline.gc(horizon, Duration.ZERO, List.of(), NOW);

        // The 5 deltas end at or below the image (at round 5's last LSN), which covers them.
        assertEquals(8, result.layersTotal(), result.toString());
        assertEquals(5, result.layersRemoved(), result.toString());
        assertEquals(at(60), timeline.metadata().latestGcCutoffLsn());
        assertEquals(3, timeline.layerFiles().size());
        assertEquals(3, engine.files.listLayers(meta.tenantId(), meta.timelineId()).size(), "their files are deleted");
        assertEquals(3, engine.rows.loadLayers(meta.tenantId(), meta.timelineId()).size(), "and their rows");
        for (TimelineData t : List.of(timeline, engine.reload(meta, null))) {
            assertEquals(at(60), t.metadata().latestGcCutoffLsn(), "the cutoff is stored");
            assertArrayEquals(filled(5), t.page(REL, 3, at(60)), "at the cutoff: the image");
            for (int blk = 0; blk < 4; blk++) {
                assertArrayEquals(filled(6), t.page(REL, blk, at(63)));
                assertArrayEquals(filled(7), t.page(REL, blk, at(73)));
            }
            PageserverException below = assertThrows(PageserverException.class, () -> t.readLsn(at(55), Duration.ZERO));
            assertEquals(ErrorKind.BAD_REQUEST, below.kind());
            assertEquals(ErrorKind.BAD_REQUEST, assertThrows(PageserverException.class, () -> t.page(REL, 0, at(55))).kind(),
                    "the engine's reads check the cutoff too");
            assertEquals(ErrorKind.BAD_REQUEST, assertThrows(PageserverException.class,
                    () -> CommitSearch.timestampAt(t, at(55))).kind(), "and the commit time at an LSN");
        }
        assertEquals(GcResult.NOTHING, timeline.gc(horizon, Duration.ZERO, List.of(), NOW), "the cutoff would not move");
    }

    @Test
    void withoutANewerImageNothingGoesAndABranchKeepsWhatItStartsOn() {
        TimelineData timeline = engine.root();
        rounds(timeline, 1, 4);
        GcResult noImage = timeline.gc(0, Duration.ZERO, List.of(), NOW);
        assertEquals(0, noImage.layersRemoved());
        assertEquals(3, noImage.layersNotUpdated(), "the last one reaches above the cutoff");

        rounds(timeline, 5, 6);
        assertTrue(timeline.compact());
        rounds(timeline, 7, 7);
        GcResult branched = timeline.gc(0, Duration.ZERO, List.of(at(22)), NOW);
        // Rounds 1 and 2 start at or below the branch point at(22); rounds 3 to 6 go, under the image.
        assertEquals(2, branched.layersNeededByBranches(), branched.toString());
        assertEquals(4, branched.layersRemoved(), branched.toString());
        assertEquals(4, timeline.layerFiles().size(), "rounds 1, 2 and 7, and the image");
    }

    @Test
    void pitrKeepsEverythingNewerThanTheCommitBeforeNowMinusTheInterval() {
        TimelineData timeline = engine.root();
        long hour = Duration.ofHours(1).toMillis() * 1000;
        long nowMicros = NOW.toEpochMilli() * 1000;
        for (int r = 1; r <= 6; r++) {
            for (int blk = 0; blk < 4; blk++) {
                ingest(timeline, image(10L * r + blk, REL, blk, r));
            }
            // Round r commits r - 7 hours from now: round 4 is the last one more than 2 hours old.
            ingest(timeline, commit(10L * r + 5, nowMicros - (7 - r) * hour));
            timeline.checkpoint();
            if (r == 3) {
                assertTrue(timeline.compact());
            }
        }
        GcResult result = timeline.gc(0, Duration.ofHours(2), List.of(), NOW);
        assertEquals(Lsn.of(at(55).value() - 1), timeline.metadata().latestGcCutoffLsn(),
                "just below the first commit at or after now - 2 h, round 5's");
        assertEquals(3, result.layersRemoved(), result.toString());
        assertEquals(GcResult.NOTHING, engine.root().gc(0, Duration.ofDays(7), List.of(), NOW),
                "no commit that old: nothing moves");
    }

    @Test
    void aReadInsideALayerFileGcRemovesFinishesBeforeTheFileIsDeleted() throws Exception {
        TimelineData timeline = engine.root();
        rounds(timeline, 1, 3);
        Lsn pinned = at(31);
        assertTrue(timeline.compact());
        rounds(timeline, 4, 4);
        // A read below the image and below the coming cutoff, held inside a delta file GC removes.
        Hold hold = engine.files.holdNextRead();
        CompletableFuture<byte[]> read = CompletableFuture.supplyAsync(() -> timeline.page(REL, 1, pinned));
        hold.awaitEntered();
        CompletableFuture<GcResult> gc = CompletableFuture.supplyAsync(
                () -> timeline.gc(at(43).distanceFrom(at(40)), Duration.ZERO, List.of(), NOW));
        TimeUnit.MILLISECONDS.sleep(200);
        assertFalse(gc.isDone(), "GC waits for the read inside the file it removes");
        hold.release();
        assertArrayEquals(filled(3), read.get(10, TimeUnit.SECONDS));
        assertEquals(3, gc.get(10, TimeUnit.SECONDS).layersRemoved());
        assertEquals(at(40), timeline.metadata().latestGcCutoffLsn());
        assertThrows(PageserverException.class, () -> timeline.readLsn(pinned, Duration.ZERO), "below the cutoff now");
    }

    @Test
    void aFailureToRecordBreaksTheTimelineAndARestartLosesNothing() {
        TimelineMetadata meta = engine.rootMetadata();
        TimelineData timeline = engine.create(meta, null);
        rounds(timeline, 1, 3);
        assertTrue(timeline.compact());
        rounds(timeline, 4, 4);
        engine.rows.failNextReplace("the database is read-only");
        PageserverException e = assertThrows(PageserverException.class,
                () -> timeline.gc(0, Duration.ZERO, List.of(), NOW));
        assertTrue(e.getMessage().contains("GC failed") && e.getMessage().contains("read-only"), e.getMessage());

        TimelineData restarted = engine.reload(meta, null);
        assertEquals(Lsn.INITDB, restarted.metadata().latestGcCutoffLsn(), "the cutoff did not move");
        assertEquals(5, restarted.layerFiles().size(), "no layer went");
        assertArrayEquals(filled(2), restarted.page(REL, 0, at(22)));
        assertEquals(3, restarted.gc(0, Duration.ZERO, List.of(), NOW).layersRemoved(), "and the next GC runs");
    }

    @Test
    void aBranchReadsItsAncestorsHistoryAfterTheAncestorsGc() {
        TimelineMetadata rootMeta = engine.rootMetadata();
        TimelineData root = engine.create(rootMeta, null);
        rounds(root, 1, 3);
        TimelineData branch = engine.create(root.metadata().branch(TimelineId.generate(), at(23), null), root);
        rounds(root, 4, 6);
        assertTrue(root.compact());
        rounds(root, 7, 7);
        root.gc(0, Duration.ZERO, List.of(at(23)), NOW);
        for (int blk = 0; blk < 4; blk++) {
            assertArrayEquals(filled(2), branch.page(REL, blk, at(23)), "block " + blk);
        }
    }

    /**
     * A branch whose own GC cutoff passed its branch point reads its ancestor only there: GC makes
     * images at that point and removes what lies below it; the branch reads the same after, and a
     * second GC makes no second image.
     */
    @Test
    void anImageAtABranchPointTheBranchReadsOnlyAtLetsTheHistoryBelowItGo() {
        TimelineData root = engine.root();
        rounds(root, 1, 3);
        Lsn branchPoint = at(23);
        TimelineData branch = engine.create(root.metadata().branch(TimelineId.generate(), branchPoint, null), root);
        rounds(root, 4, 6);
        int layersBefore = root.layerFiles().size();

        GcResult kept = root.gc(0, Duration.ZERO, List.of(branchPoint), NOW);
        assertEquals(0, kept.layersRemoved(), "a branch that may read below its point keeps everything below it");
        assertTrue(images(root).isEmpty());

        rounds(root, 7, 7);
        layersBefore++;
        GcResult result = root.gc(0, Duration.ZERO, List.of(), List.of(branchPoint), NOW);
        List<LayerDescriptor> images = images(root);
        assertEquals(1, images.size(), "the image at the branch point");
        assertEquals(branchPoint, images.get(0).name().lsnStart());
        assertTrue(result.layersRemoved() >= 2, "rounds 1 and 2 lie wholly below the branch point: " + result);
        assertEquals(layersBefore + 1 - result.layersRemoved(), root.layerFiles().size(), "the image in, the removed ones out");
        for (int blk = 0; blk < 4; blk++) {
            assertArrayEquals(filled(2), branch.page(REL, blk, branchPoint), "block " + blk);
            assertArrayEquals(filled(7), root.page(REL, blk, root.metadata().lastRecordLsn()), "block " + blk);
        }
        rounds(root, 8, 8);
        root.gc(0, Duration.ZERO, List.of(), List.of(branchPoint), NOW);
        assertEquals(1, images(root).size(), "no second image at the same point");
    }
}
