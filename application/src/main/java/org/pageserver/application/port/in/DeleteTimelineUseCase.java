package org.pageserver.application.port.in;

import org.pageserver.domain.id.TenantId;
import org.pageserver.domain.id.TimelineId;

/** Deletes a timeline without children; the work finishes in the background. */
public interface DeleteTimelineUseCase {

    /**
     * PRECONDITION_FAILED when the tenant is missing or the timeline has children; NOT_FOUND when
     * the timeline is absent; CONFLICT while its deletion runs; UNAVAILABLE while the tenant is not Active.
     */
    void deleteTimeline(TenantId tenantId, TimelineId timelineId);
}
