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

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.pageserver.application.engine.MemoryLayerStore.Fault;
import org.pageserver.domain.config.TenantConfigField;
import org.pageserver.domain.error.PageserverException;
import org.pageserver.domain.layer.LayerDescriptor;
import org.pageserver.domain.layer.LayerName;
import org.pageserver.domain.lsn.Lsn;
import org.pageserver.domain.timeline.TimelineMetadata;

/** L0 to L1 compaction: what it merges, how it cuts its output, what reads see, and what a failure leaves. */
class L0CompactionTest {
    private static final int BLOCKS = 8;
    private final EngineFixture engine = new EngineFixture();
    /** The pages after each round: pages.get(n)[blk]. */
    private final List<byte[][]> pages = new ArrayList<>();

    @AfterEach
    void close() {
        engine.close();
    }

    /**
     * Rounds 1 to {@code rounds}, one L0 layer each: round 1 writes every block whole, each later
     * round changes two blocks by a delta. Round n's records end at {@link #roundEnd(int)}.
     */
    private void rounds(TimelineData timeline, int rounds) {
        for (int n = pages.size() + 1; n <= rounds; n++) {
            byte[][] now = new byte[BLOCKS][];
            if (n == 1) {
                ingest(timeline, resize(100, REL, BLOCKS));
                for (int blk = 0; blk < BLOCKS; blk++) {
                    ingest(timeline, image(100 + 1 + blk, REL, blk, blk + 1));
                    now[blk] = filled(blk + 1);
                }
            } else {
                byte[][] before = pages.get(pages.size() - 1);
                for (int blk = 0; blk < BLOCKS; blk++) {
                    now[blk] = before[blk].clone();
                }
                for (int blk : new java.util.TreeSet<>(List.of(n % BLOCKS, (n * 3) % BLOCKS))) {
                    ingest(timeline, delta(100L * n + 1 + blk, REL, blk, n, n));
                    now[blk][n] = (byte) n;
                }
            }
            pages.add(now);
            timeline.checkpoint();
        }
    }

    private static Lsn roundEnd(int n) {
        return at(100L * n + 1 + BLOCKS);
    }

    /** Every block at the end of every round reads as written. */
    private void assertReads(TimelineData timeline) {
        for (int n = 1; n <= pages.size(); n++) {
            for (int blk = 0; blk < BLOCKS; blk++) {
                assertArrayEquals(pages.get(n - 1)[blk], timeline.page(REL, blk, roundEnd(n)), "block " + blk + " round " + n);
            }
        }
    }

    private static List<LayerName> names(TimelineData timeline) {
        return timeline.layerFiles().stream().map(LayerDescriptor::name).toList();
    }

    private static long l0(TimelineData timeline) {
        return names(timeline).stream().filter(LayerName::isL0).count();
    }

    private static List<LayerName> l1(TimelineData timeline) {
        return names(timeline).stream().filter(n -> !n.image() && !n.isL0()).sorted(
                java.util.Comparator.comparing(LayerName::keyStart)).toList();
    }

    @Test
    void atCompactionThresholdTheL0LayersBecomeL1LayersOverTheirWholeLsnRangeAndReadsAgree() {
        engine.configure(Map.of(TenantConfigField.COMPACTION_THRESHOLD, 4L, TenantConfigField.IMAGE_CREATION_THRESHOLD, 100L));
        TimelineData timeline = engine.root();
        rounds(timeline, 3);
        assertFalse(timeline.compact(), "3 L0 layers: below compaction_threshold");
        assertEquals(3, l0(timeline));
        rounds(timeline, 4);
        List<LayerName> before = names(timeline);
        assertTrue(timeline.compact());

        assertEquals(0, l0(timeline));
        List<LayerName> l1 = l1(timeline);
        assertEquals(1, l1.size(), "under compaction_target_size: one L1 layer");
        assertEquals(before.stream().map(LayerName::lsnStart).min(Lsn::compareTo).orElseThrow(), l1.get(0).lsnStart());
        assertEquals(before.stream().map(LayerName::lsnEnd).max(Lsn::compareTo).orElseThrow(), l1.get(0).lsnEnd());
        assertReads(timeline);
        assertTrue(engine.files.layerWriters.isEmpty());
        assertEquals(names(timeline).size(), engine.files.files.size(), "the L0 files are deleted");

        TimelineData restarted = engine.reload(engine.rows.timelines.values().stream()
                .filter(m -> m.timelineId().equals(timeline.metadata().timelineId())).findFirst().orElseThrow(), null);
        assertEquals(l1, l1(restarted));
        assertReads(restarted);
    }

    @Test
    void theOutputIsCutIntoKeyRangesOfAboutCompactionTargetSize() {
        // Each block's versions are about 2 pages: a target of 3 pages cuts after every second block or so.
        engine.configure(Map.of(TenantConfigField.COMPACTION_THRESHOLD, 2L, TenantConfigField.IMAGE_CREATION_THRESHOLD, 100L,
                TenantConfigField.COMPACTION_TARGET_SIZE, 3L * 8192));
        TimelineData timeline = engine.root();
        rounds(timeline, 6);
        assertTrue(timeline.compact());
        List<LayerName> l1 = l1(timeline);
        assertTrue(l1.size() >= 3, l1.toString());
        for (int i = 1; i < l1.size(); i++) {
            assertTrue(l1.get(i - 1).keyEnd().compareTo(l1.get(i).keyStart()) <= 0, "disjoint key ranges: " + l1);
            assertEquals(l1.get(0).lsnStart(), l1.get(i).lsnStart());
            assertEquals(l1.get(0).lsnEnd(), l1.get(i).lsnEnd());
        }
        assertReads(timeline);
    }

    @Test
    void newerL0LayersStackOnTheL1LayersAndTheNextCompactionTakesOnlyThem() {
        engine.configure(Map.of(TenantConfigField.COMPACTION_THRESHOLD, 2L, TenantConfigField.IMAGE_CREATION_THRESHOLD, 100L));
        TimelineData timeline = engine.root();
        rounds(timeline, 3);
        assertTrue(timeline.compact());
        List<LayerName> first = l1(timeline);
        rounds(timeline, 6);
        assertEquals(3, l0(timeline));
        assertTrue(timeline.compact());
        List<LayerName> all = l1(timeline);
        assertTrue(all.containsAll(first), "the older L1 layers stay as they are");
        assertEquals(first.size() + 1, all.size());
        assertReads(timeline);
    }

    @Test
    void aFlushWaitsForCompactionOnceThreeTimesCompactionThresholdL0LayersPileUp() {
        // compaction_threshold 1: the limit is 3 L0 layers; compaction_period keeps the periodic one away.
        engine.configure(Map.of(TenantConfigField.COMPACTION_THRESHOLD, 1L, TenantConfigField.IMAGE_CREATION_THRESHOLD, 100L));
        TimelineData timeline = engine.root();
        rounds(timeline, 3);
        assertEquals(3, l0(timeline), "at the limit, not above it yet");
        rounds(timeline, 4);
        assertEquals(1, l0(timeline), "the fourth flush waited for the three below it to be merged");
        assertEquals(1, l1(timeline).size());
        assertReads(timeline);
    }

    @Test
    void aFailedWriteBreaksTheTimelineLeavesNothingBehindAndARestartCompactsAgain() {
        engine.configure(Map.of(TenantConfigField.COMPACTION_THRESHOLD, 2L, TenantConfigField.IMAGE_CREATION_THRESHOLD, 100L,
                TenantConfigField.COMPACTION_TARGET_SIZE, 3L * 8192));
        TimelineMetadata meta = engine.rootMetadata();
        TimelineData timeline = engine.create(meta, null);
        rounds(timeline, 4);
        List<LayerName> l0 = names(timeline);
        // The second output fails at its publish: the first, published, must go again.
        engine.files.failNextAfter(Fault.PUBLISH, 1, "No space left on device");
        PageserverException e = assertThrows(PageserverException.class, timeline::compact);
        assertTrue(e.getMessage().contains("L0 compaction failed") && e.getMessage().contains("No space left on device"),
                e.getMessage());
        assertTrue(timeline.brokenReason().contains("L0 compaction failed"), "a state with its reason");
        assertThrows(PageserverException.class, () -> timeline.page(REL, 0, roundEnd(4)), "broken: refused, not guessed");
        assertTrue(engine.files.layerWriters.isEmpty(), "no file left half-written");
        assertEquals(l0.size(), engine.files.files.size(), "no output left published");

        TimelineData restarted = engine.reload(meta, null);
        assertEquals(l0, names(restarted), "the L0 layers as they were");
        assertReads(restarted);
        assertTrue(restarted.compact(), "and the next compaction runs");
        assertEquals(0, l0(restarted));
        assertReads(restarted);
    }

    @Test
    void aFailedReadOfAnInputBreaksTheTimelineAndChangesNothing() {
        engine.configure(Map.of(TenantConfigField.COMPACTION_THRESHOLD, 2L, TenantConfigField.IMAGE_CREATION_THRESHOLD, 100L));
        TimelineMetadata meta = engine.rootMetadata();
        TimelineData timeline = engine.create(meta, null);
        rounds(timeline, 3);
        List<LayerName> l0 = names(timeline);
        engine.files.failNext(Fault.READ, "Input/output error");
        assertThrows(PageserverException.class, timeline::compact);
        assertTrue(timeline.brokenReason().contains("Input/output error"), timeline.brokenReason());
        TimelineData restarted = engine.reload(meta, null);
        assertEquals(l0, names(restarted));
        assertReads(restarted);
    }

    @Test
    void aStoppedTimelineIsNotCompacted() {
        engine.configure(Map.of(TenantConfigField.COMPACTION_THRESHOLD, 2L, TenantConfigField.IMAGE_CREATION_THRESHOLD, 100L));
        TimelineData timeline = engine.root();
        rounds(timeline, 3);
        timeline.shutdown();
        assertFalse(timeline.compact());
        assertEquals(3, l0(timeline));
        assertTrue(engine.files.layerWriters.isEmpty());
    }
}
