package org.pageserver.adapters.http.auth;

import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.uri.UriMatchInfo;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecuredAnnotationRule;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.security.rules.SecurityRuleResult;
import io.micronaut.web.router.RouteAttributes;
import io.micronaut.web.router.RouteMatch;
import jakarta.inject.Singleton;
import java.util.Map;
import java.util.Optional;
import org.pageserver.adapters.http.json.RequestParams;
import org.pageserver.domain.error.ErrorKind;
import org.pageserver.domain.error.PageserverException;
import org.pageserver.domain.id.TenantId;
import org.reactivestreams.Publisher;

/**
 * The one hook of NeonJWT: Micronaut's security filter asks it about every request, after the
 * bearer token (if any) was verified. It runs before the {@code @Secured} rule, so the controllers'
 * {@code IS_ANONYMOUS} (their Trust setting) does not apply, and it always decides:
 * <ol>
 *   <li>{@code /v1/status}, {@code /metrics} (as in Neon) and the served API description ({@code /swagger/...}, and Swagger UI at
 *       {@code /swagger-ui/...}) are open;</li>
 *   <li>everything else, unknown paths too, needs a valid token, else 401 (Neon authenticates first);</li>
 *   <li>a route with a {@code {tenant_id}} path variable is that tenant's, a {@link TenantInBody}
 *       route checks its tenant itself, any other route is global; {@link ScopeCheck} decides (403).</li>
 * </ol>
 * A refusal is a {@link PageserverException}, so the one error mapper writes its status and {@code {"msg"}}.
 */
@Singleton
@Requires(property = AuthType.HTTP_PROPERTY, value = "NeonJWT")
final class NeonJwtSecurityRule implements SecurityRule<HttpRequest<?>> {
    private static final String STATUS = "/v1/status";
    private static final String METRICS = "/metrics";
    private static final String API_DESCRIPTION = "/swagger/";
    private static final String API_BROWSER = "/swagger-ui/";
    private static final String TENANT_ID = "tenant_id";

    @Override
    public int getOrder() {
        return SecuredAnnotationRule.ORDER - 100;
    }

    @Override
    public Publisher<SecurityRuleResult> check(@Nullable HttpRequest<?> request, @Nullable Authentication authentication) {
        if (request == null) {
            return Publishers.just(SecurityRuleResult.UNKNOWN);
        }
        try {
            decide(request, authentication);
            return Publishers.just(SecurityRuleResult.ALLOWED);
        } catch (PageserverException refusal) {
            return Publishers.just(refusal);
        }
    }

    private static void decide(HttpRequest<?> request, @Nullable Authentication authentication) {
        Optional<RouteMatch<?>> route = RouteAttributes.getRouteMatch(request);
        String path = request.getPath();
        // The API description is static files, never a route: a path that starts alike but reaches
        // a controller (say through "..") is not let through.
        boolean staticFile = path.startsWith(API_DESCRIPTION) || path.startsWith(API_BROWSER);
        if (path.equals(STATUS) || path.equals(METRICS) || staticFile && route.isEmpty()) {
            return;
        }
        Optional<NeonClaims> claims = authentication == null
                ? Optional.empty() : NeonClaims.fromClaims(authentication.getAttributes());
        Optional<String> problem = AuthorizationHeader.problem(request, claims.isPresent());
        if (problem.isPresent()) {
            throw new PageserverException(ErrorKind.UNAUTHORIZED, problem.get());
        }
        if (route.isEmpty() || route.get().getRouteInfo().getAnnotationMetadata().hasAnnotation(TenantInBody.class)) {
            // No route: the 404 follows. Tenant in the body: the endpoint checks once it has parsed it.
            return;
        }
        ScopeCheck.denial(claims.get(), tenantOf(route.get())).ifPresent(reason -> {
            throw new PageserverException(ErrorKind.FORBIDDEN, reason);
        });
    }

    /** The path's tenant, parsed as the controller would: a bad id is its 400, before any 403, as in Neon. */
    private static Optional<TenantId> tenantOf(RouteMatch<?> route) {
        Map<String, Object> variables = route instanceof UriMatchInfo uri ? uri.getVariableValues() : Map.of();
        Object tenant = variables.get(TENANT_ID);
        return tenant == null ? Optional.empty() : Optional.of(RequestParams.tenantId(tenant.toString()));
    }
}
