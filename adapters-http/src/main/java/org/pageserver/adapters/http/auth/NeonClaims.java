package org.pageserver.adapters.http.auth;

import io.micronaut.security.authentication.Authentication;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.pageserver.domain.id.TenantId;

/**
 * What a valid token says: its scope and, for a tenant token, the tenant. Carried between the
 * token check and the scope check as the attributes of Micronaut's {@link Authentication}.
 */
public record NeonClaims(Scope scope, Optional<TenantId> tenantId) {
    static final String SCOPE = "scope";
    static final String TENANT_ID = "tenant_id";

    public NeonClaims {
        if (scope == null || tenantId == null) {
            throw new IllegalArgumentException("scope and tenantId must not be null");
        }
    }

    /**
     * Reads the claims of a verified token. Empty, as for a bad signature, when {@code scope} is
     * missing or unknown or {@code tenant_id} is no tenant id: Neon fails to read such a token.
     */
    public static Optional<NeonClaims> fromClaims(Map<String, Object> claims) {
        Optional<Scope> scope = claims.get(SCOPE) instanceof String text ? Scope.parse(text) : Optional.empty();
        if (scope.isEmpty()) {
            return Optional.empty();
        }
        Object tenant = claims.get(TENANT_ID);
        if (tenant == null) {
            return Optional.of(new NeonClaims(scope.get(), Optional.empty()));
        }
        try {
            return tenant instanceof String text
                    ? Optional.of(new NeonClaims(scope.get(), Optional.of(TenantId.parse(text))))
                    : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    Authentication toAuthentication() {
        Map<String, Object> attributes = new HashMap<>();
        attributes.put(SCOPE, scope.wire());
        tenantId.ifPresent(id -> attributes.put(TENANT_ID, id.toString()));
        // Neon's tokens name no subject; the scope is the nearest thing to a name for the logs.
        return Authentication.build(scope.wire(), attributes);
    }
}
