package org.pageserver.adapters.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pageserver.application.port.out.RemoteStorage;
import org.pageserver.application.port.out.RemoteStorage.RemoteObject;

/** The contract on a directory, plus what only a directory shows: where the files are, and leftovers. */
class LocalFsRemoteStorageTest extends RemoteStorageContractTest {
    @TempDir
    Path root;

    @Override
    protected RemoteStorage newStorage() {
        return new LocalFsRemoteStorage(root.resolve("remote_storage"));
    }

    @Test
    void anObjectIsTheFileAtItsPathUnderTheRoot() throws IOException {
        storage.upload("bytes".getBytes(), path("tenants/a/timelines/b/layer"));

        assertEquals("bytes", Files.readString(root.resolve("remote_storage/tenants/a/timelines/b/layer")));
        assertEquals(List.of("layer"), names(root.resolve("remote_storage/tenants/a/timelines/b")));
    }

    @Test
    void theRootIsCreatedByTheFirstUploadAndMayNotBeAFile() throws IOException {
        assertEquals(List.of(), storage.list(path("tenants")));
        assertFalse(Files.exists(root.resolve("remote_storage")));
        storage.upload("x".getBytes(), path("tenants/a/layer"));
        assertTrue(Files.isDirectory(root.resolve("remote_storage")));

        Path file = Files.writeString(root.resolve("file"), "not a directory");
        assertThrows(IllegalArgumentException.class, () -> new LocalFsRemoteStorage(file));
    }

    @Test
    void listingSkipsTemporaryFilesThatACrashedUploadLeft() throws IOException {
        storage.upload("x".getBytes(), path("tenants/a/layer"));
        Path directory = root.resolve("remote_storage/tenants/a");
        Files.writeString(directory.resolve(AtomicFiles.temporaryName("other")), "partial");

        assertEquals(List.of(new RemoteObject(path("tenants/a/layer"), 1)), storage.list(path("tenants/a")));
        assertTrue(AtomicFiles.isTemporary(AtomicFiles.temporaryName("x".repeat(300))));
        assertTrue(AtomicFiles.temporaryName("x".repeat(300)).length() <= 255);
    }

    private static List<String> names(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.map(file -> file.getFileName().toString()).sorted().toList();
        }
    }
}
