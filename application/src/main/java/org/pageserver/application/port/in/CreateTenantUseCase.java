package org.pageserver.application.port.in;

import org.pageserver.domain.config.TenantConfOverrides;
import org.pageserver.domain.id.Generation;
import org.pageserver.domain.id.TenantId;

/** Creates an empty tenant on this node and returns once it is Active. */
public interface CreateTenantUseCase {

    /**
     * @param tenantId   the new tenant's id, or null to generate one
     * @param overrides  the tenant's own settings
     * @param generation the attachment generation, or null
     */
    record CreateTenantCommand(TenantId tenantId, TenantConfOverrides overrides, Generation generation) {
        public CreateTenantCommand {
            if (overrides == null) {
                overrides = TenantConfOverrides.none();
            }
        }
    }

    /** @return the id of the new tenant; CONFLICT if it exists already */
    TenantId createTenant(CreateTenantCommand command);
}
