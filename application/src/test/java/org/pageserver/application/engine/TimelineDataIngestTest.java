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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.pageserver.domain.error.ErrorKind;
import org.pageserver.domain.error.PageserverException;
import org.pageserver.domain.lsn.Lsn;
import org.pageserver.domain.page.Page;
import org.pageserver.domain.page.RelTag;
import org.pageserver.domain.wal.WalDecoder;
import org.pageserver.domain.wal.WalEncoder;
import org.pageserver.domain.wal.WalRecord;

/**
 * Ingest and the read rules of docs/data-plane.md ("Batches", "Reads"): sizes, missing blocks,
 * truncation, drop.
 */
class TimelineDataIngestTest {
    private final EngineFixture engine = new EngineFixture();

    @AfterEach
    void close() {
        engine.close();
    }

    private static void assertNotFound(TimelineData timeline, RelTag rel, long blkno, Lsn lsn) {
        PageserverException e = assertThrows(PageserverException.class, () -> timeline.page(rel, blkno, lsn));
        assertEquals(ErrorKind.NOT_FOUND, e.kind());
        assertTrue(e.getMessage().contains(rel.toString()), e.getMessage());
    }

    @Test
    void rejectsABatchNotAboveLastRecordLsnAndAppliesNothing() {
        TimelineData timeline = engine.root();
        PageserverException atStart = assertThrows(PageserverException.class,
                () -> ingest(timeline, new WalRecord.PageImage(Lsn.INITDB, REL, 0, filled(1))));
        assertEquals(ErrorKind.BAD_REQUEST, atStart.kind());

        ingest(timeline, image(1, REL, 0, 1), image(2, REL, 1, 2));
        int logged = engine.files.appendedBatches();
        for (long first : new long[] {2, 1}) {
            PageserverException e = assertThrows(PageserverException.class,
                    () -> ingest(timeline, image(first, OTHER, 0, 9), image(5, REL, 0, 9), resize(6, REL, 7)));
            assertEquals(ErrorKind.BAD_REQUEST, e.kind());
            assertTrue(e.getMessage().contains(at(first).toString()) && e.getMessage().contains(at(2).toString()),
                    e.getMessage());
        }
        assertEquals(at(2), timeline.metadata().lastRecordLsn());
        assertEquals(at(1), timeline.metadata().prevRecordLsn());
        assertEquals(logged, engine.files.appendedBatches(), "nothing of a rejected batch reaches a file");
        assertFalse(timeline.relSize(OTHER, at(2)).exists());
        assertEquals(2, timeline.relSize(REL, at(2)).nblocks());
        assertArrayEquals(filled(1), timeline.page(REL, 0, at(2)));
        assertEquals(2L * Page.SIZE, timeline.logicalSize());

        assertEquals(at(3), ingest(timeline, image(3, REL, 0, 3)));
        assertArrayEquals(filled(3), timeline.page(REL, 0, at(3)));
    }

    @Test
    void blockBeyondTheSizeAndMissingRelationsAreNotFound() {
        TimelineData timeline = engine.root();
        ingest(timeline, image(1, REL, 2, 1));
        assertEquals(3, timeline.relSize(REL, at(1)).nblocks());
        assertArrayEquals(Page.zero(), timeline.page(REL, 0, at(1)), "a block never written reads as zeros");
        assertNotFound(timeline, REL, 3, at(1));
        assertNotFound(timeline, REL, 0xFFFF_FFFEL, at(1));
        assertNotFound(timeline, OTHER, 0, at(1));
        assertNotFound(timeline, REL, 0, Lsn.INITDB);
    }

    @Test
    void aDroppedRelationIsNotFound() {
        TimelineData timeline = engine.root();
        ingest(timeline, image(1, REL, 0, 1), drop(2, REL));
        assertNotFound(timeline, REL, 0, at(2));
        assertFalse(timeline.relSize(REL, at(2)).exists());
        assertArrayEquals(filled(1), timeline.page(REL, 0, at(1)), "history before the drop stays readable");
        assertEquals(0, timeline.logicalSize());
        assertEquals(0, timeline.dbSizeBytes(1663, 16384, at(2)));
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void truncateThenRegrowReadsZeros(boolean flushInBetween) {
        TimelineData timeline = engine.root();
        ingest(timeline, image(1, REL, 0, 1), image(2, REL, 1, 2), image(3, REL, 2, 3), delta(4, REL, 2, 0, 7));
        if (flushInBetween) {
            timeline.checkpoint();
        }
        ingest(timeline, resize(5, REL, 1));
        assertNotFound(timeline, REL, 1, at(5));
        if (flushInBetween) {
            timeline.checkpoint();
        }
        ingest(timeline, resize(6, REL, 3), delta(7, REL, 2, 100, 5));
        assertArrayEquals(filled(1), timeline.page(REL, 0, at(7)), "below the cut nothing changes");
        assertArrayEquals(Page.zero(), timeline.page(REL, 1, at(7)), "cut off, grown again: zeros");
        byte[] expected = Page.zero();
        expected[100] = 5;
        assertArrayEquals(expected, timeline.page(REL, 2, at(7)), "a delta after the cut applies to zeros");
        byte[] before = filled(3);
        before[0] = 7;
        assertArrayEquals(before, timeline.page(REL, 2, at(4)), "reads before the cut see the old page");
        assertEquals(3L * Page.SIZE, timeline.logicalSize());
        assertEquals(timeline.logicalSize(), timeline.logicalSizeFromData());
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void dropThenRecreateReadsZeros(boolean flushInBetween) {
        TimelineData timeline = engine.root();
        ingest(timeline, image(1, REL, 0, 1), image(2, REL, 1, 2), drop(3, REL));
        if (flushInBetween) {
            timeline.checkpoint();
        }
        ingest(timeline, delta(4, REL, 2, 10, 4));
        assertEquals(3, timeline.relSize(REL, at(4)).nblocks());
        assertArrayEquals(Page.zero(), timeline.page(REL, 0, at(4)));
        assertArrayEquals(Page.zero(), timeline.page(REL, 1, at(4)));
        assertEquals(4, timeline.page(REL, 2, at(4))[10]);

        ingest(timeline, drop(5, REL), resize(6, REL, 2));
        assertTrue(timeline.relSize(REL, at(6)).exists());
        assertArrayEquals(Page.zero(), timeline.page(REL, 0, at(6)), "REL_SIZE recreates the relation empty");
        assertArrayEquals(filled(2), timeline.page(REL, 1, at(2)));
    }

    @Test
    void resizeCreatesAndDropOfNothingChangesNothing() {
        TimelineData timeline = engine.root();
        ingest(timeline, drop(1, REL), resize(2, OTHER, 4));
        assertFalse(timeline.relSize(REL, at(2)).exists());
        assertEquals(4, timeline.relSize(OTHER, at(2)).nblocks());
        assertArrayEquals(Page.zero(), timeline.page(OTHER, 3, at(2)));
        assertEquals(4L * Page.SIZE, timeline.logicalSize());
        assertEquals(4L * Page.SIZE, timeline.dbSizeBytes(1663, 16384, at(2)));
        assertEquals(0, timeline.dbSizeBytes(1663, 16385, at(2)));
    }

    @Test
    void readsWithoutAnLsnAreAtLastRecordLsn() {
        TimelineData timeline = engine.root();
        assertEquals(Lsn.INITDB, timeline.readLsn(null, java.time.Duration.ZERO));
        ingest(timeline, image(1, REL, 0, 1), image(2, REL, 0, 2));
        assertEquals(at(2), timeline.readLsn(null, java.time.Duration.ZERO));
    }

    /**
     * The decoder accepts any LSN above 0/0, but a layer's LSN range is half-open, so a record at
     * FFFFFFFF/FFFFFFFF leaves no room for its layer's end: it must be refused as a bad request,
     * with nothing applied, rather than break the timeline.
     */
    @Test
    void theLargestLsnIsRefusedCleanly() {
        TimelineData timeline = engine.root();
        ingest(timeline, image(1, REL, 0, 1));
        byte[] body = WalEncoder.encode(List.of(new WalRecord.PageImage(Lsn.MAX, REL, 0, filled(2))));
        PageserverException e = assertThrows(PageserverException.class, () -> timeline.ingest(WalDecoder.decode(body)));
        assertEquals(ErrorKind.BAD_REQUEST, e.kind(), e.getMessage());
        assertEquals(at(1), timeline.metadata().lastRecordLsn());
        ingest(timeline, image(2, REL, 0, 3));
        timeline.checkpoint();
        assertArrayEquals(filled(3), timeline.page(REL, 0, at(2)));
    }

    @Test
    void aJumpOfMoreThanHalfTheLsnSpaceIsIngested() {
        TimelineData timeline = engine.root();
        ingest(timeline, image(1, REL, 0, 1));
        Lsn far = Lsn.of(0x8000_0000_0200_0000L);
        assertEquals(far, timeline.ingest(WalDecoder.decode(WalEncoder.encode(
                List.of(new WalRecord.PageImage(far, REL, 1, filled(2)))))));
        timeline.checkpoint();
        assertEquals(far, timeline.metadata().diskConsistentLsn());
        assertArrayEquals(filled(1), timeline.page(REL, 0, far));
        assertArrayEquals(filled(2), timeline.page(REL, 1, far));
    }
}
