package org.pageserver.adapters.http.auth;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks an endpoint whose tenant is named in the request body, not the path ({@code PUT
 * /v1/tenant/config}). The security rule then only authenticates; the endpoint parses its body
 * first and checks the tenant with {@link TenantAccess}, so that a bad body is a 400 before any 403,
 * as in Neon.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface TenantInBody {
}
