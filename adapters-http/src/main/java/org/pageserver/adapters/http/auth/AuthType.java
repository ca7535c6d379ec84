package org.pageserver.adapters.http.auth;

/**
 * Neon's {@code http_auth_type} and {@code pg_auth_type}, under their own spelling. Parsed
 * strictly: a misspelt value must stop the server, not quietly leave a port open.
 */
public enum AuthType {
    /** No authentication: every caller reaches everything. */
    Trust,
    /** A JWT signed by one of the validation keys, with Neon's scope claims. */
    NeonJWT;

    /** The HTTP API's setting, as {@code @Requires} checks it. */
    public static final String HTTP_PROPERTY = "pageserver.http-auth-type";
    /** The page service's setting. */
    public static final String PG_PROPERTY = "pageserver.pg-auth-type";

    public static AuthType parse(String text) {
        return parse(HTTP_PROPERTY, text);
    }

    public static AuthType parse(String property, String text) {
        for (AuthType type : values()) {
            if (type.name().equals(text)) {
                return type;
            }
        }
        throw new IllegalArgumentException(property + " must be Trust or NeonJWT, not \"" + text + "\"");
    }
}
