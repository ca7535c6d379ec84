/**
 * Who may call the API, under Neon's rules: {@code pageserver.http-auth-type} is {@code Trust}
 * (everything open) or {@code NeonJWT}. With NeonJWT, micronaut-security-jwt reads the bearer token
 * and checks its signature against the keys of {@link org.pageserver.adapters.http.auth.ValidationKeys};
 * {@link org.pageserver.adapters.http.auth.NeonJwtSecurityRule} then answers 401 for a missing or bad
 * token and asks {@link org.pageserver.adapters.http.auth.ScopeCheck} whether the token's scope
 * reaches the route (403 if not).
 */
package org.pageserver.adapters.http.auth;
