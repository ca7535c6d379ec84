package org.pageserver.application.port.out;

import java.util.List;
import org.pageserver.domain.id.TenantId;
import org.pageserver.domain.timeline.TimelineMetadata;

/** Reads a tenant's timelines as stored at the last save. */
public interface LoadTimelinePort {

    /** @return the tenant's timelines, in timeline id order */
    List<TimelineMetadata> loadTimelines(TenantId tenantId);

    /** @return every stored timeline of every tenant, in one read: a start's, in tenant then timeline id order */
    List<TimelineMetadata> loadAllTimelines();
}
