package org.pageserver.adapters.http.pageservice;

/** The client broke the protocol: answered with an ErrorResponse (08006), then the connection ends. */
final class PgProtocolException extends RuntimeException {
    PgProtocolException(String message) {
        super(message, null, false, false);
    }
}
