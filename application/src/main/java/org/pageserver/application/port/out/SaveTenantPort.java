package org.pageserver.application.port.out;

import org.pageserver.domain.id.TenantId;
import org.pageserver.domain.tenant.TenantMetadata;

/** Stores tenants durably: a call returns only once its change survives a crash. */
public interface SaveTenantPort {

    /** Inserts or replaces the tenant with all its overrides, atomically. */
    void saveTenant(TenantMetadata tenant);

    /** Removes the tenant and everything stored under it (its timelines too); absent is not an error. */
    void deleteTenant(TenantId tenantId);
}
