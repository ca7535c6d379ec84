package org.pageserver.application.port.in;

import org.pageserver.domain.id.TenantId;
import org.pageserver.domain.id.TimelineId;

/** Neon's checkpoint: write everything the timeline holds in memory to layer files, now. */
public interface CheckpointTimelineUseCase {

    /** Returns once disk_consistent_lsn has reached the last_record_lsn it saw on entry. */
    void checkpoint(TenantId tenantId, TimelineId timelineId);
}
