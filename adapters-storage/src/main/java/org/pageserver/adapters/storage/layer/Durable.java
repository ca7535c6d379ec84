package org.pageserver.adapters.storage.layer;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Directory operations that survive a power loss: a new or renamed directory entry is only
 * durable once the directory holding it has been fsynced.
 */
public final class Durable {
    private Durable() {
    }

    /** Creates the missing directories of {@code dir}, syncing the parent of each one created. */
    public static void createDirectories(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        Path parent = dir.toAbsolutePath().getParent();
        if (parent != null) {
            createDirectories(parent);
        }
        Files.createDirectories(dir);
        if (parent != null) {
            syncDirectory(parent);
        }
    }

    /** Fsyncs a directory, making the creations, renames and deletions inside it durable. */
    public static void syncDirectory(Path dir) throws IOException {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }
}
