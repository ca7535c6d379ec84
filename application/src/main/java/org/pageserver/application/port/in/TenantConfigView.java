package org.pageserver.application.port.in;

import org.pageserver.domain.config.TenantConfOverrides;
import org.pageserver.domain.config.TenantConfig;

/** A tenant's own settings beside the effective ones (own setting, else the server default). */
public record TenantConfigView(TenantConfOverrides tenantSpecificOverrides, TenantConfig effectiveConfig) {
}
