package org.pageserver.adapters.http.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.pageserver.domain.id.TenantId;

/** Neon's check_permission, case by case: scope x (global endpoint, own tenant, other tenant). */
class ScopeCheckTest {
    private static final TenantId A = TenantId.generate();
    private static final TenantId B = TenantId.generate();
    private static final Optional<TenantId> GLOBAL = Optional.empty();

    private static Optional<String> denial(Scope scope, Optional<TenantId> claimed, Optional<TenantId> endpoint) {
        return ScopeCheck.denial(new NeonClaims(scope, claimed), endpoint);
    }

    @Test
    void pageserverApiReachesEverything() {
        assertEquals(Optional.empty(), denial(Scope.PAGESERVER_API, Optional.empty(), GLOBAL));
        assertEquals(Optional.empty(), denial(Scope.PAGESERVER_API, Optional.empty(), Optional.of(A)));
        // A tenant_id beside it narrows nothing, as in Neon.
        assertEquals(Optional.empty(), denial(Scope.PAGESERVER_API, Optional.of(B), Optional.of(A)));
    }

    @Test
    void aTenantTokenReachesItsOwnTenantOnly() {
        assertEquals(Optional.empty(), denial(Scope.TENANT, Optional.of(A), Optional.of(A)));
        assertEquals(Optional.of(ScopeCheck.TENANT_MISMATCH), denial(Scope.TENANT, Optional.of(B), Optional.of(A)));
        assertEquals(Optional.of(ScopeCheck.MANAGEMENT_API), denial(Scope.TENANT, Optional.of(A), GLOBAL));
    }

    @Test
    void aTenantTokenWithoutTenantIdReachesNothing() {
        assertEquals(Optional.of(ScopeCheck.TENANT_MISMATCH), denial(Scope.TENANT, Optional.empty(), Optional.of(A)));
        assertEquals(Optional.of(ScopeCheck.MANAGEMENT_API), denial(Scope.TENANT, Optional.empty(), GLOBAL));
    }

    @Test
    void safekeeperDataReachesNothing() {
        assertEquals(Optional.of(ScopeCheck.SAFEKEEPER), denial(Scope.SAFEKEEPER_DATA, Optional.empty(), GLOBAL));
        assertEquals(Optional.of(ScopeCheck.SAFEKEEPER), denial(Scope.SAFEKEEPER_DATA, Optional.of(A), Optional.of(A)));
    }

    @Test
    void theMessagesAreNeons() {
        assertEquals("Attempt to access management api with tenant scope. Permission denied", ScopeCheck.MANAGEMENT_API);
        assertEquals("Tenant id mismatch. Permission denied", ScopeCheck.TENANT_MISMATCH);
        assertEquals("SafekeeperData scope makes no sense for Pageserver", ScopeCheck.SAFEKEEPER);
    }
}
