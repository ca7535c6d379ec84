package org.pageserver.application.port.in;

import org.pageserver.domain.config.TenantConfOverrides;
import org.pageserver.domain.id.TenantId;

/** Replaces all of an Active tenant's own settings; settings it leaves out fall back to the server defaults. */
public interface UpdateTenantConfigUseCase {

    /** @return the tenant after the change */
    TenantInfo updateTenantConfig(TenantId tenantId, TenantConfOverrides overrides);
}
