package org.pageserver.adapters.http.pageservice;

import java.net.InetSocketAddress;
import java.time.Duration;
import org.pageserver.adapters.http.auth.AuthType;

/**
 * The page service's settings.
 *
 * @param listen          {@code pageserver.listen-pg-addr} (Neon's listen_pg_addr), {@code host:port}; port 0 picks one
 * @param authType        {@code pageserver.pg-auth-type} (Neon's pg_auth_type): Trust, or NeonJWT (the token as the password)
 * @param maxConnections  connections served at once; more are refused with an ErrorResponse (53300)
 * @param idleTimeout     a connection that sends nothing and is owed nothing for this long is closed
 * @param blockingThreads the pool for reads that wait (an LSN not yet arrived, a download)
 * @param maxInFlight     answers one connection may be owed before the server stops reading its requests
 */
record PageServiceSettings(InetSocketAddress listen, AuthType authType, int maxConnections, Duration idleTimeout,
                           int blockingThreads, int maxInFlight) {

    PageServiceSettings {
        if (maxConnections < 1 || blockingThreads < 1 || maxInFlight < 2) {
            throw new IllegalArgumentException("the page service needs max-connections >= 1, blocking-threads >= 1"
                    + " and max-in-flight >= 2");
        }
    }

    /** Parses {@code host:port}, as Neon's listen_pg_addr. */
    static InetSocketAddress address(String text) {
        int colon = text.lastIndexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("pageserver.listen-pg-addr must be host:port, not \"" + text + "\"");
        }
        try {
            return new InetSocketAddress(text.substring(0, colon), Integer.parseInt(text.substring(colon + 1)));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("pageserver.listen-pg-addr must be host:port, not \"" + text + "\"", e);
        }
    }
}
