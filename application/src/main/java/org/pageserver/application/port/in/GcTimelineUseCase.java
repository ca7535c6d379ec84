package org.pageserver.application.port.in;

import org.pageserver.domain.id.TenantId;
import org.pageserver.domain.id.TimelineId;
import org.pageserver.domain.timeline.GcResult;

/** Neon's do_gc: garbage-collect one timeline now (it also runs on its own every gc_period). */
public interface GcTimelineUseCase {

    /**
     * @param gcHorizon bytes of WAL to keep below last_record_lsn; null for the tenant's gc_horizon
     * @return what it removed and why it kept the rest
     */
    GcResult gc(TenantId tenantId, TimelineId timelineId, Long gcHorizon);
}
