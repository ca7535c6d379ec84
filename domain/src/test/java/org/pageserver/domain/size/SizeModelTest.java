package org.pageserver.domain.size;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.pageserver.domain.size.SizeModel.Method;
import org.pageserver.domain.size.SizeModel.Segment;
import org.pageserver.domain.size.SizeModel.SegmentSize;

class SizeModelTest {

    /** Neon's single-branch example: a snapshot at the start and the WAL after it. */
    @Test
    void oneBranchIsASnapshotAndTheWalAfterIt() {
        SizeModel.Result result = SizeModel.calculate(List.of(
                new Segment(null, 23694408, 25362432L, true),
                new Segment(0, 23694528, null, true)));
        assertEquals(25362552, result.size());
        assertEquals(List.of(new SegmentSize(Method.SNAPSHOT_HERE, 25362552), new SegmentSize(Method.WAL, 120)),
                result.segmentSizes());
    }

    /**
     * The worked example (MB): main from 0 to 1000 with its cutoff at 700, a child branched at 400
     * ending at 600 with its cutoff at 500; logical sizes 1000 at main@400, 1200 at main@700, 1050 at
     * child@500. Cheapest: a snapshot at the branch point, main's WAL after it, the child's WAL.
     */
    @Test
    void theWorkedExampleCosts1800() {
        List<Segment> segments = List.of(
                new Segment(null, 0, null, false),   // 0 main BranchStart
                new Segment(0, 400, 1000L, false),   // 1 main BranchPoint
                new Segment(1, 700, 1200L, false),   // 2 main GcCutOff
                new Segment(2, 1000, null, true),    // 3 main BranchEnd
                new Segment(1, 400, null, false),    // 4 child BranchStart
                new Segment(4, 500, 1050L, false),   // 5 child GcCutOff
                new Segment(5, 600, null, true));    // 6 child BranchEnd
        SizeModel.Result result = SizeModel.calculate(segments);
        assertEquals(1800, result.size());
        assertEquals(new SegmentSize(Method.SKIPPED, 1800), result.segmentSizes().get(0));
        assertEquals(new SegmentSize(Method.SNAPSHOT_HERE, 1800), result.segmentSizes().get(1));
        assertEquals(Method.WAL, result.segmentSizes().get(2).method());
        assertEquals(Method.WAL, result.segmentSizes().get(4).method());
        assertEquals(new SegmentSize(Method.WAL, 100), result.segmentSizes().get(6));
    }

    @Test
    void aChildThatRewroteMuchGetsASnapshotOfItsOwn() {
        // As above, but the child wrote 2,000 after branching: two snapshots beat one and the WAL.
        List<Segment> segments = List.of(
                new Segment(null, 0, null, false),
                new Segment(0, 400, 1000L, false),
                new Segment(1, 700, 1200L, false),
                new Segment(2, 1000, null, true),
                new Segment(1, 400, null, false),
                new Segment(4, 2400, 1050L, false),
                new Segment(5, 2500, null, true));
        SizeModel.Result result = SizeModel.calculate(segments);
        assertEquals(1500 + 1150, result.size(), "main's snapshot at 700 and its WAL, the child's snapshot and its WAL");
    }

    @Test
    void nothingCostsNothingAndParentsComeFirst() {
        assertEquals(0, SizeModel.calculate(List.of()).size());
        assertThrows(IllegalArgumentException.class, () -> SizeModel.calculate(List.of(new Segment(1, 0, null, true),
                new Segment(null, 0, null, true))));
    }
}
