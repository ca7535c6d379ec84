package org.pageserver.application.service;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import org.pageserver.application.port.out.SaveTimelinePort;

/**
 * What a timeline keeps on this node beyond memory, and its removal: the one place that knows
 * everything to delete when a timeline goes, whether alone or with its tenant.
 */
public final class TimelineStorage {
    private static final Logger LOG = System.getLogger(TimelineStorage.class.getName());

    private final SaveTimelinePort saveTimelines;

    public TimelineStorage(SaveTimelinePort saveTimelines) {
        this.saveTimelines = saveTimelines;
    }

    /** Deletes the timeline's stored state and drops it from its tenant. */
    void remove(Tenant tenant, Timeline timeline) {
        timeline.removeOnce(() -> {
            saveTimelines.deleteTimeline(tenant.id(), timeline.metadata().timelineId());
            tenant.removeTimeline(timeline.metadata().timelineId(), timeline);
            LOG.log(Level.INFO, "timeline {0}/{1}: deleted", tenant.id(), timeline.metadata().timelineId());
        });
    }

    /** Finishes a deletion that a stop cut short; on failure the timeline is left Broken. */
    void resumeDeletion(Tenant tenant, Timeline timeline) {
        LOG.log(Level.INFO, "timeline {0}/{1}: resuming its deletion", tenant.id(), timeline.metadata().timelineId());
        removeOrBreak(tenant, timeline);
    }

    void removeOrBreak(Tenant tenant, Timeline timeline) {
        try {
            remove(tenant, timeline);
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "timeline " + tenant.id() + "/" + timeline.metadata().timelineId()
                    + ": deletion failed; a new DELETE retries it", e);
            timeline.deletionFailed("deletion failed: " + e.getMessage());
        }
    }

    /** The bytes of the timeline's layer files; no layers exist until the data plane writes them. */
    long physicalSize(Timeline timeline) {
        return 0L;
    }

    /** The bytes of all the tenant's layer files. */
    long physicalSize(Tenant tenant) {
        return tenant.timelines().stream().mapToLong(this::physicalSize).sum();
    }
}
