package org.pageserver.application.service;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.pageserver.application.service.TestNode.fails;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.pageserver.domain.error.ErrorKind;
import org.pageserver.domain.id.TenantId;
import org.pageserver.domain.id.TimelineId;
import org.pageserver.domain.lsn.Lsn;
import org.pageserver.domain.timeline.TimelineMetadata;
import org.pageserver.domain.timeline.TimelineState;

class TimelineTest {
    private static final TimelineMetadata ROOT = TimelineMetadata.root(TenantId.generate(), TimelineId.generate(), 15);


    @Test
    void anLsnAlreadyReachedDoesNotWait() {
        Timeline timeline = Engines.timeline(ROOT);
        assertDoesNotThrow(() -> timeline.waitForLsn(Lsn.INITDB, Duration.ZERO));
        assertDoesNotThrow(() -> timeline.waitForLsn(Lsn.of(1), Duration.ZERO));
    }

    @Test
    void waitTimesOutUnavailable() {
        Timeline timeline = Engines.timeline(ROOT);
        long started = System.nanoTime();
        var e = fails(ErrorKind.UNAVAILABLE, () -> timeline.waitForLsn(Lsn.parse("0/2000000"), Duration.ofMillis(100)));
        assertTrue(System.nanoTime() - started >= TimeUnit.MILLISECONDS.toNanos(100));
        assertTrue(e.getMessage().contains("Timed out while waiting for WAL record at LSN 0/2000000"), e.getMessage());
        assertTrue(e.getMessage().contains("last_record_lsn 0/1000000"), e.getMessage());
    }

    @Test
    void anUpdateWakesTheWaiterOnlyOnceTheLsnIsReached() throws Exception {
        Timeline timeline = Engines.timeline(ROOT);
        AtomicInteger returned = new AtomicInteger();
        CompletableFuture<Void> waiter = CompletableFuture.runAsync(() -> {
            timeline.waitForLsn(Lsn.parse("0/3000000"), Duration.ofSeconds(10));
            returned.incrementAndGet();
        });
        Thread.sleep(50);
        Engines.ingestUpTo(timeline, Lsn.parse("0/2000000"));
        Thread.sleep(50);
        assertEquals(0, returned.get(), "0/2000000 is not enough");
        Engines.ingestUpTo(timeline, Lsn.parse("0/3000000"));
        waiter.get(5, TimeUnit.SECONDS);
        assertEquals(1, returned.get());
    }

    @Test
    void aTimelineLoadedWhileDeletingStartsAsDeleting() {
        assertTrue(Timeline.beingDeleted(ROOT.markedDeleting()).deletionStarted());
        Timeline timeline = Engines.timeline(ROOT);
        timeline.startDeletion(ROOT.markedDeleting());
        assertEquals(TimelineState.STOPPING, timeline.state());
        timeline.deletionFailed("disk gone");
        assertEquals(new TimelineState.Broken("disk gone", ""), timeline.state());
        assertFalse(timeline.deletionStarted(), "a failed deletion can be retried");
    }

    @Test
    void removeOnceRunsTheRemovalOnlyOnceButAgainAfterAFailure() {
        Timeline timeline = Engines.timeline(ROOT);
        AtomicInteger runs = new AtomicInteger();
        try {
            timeline.removeOnce(() -> {
                runs.incrementAndGet();
                throw new IllegalStateException("store down");
            });
        } catch (IllegalStateException expected) {
            // retried below
        }
        timeline.removeOnce(runs::incrementAndGet);
        timeline.removeOnce(runs::incrementAndGet);
        assertEquals(2, runs.get());
    }
}
