package org.pageserver.application.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.pageserver.application.engine.EngineFixture.REL;
import static org.pageserver.application.engine.EngineFixture.at;
import static org.pageserver.application.engine.EngineFixture.delta;
import static org.pageserver.application.engine.EngineFixture.filled;
import static org.pageserver.application.engine.EngineFixture.image;
import static org.pageserver.application.engine.EngineFixture.ingest;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.pageserver.domain.page.Key;
import org.pageserver.domain.page.Page;

/** The page cache alone (what it keeps, for which reads, how it stays bounded), then under a timeline's reads. */
class PageCacheTest {
    private final EngineFixture engine = new EngineFixture();

    @AfterEach
    void close() {
        engine.close();
    }

    @Test
    void anEntryAnswersReadsAtItsLsnAndAboveWithItsOwnCutoffOnly() {
        PageCache cache = new PageCache(4);
        Key key = Key.block(REL, 0);
        cache.put(1, key, at(10), 0, filled(1));

        assertNull(cache.find(1, key, at(9), 0), "a read below the LSN it was read at");
        assertNull(cache.find(1, key, at(10), 5), "a read with another truncation cutoff");
        assertNull(cache.find(2, key, at(10), 0), "another engine's read");
        assertArrayEquals(filled(1), cache.find(1, key, at(10), 0).page());
        assertNotNull(cache.find(1, key, at(20), 0));
        assertEquals(5, cache.accesses());
        assertEquals(1, cache.exactHits());
        assertEquals(1, cache.olderLsnHits());
    }

    @Test
    void aReadOfAnOlderLsnDoesNotPushOutANewerPage() {
        PageCache cache = new PageCache(4);
        Key key = Key.block(REL, 0);
        cache.put(1, key, at(10), 0, filled(2));
        cache.put(1, key, at(5), 0, filled(1));
        assertArrayEquals(filled(2), cache.find(1, key, at(10), 0).page());
        cache.put(1, key, at(12), 0, filled(3));
        assertArrayEquals(filled(3), cache.find(1, key, at(12), 0).page());
        assertEquals(1, cache.size(), "one entry per block");
    }

    @Test
    void itHoldsAtMostItsSizeAndKeepsWhatIsReadOverWhatIsNot() {
        PageCache cache = new PageCache(8);
        for (int blk = 0; blk < 8; blk++) {
            cache.put(1, Key.block(REL, blk), at(10), 0, filled(blk));
        }
        // Blocks 0 to 3 are read; the next eight pages take the places of the others first.
        for (int blk = 0; blk < 4; blk++) {
            assertNotNull(cache.find(1, Key.block(REL, blk), at(10), 0));
        }
        for (int blk = 8; blk < 12; blk++) {
            cache.put(1, Key.block(REL, blk), at(10), 0, filled(blk));
        }
        assertEquals(8, cache.size());
        assertEquals(8L * Page.SIZE, cache.currentBytes());
        assertEquals(8L * Page.SIZE, cache.maxBytes());
        for (int blk = 0; blk < 4; blk++) {
            assertNotNull(cache.find(1, Key.block(REL, blk), at(10), 0), "read, so kept: block " + blk);
        }
        for (int blk = 4; blk < 8; blk++) {
            assertNull(cache.find(1, Key.block(REL, blk), at(10), 0), "never read, so evicted: block " + blk);
        }
    }

    @Test
    void noneKeepsNothing() {
        PageCache.NONE.put(1, Key.block(REL, 0), at(10), 0, filled(1));
        assertNull(PageCache.NONE.find(1, Key.block(REL, 0), at(10), 0));
        assertEquals(0, PageCache.NONE.accesses());
        assertEquals(0, PageCache.NONE.maxBytes());
    }

    /**
     * Threads putting and finding pages of the same blocks at once (nothing locks): an entry found
     * is always one that was put for that block, at or below the LSN asked for, with the cutoff
     * asked for, and the cache never holds more than its size.
     */
    @Test
    void concurrentPutsAndFindsOnlyEverAnswerWithAnEntryPutForThatBlockAtOrBelowTheLsn() throws Exception {
        PageCache cache = new PageCache(64);
        int threads = 4;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Integer>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                long seed = t;
                done.add(pool.submit(() -> {
                    Random random = new Random(seed);
                    int hits = 0;
                    for (int i = 0; i < 200_000; i++) {
                        int blk = random.nextInt(200);
                        long lsn = 1 + random.nextInt(50);
                        long cutoff = random.nextInt(2);
                        if (random.nextBoolean()) {
                            cache.put(1, Key.block(REL, blk), at(lsn), cutoff, stamped(blk, at(lsn).value(), cutoff));
                        } else {
                            PageCache.Entry found = cache.find(1, Key.block(REL, blk), at(lsn), cutoff);
                            if (found != null) {
                                hits++;
                                assertTrue(found.lsn() <= at(lsn).value() && found.cutoff() == cutoff);
                                assertArrayEquals(stamped(blk, found.lsn(), cutoff), found.page(), "block " + blk);
                            }
                        }
                    }
                    return hits;
                }));
            }
            int hits = 0;
            for (Future<Integer> f : done) {
                hits += f.get();
            }
            assertTrue(hits > 0, "some finds hit");
            assertTrue(cache.size() <= 64, "at most its size: " + cache.size());
        } finally {
            pool.shutdownNow();
        }
    }

    /** A page that says which block, LSN and cutoff it was put for. */
    private static byte[] stamped(int blk, long lsn, long cutoff) {
        byte[] page = new byte[Page.SIZE];
        ByteBuffer.wrap(page).putInt(blk).putLong(lsn).putLong(cutoff);
        return page;
    }

    /**
     * A timeline's read at an LSN caches the page it built from more than one value; the same read
     * again is answered by it, and a read after more versions arrived takes it and applies only
     * those. A page that is one image is not cached: reading it again costs about what a hit saves.
     */
    @Test
    void aTimelinesReadsTakeTheCachedPageAndTheVersionsAboveIt() {
        TimelineData timeline = engine.root();
        PageCache cache = engine.context.pageCache();
        ingest(timeline, image(1, REL, 0, 1), image(2, REL, 1, 2));
        ingest(timeline, delta(3, REL, 0, 3, 0x33));
        timeline.checkpoint();
        assertArrayEquals(filled(2), timeline.page(REL, 1, at(3)));
        assertArrayEquals(filled(2), timeline.page(REL, 1, at(3)));
        assertEquals(0, cache.exactHits(), "block 1 is one image: not cached");
        assertEquals(0, cache.size());

        byte[] first = timeline.page(REL, 0, at(3));
        assertSame(first, timeline.page(REL, 0, at(3)), "the same LSN again: the cached page itself");
        assertEquals(1, cache.exactHits());

        ingest(timeline, delta(4, REL, 0, 7, 0x55));
        byte[] expected = filled(1);
        expected[3] = 0x33;
        expected[7] = 0x55;
        assertArrayEquals(expected, timeline.page(REL, 0, at(4)));
        assertEquals(1, cache.olderLsnHits());
        byte[] older = filled(1);
        older[3] = 0x33;
        assertArrayEquals(older, timeline.page(REL, 0, at(3)), "the older LSN still reads as it was");
        assertEquals(1, cache.size());
    }
}
