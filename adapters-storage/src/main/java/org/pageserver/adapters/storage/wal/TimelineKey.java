package org.pageserver.adapters.storage.wal;

import org.pageserver.domain.id.TenantId;
import org.pageserver.domain.id.TimelineId;

/** A timeline as the log tracks it: timeline ids are unique only within their tenant. */
record TimelineKey(TenantId tenantId, TimelineId timelineId) {
}
