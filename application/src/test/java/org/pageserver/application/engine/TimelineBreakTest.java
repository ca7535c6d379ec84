package org.pageserver.application.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.pageserver.application.engine.EngineFixture.REL;
import static org.pageserver.application.engine.EngineFixture.at;
import static org.pageserver.application.engine.EngineFixture.filled;
import static org.pageserver.application.engine.EngineFixture.image;
import static org.pageserver.application.engine.EngineFixture.ingest;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.pageserver.application.engine.MemoryLayerStore.Fault;
import org.pageserver.domain.error.ErrorKind;
import org.pageserver.domain.error.PageserverException;
import org.pageserver.domain.id.TimelineId;
import org.pageserver.domain.page.Page;
import org.pageserver.domain.timeline.TimelineMetadata;

/**
 * A timeline whose files fail: it breaks with the reason, answers everything with 503 naming it,
 * gives its memory back, leaves its neighbours alone, and comes back whole from what is on disk.
 */
class TimelineBreakTest {
    private static final long MIB = 1 << 20;
    private final InMemoryBudget budget = new InMemoryBudget(1024 * MIB, Duration.ZERO);
    private final EngineFixture engine = new EngineFixture(budget, null);

    @AfterEach
    void close() {
        engine.close();
    }

    @Test
    void aFailedForceBreaksTheTimelineWhichThenServesNothingFromMemory() throws Exception {
        TimelineMetadata meta = engine.rootMetadata();
        TimelineData timeline = engine.create(meta, null);
        TimelineData neighbour = engine.root();
        List<String> told = new CopyOnWriteArrayList<>();
        timeline.onBreak(told::add);
        ingest(timeline, image(1, REL, 0, 1));

        engine.files.failNext(Fault.DURABILITY, "Input/output error");
        PageserverException failed = assertBroken(() -> ingest(timeline, image(2, REL, 1, 2)));
        assertTrue(failed.getMessage().contains("could not be made durable: IOException: Input/output error"),
                failed.getMessage());
        assertEquals(List.of(timeline.brokenReason()), told, "told once, with the reason");

        // Nothing comes from memory any more: not the batch acknowledged before, not the failed one.
        assertBroken(() -> timeline.page(REL, 0, at(1)));
        assertBroken(() -> ingest(timeline, image(3, REL, 2, 3)));
        assertBroken(timeline::checkpoint);
        awaitMemoryFreed(neighbour);

        ingest(neighbour, image(1, REL, 0, 9));
        assertArrayEquals(filled(9), neighbour.page(REL, 0, at(1)), "a neighbour keeps working");
        TimelineData restarted = engine.reload(meta, null);
        assertNull(restarted.brokenReason());
        assertArrayEquals(filled(1), restarted.page(REL, 0, at(1)), "what was acknowledged is back after a restart");
    }

    @Test
    void aFailedFlushBreaksTheTimelineAndLosesNothingAcknowledged() {
        TimelineMetadata meta = engine.rootMetadata();
        TimelineData timeline = engine.create(meta, null);
        ingest(timeline, image(1, REL, 0, 1));
        ingest(timeline, image(2, REL, 1, 2));

        engine.files.failNext(Fault.SEAL, "No space left on device");
        PageserverException failed = assertBroken(timeline::checkpoint);
        assertTrue(failed.getMessage().contains("a flush failed: IOException: No space left on device"), failed.getMessage());

        TimelineData restarted = engine.reload(meta, null);
        assertArrayEquals(filled(1), restarted.page(REL, 0, at(2)));
        assertArrayEquals(filled(2), restarted.page(REL, 1, at(2)));
    }

    @Test
    void aFailedRenameBreaksTheTimeline() {
        TimelineMetadata meta = engine.rootMetadata();
        TimelineData timeline = engine.create(meta, null);
        ingest(timeline, image(1, REL, 0, 1));
        engine.files.failNext(Fault.PUBLISH, "Read-only file system");
        assertBroken(timeline::checkpoint);
        assertArrayEquals(filled(1), engine.reload(meta, null).page(REL, 0, at(1)));
    }

    @Test
    void aLayerFileThatCannotBeReadBreaksTheTimeline() {
        TimelineMetadata meta = engine.rootMetadata();
        TimelineData timeline = engine.create(meta, null);
        ingest(timeline, image(1, REL, 0, 1));
        timeline.checkpoint();

        engine.files.failNext(Fault.READ, "Input/output error");
        PageserverException failed = assertBroken(() -> timeline.page(REL, 0, at(1)));
        assertTrue(failed.getMessage().contains("a layer file could not be read"), failed.getMessage());
        assertBroken(() -> timeline.relSize(REL, at(1)));
        assertArrayEquals(filled(1), engine.reload(meta, null).page(REL, 0, at(1)));
    }

    @Test
    void aReadOfABranchThatReachesItsBrokenAncestorIsRefusedWithTheAncestorsReason() {
        TimelineMetadata rootMeta = engine.rootMetadata();
        TimelineData root = engine.create(rootMeta, null);
        ingest(root, image(1, REL, 0, 1));
        TimelineData branch = engine.create(rootMeta.branch(TimelineId.generate(), at(1), null), root);
        engine.files.failNext(Fault.DURABILITY, "Input/output error");
        assertBroken(() -> ingest(root, image(2, REL, 1, 2)));

        // The page is in the ancestor's in-memory layer, which the break frees: the branch's read
        // must not retry it forever.
        PageserverException refused = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            while (true) {
                try {
                    branch.page(REL, 0, at(1));
                    Thread.sleep(1);
                } catch (PageserverException e) {
                    return e;
                }
            }
        });
        assertEquals(ErrorKind.UNAVAILABLE, refused.kind(), refused.getMessage());
        assertTrue(refused.getMessage().contains(rootMeta.timelineId() + " is broken"), refused.getMessage());
    }

    private static PageserverException assertBroken(Executable operation) {
        PageserverException refused = assertThrows(PageserverException.class, operation);
        assertEquals(ErrorKind.UNAVAILABLE, refused.kind(), refused.getMessage());
        assertTrue(refused.getMessage().contains("is broken: "), refused.getMessage());
        return refused;
    }

    /** The broken timeline's memory goes back in the background; the neighbour holds none yet. */
    private void awaitMemoryFreed(TimelineData neighbour) throws InterruptedException {
        assertEquals(0, neighbour.openLayerBytes());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (budget.used() > 0) {
            assertTrue(System.nanoTime() < deadline, "still held: " + budget.used() + " bytes, a page is " + Page.SIZE);
            Thread.sleep(5);
        }
    }
}
