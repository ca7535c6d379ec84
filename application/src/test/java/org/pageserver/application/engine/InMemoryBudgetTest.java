package org.pageserver.application.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.pageserver.application.engine.EngineFixture.REL;
import static org.pageserver.application.engine.EngineFixture.at;
import static org.pageserver.application.engine.EngineFixture.filled;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.Test;
import org.pageserver.domain.error.ErrorKind;
import org.pageserver.domain.error.PageserverException;
import org.pageserver.domain.page.Page;
import org.pageserver.domain.page.Value;
import org.pageserver.domain.wal.WalRecord;

/** The node-wide limit on in-memory layers: refusing whole batches, freezing early, giving memory back. */
class InMemoryBudgetTest {
    private static final long MIB = 1 << 20;

    /** Flushes that run only when the test says so. */
    private static final class HeldFlushes implements Executor {
        final ConcurrentLinkedQueue<Runnable> queued = new ConcurrentLinkedQueue<>();

        @Override
        public void execute(Runnable flush) {
            queued.add(flush);
        }

        void runAll() {
            for (Runnable r; (r = queued.poll()) != null; ) {
                r.run();
            }
        }
    }

    /** {@code count} page images at LSNs {@code at(first)..}, on blocks 0.., each filled with {@code fill}. */
    private static WalRecord[] images(long first, int count, int fill) {
        WalRecord[] records = new WalRecord[count];
        for (int i = 0; i < count; i++) {
            records[i] = new WalRecord.PageImage(at(first + i), REL, i, filled(fill));
        }
        return records;
    }

    @Test
    void aBatchThatFindsNoRoomIsRefusedWholeAndTakenOnceFlushesFreeMemory() {
        HeldFlushes flushes = new HeldFlushes();
        InMemoryBudget budget = new InMemoryBudget(MIB, Duration.ofMillis(200));
        try (EngineFixture engine = new EngineFixture(budget, flushes)) {
            TimelineData timeline = engine.root();
            // 20 pages: one 1 MiB chunk, the whole limit; the layer is past limit/8, so it freezes.
            EngineFixture.ingest(timeline, images(1, 20, 1));
            assertEquals(MIB, budget.used());
            assertEquals(0, timeline.openLayerBytes(), "frozen early: the node is short of memory");
            int logged = engine.files.appendedBatches();

            PageserverException refused = assertThrows(PageserverException.class,
                    () -> EngineFixture.ingest(timeline, images(21, 5, 2)));
            assertEquals(ErrorKind.UNAVAILABLE, refused.kind());
            assertTrue(refused.getMessage().contains("retry"), refused.getMessage());
            assertEquals(logged, engine.files.appendedBatches(), "nothing of a refused batch is written");
            assertEquals(at(20), timeline.metadata().lastRecordLsn());
            assertArrayEquals(filled(1), timeline.page(REL, 0, at(20)));

            flushes.runAll();
            assertEquals(0, budget.used(), "the flushed layer gave its chunk back");
            EngineFixture.ingest(timeline, images(21, 5, 2));
            assertArrayEquals(filled(2), timeline.page(REL, 0, at(25)));
            assertArrayEquals(filled(1), timeline.page(REL, 0, at(20)));
        }
    }

    @Test
    void aReservationTakesEveryChunkItsValuesNeedAndNoMore() {
        InMemoryBudget budget = new InMemoryBudget(1024 * MIB, Duration.ZERO);
        ValueArena arena = new ValueArena(budget);
        int[] sizes = new int[300];
        Value page = new Value.PageImage(filled(7));
        Arrays.fill(sizes, page.encodedSize());
        // 127 pages of 4 + 8193 bytes fit a 1 MiB chunk: 300 need 3 chunks.
        arena.reserve(sizes);
        assertEquals(3 * MIB, budget.used());
        arena.reserve(sizes);
        assertEquals(3 * MIB, budget.used(), "an unused reservation is given back before the next one");

        List<Long> addresses = new ArrayList<>();
        for (int i = 0; i < sizes.length; i++) {
            addresses.add(arena.append(page));
        }
        assertEquals(3 * MIB, budget.used(), "appending what was reserved takes nothing more");
        assertArrayEquals(page.encode(), arena.read(addresses.get(299)).encode());

        arena.release();
        assertEquals(0, budget.used());
    }

    @Test
    void theLargestOpenLayersAreFrozenFirstUntilAQuarterOfTheLimitIsLeftOpen() {
        // Limit 16 MiB: early freezes above 8 MiB held, at ingest only for layers of 2 MiB or more.
        InMemoryBudget budget = new InMemoryBudget(16 * MIB, Duration.ZERO);
        HeldFlushes flushes = new HeldFlushes();
        try (EngineFixture engine = new EngineFixture(budget, flushes)) {
            int[] pages = {160, 240, 180, 220, 200};
            List<TimelineData> timelines = new ArrayList<>();
            for (int n : pages) {
                TimelineData timeline = engine.root();
                EngineFixture.ingest(timeline, images(1, n, 3));
                timelines.add(timeline);
            }
            assertTrue(budget.used() > 8 * MIB, "over the early-freeze threshold: " + budget.used());
            timelines.forEach(t -> assertTrue(t.openLayerBytes() > 0, "no layer below 2 MiB froze at ingest"));

            budget.freezeLargest(timelines);

            // Open were 1,000 pages (8.2 MB); freezing 240, 220 and 200 leaves 340 (2.8 MB <= 4 MiB).
            List<Boolean> frozen = timelines.stream().map(t -> t.openLayerBytes() == 0).toList();
            assertEquals(List.of(false, true, false, true, true), frozen);
            assertEquals(3, flushes.queued.size());
            flushes.runAll();
            for (int i = 0; i < pages.length; i++) {
                assertArrayEquals(filled(3), timelines.get(i).page(REL, pages[i] - 1, at(pages[i])));
            }
        }
    }

    @Test
    void belowHalfTheLimitNothingIsFrozenEarly() {
        InMemoryBudget budget = new InMemoryBudget(64 * MIB, Duration.ZERO);
        try (EngineFixture engine = new EngineFixture(budget, new HeldFlushes())) {
            TimelineData timeline = engine.root();
            EngineFixture.ingest(timeline, images(1, 300, 4));
            budget.freezeLargest(List.of(timeline));
            assertTrue(timeline.openLayerBytes() >= 300L * Page.SIZE);
        }
    }

    @Test
    void aRemovedTimelineGivesItsMemoryBackAndReadsOfItFail() {
        InMemoryBudget budget = new InMemoryBudget(1024 * MIB, Duration.ZERO);
        try (EngineFixture engine = new EngineFixture(budget, new HeldFlushes())) {
            TimelineData timeline = engine.root();
            EngineFixture.ingest(timeline, images(1, 200, 5));
            timeline.checkpoint();
            EngineFixture.ingest(timeline, images(201, 10, 6));
            assertFalse(budget.used() == 0);

            timeline.shutdown();
            timeline.discard();

            assertEquals(0, budget.used());
            // 503 as for any timeline that is stopping; once it is out of its tenant, requests get 404.
            PageserverException gone = assertThrows(PageserverException.class, () -> timeline.page(REL, 0, at(210)));
            assertEquals(ErrorKind.UNAVAILABLE, gone.kind());
        }
    }
}
