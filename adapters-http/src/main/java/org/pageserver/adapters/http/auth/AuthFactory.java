package org.pageserver.adapters.http.auth;

import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import io.micronaut.security.token.jwt.signature.SignatureConfiguration;
import jakarta.inject.Singleton;
import java.nio.file.Path;

/**
 * The authentication beans, from Neon's settings {@code pageserver.http-auth-type} and
 * {@code pageserver.auth-validation-public-key-path}. Built at start-up ({@code @Context}), so a
 * misspelt auth type or an unreadable key set stops the server instead of surfacing on the first call.
 */
@Factory
final class AuthFactory {

    @Context
    AuthType httpAuthType(@Value("${" + AuthType.HTTP_PROPERTY + ":Trust}") String text) {
        return AuthType.parse(text);
    }

    /** Neon's default key path is {@code auth_public_key.pem} in the work directory. */
    @Context
    @Requires(condition = KeysNeeded.class)
    ValidationKeys validationKeys(@Value("${pageserver.auth-validation-public-key-path:}") String keyPath,
                                  @Value("${pageserver.workdir:.pageserver}") String workdir) {
        return new ValidationKeys(keyPath.isEmpty() ? Path.of(workdir, "auth_public_key.pem") : Path.of(keyPath));
    }

    @Singleton
    @Requires(property = AuthType.HTTP_PROPERTY, value = "NeonJWT")
    SignatureConfiguration keySignatureConfiguration(ValidationKeys keys) {
        return new KeySignatureConfiguration(keys);
    }
}
