package org.pageserver.adapters.s3;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;
import org.pageserver.application.port.out.RemoteStorage;
import org.pageserver.domain.remote.RemotePath;

/**
 * A directory as remote storage (Neon's {@code local_fs}): each object is the file at its
 * {@link RemotePath} under the root. For one node, development and tests; two nodes that share the
 * directory (a network file system) share the objects, as they would share a bucket.
 *
 * <p>An upload is durable when it returns, as an S3 PUT is: the bytes go to a temporary file in the
 * target's directory, which is forced, renamed over the target and the directory forced in turn.
 * Deletions are not forced: one lost in a crash leaves an object that nothing references, which is
 * what S3 leaves too when a deletion fails. Empty directories stay behind after deletions; they hold
 * no object, so listings and downloads do not see them.
 *
 * <p>A listing returns the objects strictly below a prefix ({@code <prefix>/...}), as an S3 listing
 * of {@code <prefix>/} does. Local calls have no timeout: the file system is as slow as it is.
 */
public final class LocalFsRemoteStorage implements RemoteStorage {
    private final Path root;

    /**
     * The root need not exist: the first upload creates it, and until then it holds no object. A
     * root that is something other than a directory is refused here, at start-up, not at the first
     * upload.
     */
    public LocalFsRemoteStorage(Path root) {
        this.root = root.toAbsolutePath().normalize();
        if (Files.exists(this.root) && !Files.isDirectory(this.root)) {
            throw new IllegalArgumentException("remote storage root " + this.root + " is not a directory");
        }
    }

    public Path root() {
        return root;
    }

    @Override
    public void upload(Path file, RemotePath path) {
        write(path, temporary -> Files.copy(file, temporary, StandardCopyOption.REPLACE_EXISTING));
    }

    @Override
    public void upload(byte[] bytes, RemotePath path) {
        write(path, temporary -> Files.write(temporary, bytes));
    }

    private void write(RemotePath path, AtomicFiles.Writer writer) {
        Path target = fileOf(path);
        try {
            Files.createDirectories(target.getParent());
            AtomicFiles.replace(target, writer, true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot upload " + path + " to " + root, e);
        }
    }

    @Override
    public void download(RemotePath path, Path file) {
        try (InputStream in = open(path)) {
            AtomicFiles.replace(file, temporary -> Files.copy(in, temporary, StandardCopyOption.REPLACE_EXISTING),
                    false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot download " + path + " to " + file, e);
        }
    }

    @Override
    public byte[] download(RemotePath path) {
        try (InputStream in = open(path)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot download " + path, e);
        }
    }

    /** The object's bytes; a directory is no object, whatever lies under it. */
    private InputStream open(RemotePath path) throws IOException {
        Path source = fileOf(path);
        if (!Files.isRegularFile(source)) {
            throw new NotFoundException(path);
        }
        try {
            return Files.newInputStream(source);
        } catch (NoSuchFileException deletedSinceTheCheck) {
            throw new NotFoundException(path);
        }
    }

    @Override
    public List<RemoteObject> list(RemotePath prefix) {
        Path directory = fileOf(prefix);
        if (!Files.isDirectory(directory, LinkOption.NOFOLLOW_LINKS)) {
            return List.of();
        }
        List<RemoteObject> objects = new ArrayList<>();
        try {
            Files.walkFileTree(directory, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                    if (attributes.isRegularFile() && !AtomicFiles.isTemporary(file.getFileName().toString())) {
                        objects.add(new RemoteObject(pathOf(file), attributes.size()));
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                    // Deleted while the walk went on: a listing need not show changes made during it.
                    if (e instanceof NoSuchFileException) {
                        return FileVisitResult.CONTINUE;
                    }
                    throw e;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + prefix + " in " + root, e);
        }
        objects.sort(Comparator.comparing(RemoteObject::path));
        return objects;
    }

    @Override
    public void delete(Collection<RemotePath> paths) {
        TreeSet<RemotePath> keys = new TreeSet<>(paths);
        List<String> failures = new ArrayList<>();
        IOException first = null;
        for (RemotePath path : keys) {
            Path file = fileOf(path);
            try {
                // A directory is no object: deleting it is deleting a missing key.
                if (!Files.isDirectory(file, LinkOption.NOFOLLOW_LINKS)) {
                    Files.deleteIfExists(file);
                }
            } catch (IOException e) {
                failures.add(path + " (" + e + ")");
                first = first == null ? e : first;
            }
        }
        if (!failures.isEmpty()) {
            throw new UncheckedIOException(DeleteFailures.message(failures, keys.size()), first);
        }
    }

    @Override
    public String toString() {
        return "local directory " + root;
    }

    /** RemotePath forbids empty, "." and ".." parts, so the file lies under the root. */
    private Path fileOf(RemotePath path) {
        return root.resolve(path.value());
    }

    private RemotePath pathOf(Path file) {
        StringBuilder key = new StringBuilder();
        for (Path part : root.relativize(file)) {
            key.append(key.length() == 0 ? "" : "/").append(part);
        }
        return new RemotePath(key.toString());
    }
}
