package org.pageserver.application.port.out;

import java.util.List;
import org.pageserver.domain.tenant.TenantMetadata;

/** Reads the tenants this node holds, as stored at the last save. */
public interface LoadTenantPort {

    /** @return every stored tenant, in id order */
    List<TenantMetadata> loadTenants();
}
