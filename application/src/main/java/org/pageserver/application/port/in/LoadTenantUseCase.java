package org.pageserver.application.port.in;

import org.pageserver.domain.id.Generation;
import org.pageserver.domain.id.TenantId;

/** Loading an ignored tenant again (Neon's POST /v1/tenant/{id}/load). */
public interface LoadTenantUseCase {

    /**
     * Starts loading the ignored tenant from its local data, as a start of the server would: it is
     * listed as Attaching at once, and Active (or Broken with the reason) once its timelines are open.
     *
     * @param generation the generation it is loaded in, or null: one above the newest this node
     *                   knows of (its stored one, and remote storage's)
     * @throws org.pageserver.domain.error.PageserverException CONFLICT if it is loaded already;
     *                                                         NOT_FOUND if this node has no ignored tenant of that id
     */
    void loadTenant(TenantId tenantId, Generation generation);
}
