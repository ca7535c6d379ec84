package org.pageserver.adapters.s3;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pageserver.application.port.out.RemoteStorage;
import org.pageserver.application.port.out.RemoteStorage.NotFoundException;
import org.pageserver.application.port.out.RemoteStorage.RemoteObject;
import org.pageserver.domain.id.Generation;
import org.pageserver.domain.id.TenantId;
import org.pageserver.domain.id.TimelineId;
import org.pageserver.domain.layer.LayerName;
import org.pageserver.domain.lsn.Lsn;
import org.pageserver.domain.page.Key;
import org.pageserver.domain.remote.RemotePath;

/**
 * What every {@link RemoteStorage} must do, whatever keeps the objects: the port's javadoc, case by
 * case. A backend's test class extends this and supplies a new, empty storage per test.
 */
public abstract class RemoteStorageContractTest {
    protected static final TenantId TENANT = TenantId.parse("11111111111111111111111111111111");
    protected static final TimelineId TIMELINE = TimelineId.parse("22222222222222222222222222222222");
    /** More than one page of a listing and one DeleteObjects batch (1000 keys each, on S3). */
    protected static final int MORE_THAN_A_PAGE = 1100;

    @TempDir
    protected Path local;
    protected RemoteStorage storage;

    /** A new empty storage; called once per test. */
    protected abstract RemoteStorage newStorage() throws Exception;

    @BeforeEach
    void openStorage() throws Exception {
        storage = newStorage();
    }

    @AfterEach
    void closeStorage() throws Exception {
        if (storage instanceof AutoCloseable closeable) {
            closeable.close();
        }
    }

    protected static RemotePath path(String value) {
        return new RemotePath(value);
    }

    protected static byte[] randomBytes(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    @Test
    void uploadedBytesDownloadAsBytesAndToAFile() throws IOException {
        byte[] bytes = "index part".getBytes();
        storage.upload(bytes, path("tenants/a/index_part.json-00000001"));

        assertArrayEquals(bytes, storage.download(path("tenants/a/index_part.json-00000001")));
        Path file = local.resolve("downloaded");
        storage.download(path("tenants/a/index_part.json-00000001"), file);
        assertArrayEquals(bytes, Files.readAllBytes(file));
    }

    @Test
    void uploadedFileOfSeveralMebibytesDownloadsWhole() throws IOException {
        byte[] bytes = randomBytes(5 * 1024 * 1024 + 17, 1);
        Path source = Files.write(local.resolve("layer"), bytes);
        storage.upload(source, path("tenants/a/timelines/b/layer"));

        Path file = local.resolve("downloaded");
        storage.download(path("tenants/a/timelines/b/layer"), file);
        assertArrayEquals(bytes, Files.readAllBytes(file));
        assertArrayEquals(bytes, storage.download(path("tenants/a/timelines/b/layer")));
    }

    @Test
    void emptyObjectsRoundTripFromBytesAndFromFiles() throws IOException {
        storage.upload(new byte[0], path("tenants/a/empty-bytes"));
        storage.upload(Files.createFile(local.resolve("empty")), path("tenants/a/empty-file"));

        assertArrayEquals(new byte[0], storage.download(path("tenants/a/empty-bytes")));
        Path file = local.resolve("downloaded");
        storage.download(path("tenants/a/empty-file"), file);
        assertEquals(0, Files.size(file));
        assertEquals(List.of(new RemoteObject(path("tenants/a/empty-bytes"), 0),
                new RemoteObject(path("tenants/a/empty-file"), 0)), storage.list(path("tenants/a")));
    }

    @Test
    void anUploadReplacesTheWholeObject() throws IOException {
        storage.upload(randomBytes(10_000, 2), path("tenants/a/object"));
        storage.upload("short".getBytes(), path("tenants/a/object"));
        assertArrayEquals("short".getBytes(), storage.download(path("tenants/a/object")));

        storage.upload(Files.write(local.resolve("longer"), randomBytes(20_000, 3)), path("tenants/a/object"));
        assertArrayEquals(randomBytes(20_000, 3), storage.download(path("tenants/a/object")));
        assertEquals(List.of(new RemoteObject(path("tenants/a/object"), 20_000)), storage.list(path("tenants/a")));
    }

    @Test
    void aDownloadToAFileReplacesAnExistingFile() throws IOException {
        storage.upload("new".getBytes(), path("tenants/a/object"));
        Path file = Files.write(local.resolve("existing"), randomBytes(1000, 4));

        storage.download(path("tenants/a/object"), file);
        assertArrayEquals("new".getBytes(), Files.readAllBytes(file));
    }

    @Test
    void downloadingAMissingObjectThrowsNotFoundInBothForms() {
        storage.upload("x".getBytes(), path("tenants/a/present"));

        assertThrows(NotFoundException.class, () -> storage.download(path("tenants/a/missing")));
        assertThrows(NotFoundException.class, () -> storage.download(path("tenants/a/missing"), local.resolve("f")));
        assertThrows(NotFoundException.class, () -> storage.download(path("tenants/b/missing")));
    }

    @Test
    void aPrefixWithObjectsBelowItIsNoObject() {
        storage.upload("x".getBytes(), path("tenants/a/timelines/b/layer"));

        assertThrows(NotFoundException.class, () -> storage.download(path("tenants/a/timelines")));
        assertThrows(NotFoundException.class, () -> storage.download(path("tenants/a/timelines"), local.resolve("f")));
    }

    @Test
    void aFailedDownloadToAFileLeavesTheTargetAsItWasAndNoTemporaryFile() throws IOException {
        Path absent = local.resolve("absent");
        Path existing = Files.write(local.resolve("existing"), "old".getBytes());

        assertThrows(NotFoundException.class, () -> storage.download(path("tenants/a/missing"), absent));
        assertThrows(NotFoundException.class, () -> storage.download(path("tenants/a/missing"), existing));

        assertFalse(Files.exists(absent));
        assertArrayEquals("old".getBytes(), Files.readAllBytes(existing));
        assertEquals(List.of("existing"), filesIn(local));
    }

    @Test
    void aDownloadIntoAMissingDirectoryFailsWithoutNotFound() {
        storage.upload("x".getBytes(), path("tenants/a/object"));

        // UncheckedIOException, and so no NotFoundException: the object is there, the caller's directory is not.
        assertThrows(UncheckedIOException.class,
                () -> storage.download(path("tenants/a/object"), local.resolve("no-such-dir").resolve("f")));
    }

    @Test
    void uploadingAMissingLocalFileFailsAndCreatesNoObject() {
        assertThrows(UncheckedIOException.class, () -> storage.upload(local.resolve("missing"), path("tenants/a/x")));
        assertEquals(List.of(), storage.list(path("tenants/a")));
    }

    @Test
    void listReturnsEveryObjectBelowThePrefixAtEveryDepthInKeyOrderWithSizes() {
        storage.upload(new byte[3], path("tenants/a/timelines/t2/layer"));
        storage.upload(new byte[1], path("tenants/a/timelines/t1/index_part.json-00000001"));
        storage.upload(new byte[2], path("tenants/a/timelines/t1/b-layer"));
        storage.upload(new byte[4], path("tenants/a/config"));
        storage.upload(new byte[5], path("tenants/b/config"));

        assertEquals(List.of(
                new RemoteObject(path("tenants/a/config"), 4),
                new RemoteObject(path("tenants/a/timelines/t1/b-layer"), 2),
                new RemoteObject(path("tenants/a/timelines/t1/index_part.json-00000001"), 1),
                new RemoteObject(path("tenants/a/timelines/t2/layer"), 3)), storage.list(path("tenants/a")));
        assertEquals(List.of(new RemoteObject(path("tenants/a/timelines/t2/layer"), 3)),
                storage.list(path("tenants/a/timelines/t2")));
        assertEquals(5, storage.list(path("tenants")).size());
    }

    @Test
    void listDoesNotReturnObjectsOfASiblingPrefixThatSharesItsLetters() {
        storage.upload("1".getBytes(), path("tenants/ab/object"));
        storage.upload("2".getBytes(), path("tenants/abc/object"));
        storage.upload("3".getBytes(), path("tenants/ab-c/object"));
        storage.upload("4".getBytes(), path("tenants/abobject"));

        assertEquals(List.of(new RemoteObject(path("tenants/ab/object"), 1)), storage.list(path("tenants/ab")));
    }

    @Test
    void listOfAMissingPrefixIsEmpty() {
        assertEquals(List.of(), storage.list(path("tenants/none")));
        storage.upload("x".getBytes(), path("tenants/a/object"));
        assertEquals(List.of(), storage.list(path("tenants/none")));
        assertEquals(List.of(), storage.list(path("tenants/a/object/below")));
    }

    @Test
    void listReadsEveryPageOfAPrefixWithMoreThanAThousandObjects() {
        List<RemotePath> paths = uploadMany("tenants/a/timelines/b", MORE_THAN_A_PAGE);
        storage.upload("x".getBytes(), path("tenants/a/timelines/c/other"));

        List<RemoteObject> listed = storage.list(path("tenants/a/timelines/b"));
        assertEquals(paths, listed.stream().map(RemoteObject::path).toList());
        assertTrue(listed.stream().allMatch(object -> object.size() == 8));
    }

    @Test
    void deleteRemovesTheObjectsAndIgnoresMissingKeys() {
        storage.upload("1".getBytes(), path("tenants/a/one"));
        storage.upload("2".getBytes(), path("tenants/a/two"));
        storage.upload("3".getBytes(), path("tenants/a/three"));

        storage.delete(List.of(path("tenants/a/one"), path("tenants/a/missing"), path("tenants/a/three"),
                path("tenants/z/missing")));

        assertEquals(List.of(new RemoteObject(path("tenants/a/two"), 1)), storage.list(path("tenants/a")));
        assertThrows(NotFoundException.class, () -> storage.download(path("tenants/a/one")));
        storage.delete(List.of());
        storage.delete(List.of(path("tenants/a/one")));
    }

    @Test
    void deleteRemovesMoreThanAThousandKeysInOneCall() {
        List<RemotePath> paths = new ArrayList<>(uploadMany("tenants/a/timelines/b", MORE_THAN_A_PAGE));
        storage.upload("x".getBytes(), path("tenants/a/timelines/kept"));
        paths.add(path("tenants/a/timelines/b/missing"));

        storage.delete(paths);

        assertEquals(List.of(new RemoteObject(path("tenants/a/timelines/kept"), 1)), storage.list(path("tenants/a")));
    }

    @Test
    void keysOfLayerFilesAndIndexPartsRoundTrip() {
        LayerName delta = new LayerName(Key.MIN, Key.MAX, Lsn.of(0x16B5A50), Lsn.of(0xFFFFFFFFL));
        LayerName image = LayerName.image(Key.MIN, Key.MAX, Lsn.of(0xABCDEF));
        List<RemotePath> paths = List.of(
                RemotePath.layer(TENANT, TIMELINE, delta, new Generation(0xABCDEF01L)),
                RemotePath.layer(TENANT, TIMELINE, image, new Generation(1)),
                RemotePath.indexPart(TENANT, TIMELINE, new Generation(0xFFFFFFFEL)),
                RemotePath.timeline(TENANT, TIMELINE).child("a.b-c_d__0123456789abcdefABCDEF.tar.zst"));
        for (int i = 0; i < paths.size(); i++) {
            storage.upload(new byte[i + 1], paths.get(i));
        }

        List<RemoteObject> listed = storage.list(RemotePath.tenant(TENANT));
        assertEquals(paths.stream().sorted().toList(), listed.stream().map(RemoteObject::path).toList());
        for (int i = 0; i < paths.size(); i++) {
            assertEquals(i + 1, storage.download(paths.get(i)).length, paths.get(i).value());
        }
        storage.delete(paths);
        assertEquals(List.of(), storage.list(RemotePath.tenant(TENANT)));
    }

    /** Uploads {@code count} objects of 8 bytes under {@code prefix}, in parallel; their paths in key order. */
    protected List<RemotePath> uploadMany(String prefix, int count) {
        List<RemotePath> paths = IntStream.range(0, count)
                .mapToObj(i -> path(prefix + "/" + String.format("%08x", i))).toList();
        ExecutorService executor = Executors.newFixedThreadPool(16);
        try {
            List<Future<?>> uploads = new ArrayList<>();
            for (RemotePath each : paths) {
                uploads.add(executor.submit(() -> storage.upload(new byte[8], each)));
            }
            for (Future<?> upload : uploads) {
                upload.get();
            }
        } catch (Exception e) {
            throw new AssertionError("uploading " + count + " objects failed", e);
        } finally {
            executor.shutdownNow();
        }
        return paths;
    }

    private static List<String> filesIn(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.map(file -> file.getFileName().toString()).sorted().toList();
        }
    }
}
