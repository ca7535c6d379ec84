package org.pageserver.adapters.http.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.pageserver.domain.id.TenantId;

class NeonClaimsTest {
    private static final TenantId A = TenantId.generate();

    @Test
    void readsNeonsScopes() {
        assertEquals(Optional.of(new NeonClaims(Scope.PAGESERVER_API, Optional.empty())),
                NeonClaims.fromClaims(Map.of("scope", "pageserverapi", "exp", 1L, "iss", "anyone")));
        assertEquals(Optional.of(new NeonClaims(Scope.TENANT, Optional.of(A))),
                NeonClaims.fromClaims(Map.of("scope", "tenant", "tenant_id", A.toString())));
        assertEquals(Optional.of(new NeonClaims(Scope.SAFEKEEPER_DATA, Optional.empty())),
                NeonClaims.fromClaims(Map.of("scope", "safekeeperdata")));
    }

    @Test
    void claimsNeonCannotReadAreNoClaims() {
        assertEquals(Optional.empty(), NeonClaims.fromClaims(Map.of()));
        assertEquals(Optional.empty(), NeonClaims.fromClaims(Map.of("scope", "generations_api")));
        assertEquals(Optional.empty(), NeonClaims.fromClaims(Map.of("scope", "Tenant", "tenant_id", A.toString())));
        assertEquals(Optional.empty(), NeonClaims.fromClaims(Map.of("scope", 1)));
        assertEquals(Optional.empty(), NeonClaims.fromClaims(Map.of("scope", "tenant", "tenant_id", "xyz")));
        assertEquals(Optional.empty(), NeonClaims.fromClaims(Map.of("scope", "tenant", "tenant_id", 7)));
    }

    @Test
    void survivesTheTripThroughAnAuthentication() {
        NeonClaims claims = new NeonClaims(Scope.TENANT, Optional.of(A));
        assertEquals(Optional.of(claims), NeonClaims.fromClaims(claims.toAuthentication().getAttributes()));
    }
}
