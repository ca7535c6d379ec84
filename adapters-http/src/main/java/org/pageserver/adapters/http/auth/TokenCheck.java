package org.pageserver.adapters.http.auth;

import com.nimbusds.jwt.SignedJWT;
import java.text.ParseException;
import java.util.Date;
import java.util.Optional;

/**
 * Checks a token outside the HTTP pipeline (the page service's password): the signature against
 * the validation keys, {@code exp} when present, and Neon's claims. The same rules as the HTTP
 * API's bearer tokens.
 */
public final class TokenCheck {
    private final KeySignatureConfiguration signatures;

    public TokenCheck(ValidationKeys keys) {
        this.signatures = new KeySignatureConfiguration(keys);
    }

    /** The token's claims, or empty if it is malformed, badly signed, expired, or claims no known scope. */
    public Optional<NeonClaims> claims(String token) {
        try {
            SignedJWT jwt = SignedJWT.parse(token);
            if (!signatures.supports(jwt.getHeader().getAlgorithm()) || !signatures.verify(jwt)) {
                return Optional.empty();
            }
            Date expires = jwt.getJWTClaimsSet().getExpirationTime();
            if (expires != null && expires.before(new Date())) {
                return Optional.empty();
            }
            return NeonClaims.fromClaims(jwt.getJWTClaimsSet().getClaims());
        } catch (ParseException e) {
            return Optional.empty();
        }
    }
}
