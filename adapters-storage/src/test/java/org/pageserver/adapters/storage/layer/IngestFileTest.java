package org.pageserver.adapters.storage.layer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.pageserver.adapters.storage.layer.LayerTestData.block;
import static org.pageserver.adapters.storage.layer.LayerTestData.expected;
import static org.pageserver.adapters.storage.layer.LayerTestData.text;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pageserver.application.port.out.IngestFile;
import org.pageserver.application.port.out.IngestFile.Placed;
import org.pageserver.application.port.out.LayerReader;
import org.pageserver.application.port.out.LayerStore.SealedLeftover;
import org.pageserver.domain.id.TenantId;
import org.pageserver.domain.id.TimelineId;
import org.pageserver.domain.layer.LayerName;
import org.pageserver.domain.lsn.Lsn;
import org.pageserver.domain.page.EncodedVersion;
import org.pageserver.domain.page.Key;
import org.pageserver.domain.page.KeyVersion;

/** An ingest file written, made durable, sealed and read back as its layer. */
class IngestFileTest {
    private static final TenantId TENANT = LayerStoreContractTest.TENANT;
    private static final TimelineId TIMELINE = LayerStoreContractTest.TIMELINE;
    private static final Lsn START = Lsn.of(0x1000);
    private static final int THREADS = 8;
    private static final int BATCHES = 40;

    @TempDir
    Path root;
    private LocalLayerStore store;

    @BeforeEach
    void createStore() {
        store = new LocalLayerStore(root);
    }

    /**
     * Writers append one at a time (the timeline's write lock) and wait for durability each on
     * its own, as ingest requests do: every wait that returns finds its batch on disk, every
     * version got a place of its own, and the sealed layer reads them all back.
     */
    @Test
    void batchesFromManyThreadsAreDurableWhenTheirWaitReturnsAndAllReadBack() throws Exception {
        IngestFile file = store.createIngestFile(TENANT, TIMELINE, START);
        Path path = ((LocalIngestFile) file).path();
        ReentrantLock writeLock = new ReentrantLock();
        long[] lastLsn = {START.value()};
        List<KeyVersion> versions = Collections.synchronizedList(new ArrayList<>());
        List<Placed> placed = Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<?>> writers = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                writers.add(pool.submit(() -> {
                    Random random = new Random(thread);
                    for (int b = 0; b < BATCHES; b++) {
                        long end;
                        writeLock.lock();
                        try {
                            Lsn prev = Lsn.of(lastLsn[0]);
                            Lsn lsn = prev.plus(0x10);
                            lastLsn[0] = lsn.value();
                            List<KeyVersion> batch = List.of(
                                    new KeyVersion(block(thread * 1000L + b % 5), lsn,
                                            b % 3 == 0 ? LayerTestData.image(random) : LayerTestData.delta(random)),
                                    new KeyVersion(block(thread * 1000L + 500), lsn, LayerTestData.delta(random)));
                            long[] positions = new long[batch.size()];
                            end = file.append(batch.stream().map(EncodedVersion::of).toList(), lsn, prev, positions);
                            for (int i = 0; i < batch.size(); i++) {
                                placed.add(new Placed(batch.get(i).key(), lsn, positions[i]));
                            }
                            versions.addAll(batch);
                        } finally {
                            writeLock.unlock();
                        }
                        file.awaitDurable(end);
                        if (b % 10 == 9) {
                            assertTrue(durableEnd(path) >= end, "batch ending at " + end + " is not on disk");
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> writer : writers) {
                writer.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(placed.size(), new HashSet<>(placed.stream().map(Placed::position).toList()).size(),
                "every version has a place of its own");

        LayerName name = new LayerName(Key.MIN, Key.MAX, START, Lsn.of(lastLsn[0] + 1));
        List<Placed> index = new ArrayList<>(placed);
        index.sort(LayerTestData.INDEX_ORDER);
        file.seal(name, Lsn.of(lastLsn[0] - 0x10), index.iterator());
        file.publish();
        List<KeyVersion> sorted = new ArrayList<>(versions);
        sorted.sort(KeyVersion.ORDER);
        try (LayerReader reader = store.openLayer(TENANT, TIMELINE, name)) {
            for (KeyVersion v : sorted) {
                assertEquals(text(expected(sorted, v.key(), v.lsn())), text(reader.versions(v.key(), v.lsn())),
                        v.key() + "@" + v.lsn());
            }
        }
    }

    /** Group commit: the first wait writes and forces every batch queued so far, not only its own. */
    @Test
    void oneWaitMakesEveryBatchQueuedBeforeItDurable() throws IOException {
        IngestFile file = store.createIngestFile(TENANT, TIMELINE, START);
        Path path = ((LocalIngestFile) file).path();
        Random random = new Random(1);
        long[] ends = new long[3];
        for (int b = 0; b < ends.length; b++) {
            Lsn lsn = START.plus(0x10 * (b + 1L));
            ends[b] = file.append(List.of(EncodedVersion.of(new KeyVersion(block(b), lsn, LayerTestData.image(random)))),
                    lsn, lsn.saturatingMinus(0x10), new long[1]);
        }
        assertEquals(LayerFormat.HEADER_SIZE, durableEnd(path), "appending only queues");
        file.awaitDurable(ends[0]);
        assertEquals(ends[2], durableEnd(path));
        file.discard();
    }

    @Test
    void aSealRefusesAnIndexThatIsNotEveryVersionOnceInOrderInsideTheLayer() {
        List<KeyVersion> versions = LayerTestData.mixed(new Random(2), 30, 4).stream()
                .map(v -> new KeyVersion(v.key(), v.lsn().plus(START.value()), v.value())).toList();
        List<UnaryOperator<List<Placed>>> damages = List.of(
                index -> drop(index, index.size() / 2),
                index -> insert(index, new Placed(block(1_000_000), START.plus(1), index.get(0).position())),
                index -> insert(index, index.get(index.size() / 2)),
                index -> swap(index, 0, index.size() - 1),
                index -> replace(index, 3, p -> new Placed(p.key(), p.lsn(), LayerFormat.HEADER_SIZE - 1)),
                index -> replace(index, 3, p -> new Placed(p.key(), p.lsn(), Long.MAX_VALUE)),
                // The first key's oldest version, so that only the LSN is wrong, not the order.
                index -> replace(index, 0, p -> new Placed(p.key(), START.saturatingMinus(1), p.position())));
        for (UnaryOperator<List<Placed>> damage : damages) {
            IngestFile file = store.createIngestFile(TENANT, TIMELINE, START);
            LayerTestData.Ingested ingested = LayerTestData.ingest(file, LayerTestData.batches(LayerTestData.arrivalOrder(versions)));
            List<Placed> index = new ArrayList<>();
            ingested.index().forEachRemaining(index::add);
            LayerName name = new LayerName(Key.MIN, Key.MAX, START, ingested.lastLsn().plus(1));
            List<Placed> damaged = damage.apply(index);
            assertThrows(IllegalArgumentException.class, () -> file.seal(name, ingested.prevLsn(), damaged.iterator()),
                    damaged.toString());
            file.discard();
        }
        // The whole index, right, under a name that does not fit it.
        for (int wrong = 0; wrong < 3; wrong++) {
            IngestFile file = store.createIngestFile(TENANT, TIMELINE, START);
            LayerTestData.Ingested ingested = LayerTestData.ingest(file, LayerTestData.batches(LayerTestData.arrivalOrder(versions)));
            Lsn end = ingested.lastLsn().plus(1);
            LayerName name = List.of(new LayerName(Key.MIN, Key.MAX, START.plus(1), end),
                    new LayerName(Key.MIN, Key.MAX, START, ingested.lastLsn()),
                    new LayerName(Key.MIN, block(1), START, end)).get(wrong);
            assertThrows(IllegalArgumentException.class, () -> file.seal(name, ingested.prevLsn(), ingested.index()), name.toString());
            file.discard();
        }
        assertEquals(List.of(), store.sealLeftovers(TENANT, TIMELINE));
        assertEquals(List.of(), store.listLayers(TENANT, TIMELINE).stream().toList());
    }

    /**
     * A refused seal may have written part of its index after the body: the file takes no other
     * seal, and what it holds is sealed from a scan at the next start, every version in it.
     */
    @Test
    void afterARefusedSealTheFileTakesNoOtherAndARestartSealsItWhole() {
        List<KeyVersion> versions = LayerTestData.mixed(new Random(3), 40, 3).stream()
                .map(v -> new KeyVersion(v.key(), v.lsn().plus(START.value()), v.value())).toList();
        IngestFile file = store.createIngestFile(TENANT, TIMELINE, START);
        LayerTestData.Ingested ingested = LayerTestData.ingest(file, LayerTestData.batches(LayerTestData.arrivalOrder(versions)));
        LayerName name = ingested.layerName(START);
        List<Placed> index = new ArrayList<>();
        ingested.index().forEachRemaining(index::add);
        List<Placed> missingOne = drop(index, index.size() - 1);
        assertThrows(IllegalArgumentException.class, () -> file.seal(name, ingested.prevLsn(), missingOne.iterator()));
        assertThrows(UncheckedIOException.class, () -> file.seal(name, ingested.prevLsn(), ingested.index()));

        LocalLayerStore restarted = new LocalLayerStore(root);
        List<SealedLeftover> leftovers = restarted.sealLeftovers(TENANT, TIMELINE);
        assertEquals(1, leftovers.size());
        assertEquals(name, leftovers.get(0).layer().name());
        leftovers.get(0).file().publish();
        try (LayerReader reader = new LocalLayerStore(root).openLayer(TENANT, TIMELINE, name)) {
            for (KeyVersion v : versions) {
                assertEquals(text(expected(versions, v.key(), v.lsn())), text(reader.versions(v.key(), v.lsn())));
            }
        }
    }

    @Test
    void discardDeletesTheFileSealedOrNot() {
        Random random = new Random(3);
        for (boolean seal : new boolean[] {false, true}) {
            IngestFile file = store.createIngestFile(TENANT, TIMELINE, START);
            Path path = ((LocalIngestFile) file).path();
            List<KeyVersion> versions = List.of(new KeyVersion(block(1), START.plus(1), LayerTestData.image(random)));
            LayerTestData.Ingested ingested = LayerTestData.ingest(file, List.of(versions));
            if (seal) {
                file.seal(new LayerName(Key.MIN, Key.MAX, START, START.plus(2)), ingested.prevLsn(), ingested.index());
            }
            assertTrue(Files.exists(path));
            file.discard();
            assertFalse(Files.exists(path), "sealed: " + seal);
        }
        assertEquals(List.of(), store.sealLeftovers(TENANT, TIMELINE));
    }

    /**
     * Batches waited for now and then, values from a few bytes to pages, keys in arrival order:
     * each key read at several LSNs gives its versions newest first down to the first that needs
     * nothing older.
     */
    @Test
    void aSealedLayerReadsBackEveryVersionAtAnyLsn() {
        Random random = new Random(4);
        List<KeyVersion> versions = LayerTestData.mixed(random, 200, 10).stream()
                .map(v -> new KeyVersion(v.key(), v.lsn().plus(START.value()), v.value())).toList();
        IngestFile file = store.createIngestFile(TENANT, TIMELINE, START);
        List<Placed> index = new ArrayList<>();
        Lsn last = START;
        Lsn prev = START;
        for (List<KeyVersion> batch : LayerTestData.batches(LayerTestData.arrivalOrder(versions))) {
            prev = last;
            last = batch.get(batch.size() - 1).lsn();
            long[] positions = new long[batch.size()];
            long end = file.append(batch.stream().map(EncodedVersion::of).toList(), last, prev, positions);
            for (int i = 0; i < batch.size(); i++) {
                index.add(new Placed(batch.get(i).key(), batch.get(i).lsn(), positions[i]));
            }
            if (random.nextInt(3) == 0) {
                file.awaitDurable(end);
            }
        }
        index.sort(LayerTestData.INDEX_ORDER);
        LayerName name = new LayerName(Key.MIN, Key.MAX, START, last.plus(1));
        file.seal(name, prev, index.iterator());
        file.publish();

        try (LayerReader reader = store.openLayer(TENANT, TIMELINE, name)) {
            LayerTestData.assertReadsLike(reader, versions, random, START.plus(0x100), 400);
            assertEquals(List.of(), reader.versions(versions.get(0).key(), START));
        }
    }

    /** Where the file on disk ends being whole: the end of its last batch whose commit checks out. */
    static long durableEnd(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer header = ByteBuffer.allocate(LayerFormat.HEADER_SIZE);
            channel.read(header, 0);
            int salt = LayerFormat.decodeHeader(header.flip(), file).salt();
            return BodyScanner.scan(channel, salt, channel.size()).end();
        }
    }

    private static List<Placed> drop(List<Placed> index, int at) {
        List<Placed> copy = new ArrayList<>(index);
        copy.remove(at);
        return copy;
    }

    /** The index with one more version, in its place in key then LSN order. */
    private static List<Placed> insert(List<Placed> index, Placed extra) {
        List<Placed> copy = new ArrayList<>(index);
        copy.add(extra);
        copy.sort(LayerTestData.INDEX_ORDER);
        return copy;
    }

    private static List<Placed> swap(List<Placed> index, int i, int j) {
        List<Placed> copy = new ArrayList<>(index);
        Collections.swap(copy, i, j);
        return copy;
    }

    private static List<Placed> replace(List<Placed> index, int at, UnaryOperator<Placed> change) {
        List<Placed> copy = new ArrayList<>(index);
        copy.set(at, change.apply(copy.get(at)));
        return copy;
    }
}
