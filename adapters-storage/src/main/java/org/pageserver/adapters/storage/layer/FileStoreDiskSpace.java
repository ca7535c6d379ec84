package org.pageserver.adapters.storage.layer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import org.pageserver.application.port.out.DiskSpace;

/** The file system of the work directory as the JDK sees it (statvfs on Linux). */
final class FileStoreDiskSpace implements DiskSpace {
    private final Path workdir;

    FileStoreDiskSpace(Path workdir) {
        this.workdir = workdir;
    }

    @Override
    public Usage usage() {
        try {
            FileStore store = Files.getFileStore(workdir);
            return new Usage(store.getTotalSpace(), store.getUsableSpace());
        } catch (IOException e) {
            throw new UncheckedIOException("reading the size and free space of the file system of " + workdir, e);
        }
    }
}
