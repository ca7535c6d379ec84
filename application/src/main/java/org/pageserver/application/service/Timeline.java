package org.pageserver.application.service;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.pageserver.domain.error.PageserverException;
import org.pageserver.domain.lsn.Lsn;
import org.pageserver.domain.timeline.TimelineMetadata;
import org.pageserver.domain.timeline.TimelineState;

/**
 * A timeline as this node holds it in memory: its metadata and state, and the place where readers
 * and branch creation wait for an LSN that has not arrived yet.
 */
public final class Timeline {
    private volatile TimelineMetadata metadata;
    private volatile TimelineState state;
    private volatile boolean deletionStarted;
    private final Object removalLock = new Object();
    private boolean removed;

    Timeline(TimelineMetadata metadata, TimelineState state) {
        this.metadata = metadata;
        this.state = state;
        this.deletionStarted = metadata.deleting();
    }

    public TimelineMetadata metadata() {
        return metadata;
    }

    public TimelineState state() {
        return state;
    }

    boolean deletionStarted() {
        return deletionStarted;
    }

    void setState(TimelineState newState) {
        this.state = newState;
    }

    void startDeletion(TimelineMetadata marked) {
        this.metadata = marked;
        this.deletionStarted = true;
        this.state = TimelineState.STOPPING;
    }

    /** A failed deletion leaves the timeline Broken; deleting it again is allowed. */
    void deletionFailed(String reason) {
        this.deletionStarted = false;
        this.state = new TimelineState.Broken(reason, "");
    }

    /**
     * Runs {@code removal} unless this timeline was removed already, and never beside another removal
     * of it. Its own deletion and its tenant's deletion may both try; without this, one that ran late
     * could delete the stored record of a new timeline with the same id.
     */
    void removeOnce(Runnable removal) {
        synchronized (removalLock) {
            if (!removed) {
                removal.run();
                removed = true;
            }
        }
    }

    /** Replaces the metadata after the LSNs moved; wakes everyone waiting for an LSN. */
    synchronized void update(TimelineMetadata newMetadata) {
        this.metadata = newMetadata;
        notifyAll();
    }

    /**
     * Waits until {@code lsn} is at or below last_record_lsn, as Neon's {@code wait_lsn} does.
     *
     * @throws PageserverException UNAVAILABLE when the timeout passes first
     */
    synchronized void waitForLsn(Lsn lsn, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (metadata.lastRecordLsn().isBefore(lsn)) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw PageserverException.unavailable("Timed out while waiting for WAL record at LSN " + lsn
                        + " to arrive, last_record_lsn " + metadata.lastRecordLsn() + ", disk consistent LSN="
                        + metadata.diskConsistentLsn());
            }
            try {
                TimeUnit.NANOSECONDS.timedWait(this, left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw PageserverException.unavailable("interrupted while waiting for LSN " + lsn);
            }
        }
    }
}
