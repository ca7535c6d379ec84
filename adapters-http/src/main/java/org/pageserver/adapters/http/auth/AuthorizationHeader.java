package org.pageserver.adapters.http.auth;

import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import java.util.Optional;

/**
 * Why a request that needs a token has none that counts, in Neon's words (shown after
 * {@code Unauthorized: }). The header is judged here, not by Micronaut's bearer reader, so that
 * the three cases Neon tells apart get their own message.
 */
final class AuthorizationHeader {
    static final String MISSING = "missing authorization header";
    static final String MALFORMED_HEADER = "malformed authorization header";
    static final String MALFORMED_TOKEN = "malformed jwt token";
    private static final String BEARER = "Bearer ";

    private AuthorizationHeader() {
    }

    /**
     * Empty when the request carries a well-formed bearer header that Micronaut accepted
     * ({@code authenticated}); else the reason to refuse it.
     */
    static Optional<String> problem(HttpRequest<?> request, boolean authenticated) {
        Optional<String> header = request.getHeaders().getFirst(HttpHeaders.AUTHORIZATION);
        if (header.isEmpty()) {
            return Optional.of(MISSING);
        }
        if (!header.get().startsWith(BEARER)) {
            return Optional.of(MALFORMED_HEADER);
        }
        // Micronaut read the same header: no authentication means a bad signature, a bad or
        // expired token, or claims Neon could not read.
        return authenticated ? Optional.empty() : Optional.of(MALFORMED_TOKEN);
    }
}
