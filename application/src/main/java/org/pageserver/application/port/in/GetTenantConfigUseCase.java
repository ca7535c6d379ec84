package org.pageserver.application.port.in;

import org.pageserver.domain.id.TenantId;

/** Reads a tenant's configuration, in any state. */
public interface GetTenantConfigUseCase {

    TenantConfigView getTenantConfig(TenantId tenantId);
}
