package org.pageserver.adapters.storage.metadata;

import org.pageserver.domain.id.TenantId;
import org.pageserver.domain.id.TimelineId;
import org.pageserver.domain.lsn.Lsn;
import org.pageserver.domain.timeline.TimelineMetadata;

/** Timeline metadata to a row and back; LSNs keep their raw 64 bits (negative above 2^63). */
final class TimelineRowMapper {

    private TimelineRowMapper() {
    }

    static TimelineKey key(TenantId tenantId, TimelineId timelineId) {
        return new TimelineKey(tenantId.hex(), timelineId.hex());
    }

    static TimelineRow toRow(TimelineMetadata t) {
        TimelineId ancestor = t.ancestorTimelineId();
        return new TimelineRow(key(t.tenantId(), t.timelineId()), ancestor == null ? null : ancestor.hex(),
                t.ancestorLsn().value(), t.initdbLsn().value(), t.lastRecordLsn().value(),
                t.prevRecordLsn().value(), t.diskConsistentLsn().value(), t.remoteConsistentLsn().value(),
                t.latestGcCutoffLsn().value(), t.pgVersion(), t.deleting());
    }

    static TimelineMetadata toDomain(TimelineRow r) {
        TimelineId ancestor = r.ancestorTimelineId() == null ? null : new TimelineId(r.ancestorTimelineId());
        return new TimelineMetadata(new TenantId(r.id().tenantId()), new TimelineId(r.id().timelineId()), ancestor,
                Lsn.of(r.ancestorLsn()), Lsn.of(r.initdbLsn()), Lsn.of(r.lastRecordLsn()), Lsn.of(r.prevRecordLsn()),
                Lsn.of(r.diskConsistentLsn()), Lsn.of(r.remoteConsistentLsn()), Lsn.of(r.latestGcCutoffLsn()),
                r.pgVersion(), r.deleting());
    }
}
