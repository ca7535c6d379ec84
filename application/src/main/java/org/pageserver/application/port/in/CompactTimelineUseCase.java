package org.pageserver.application.port.in;

import org.pageserver.domain.id.TenantId;
import org.pageserver.domain.id.TimelineId;

/** Neon's compaction of one timeline, now (its testing route); it also runs on its own every compaction_period. */
public interface CompactTimelineUseCase {

    /** Returns once the compaction due has run: for now, an image layer where enough deltas stack above the newest. */
    void compact(TenantId tenantId, TimelineId timelineId);
}
