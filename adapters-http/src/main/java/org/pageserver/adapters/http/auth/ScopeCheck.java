package org.pageserver.adapters.http.auth;

import java.util.Optional;
import org.pageserver.domain.id.TenantId;

/**
 * Whether a valid token reaches an endpoint: Neon's {@code check_permission}. The endpoint is a
 * tenant's (the tenant given) or a global, management one (no tenant). The answer is empty when
 * allowed, else the reason, which the API shows after {@code Forbidden: }.
 */
public final class ScopeCheck {
    static final String MANAGEMENT_API = "Attempt to access management api with tenant scope. Permission denied";
    static final String TENANT_MISMATCH = "Tenant id mismatch. Permission denied";
    static final String SAFEKEEPER = "SafekeeperData scope makes no sense for Pageserver";

    private ScopeCheck() {
    }

    public static Optional<String> denial(NeonClaims claims, Optional<TenantId> tenant) {
        return switch (claims.scope()) {
            case PAGESERVER_API -> Optional.empty();
            case SAFEKEEPER_DATA -> Optional.of(SAFEKEEPER);
            case TENANT -> {
                if (tenant.isEmpty()) {
                    yield Optional.of(MANAGEMENT_API);
                }
                // A tenant token without tenant_id reaches no tenant (Neon panics here; a 403 says why).
                yield claims.tenantId().equals(tenant) ? Optional.empty() : Optional.of(TENANT_MISMATCH);
            }
        };
    }
}
