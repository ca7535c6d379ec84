package org.pageserver.application.port.in;

import org.pageserver.domain.id.TenantId;

/** Ignoring a tenant (Neon's POST /v1/tenant/{id}/ignore): unloaded, its local data kept for a load. */
public interface IgnoreTenantUseCase {

    /**
     * Stops the tenant and drops it from memory; its files, metadata and remote objects stay, and
     * no start loads it until {@link LoadTenantUseCase#loadTenant} is called. Returns once it is unloaded.
     *
     * @throws org.pageserver.domain.error.PageserverException NOT_FOUND if not loaded here; UNAVAILABLE
     *                                                         if it is not Active or Broken (attaching, stopping)
     */
    void ignoreTenant(TenantId tenantId);
}
