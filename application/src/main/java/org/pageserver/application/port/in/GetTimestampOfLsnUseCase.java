package org.pageserver.application.port.in;

import java.util.Optional;
import org.pageserver.domain.id.TenantId;
import org.pageserver.domain.id.TimelineId;
import org.pageserver.domain.lsn.Lsn;

/** Neon's get_timestamp_of_lsn: the time of the newest commit at or below an LSN. */
public interface GetTimestampOfLsnUseCase {

    /** @return microseconds since 1970-01-01 UTC; empty where no commit is at or below the LSN */
    Optional<Long> getTimestampOfLsn(TenantId tenantId, TimelineId timelineId, Lsn lsn);
}
