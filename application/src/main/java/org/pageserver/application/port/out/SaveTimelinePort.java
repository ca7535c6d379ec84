package org.pageserver.application.port.out;

import org.pageserver.domain.id.TenantId;
import org.pageserver.domain.id.TimelineId;
import org.pageserver.domain.timeline.TimelineMetadata;

/** Stores timelines durably: a call returns only once its change survives a crash. */
public interface SaveTimelinePort {

    /** Inserts or replaces the timeline's metadata. */
    void saveTimeline(TimelineMetadata timeline);

    /** Removes the timeline's metadata; absent is not an error. */
    void deleteTimeline(TenantId tenantId, TimelineId timelineId);
}
