package org.pageserver.adapters.storage.layer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pageserver.application.port.out.IngestFile;
import org.pageserver.application.port.out.LayerReader;
import org.pageserver.application.port.out.LayerStore;
import org.pageserver.application.port.out.LayerWriter;
import org.pageserver.domain.layer.LayerDescriptor;
import org.pageserver.domain.layer.LayerName;
import org.pageserver.domain.lsn.Lsn;
import org.pageserver.domain.page.EncodedVersion;
import org.pageserver.domain.page.Key;
import org.pageserver.domain.page.KeyVersion;
import org.pageserver.domain.page.Value;

/**
 * The contract on local files, plus what only files can go through: damage, truncation, files
 * that are not layers. Here on a store built as callers outside the package build it (direct I/O,
 * falling back); subclasses run it all again in the other {@link WriteMode}s.
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
        LayerDescriptor written = LayerTestData.writeLayer(store, TENANT, TIMELINE, WHOLE, versions);
        Path file = timelineDir().resolve(WHOLE.fileName());
        assertEquals(written.fileSize(), file.toFile().length());
        return file;
    }

    @Test
    void publishingRenamesTheIngestFileToTheLayerNameAndLeavesNothingElse() throws IOException {
        Path file = writeSample();
        try (var names = Files.list(timelineDir())) {
            assertEquals(List.of(file), names.toList());
        }
    }

    @Test
    void listingLeavesIngestFilesAndOtherFilesAloneAndListsOnlyLayers() throws IOException {
        writeSample();
        IngestFile open = store.createIngestFile(TENANT, TIMELINE, WHOLE.lsnEnd());
        Path ingest = timelineDir().resolve(LocalIngestFile.fileName(WHOLE.lsnEnd()));
        Path foreign = timelineDir().resolve("metadata");
        Files.write(foreign, new byte[10]);
        Path lowerCase = timelineDir().resolve(WHOLE.fileName().toLowerCase());
        Files.write(lowerCase, new byte[10]);

        assertEquals(Set.of(WHOLE), store.listLayers(TENANT, TIMELINE));
        assertTrue(Files.exists(ingest));
        assertTrue(Files.exists(foreign));
        assertTrue(Files.exists(lowerCase));
        open.discard();
    }

    /** What an open reads (header, version lists, index, footer) is checked by its own checksums. */
    @Test
    void aFlippedByteInWhatAnOpenReadsIsReportedAtOpenNamingTheFile() throws IOException {
        Path file = writeSample();
        long size = Files.size(file);
        long bodyEnd = footer(file).bodyEnd();
        // Header, the version lists, the index, the footer.
        for (long position : new long[] {4, bodyEnd + 3, size - LayerFormat.FOOTER_SIZE - 2, size - 1}) {
            flip(file, position);
            CorruptLayerException e = assertThrows(CorruptLayerException.class, () -> store.openLayer(TENANT, TIMELINE, WHOLE),
                    "flipped at " + position);
            assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
            flip(file, position);
            store.openLayer(TENANT, TIMELINE, WHOLE).close();
        }
    }

    /**
     * An open does not read the body (a start reads metadata, not data): a flipped byte of a value
     * or of a version's head is found by the read that reads it, naming the file, and by a check of
     * the whole file.
     */
    @Test
    void aFlippedByteInTheBodyIsReportedByTheReadThatReadsIt() throws IOException {
        Path file = writeSample();
        ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(file));
        Key key = Key.readFrom(bytes.duplicate().position(LayerFormat.HEADER_SIZE + 1));
        Lsn lsn = Lsn.of(bytes.getLong(LayerFormat.HEADER_SIZE + 1 + Key.ENCODED_SIZE));
        // The first version's key, its value's checksum, its value.
        for (long position : new long[] {LayerFormat.HEADER_SIZE + 3, LayerFormat.HEADER_SIZE + LayerFormat.VALUE_CRC_OFFSET,
                LayerFormat.HEADER_SIZE + LayerFormat.VERSION_HEAD + 1}) {
            flip(file, position);
            try (LayerReader reader = store.openLayer(TENANT, TIMELINE, WHOLE)) {
                CorruptLayerException e = assertThrows(CorruptLayerException.class, () -> reader.versions(key, lsn),
                        "flipped at " + position);
                assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
            }
            assertThrows(CorruptLayerException.class, () -> store.verifyLayer(TENANT, TIMELINE, WHOLE));
            try (LayerReader reader = store.openLayer(TENANT, TIMELINE, WHOLE)) {
                CorruptLayerException e = assertThrows(CorruptLayerException.class,
                        () -> reader.scan().forEachRemaining(v -> { }), "a scan, flipped at " + position);
                assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
            }
            flip(file, position);
            try (LayerReader reader = store.openLayer(TENANT, TIMELINE, WHOLE)) {
                assertEquals(lsn, reader.versions(key, lsn).get(0).lsn());
            }
        }
    }

    /** Start-up verifies a file it is about to record again whole, even one this store just wrote. */
    @Test
    void verifyingALayerChecksEveryByte() throws IOException {
        Path file = writeSample();
        flip(file, footer(file).bodyEnd() / 2);
        CorruptLayerException e = assertThrows(CorruptLayerException.class, () -> store.verifyLayer(TENANT, TIMELINE, WHOLE));
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    }

    @Test
    void aTruncatedFileIsReportedAtOpen() throws IOException {
        Path file = writeSample();
        byte[] bytes = Files.readAllBytes(file);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.truncate(channel.size() - 1);
        }
        assertThrows(CorruptLayerException.class, () -> store.openLayer(TENANT, TIMELINE, WHOLE));

        // Cut short before an intact footer, which then records more bytes than there are.
        int cutAt = bytes.length - LayerFormat.FOOTER_SIZE - LayerIndex.ENTRY_SIZE;
        byte[] cut = Arrays.copyOfRange(bytes, 0, bytes.length - LayerIndex.ENTRY_SIZE);
        System.arraycopy(bytes, bytes.length - LayerFormat.FOOTER_SIZE, cut, cutAt, LayerFormat.FOOTER_SIZE);
        Files.write(file, cut);
        CorruptLayerException e = assertThrows(CorruptLayerException.class, () -> store.openLayer(TENANT, TIMELINE, WHOLE));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());

        Files.write(file, new byte[20]);
        e = assertThrows(CorruptLayerException.class, () -> store.openLayer(TENANT, TIMELINE, WHOLE));
        assertTrue(e.getMessage().contains("header"), e.getMessage());
    }

    @Test
    void aFileOfAnotherKindIsReportedAtOpen() throws IOException {
        Path file = writeSample();
        Files.write(file, new byte[2 * LayerFormat.HEADER_SIZE]);
        CorruptLayerException e = assertThrows(CorruptLayerException.class, () -> store.openLayer(TENANT, TIMELINE, WHOLE));
        assertTrue(e.getMessage().contains("magic"), e.getMessage());
    }

    @Test
    void aRefusedSealPublishesNothingAndLeavesTheEarlierLayerIntact() throws IOException {
        Path file = writeSample();
        List<KeyVersion> later = LayerTestData.mixed(new Random(11), 20, 4).stream()
                .map(v -> new KeyVersion(v.key(), v.lsn().plus(WHOLE.lsnEnd().value()), v.value())).toList();
        IngestFile ingest = store.createIngestFile(TENANT, TIMELINE, WHOLE.lsnEnd());
        LayerTestData.Ingested ingested = LayerTestData.ingest(ingest, LayerTestData.batches(LayerTestData.arrivalOrder(later)));
        List<IngestFile.Placed> reversed = new ArrayList<>();
        ingested.index().forEachRemaining(reversed::add);
        Collections.reverse(reversed);
        LayerName name = new LayerName(Key.MIN, Key.MAX, WHOLE.lsnEnd(), ingested.lastLsn().plus(1));
        assertThrows(IllegalArgumentException.class, () -> ingest.seal(name, ingested.prevLsn(), reversed.iterator()));
        assertEquals(Set.of(WHOLE), store.listLayers(TENANT, TIMELINE));

        ingest.discard();
        try (var names = Files.list(timelineDir())) {
            assertEquals(List.of(file), names.toList());
        }
        store.openLayer(TENANT, TIMELINE, WHOLE).close();
    }

    /**
     * A writer's file has a temporary name of its own, in the timeline's directory, until it is
     * published; what a start deletes leaves the directory as it was.
     */
    @Test
    void aWriterWritesUnderATemporaryNameOfItsOwnUntilPublished() throws IOException {
        Path published = writeSample();
        LayerWriter first = store.createImageWriter(TENANT, TIMELINE, Lsn.of(0x500));
        LayerWriter second = store.createDeltaWriter(TENANT, TIMELINE, Lsn.of(0x500));
        List<String> temporary = names().stream().filter(n -> !n.equals(published.getFileName().toString())).toList();
        assertEquals(2, temporary.size(), temporary.toString());
        for (String name : temporary) {
            assertTrue(name.matches("00000000000005..-[0-9A-F]{16}\\.tmp"), name);
        }
        assertEquals(Set.of(WHOLE), store.listLayers(TENANT, TIMELINE));

        first.add(EncodedVersion.of(new KeyVersion(Key.COMMIT, Lsn.of(0x500), new Value.CommitTimestamp(1))));
        LayerName image = LayerName.image(Key.MIN, Key.MAX, Lsn.of(0x500));
        first.finish(image);
        first.publish();
        List<String> after = names();
        assertEquals(3, after.size(), after.toString());
        assertTrue(after.containsAll(List.of(published.getFileName().toString(), image.fileName())), after.toString());
        assertEquals(1, temporary.stream().filter(after::contains).count(), "the other writer's file is still there: " + after);
        assertEquals(List.of(), store.sealLeftovers(TENANT, TIMELINE));
        assertEquals(Set.of(published.getFileName().toString(), image.fileName()), Set.copyOf(names()));
        second.discard();
    }

    private List<String> names() throws IOException {
        try (var entries = Files.list(timelineDir())) {
            return entries.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    static LayerFormat.Footer footer(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        return LayerFormat.Footer.decode(ByteBuffer.wrap(bytes, bytes.length - LayerFormat.FOOTER_SIZE, LayerFormat.FOOTER_SIZE),
                file);
    }

    static void flip(Path file, long position) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.allocate(1);
            channel.read(b, position);
            b.put(0, (byte) (b.get(0) ^ 0x40)).rewind();
            channel.write(b, position);
        }
    }

    @Test
    void deletingATenantRemovesItsDirectory() {
        LayerTestData.writeLayer(store, TENANT, TIMELINE, WHOLE, List.of());
        store.deleteTimeline(TENANT, TIMELINE);
        assertTrue(Files.isDirectory(root.resolve("tenants").resolve(TENANT.hex()).resolve("timelines")),
                "a timeline's deletion leaves its tenant's directories");
        store.deleteTenant(TENANT);
        assertTrue(Files.notExists(root.resolve("tenants").resolve(TENANT.hex())));
        assertTrue(Files.isDirectory(root.resolve("tenants")));
    }
}
