package org.pageserver.adapters.s3;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * Writes a file whole or not at all: into a temporary file beside it, then renamed over it. A
 * reader of the target sees the old bytes or the new ones, and a failure (or a crash) leaves at
 * worst a temporary file, which {@link #isTemporary} recognises so that listings skip it. Both
 * adapters download to files this way; the local remote storage also uploads this way.
 */
final class AtomicFiles {
    /**
     * {@code .<name>.<16 hex>.tmp}: no layer file or index part name starts with a dot, so a
     * temporary file cannot be taken for an object nor collide with another writer's.
     */
    private static final Pattern TEMPORARY = Pattern.compile("\\..*\\.[0-9a-f]{16}\\.tmp");
    /** Keeps a temporary file's name within the 255 bytes file systems allow, whatever the target's. */
    private static final int NAME_KEPT = 200;

    /** Fills a temporary file; may be called more than once (an SDK retry), each time from scratch. */
    @FunctionalInterface
    interface Writer {
        void write(Path temporary) throws IOException;
    }

    private AtomicFiles() {
    }

    /**
     * Replaces {@code target} with what {@code writer} puts into a temporary file beside it. When
     * {@code durable}, the temporary file is forced before the rename and the directory after it,
     * so that after a crash the target holds the new bytes or the old ones, never an empty file.
     */
    static void replace(Path target, Writer writer, boolean durable) throws IOException {
        Path temporary = target.resolveSibling(temporaryName(target.getFileName().toString()));
        try {
            writer.write(temporary);
            if (durable) {
                force(temporary);
            }
            // rename(2): atomic, and replaces an existing target.
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException | Error e) {
            try {
                Files.deleteIfExists(temporary);
            } catch (IOException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
        if (durable) {
            force(target.getParent());
        }
    }

    /** Whether a file name is that of a temporary file {@link #replace} writes. */
    static boolean isTemporary(String name) {
        return TEMPORARY.matcher(name).matches();
    }

    static String temporaryName(String name) {
        String kept = name.length() > NAME_KEPT ? name.substring(0, NAME_KEPT) : name;
        return "." + kept + "." + String.format("%016x", ThreadLocalRandom.current().nextLong()) + ".tmp";
    }

    /** fsync of a file or, opened for reading, of a directory (which is how Linux forces a rename). */
    private static void force(Path path) throws IOException {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }
}
