package org.pageserver.application.service;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.pageserver.domain.error.PageserverException;
import org.pageserver.domain.id.TenantId;
import org.pageserver.domain.id.TimelineId;
import org.pageserver.domain.tenant.TenantMetadata;
import org.pageserver.domain.tenant.TenantState;

/**
 * A tenant as this node holds it in memory: state, stored metadata and timelines. Every change to
 * its shape (config, deletion, timelines created or deleted) runs under {@link #modify}, so two
 * such changes never interleave and none leaves the tenant half-made.
 */
public final class Tenant {
    /**
     * How long a change waits for another change of the same tenant before answering 503; the
     * changes themselves are short (a database write), so a long wait means something is stuck.
     */
    private static final Duration MODIFY_WAIT = Duration.ofSeconds(10);

    private final TenantId id;
    private final ReentrantLock modifyLock = new ReentrantLock();
    private final ConcurrentSkipListMap<TimelineId, Timeline> timelines = new ConcurrentSkipListMap<>();
    private volatile TenantState state;
    private volatile TenantMetadata metadata;
    private volatile boolean deletionStarted;

    Tenant(TenantMetadata metadata, TenantState state) {
        this.id = metadata.id();
        this.metadata = metadata;
        this.state = state;
        this.deletionStarted = false;
    }

    public TenantId id() {
        return id;
    }

    public TenantState state() {
        return state;
    }

    public TenantMetadata metadata() {
        return metadata;
    }

    synchronized void setState(TenantState newState) {
        this.state = newState;
    }

    /** Active, unless a timeline broke while the tenant was being activated. */
    synchronized void becomeActive() {
        if (!(state instanceof TenantState.Broken)) {
            state = TenantState.ACTIVE;
        }
    }

    /** A timeline's engine broke: the tenant is Broken with the reason, unless it is being deleted. */
    private synchronized void timelineBroke(TimelineId timelineId, String reason) {
        if (!(state instanceof TenantState.Stopping) && !(state instanceof TenantState.Broken)) {
            state = new TenantState.Broken("timeline " + timelineId + " is broken: " + reason, "");
        }
    }

    void setMetadata(TenantMetadata newMetadata) {
        this.metadata = newMetadata;
    }

    boolean deletionStarted() {
        return deletionStarted;
    }

    void setDeletionStarted(boolean started) {
        this.deletionStarted = started;
    }

    Optional<Timeline> timeline(TimelineId timelineId) {
        return Optional.ofNullable(timelines.get(timelineId));
    }

    List<Timeline> timelines() {
        return List.copyOf(timelines.values());
    }

    void putTimeline(Timeline timeline) {
        TimelineId id = timeline.metadata().timelineId();
        timelines.put(id, timeline);
        if (timeline.data() != null) {
            timeline.data().onBreak(reason -> timelineBroke(id, reason));
        }
    }

    void removeTimeline(TimelineId timelineId, Timeline timeline) {
        timelines.remove(timelineId, timeline);
    }

    /** The ids of the timelines branched from {@code parent}. */
    List<TimelineId> childrenOf(TimelineId parent) {
        return timelines.values().stream()
                .map(Timeline::metadata)
                .filter(m -> parent.equals(m.ancestorTimelineId()))
                .map(m -> m.timelineId())
                .toList();
    }

    /** Runs a change of this tenant's shape, alone. */
    <T> T modify(Supplier<T> change) {
        boolean locked;
        try {
            locked = modifyLock.tryLock(MODIFY_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            locked = false;
        }
        if (!locked) {
            throw PageserverException.unavailable("Tenant is being modified concurrently");
        }
        try {
            return change.get();
        } finally {
            modifyLock.unlock();
        }
    }

    /** @throws PageserverException UNAVAILABLE unless Active: the tenant exists here, so never NOT_FOUND */
    void requireActive() {
        TenantState current = state;
        if (!current.isActive()) {
            String why = current instanceof TenantState.Broken broken ? ": " + broken.reason() : "";
            throw PageserverException.unavailable("Tenant " + id + " is not active. Current state: " + current.slug() + why);
        }
    }
}
