package org.pageserver.domain.id;

/** A timeline named across tenants, as Neon's {@code TenantTimelineId}: written {@code tenant/timeline}. */
public record TenantTimelineId(TenantId tenantId, TimelineId timelineId) {

    @Override
    public String toString() {
        return tenantId + "/" + timelineId;
    }
}
