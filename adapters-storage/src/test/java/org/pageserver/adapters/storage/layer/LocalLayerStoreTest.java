package org.pageserver.adapters.storage.layer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pageserver.application.port.out.LayerStore;
import org.pageserver.domain.layer.LayerDescriptor;
import org.pageserver.domain.page.KeyVersion;

/**
 * The contract on local files, plus what only files can go through: leftovers, damage, truncation.
 * Here on a store built as callers outside the package build it (direct I/O, falling back);
 * subclasses run it all again in the other {@link WriteMode}s.
 */
class LocalLayerStoreTest extends LayerStoreContractTest {
    @TempDir
    Path root;
    private LocalLayerStore store;

    @BeforeEach
    void createStore() {
        store = newStore(root);
    }

    LocalLayerStore newStore(Path root) {
        return new LocalLayerStore(root);
    }

    @Override
    protected LayerStore store() {
        return store;
    }

    private Path timelineDir() {
        return root.resolve("tenants").resolve(TENANT.hex()).resolve("timelines").resolve(TIMELINE.hex());
    }

    private Path writeSample() {
        List<KeyVersion> versions = LayerTestData.mixed(new Random(10), 50, 8);
        LayerDescriptor written = store.writeDeltaLayer(TENANT, TIMELINE, WHOLE, LayerTestData.encoded(versions));
        Path file = timelineDir().resolve(WHOLE.fileName());
        assertEquals(written.fileSize(), file.toFile().length());
        return file;
    }

    @Test
    void writesTheLayerUnderTheTimelineDirectoryWithNoTemporaryLeftOver() throws IOException {
        Path file = writeSample();
        try (var names = Files.list(timelineDir())) {
            assertEquals(List.of(file), names.toList());
        }
    }

    @Test
    void listingRemovesTemporaryLeftoversAndIgnoresOtherFiles() throws IOException {
        writeSample();
        Path leftover = timelineDir().resolve(WHOLE.fileName().replace("__", "__0") + LocalLayerStore.TEMP_SUFFIX);
        Files.write(leftover, new byte[100]);
        Path foreign = timelineDir().resolve("metadata");
        Files.write(foreign, new byte[10]);
        Path lowerCase = timelineDir().resolve(WHOLE.fileName().toLowerCase());
        Files.write(lowerCase, new byte[10]);

        assertEquals(Set.of(WHOLE), store.listLayers(TENANT, TIMELINE));
        assertFalse(Files.exists(leftover));
        assertTrue(Files.exists(foreign));
    }

    @Test
    void aFlippedByteAnywhereIsReportedAtOpenNamingTheFile() throws IOException {
        Path file = writeSample();
        long size = Files.size(file);
        for (long position : new long[] {4, LayerHeader.SIZE + 3, size / 2, size - 1}) {
            flip(file, position);
            CorruptLayerException e = assertThrows(CorruptLayerException.class, () -> store.openLayer(TENANT, TIMELINE, WHOLE));
            assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
            flip(file, position);
            store.openLayer(TENANT, TIMELINE, WHOLE).close();
        }
    }

    /**
     * The first open of a file this store wrote skips the whole-file checksum pass (the writer
     * checksummed the bytes as they went out); damage to the records is then found by the next
     * open, and by a store that did not write the file (a restart).
     */
    @Test
    void onlyTheFirstOpenOfAFileThisStoreWroteSkipsTheBodyCheck() throws IOException {
        Path file = writeSample();
        flip(file, Files.size(file) / 2);
        store.openLayer(TENANT, TIMELINE, WHOLE).close();
        assertThrows(CorruptLayerException.class, () -> store.openLayer(TENANT, TIMELINE, WHOLE));
        assertThrows(CorruptLayerException.class, () -> newStore(root).openLayer(TENANT, TIMELINE, WHOLE));
    }

    @Test
    void aTruncatedFileIsReportedAtOpen() throws IOException {
        Path file = writeSample();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.truncate(channel.size() - 1);
        }
        CorruptLayerException e = assertThrows(CorruptLayerException.class, () -> store.openLayer(TENANT, TIMELINE, WHOLE));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());

        Files.write(file, new byte[20]);
        e = assertThrows(CorruptLayerException.class, () -> store.openLayer(TENANT, TIMELINE, WHOLE));
        assertTrue(e.getMessage().contains("header"), e.getMessage());
    }

    @Test
    void aFileOfAnotherKindIsReportedAtOpen() throws IOException {
        Path file = writeSample();
        Files.write(file, new byte[4096]);
        CorruptLayerException e = assertThrows(CorruptLayerException.class, () -> store.openLayer(TENANT, TIMELINE, WHOLE));
        assertTrue(e.getMessage().contains("magic"), e.getMessage());
    }

    @Test
    void aFailedWriteLeavesNoTemporaryFileAndTheEarlierFileIntact() throws IOException {
        Path file = writeSample();
        List<KeyVersion> unsorted = LayerTestData.mixed(new Random(11), 20, 4);
        Collections.reverse(unsorted);
        assertThrows(IllegalArgumentException.class, () -> store.writeDeltaLayer(TENANT, TIMELINE, WHOLE, LayerTestData.encoded(unsorted)));
        try (var names = Files.list(timelineDir())) {
            assertEquals(List.of(file), names.toList());
        }
        store.openLayer(TENANT, TIMELINE, WHOLE).close();
    }

    private static void flip(Path file, long position) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.allocate(1);
            channel.read(b, position);
            b.put(0, (byte) (b.get(0) ^ 0x40)).rewind();
            channel.write(b, position);
        }
    }
}
