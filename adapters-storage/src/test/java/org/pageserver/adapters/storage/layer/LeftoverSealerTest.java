package org.pageserver.adapters.storage.layer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.pageserver.adapters.storage.layer.LayerTestData.block;
import static org.pageserver.adapters.storage.layer.LayerTestData.expected;
import static org.pageserver.adapters.storage.layer.LayerTestData.text;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.pageserver.application.port.out.IngestFile;
import org.pageserver.application.port.out.LayerReader;
import org.pageserver.application.port.out.LayerStore.SealedLeftover;
import org.pageserver.domain.id.TenantId;
import org.pageserver.domain.id.TimelineId;
import org.pageserver.domain.layer.LayerDescriptor;
import org.pageserver.domain.layer.LayerName;
import org.pageserver.domain.lsn.Lsn;
import org.pageserver.domain.page.Key;
import org.pageserver.domain.page.KeyVersion;

/**
 * Start-up's sealing of the ingest files a crash left behind: each is cut after its last whole
 * batch and sealed as a layer holding exactly the batches before the cut.
 */
class LeftoverSealerTest {
    private static final TenantId TENANT = LayerStoreContractTest.TENANT;
    private static final TimelineId TIMELINE = LayerStoreContractTest.TIMELINE;
    private static final Lsn START = Lsn.of(0x1000);
    private static final long STEP = 0x10;
    private static final int BATCHES = 5;

    @TempDir
    Path root;
    private LocalLayerStore store;

    @BeforeEach
    void createStore() {
        store = new LocalLayerStore(root);
    }

    /** An ingest file left as a crash leaves it: written, never sealed, never closed. */
    private record Abandoned(Path path, List<List<KeyVersion>> batches, LayerTestData.Ingested ingested) {
        /** The versions of the first {@code n} batches, sorted by key then LSN. */
        List<KeyVersion> firstBatches(int n) {
            List<KeyVersion> versions = new ArrayList<>();
            batches.subList(0, n).forEach(versions::addAll);
            versions.sort(KeyVersion.ORDER);
            return versions;
        }
    }

    /**
     * Batch {@code b} is at LSN {@code start + STEP * (b + 1)}: a page image, a small delta, and a
     * delta of a key no other batch has, so that a batch cut off shows as a key gone.
     */
    private Abandoned abandon(Lsn start, int batches) {
        Random random = new Random(start.value());
        List<List<KeyVersion>> all = new ArrayList<>();
        for (int b = 0; b < batches; b++) {
            Lsn lsn = start.plus(STEP * (b + 1));
            all.add(List.of(new KeyVersion(block(b % 3), lsn, LayerTestData.image(random)),
                    new KeyVersion(block(10), lsn, LayerTestData.delta(random)),
                    new KeyVersion(block(100 + b), lsn, LayerTestData.delta(random))));
        }
        IngestFile file = store.createIngestFile(TENANT, TIMELINE, start);
        return new Abandoned(((LocalIngestFile) file).path(), all, LayerTestData.ingest(file, all));
    }

    enum TornTail {
        /** Cut in the middle of the last batch: it was being written. */
        CUT_INSIDE_THE_LAST_BATCH(BATCHES - 1),
        /** A byte of the last batch changed: its commit no longer checks out. */
        BYTE_FLIPPED_INSIDE_THE_LAST_BATCH(BATCHES - 1),
        /** After the last batch, a commit that does not check out and more bytes: every batch is kept. */
        GARBAGE_AFTER_THE_LAST_BATCH(BATCHES);

        final int kept;

        TornTail(int kept) {
            this.kept = kept;
        }
    }

    @ParameterizedTest
    @EnumSource(TornTail.class)
    void aTornTailIsCutOffAndTheWholeBatchesSealedAsALayer(TornTail tail) throws IOException {
        Abandoned left = abandon(START, BATCHES);
        List<Long> ends = left.ingested().ends();
        long lastStart = ends.get(BATCHES - 2);
        long lastEnd = ends.get(BATCHES - 1);
        switch (tail) {
            case CUT_INSIDE_THE_LAST_BATCH -> truncate(left.path(), (lastStart + lastEnd) / 2);
            case BYTE_FLIPPED_INSIDE_THE_LAST_BATCH -> LocalLayerStoreTest.flip(left.path(), (lastStart + lastEnd) / 2);
            case GARBAGE_AFTER_THE_LAST_BATCH -> {
                byte[] garbage = new byte[5000];
                new Random(7).nextBytes(garbage);
                ByteBuffer.wrap(garbage).put(LayerFormat.TAG_COMMIT).putLong(START.value() + 99 * STEP).putLong(START.value());
                write(left.path(), lastEnd, garbage);
            }
            default -> throw new AssertionError(tail);
        }

        List<SealedLeftover> leftovers = store.sealLeftovers(TENANT, TIMELINE);
        assertEquals(1, leftovers.size());
        SealedLeftover leftover = leftovers.get(0);
        Lsn last = START.plus(STEP * tail.kept);
        assertEquals(last, leftover.lastLsn());
        assertEquals(START.plus(STEP * (tail.kept - 1)), leftover.prevLsn());
        List<KeyVersion> keptVersions = left.firstBatches(tail.kept);
        LayerName name = LayerName.l0(START, last.plus(1));
        assertEquals(name, leftover.layer().name(), "a level 0 layer of the LSNs it kept");
        leftover.file().publish();
        assertFalse(Files.exists(left.path()));
        assertEquals(leftover.layer().fileSize(), Files.size(store.layerFile(TENANT, TIMELINE, name)));
        assertHolds(name, left, tail.kept);
        // Opened again by a store that did not write it, so every byte is checked.
        new LocalLayerStore(root).openLayer(TENANT, TIMELINE, name).close();
    }

    @Test
    void aFileWithNoWholeBatchIsDeletedAndYieldsNothing() throws IOException {
        Path headerOnly = abandon(START, 0).path();
        Path cutInItsHeader = abandon(START.plus(0x1000), 0).path();
        truncate(cutInItsHeader, 100);
        Path cutInItsFirstBatch = abandon(START.plus(0x2000), 1).path();
        truncate(cutInItsFirstBatch, LayerFormat.HEADER_SIZE + 10);

        assertEquals(List.of(), store.sealLeftovers(TENANT, TIMELINE));
        assertFalse(Files.exists(headerOnly));
        assertFalse(Files.exists(cutInItsHeader));
        assertFalse(Files.exists(cutInItsFirstBatch));
    }

    /** A crash between sealing and publishing: the file is sealed again, to the same layer, byte for byte. */
    @Test
    void aFileSealedButNotPublishedIsSealedAgainTheSameWay() throws IOException {
        Random random = new Random(8);
        IngestFile file = store.createIngestFile(TENANT, TIMELINE, START);
        Path path = ((LocalIngestFile) file).path();
        List<List<KeyVersion>> batches = new ArrayList<>();
        for (int b = 0; b < BATCHES; b++) {
            batches.add(List.of(new KeyVersion(block(b), START.plus(STEP * (b + 1)), LayerTestData.image(random)),
                    new KeyVersion(block(b + 1), START.plus(STEP * (b + 1)), LayerTestData.delta(random))));
        }
        LayerTestData.Ingested ingested = LayerTestData.ingest(file, batches);
        LayerName name = ingested.layerName(START);
        LayerDescriptor sealed = file.seal(name, ingested.prevLsn(), ingested.index());
        byte[] bytes = Files.readAllBytes(path);

        List<SealedLeftover> leftovers = store.sealLeftovers(TENANT, TIMELINE);
        assertEquals(1, leftovers.size());
        assertEquals(sealed, leftovers.get(0).layer());
        assertEquals(ingested.lastLsn(), leftovers.get(0).lastLsn());
        assertEquals(ingested.prevLsn(), leftovers.get(0).prevLsn());
        assertArrayEquals(bytes, Files.readAllBytes(path));
        leftovers.get(0).file().publish();
        assertHolds(name, new Abandoned(path, batches, ingested), BATCHES);
    }

    @Test
    void aDamagedHeaderIsReportedNotDeleted() throws IOException {
        Path badMagic = abandon(START, 2).path();
        LocalLayerStoreTest.flip(badMagic, 1);
        CorruptLayerException e = assertThrows(CorruptLayerException.class, () -> store.sealLeftovers(TENANT, TIMELINE));
        assertTrue(e.getMessage().contains("magic"), e.getMessage());
        LocalLayerStoreTest.flip(badMagic, 1);
        // A changed first LSN: the header's checksum catches it.
        LocalLayerStoreTest.flip(badMagic, 16);
        e = assertThrows(CorruptLayerException.class, () -> store.sealLeftovers(TENANT, TIMELINE));
        assertTrue(e.getMessage().contains("header checksum"), e.getMessage());
        assertTrue(Files.exists(badMagic));
    }

    @Test
    void leftoversComeBackOldestFirstAndDiscardDeletesThem() throws IOException {
        // Created out of order, and of different hex lengths: the names sort by LSN only as fixed-width hex.
        List<Lsn> starts = List.of(Lsn.of(0x2000), Lsn.of(0xF00), Lsn.of(0x1_0000_0000L), Lsn.of(0x10000));
        for (Lsn start : starts) {
            abandon(start, 2);
        }
        List<SealedLeftover> leftovers = store.sealLeftovers(TENANT, TIMELINE);
        assertEquals(List.of(Lsn.of(0xF00), Lsn.of(0x2000), Lsn.of(0x10000), Lsn.of(0x1_0000_0000L)),
                leftovers.stream().map(l -> l.layer().name().lsnStart()).toList());
        assertEquals(List.of(), store.sealLeftovers(LayerStoreContractTest.TENANT, LayerStoreContractTest.OTHER_TIMELINE));

        leftovers.forEach(l -> l.file().discard());
        try (var names = Files.list(store.timelineDir(TENANT, TIMELINE))) {
            assertEquals(List.of(), names.toList());
        }
    }

    /** The layer holds every version of the first {@code batches} batches and nothing of the others. */
    private void assertHolds(LayerName name, Abandoned written, int batches) {
        List<KeyVersion> kept = written.firstBatches(batches);
        try (LayerReader reader = store.openLayer(TENANT, TIMELINE, name)) {
            for (KeyVersion v : written.firstBatches(written.batches().size())) {
                assertEquals(text(expected(kept, v.key(), Lsn.MAX)), text(reader.versions(v.key(), Lsn.MAX)), v.key().toString());
                assertEquals(text(expected(kept, v.key(), v.lsn())), text(reader.versions(v.key(), v.lsn())),
                        v.key() + "@" + v.lsn());
            }
        }
    }

    private static void truncate(Path file, long size) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.truncate(size);
        }
    }

    private static void write(Path file, long position, byte[] bytes) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.wrap(bytes);
            while (b.hasRemaining()) {
                channel.write(b, position + b.position());
            }
        }
    }
}
