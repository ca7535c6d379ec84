package org.pageserver.adapters.http.auth;

import java.nio.file.Path;
import java.security.PublicKey;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The public keys that tokens are checked against, read from Neon's
 * {@code auth_validation_public_key_path}. A reload reads the whole set first and swaps it in one
 * step: a request sees the old set or the new one, never a mix, and a failed reload changes nothing.
 */
public final class ValidationKeys {
    private final Path path;
    private final AtomicReference<List<PublicKey>> current;

    /** Reads the keys now; a bad or empty set stops the server from starting. */
    public ValidationKeys(Path path) {
        this.path = path;
        this.current = new AtomicReference<>(PemKeys.load(path));
    }

    public List<PublicKey> current() {
        return current.get();
    }

    /** Re-reads the path; on any error the keys in force stay and the {@link KeyLoadException} says why. */
    public void reload() {
        current.set(PemKeys.load(path));
    }
}
