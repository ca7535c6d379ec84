package org.pageserver.domain.page;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RelSizeTest {

    @Test
    void growingRecordsNoCut() {
        RelSize size = RelSize.NONE.resizedAt(10, 5).resizedAt(20, 8).extendedTo(12);
        assertEquals(12, size.nblocks());
        assertTrue(size.exists());
        assertEquals(List.of(), size.truncations());
        assertEquals(0, size.cutoffFor(0));
        assertEquals(0, size.cutoffFor(11));
    }

    @Test
    void shrinkCutsOnlyTheBlocksAtOrAboveTheNewSize() {
        RelSize size = RelSize.NONE.resizedAt(10, 8).resizedAt(20, 3);
        assertEquals(3, size.nblocks());
        assertEquals(List.of(new RelSize.Truncation(20, 3)), size.truncations());
        assertEquals(0, size.cutoffFor(2));
        assertEquals(20, size.cutoffFor(3));
        assertEquals(20, size.cutoffFor(100));
    }

    @Test
    void resizingToTheSameSizeCutsNothing() {
        assertEquals(List.of(), RelSize.NONE.resizedAt(10, 4).resizedAt(20, 4).truncations());
    }

    @Test
    void aLaterDeeperCutHidesEarlierOnes() {
        RelSize size = RelSize.NONE.resizedAt(10, 10).resizedAt(20, 6).extendedTo(10).resizedAt(30, 8)
                .extendedTo(10).resizedAt(40, 2);
        assertEquals(List.of(new RelSize.Truncation(40, 2)), size.truncations());
        assertEquals(0, size.cutoffFor(1));
        assertEquals(40, size.cutoffFor(2));
        assertEquals(40, size.cutoffFor(9));
    }

    @Test
    void aLaterShallowerCutKeepsTheEarlierDeeperOne() {
        RelSize size = RelSize.NONE.resizedAt(10, 10).resizedAt(20, 3).extendedTo(10).resizedAt(30, 7);
        assertEquals(List.of(new RelSize.Truncation(20, 3), new RelSize.Truncation(30, 7)), size.truncations());
        assertEquals(0, size.cutoffFor(2));
        assertEquals(20, size.cutoffFor(3));
        assertEquals(20, size.cutoffFor(6));
        assertEquals(30, size.cutoffFor(7));
        assertEquals(30, size.cutoffFor(50));
    }

    @Test
    void dropCutsEverythingAndRecreationKeepsTheHistory() {
        RelSize dropped = RelSize.NONE.resizedAt(10, 5).resizedAt(20, 2).droppedAt(30);
        assertFalse(dropped.exists());
        assertEquals(0, dropped.nblocks());
        assertEquals(List.of(new RelSize.Truncation(30, 0)), dropped.truncations());
        RelSize recreated = dropped.extendedTo(4);
        assertTrue(recreated.exists());
        assertEquals(30, recreated.cutoffFor(0));
        assertEquals(30, recreated.cutoffFor(3));
        RelSize resized = dropped.resizedAt(40, 6);
        assertTrue(resized.exists());
        assertEquals(6, resized.nblocks());
        assertEquals(30, resized.cutoffFor(5), "creating a dropped relation again cuts nothing new");
    }

    /**
     * Random shrinks, grows, writes and drops against the naive rule: block b's cutoff is the newest
     * cut (shrink or drop) whose new size is at or below b.
     */
    @Test
    void cutoffsAgreeWithTheFullHistory() {
        Random random = new Random(42);
        for (int run = 0; run < 500; run++) {
            RelSize size = RelSize.NONE;
            List<long[]> cuts = new ArrayList<>();
            long lsn = 0;
            for (int step = 0; step < 40; step++) {
                lsn += 1 + random.nextInt(100);
                int dice = random.nextInt(10);
                if (dice < 4) {
                    long n = random.nextInt(20);
                    if (size.exists() && n < size.nblocks()) {
                        cuts.add(new long[] {lsn, n});
                    }
                    size = size.resizedAt(lsn, n);
                    assertEquals(n, size.nblocks());
                } else if (dice < 8) {
                    long blk = random.nextInt(20);
                    size = size.extendedTo(Math.max(blk + 1, size.exists() ? size.nblocks() : 0));
                } else if (size.exists()) {
                    cuts.add(new long[] {lsn, 0});
                    size = size.droppedAt(lsn);
                    assertFalse(size.exists());
                }
                List<RelSize.Truncation> history = size.truncations();
                for (int i = 1; i < history.size(); i++) {
                    assertTrue(history.get(i - 1).lsn() < history.get(i).lsn(), "ascending LSN: " + history);
                    assertTrue(history.get(i - 1).nblocks() < history.get(i).nblocks(), "ascending size: " + history);
                }
                for (long b = 0; b < 25; b++) {
                    long expected = 0;
                    for (long[] cut : cuts) {
                        if (cut[1] <= b) {
                            expected = Math.max(expected, cut[0]);
                        }
                    }
                    assertEquals(expected, size.cutoffFor(b), "block " + b + " after " + cuts);
                }
            }
        }
    }
}
