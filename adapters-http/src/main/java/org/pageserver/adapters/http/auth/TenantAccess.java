package org.pageserver.adapters.http.auth;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.security.authentication.Authentication;
import jakarta.inject.Singleton;
import java.util.Map;
import java.util.Optional;
import org.pageserver.domain.error.ErrorKind;
import org.pageserver.domain.error.PageserverException;
import org.pageserver.domain.id.TenantId;

/** The scope check for a {@link TenantInBody} endpoint, once it has read the tenant from its body. */
@Singleton
public class TenantAccess {
    private final AuthType authType;

    public TenantAccess(AuthType authType) {
        this.authType = authType;
    }

    /** Throws 403 when the caller's token does not reach {@code tenant}; with Trust, everyone does. */
    public void check(@Nullable Authentication caller, TenantId tenant) {
        if (authType == AuthType.Trust) {
            return;
        }
        // NeonJwtSecurityRule let only valid Neon tokens reach the endpoint; this is a second line.
        NeonClaims claims = NeonClaims.fromClaims(caller == null ? Map.of() : caller.getAttributes())
                .orElseThrow(() -> new PageserverException(ErrorKind.UNAUTHORIZED, AuthorizationHeader.MALFORMED_TOKEN));
        ScopeCheck.denial(claims, Optional.of(tenant)).ifPresent(reason -> {
            throw new PageserverException(ErrorKind.FORBIDDEN, reason);
        });
    }
}
