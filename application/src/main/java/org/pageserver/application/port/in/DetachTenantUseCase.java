package org.pageserver.application.port.in;

import org.pageserver.domain.id.TenantId;

/** Detaching a tenant (Neon's POST /v1/tenant/{id}/detach): this node lets it go, remote storage keeps it. */
public interface DetachTenantUseCase {

    /**
     * Stops the tenant and removes its local files and metadata; its objects in remote storage stay,
     * for another node to attach. Returns once it is gone from this node. An ignored tenant is
     * detached only with {@code detachIgnored} (Neon's {@code detach_ignored=true}).
     *
     * @throws org.pageserver.domain.error.PageserverException NOT_FOUND if absent, or ignored without
     *                                                         {@code detachIgnored}; UNAVAILABLE if it is
     *                                                         not Active or Broken (attaching, stopping)
     */
    void detachTenant(TenantId tenantId, boolean detachIgnored);
}
