package org.pageserver.adapters.storage.layer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.pageserver.adapters.storage.layer.LayerTestData.block;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pageserver.application.port.out.LayerReader;
import org.pageserver.domain.layer.LayerName;
import org.pageserver.domain.lsn.Lsn;
import org.pageserver.domain.page.Key;
import org.pageserver.domain.page.KeyVersion;

/**
 * Image layer files on disk ({@link ImageFormat}): the layout as documented, and damage found,
 * naming the file, by whatever reads the damaged bytes.
 */
class ImageLayerFileTest {
    private static final Lsn AT = Lsn.of(0x500);
    private static final LayerName IMAGE = LayerName.image(Key.MIN, Key.MAX, AT);

    @TempDir
    Path root;
    private LocalLayerStore store;
    private List<KeyVersion> versions;
    private Path file;

    @BeforeEach
    void writeImage() {
        store = new LocalLayerStore(root);
        Random random = new Random(50);
        versions = new ArrayList<>();
        for (int blk = 0; blk < 20; blk++) {
            versions.add(new KeyVersion(block(blk), AT, blk == 7 ? LayerTestData.bigDelta(random, 30_000) : LayerTestData.image(random)));
        }
        LayerTestData.writeWhole(store.createImageWriter(LayerStoreContractTest.TENANT, LayerStoreContractTest.TIMELINE, AT),
                IMAGE, versions);
        file = store.layerFile(LayerStoreContractTest.TENANT, LayerStoreContractTest.TIMELINE, IMAGE);
    }

    private LayerReader open() {
        return store.openLayer(LayerStoreContractTest.TENANT, LayerStoreContractTest.TIMELINE, IMAGE);
    }

    /** Where the entry of the {@code i}th key begins, by the format's arithmetic. */
    private long entryAt(int i) {
        long at = ImageFormat.HEADER_SIZE;
        for (int k = 0; k < i; k++) {
            at += ImageFormat.ENTRY_HEAD + versions.get(k).value().encodedSize();
        }
        return at;
    }

    @Test
    void theFileIsLaidOutAsTheFormatSays() throws IOException {
        long values = entryAt(versions.size());
        long length = values + versions.size() * (long) ImageFormat.INDEX_ENTRY_SIZE + ImageFormat.FOOTER_SIZE;
        assertEquals(length, Files.size(file));
        ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(file));
        assertEquals(ImageFormat.MAGIC, bytes.getInt(0));
        assertEquals(AT.value(), bytes.getLong(8));
        ImageFormat.Footer footer = ImageFormat.Footer.decode(bytes.duplicate().position((int) length - ImageFormat.FOOTER_SIZE), file);
        assertEquals(new ImageFormat.Footer(Key.MIN, Key.MAX, AT, versions.size(), values, length, footer.indexCrc()), footer);
        // The index's 8th entry: the 8th key, and where its entry begins.
        int index8 = (int) values + 7 * ImageFormat.INDEX_ENTRY_SIZE;
        assertEquals(block(7), Key.readFrom(bytes.duplicate().position(index8)));
        assertEquals(entryAt(7), bytes.getLong(index8 + Key.ENCODED_SIZE));
        assertEquals(versions.get(7).value().encodedSize(), bytes.getInt((int) entryAt(7) + ImageFormat.VALUE_LENGTH_OFFSET));
    }

    /** A flipped value, its length or its key: the read of that key, a scan and a whole check each find it. */
    @Test
    void aFlippedByteOfAnEntryIsFoundByTheReadThatReadsItNamingTheFile() throws IOException {
        long entry = entryAt(7);
        for (long position : new long[] {entry + ImageFormat.ENTRY_HEAD + 20_000, entry + ImageFormat.VALUE_LENGTH_OFFSET + 3,
                entry + 5, entry + ImageFormat.VALUE_CRC_OFFSET}) {
            LocalLayerStoreTest.flip(file, position);
            try (LayerReader reader = open()) {
                assertNamesTheFile(assertThrows(CorruptLayerException.class, () -> reader.versions(block(7), AT)));
                assertNamesTheFile(assertThrows(CorruptLayerException.class, () -> reader.scan().forEachRemaining(v -> { })));
                assertEquals(1, reader.versions(block(6), AT).size(), "the other keys read on");
            }
            assertNamesTheFile(assertThrows(CorruptLayerException.class,
                    () -> store.verifyLayer(LayerStoreContractTest.TENANT, LayerStoreContractTest.TIMELINE, IMAGE)));
            LocalLayerStoreTest.flip(file, position);
            try (LayerReader reader = open()) {
                assertEquals(1, reader.versions(block(7), AT).size());
            }
        }
    }

    /** Header, index and footer are what an open reads, each checked by its own checksum. */
    @Test
    void aFlippedByteOfWhatAnOpenReadsIsFoundAtOpenNamingTheFile() throws IOException {
        long size = Files.size(file);
        long index = size - ImageFormat.FOOTER_SIZE - versions.size() * (long) ImageFormat.INDEX_ENTRY_SIZE;
        for (long position : new long[] {9, index + 2, index + 7 * ImageFormat.INDEX_ENTRY_SIZE + Key.ENCODED_SIZE + 7,
                size - ImageFormat.FOOTER_SIZE + 30, size - 1}) {
            LocalLayerStoreTest.flip(file, position);
            assertNamesTheFile(assertThrows(CorruptLayerException.class, this::open, "flipped at " + position));
            LocalLayerStoreTest.flip(file, position);
            open().close();
        }
    }

    @Test
    void aTruncatedOrExtendedFileIsFoundAtOpen() throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        // A byte more before an intact footer, which then records fewer bytes than there are.
        byte[] longer = new byte[bytes.length + 1];
        System.arraycopy(bytes, 0, longer, 0, bytes.length - ImageFormat.FOOTER_SIZE);
        System.arraycopy(bytes, bytes.length - ImageFormat.FOOTER_SIZE, longer, bytes.length + 1 - ImageFormat.FOOTER_SIZE,
                ImageFormat.FOOTER_SIZE);
        Files.write(file, longer);
        assertTrue(assertThrows(CorruptLayerException.class, this::open).getMessage().contains("truncated or extended"));
        Files.write(file, bytes);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.truncate(bytes.length - 2);
        }
        assertThrows(CorruptLayerException.class, this::open);
        Files.write(file, new byte[10]);
        assertTrue(assertThrows(CorruptLayerException.class, this::open).getMessage().contains("header"));
    }

    @Test
    void aFileOfTheOtherKindIsNamedAsSuch() throws IOException {
        Path delta = store.layerFile(LayerStoreContractTest.TENANT, LayerStoreContractTest.TIMELINE, LayerStoreContractTest.WHOLE);
        LayerTestData.writeLayer(store, LayerStoreContractTest.TENANT, LayerStoreContractTest.TIMELINE, LayerStoreContractTest.WHOLE,
                List.of(new KeyVersion(block(1), Lsn.of(0x150), LayerTestData.image(new Random(51)))));
        Path image = Files.copy(file, root.resolve("image"));
        Files.copy(delta, file, StandardCopyOption.REPLACE_EXISTING);
        Files.copy(image, delta, StandardCopyOption.REPLACE_EXISTING);

        CorruptLayerException e = assertThrows(CorruptLayerException.class, this::open);
        assertTrue(e.getMessage().contains("a delta layer's"), e.getMessage());
        assertNamesTheFile(e);
        e = assertThrows(CorruptLayerException.class,
                () -> store.openLayer(LayerStoreContractTest.TENANT, LayerStoreContractTest.TIMELINE, LayerStoreContractTest.WHOLE));
        assertTrue(e.getMessage().contains("an image layer's"), e.getMessage());
        assertThrows(CorruptLayerException.class,
                () -> store.verifyLayer(LayerStoreContractTest.TENANT, LayerStoreContractTest.TIMELINE, LayerStoreContractTest.WHOLE));
    }

    @Test
    void aFileOfAnotherImageIsFoundByItsFooter() throws IOException {
        LayerName other = LayerName.image(block(0), block(20), AT);
        Files.copy(file, store.layerFile(LayerStoreContractTest.TENANT, LayerStoreContractTest.TIMELINE, other));
        CorruptLayerException e = assertThrows(CorruptLayerException.class,
                () -> store.verifyLayer(LayerStoreContractTest.TENANT, LayerStoreContractTest.TIMELINE, other));
        assertTrue(e.getMessage().contains("another layer"), e.getMessage());
    }

    private void assertNamesTheFile(CorruptLayerException e) {
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    }
}
