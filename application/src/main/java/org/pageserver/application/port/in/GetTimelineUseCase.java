package org.pageserver.application.port.in;

import java.util.List;
import org.pageserver.domain.id.TenantId;
import org.pageserver.domain.id.TimelineId;

/** Reads timelines of an Active tenant, in any timeline state. */
public interface GetTimelineUseCase {

    /** @param nonIncrementalLogicalSize also recompute the logical size from the data (expensive) */
    TimelineInfo getTimeline(TenantId tenantId, TimelineId timelineId, boolean nonIncrementalLogicalSize);

    /** @return the tenant's timelines in id order */
    List<TimelineInfo> listTimelines(TenantId tenantId, boolean nonIncrementalLogicalSize);
}
