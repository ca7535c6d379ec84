package org.pageserver.application.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.pageserver.application.engine.EngineFixture.REL;
import static org.pageserver.application.engine.EngineFixture.at;
import static org.pageserver.application.engine.EngineFixture.filled;
import static org.pageserver.application.engine.EngineFixture.image;
import static org.pageserver.application.engine.EngineFixture.ingest;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.pageserver.domain.error.ErrorKind;
import org.pageserver.domain.error.PageserverException;
import org.pageserver.domain.lsn.Lsn;
import org.pageserver.domain.timeline.TimelineMetadata;

/** Which LSN a read runs at: waiting for the future, refusing what GC may have removed. */
class TimelineDataReadLsnTest {
    private final EngineFixture engine = new EngineFixture();

    @AfterEach
    void close() {
        engine.close();
    }

    @Test
    void aFutureLsnTimesOutAsUnavailable() {
        TimelineData timeline = engine.root();
        ingest(timeline, image(1, REL, 0, 1));
        long started = System.nanoTime();
        PageserverException e = assertThrows(PageserverException.class,
                () -> timeline.readLsn(at(2), Duration.ofMillis(150)));
        long waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        assertEquals(ErrorKind.UNAVAILABLE, e.kind());
        assertTrue(e.getMessage().contains(at(2).toString()) && e.getMessage().contains(at(1).toString()), e.getMessage());
        assertTrue(waitedMs >= 140 && waitedMs < 5000, "waited " + waitedMs + " ms");
    }

    @Test
    void aFutureLsnIsServedOnceAnotherThreadIngestsIt() throws Exception {
        TimelineData timeline = engine.root();
        ingest(timeline, image(1, REL, 0, 1));
        CompletableFuture<Lsn> reader = CompletableFuture.supplyAsync(() -> timeline.readLsn(at(3), Duration.ofSeconds(10)));
        Thread.sleep(100);
        assertTrue(!reader.isDone(), "the reader waits");
        ingest(timeline, image(2, REL, 0, 2));
        Thread.sleep(50);
        assertTrue(!reader.isDone(), "at(2) is not at(3) yet");
        ingest(timeline, image(3, REL, 0, 3));
        assertEquals(at(3), reader.get(5, TimeUnit.SECONDS));
        assertArrayEquals(filled(3), timeline.page(REL, 0, at(3)));
    }

    @Test
    void anLsnBetweenRecordsNeedsNoWait() {
        TimelineData timeline = engine.root();
        ingest(timeline, image(2, REL, 0, 1));
        assertEquals(at(1), timeline.readLsn(at(1), Duration.ZERO));
        assertEquals(at(2), timeline.readLsn(at(2), Duration.ZERO));
    }

    @Test
    void readsBelowTheGcCutoffAreBadRequests() {
        TimelineMetadata root = engine.rootMetadata();
        TimelineMetadata raised = new TimelineMetadata(root.tenantId(), root.timelineId(), null, Lsn.INVALID,
                root.initdbLsn(), root.lastRecordLsn(), root.prevRecordLsn(), root.diskConsistentLsn(),
                root.remoteConsistentLsn(), at(3), root.pgVersion(), false);
        TimelineData timeline = engine.create(raised, null);
        ingest(timeline, image(1, REL, 0, 1), image(2, REL, 0, 2), image(3, REL, 0, 3), image(4, REL, 0, 4));
        for (long n : new long[] {1, 2}) {
            PageserverException e = assertThrows(PageserverException.class,
                    () -> timeline.readLsn(at(n), Duration.ofSeconds(1)));
            assertEquals(ErrorKind.BAD_REQUEST, e.kind());
            assertTrue(e.getMessage().contains("GC cutoff " + at(3)), e.getMessage());
        }
        PageserverException justBelow = assertThrows(PageserverException.class,
                () -> timeline.readLsn(Lsn.of(at(3).value() - 1), Duration.ofSeconds(1)));
        assertEquals(ErrorKind.BAD_REQUEST, justBelow.kind());
        assertEquals(at(3), timeline.readLsn(at(3), Duration.ofSeconds(1)));
        assertEquals(at(4), timeline.readLsn(null, Duration.ZERO));
    }

    @Test
    void aRaisedCutoffSetLaterKeepsTheLsns() {
        TimelineData timeline = engine.root();
        ingest(timeline, image(1, REL, 0, 1), image(2, REL, 0, 2));
        TimelineMetadata m = timeline.metadata();
        timeline.setMetadata(new TimelineMetadata(m.tenantId(), m.timelineId(), null, Lsn.INVALID, m.initdbLsn(),
                Lsn.INITDB, Lsn.INVALID, Lsn.INITDB, m.remoteConsistentLsn(), at(2), m.pgVersion(), false));
        assertEquals(at(2), timeline.metadata().lastRecordLsn());
        assertEquals(at(1), timeline.metadata().prevRecordLsn());
        PageserverException e = assertThrows(PageserverException.class,
                () -> timeline.readLsn(at(1), Duration.ZERO));
        assertEquals(ErrorKind.BAD_REQUEST, e.kind());
    }
}
