package org.pageserver.application.port.in;

import org.pageserver.domain.id.TenantId;
import org.pageserver.domain.id.TimelineId;
import org.pageserver.domain.lsn.LsnByTimestamp;

/** Neon's get_lsn_by_timestamp: which LSN separates the commits before a time from those at or after it. */
public interface FindLsnByTimestampUseCase {

    /** @param timestampMicros microseconds since 1970-01-01 UTC */
    LsnByTimestamp findLsnByTimestamp(TenantId tenantId, TimelineId timelineId, long timestampMicros);
}
