package org.pageserver.application.port.in;

import org.pageserver.domain.id.TenantId;

/** Deletes a tenant with all its timelines; the work finishes in the background. */
public interface DeleteTenantUseCase {

    /**
     * Marks the tenant for deletion (durably, so a restart resumes it) and starts removing it.
     * NOT_FOUND when absent (also once a deletion finished), CONFLICT while a deletion runs,
     * PRECONDITION_FAILED when the tenant is neither Active nor Broken.
     */
    void deleteTenant(TenantId tenantId);
}
