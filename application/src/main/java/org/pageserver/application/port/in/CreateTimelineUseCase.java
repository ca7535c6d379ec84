package org.pageserver.application.port.in;

import org.pageserver.domain.id.TenantId;
import org.pageserver.domain.id.TimelineId;
import org.pageserver.domain.lsn.Lsn;

/** Creates a root timeline, or a branch of an existing one at an LSN. */
public interface CreateTimelineUseCase {

    /**
     * @param newTimelineId      the new id, or null to generate one
     * @param ancestorTimelineId the timeline to branch from, or null for a root timeline
     * @param ancestorStartLsn   the branch point, or null for the ancestor's last_record_lsn
     * @param pgVersion          the PostgreSQL major version, or null for the default (15; a branch keeps its ancestor's)
     */
    record CreateTimelineCommand(TenantId tenantId, TimelineId newTimelineId, TimelineId ancestorTimelineId,
                                 Lsn ancestorStartLsn, Integer pgVersion) {
    }

    TimelineInfo createTimeline(CreateTimelineCommand command);
}
