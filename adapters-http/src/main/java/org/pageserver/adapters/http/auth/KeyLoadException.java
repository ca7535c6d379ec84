package org.pageserver.adapters.http.auth;

/** The validation keys could not be read: a missing path, a file that is no public key, no key at all. */
public class KeyLoadException extends RuntimeException {

    public KeyLoadException(String message) {
        super(message);
    }

    public KeyLoadException(String message, Throwable cause) {
        super(message, cause);
    }
}
