package org.pageserver.adapters.http.auth;

/**
 * Neon's {@code http_auth_type}, under its own spelling. Parsed strictly: a misspelt value must
 * stop the server, not quietly leave the API open.
 */
public enum HttpAuthType {
    /** No authentication: every caller reaches everything. */
    Trust,
    /** A bearer JWT signed by one of the validation keys, with Neon's scope claims. */
    NeonJWT;

    /** The configuration property, as {@code @Requires} checks it. */
    public static final String PROPERTY = "pageserver.http-auth-type";

    public static HttpAuthType parse(String text) {
        for (HttpAuthType type : values()) {
            if (type.name().equals(text)) {
                return type;
            }
        }
        throw new IllegalArgumentException(PROPERTY + " must be Trust or NeonJWT, not \"" + text + "\"");
    }
}
