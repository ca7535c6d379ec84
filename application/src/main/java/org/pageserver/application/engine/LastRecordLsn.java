package org.pageserver.application.engine;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.pageserver.domain.error.PageserverException;
import org.pageserver.domain.lsn.Lsn;
import org.pageserver.domain.wal.WalBatch;

/**
 * How far ingest has got on a timeline, as two pairs of last_record_lsn and prev_record_lsn:
 * the accepted ones (applied in memory; the open layer ends there) and the durable ones (published,
 * what reads and {@link #waitForLsn wait_lsn} see). Its own class so that both {@link IngestPath},
 * which moves them, and {@link Flusher}, which freezes at the accepted ones and flushes only what is
 * durable, use it without using each other.
 */
final class LastRecordLsn {
    private final TimelineData timeline;
    private final Object lsnMonitor = new Object();
    private volatile RecordLsns durable;
    /** Guarded by the timeline's write lock, as are the layers they end. */
    private Lsn acceptedLsn;
    private Lsn acceptedPrevLsn;

    LastRecordLsn(TimelineData timeline, Lsn start, Lsn prev) {
        this.timeline = timeline;
        this.durable = new RecordLsns(start, prev);
        this.acceptedLsn = start;
        this.acceptedPrevLsn = prev;
    }

    /** The last durable records, published together. */
    RecordLsns durable() {
        return durable;
    }

    /** The last accepted record's LSN; the caller holds the write lock. */
    Lsn accepted() {
        return acceptedLsn;
    }

    /** The LSN of the record before the last accepted one; the caller holds the write lock. */
    Lsn acceptedPrev() {
        return acceptedPrevLsn;
    }

    /** Accepts {@code batch}, whose records have been applied; the caller holds the write lock. */
    void accept(WalBatch batch) {
        acceptedPrevLsn = batch.prevLsn(acceptedLsn);
        acceptedLsn = batch.lastLsn();
    }

    void publish(Lsn last, Lsn prev) {
        synchronized (lsnMonitor) {
            if (last.isAfter(durable.last())) {
                durable = new RecordLsns(last, prev);
                lsnMonitor.notifyAll();
            }
        }
    }

    /** Wakes every wait for an LSN, so that it finds the timeline broken. */
    void wakeWaiters() {
        synchronized (lsnMonitor) {
            lsnMonitor.notifyAll();
        }
    }

    /** See {@link TimelineData#waitForLsn}. */
    void waitForLsn(Lsn lsn, Duration timeout) {
        if (!durable.last().isBefore(lsn)) {
            return;
        }
        NonBlocking.aboutToWait();
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lsnMonitor) {
            while (durable.last().isBefore(lsn)) {
                if (timeline.brokenReason() != null) {
                    // Nothing more arrives: the batch waited for failed, or the one before it.
                    throw timeline.broken();
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw PageserverException.unavailable("Timed out while waiting for WAL record at LSN " + lsn
                            + " to arrive, last_record_lsn " + durable.last() + ", disk_consistent_lsn "
                            + timeline.storedMetadata().diskConsistentLsn());
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(lsnMonitor, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw PageserverException.unavailable("interrupted while waiting for LSN " + lsn);
                }
            }
        }
    }
}
