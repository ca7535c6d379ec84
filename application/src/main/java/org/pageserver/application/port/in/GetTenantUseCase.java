package org.pageserver.application.port.in;

import java.util.List;
import org.pageserver.domain.id.TenantId;

/** Reads tenants in any state. */
public interface GetTenantUseCase {

    /** @return the tenant with its physical size; NOT_FOUND if this node does not hold it */
    TenantInfo getTenant(TenantId tenantId);

    /** @return every tenant this node holds, in id order, without sizes */
    List<TenantInfo> listTenants();
}
