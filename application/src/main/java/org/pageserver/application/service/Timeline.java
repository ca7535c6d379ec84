package org.pageserver.application.service;

import java.time.Duration;
import org.pageserver.application.engine.TimelineData;
import org.pageserver.domain.lsn.Lsn;
import org.pageserver.domain.timeline.TimelineMetadata;
import org.pageserver.domain.timeline.TimelineState;

/**
 * A timeline as this node holds it: its state and lifecycle here, its data in the
 * {@link TimelineData} engine. A timeline found marked for deletion at start-up is never opened:
 * it has no engine, only the stored metadata its deletion needs.
 */
public final class Timeline {
    private final TimelineData data;
    private volatile TimelineMetadata stored;
    private volatile TimelineState state;
    private volatile boolean deletionStarted;
    private final Object removalLock = new Object();
    private boolean removed;

    Timeline(TimelineData data, TimelineState state) {
        this.data = data;
        this.stored = data.metadata();
        this.state = state;
        this.deletionStarted = stored.deleting();
        data.onBreak(this::broke);
    }

    /** The engine broke: the timeline shows it with the reason, unless it is already going away. */
    private synchronized void broke(String reason) {
        if (state instanceof TimelineState.Active) {
            state = new TimelineState.Broken(reason, "");
        }
    }

    /** A timeline whose deletion resumes at start-up, without opening its data. */
    static Timeline beingDeleted(TimelineMetadata stored) {
        return new Timeline(stored);
    }

    private Timeline(TimelineMetadata stored) {
        this.data = null;
        this.stored = stored;
        this.state = TimelineState.STOPPING;
        this.deletionStarted = true;
    }

    public TimelineMetadata metadata() {
        return data != null ? data.metadata() : stored;
    }

    /** The engine; null only for a timeline whose deletion resumed at start-up. */
    public TimelineData data() {
        return data;
    }

    public TimelineState state() {
        return state;
    }

    boolean deletionStarted() {
        return deletionStarted;
    }

    synchronized void setState(TimelineState newState) {
        this.state = newState;
    }

    /** Stops ingest and flushing, waiting for a flush in progress; reads go on. */
    void stopData() {
        if (data != null) {
            data.shutdown();
        }
    }

    /** Undoes {@link #stopData()} when the deletion could not even be marked. */
    void resumeData() {
        if (data != null) {
            data.resume();
        }
    }

    /** Records the deletion mark; the data must have been stopped. */
    synchronized void startDeletion(TimelineMetadata marked) {
        if (data != null) {
            data.setMetadata(marked);
        }
        this.stored = marked;
        this.deletionStarted = true;
        this.state = TimelineState.STOPPING;
    }

    /** A failed deletion leaves the timeline Broken; deleting it again is allowed. */
    synchronized void deletionFailed(String reason) {
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

    /**
     * Waits until {@code lsn} is at or below last_record_lsn, as Neon's {@code wait_lsn} does.
     *
     * @throws org.pageserver.domain.error.PageserverException UNAVAILABLE when the timeout passes first
     */
    void waitForLsn(Lsn lsn, Duration timeout) {
        data.waitForLsn(lsn, timeout);
    }
}
