package org.pageserver.application.port.out;

import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import org.pageserver.domain.remote.RemotePath;

/**
 * Remote storage (Neon's GenericRemoteStorage): objects under keys ({@link RemotePath}), in a
 * bucket of an S3-compatible server or in a local directory. What nodes that move tenants between
 * them share; the truth about a tenant's layers once they are uploaded.
 *
 * <p>Semantics every adapter keeps (the contract tests check them):
 * <ul>
 *   <li>An upload replaces the object whole: a reader sees the old bytes or the new ones, never a
 *       part; a failed upload leaves the old object or none.</li>
 *   <li>A download of a missing key throws {@link NotFoundException}; any other failure throws
 *       {@link java.io.UncheckedIOException}. A download to a file writes it whole or not at all
 *       (a temporary file renamed into place), and does not force it: the caller does.</li>
 *   <li>Listing returns every object under a prefix, each page of the server's answers read in
 *       turn; objects written during a listing may or may not be in it.</li>
 *   <li>Deleting a missing key is no error. A deletion of many keys that fails for some throws
 *       {@link java.io.UncheckedIOException} naming them; the others are deleted.</li>
 *   <li>Adapters do not retry beyond what their client does in one call: callers retry (the upload
 *       queue, with backoff) and decide when to give up. Every call is bounded by the configured
 *       timeout.</li>
 * </ul>
 */
public interface RemoteStorage {

    /** An object as a listing shows it. */
    record RemoteObject(RemotePath path, long size) {
    }

    /** The object does not exist. */
    final class NotFoundException extends RuntimeException {
        public NotFoundException(RemotePath path) {
            super("remote object " + path + " does not exist");
        }
    }

    /** Uploads a local file's bytes as the object {@code path}. */
    void upload(Path file, RemotePath path);

    /** Uploads bytes as the object {@code path} (small objects: an index part). */
    void upload(byte[] bytes, RemotePath path);

    /** Downloads the object into {@code file} (replaced if it exists; its directory must exist). */
    void download(RemotePath path, Path file);

    /** Downloads a small object whole into memory. */
    byte[] download(RemotePath path);

    /** Every object under {@code prefix}, in key order. */
    List<RemoteObject> list(RemotePath prefix);

    /** Deletes the objects; missing ones are no error. */
    void delete(Collection<RemotePath> paths);
}
