package org.pageserver.adapters.http.auth;

import java.util.Optional;

/** The {@code scope} claim of a Neon token, under its wire names. */
public enum Scope {
    /** One tenant's endpoints, the tenant named by the {@code tenant_id} claim. */
    TENANT("tenant"),
    /** Everything: the control plane's own token. */
    PAGESERVER_API("pageserverapi"),
    /** A safekeeper's token; valid, but it reaches nothing on a pageserver. */
    SAFEKEEPER_DATA("safekeeperdata");

    private final String wire;

    Scope(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    /** Empty for any other text: Neon cannot read such a token at all, so it is a bad token (401), not a 403. */
    public static Optional<Scope> parse(String text) {
        for (Scope scope : values()) {
            if (scope.wire.equals(text)) {
                return Optional.of(scope);
            }
        }
        return Optional.empty();
    }
}
