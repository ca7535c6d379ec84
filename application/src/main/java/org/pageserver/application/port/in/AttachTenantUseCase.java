package org.pageserver.application.port.in;

import org.pageserver.domain.config.TenantConfOverrides;
import org.pageserver.domain.id.Generation;
import org.pageserver.domain.id.TenantId;

/** Attaching a tenant from remote storage (Neon's POST /v1/tenant/{id}/attach). */
public interface AttachTenantUseCase {

    /**
     * Starts attaching the tenant: it is listed as Attaching at once, and in the background its
     * timelines are built from their indexes in remote storage (ancestors first, their layers
     * remote until read), after which it is Active, or Broken with the reason.
     *
     * @param generation the attachment's generation, or null: one above the newest in remote storage
     * @throws org.pageserver.domain.error.PageserverException CONFLICT if the tenant is on this node;
     *                                                         BAD_REQUEST without remote storage
     */
    void attachTenant(TenantId tenantId, TenantConfOverrides overrides, Generation generation);
}
