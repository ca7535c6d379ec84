package org.pageserver.adapters.http.auth;

import com.nimbusds.jwt.JWT;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.annotation.Requires;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.token.jwt.validator.DefaultJwtAuthenticationFactory;
import io.micronaut.security.token.jwt.validator.JwtAuthenticationFactory;
import jakarta.inject.Singleton;
import java.text.ParseException;
import java.util.Optional;

/**
 * Turns a token whose signature and {@code exp} passed into an authentication carrying
 * {@link NeonClaims}. Replaces Micronaut's default, which wants a {@code sub} claim that Neon's
 * tokens do not have; a token with an unknown scope authenticates no one, as in Neon.
 */
@Singleton
@Replaces(DefaultJwtAuthenticationFactory.class)
@Requires(property = AuthType.HTTP_PROPERTY, value = "NeonJWT")
final class NeonJwtAuthenticationFactory implements JwtAuthenticationFactory {

    @Override
    public Optional<Authentication> createAuthentication(JWT token) {
        try {
            return NeonClaims.fromClaims(token.getJWTClaimsSet().getClaims()).map(NeonClaims::toAuthentication);
        } catch (ParseException e) {
            return Optional.empty();
        }
    }
}
