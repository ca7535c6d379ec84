package org.pageserver.adapters.storage.layer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.pageserver.adapters.storage.layer.LayerTestData.block;
import static org.pageserver.adapters.storage.layer.LayerTestData.expected;
import static org.pageserver.adapters.storage.layer.LayerTestData.text;

import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.pageserver.application.port.out.IngestFile;
import org.pageserver.application.port.out.LayerReader;
import org.pageserver.application.port.out.LayerStore;
import org.pageserver.domain.id.TenantId;
import org.pageserver.domain.id.TimelineId;
import org.pageserver.domain.layer.LayerDescriptor;
import org.pageserver.domain.layer.LayerName;
import org.pageserver.domain.lsn.Lsn;
import org.pageserver.domain.page.EncodedVersion;
import org.pageserver.domain.page.Key;
import org.pageserver.domain.page.KeyVersion;
import org.pageserver.domain.page.Value;
import org.pageserver.domain.page.Version;

/**
 * What every {@link LayerStore} must do, whatever it keeps the bytes in. A backend's test class
 * extends this and supplies a fresh, empty store per test.
 */
public abstract class LayerStoreContractTest {
    protected static final TenantId TENANT = TenantId.parse("11111111111111111111111111111111");
    protected static final TimelineId TIMELINE = TimelineId.parse("22222222222222222222222222222222");
    protected static final TimelineId OTHER_TIMELINE = TimelineId.parse("33333333333333333333333333333333");
    protected static final LayerName WHOLE = new LayerName(Key.MIN, Key.MAX, Lsn.of(0x100), Lsn.of(0x10000));

    /** A new empty store; called once per test. */
    protected abstract LayerStore store();

    protected static KeyVersion at(Key key, long lsn, Value value) {
        return new KeyVersion(key, Lsn.of(lsn), value);
    }

    @Test
    void roundTripsManyKeysWithVersionsOfEveryValueKind() {
        Random random = new Random(1);
        List<KeyVersion> versions = LayerTestData.mixed(random, 300, 20);
        LayerStore store = store();
        LayerDescriptor written = LayerTestData.writeLayer(store, TENANT, TIMELINE, WHOLE, versions);
        assertEquals(WHOLE, written.name());
        assertTrue(written.fileSize() > 0);

        try (LayerReader reader = store.openLayer(TENANT, TIMELINE, WHOLE)) {
            LayerTestData.assertReadsLike(reader, versions, random, Lsn.of(0x100), 700);
        }
    }

    @Test
    void versionsAreNewestFirstAtOrBelowMaxLsnAndEndAtTheFirstValueThatNeedsNothingOlder() {
        Random random = new Random(2);
        Key key = block(7);
        Value d10 = LayerTestData.delta(random);
        Value i20 = LayerTestData.image(random);
        Value d30 = LayerTestData.delta(random);
        Value d40 = LayerTestData.delta(random);
        Value i50 = LayerTestData.image(random);
        Value d60 = LayerTestData.delta(random);
        List<KeyVersion> versions = List.of(at(block(6), 0x110, d10), at(key, 0x110, d10), at(key, 0x120, i20),
                at(key, 0x130, d30), at(key, 0x140, d40), at(key, 0x150, i50), at(key, 0x160, d60), at(block(8), 0x105, i20));
        LayerStore store = store();
        LayerTestData.writeLayer(store, TENANT, TIMELINE, WHOLE, versions);

        try (LayerReader reader = store.openLayer(TENANT, TIMELINE, WHOLE)) {
            assertEquals(List.of("0/160", "0/150"), lsns(reader, key, 0x1000));
            assertEquals(List.of("0/150"), lsns(reader, key, 0x150));
            assertEquals(List.of("0/140", "0/130", "0/120"), lsns(reader, key, 0x145));
            assertEquals(List.of("0/110"), lsns(reader, key, 0x11F));
            assertEquals(List.of(), lsns(reader, key, 0x10F));
            assertEquals(List.of(), lsns(reader, block(9), 0x1000));
            assertEquals(text(List.of(new Version(Lsn.of(0x140), d40),
                    new Version(Lsn.of(0x130), d30),
                    new Version(Lsn.of(0x120), i20))), text(reader.versions(key, Lsn.of(0x145))));
        }
    }

    @Test
    void aHotKeyWhoseVersionsSpanManyReadChunksReadsWhole() {
        Random random = new Random(3);
        List<KeyVersion> versions = new ArrayList<>();
        for (int v = 0; v < 200; v++) {
            // Mostly deltas between images: reads cross chunk boundaries mid-record and skip newer versions.
            versions.add(at(block(1), 0x100 + v, v % 40 == 0 ? LayerTestData.image(random) : v % 7 == 0
                    ? LayerTestData.image(random) : LayerTestData.delta(random)));
        }
        LayerStore store = store();
        LayerTestData.writeLayer(store, TENANT, TIMELINE, WHOLE, versions);
        try (LayerReader reader = store.openLayer(TENANT, TIMELINE, WHOLE)) {
            for (long maxLsn = 0x0FF; maxLsn < 0x1D0; maxLsn += 3) {
                assertEquals(text(expected(versions, block(1), Lsn.of(maxLsn))), text(reader.versions(block(1), Lsn.of(maxLsn))));
            }
        }
    }

    @Test
    void keysListsDistinctKeysInTheRangeThatHaveAVersionAtOrBelowMaxLsn() {
        Random random = new Random(4);
        List<KeyVersion> versions = List.of(at(block(1), 0x110, LayerTestData.image(random)),
                at(block(1), 0x140, LayerTestData.delta(random)), at(block(2), 0x130, LayerTestData.image(random)),
                at(block(3), 0x120, LayerTestData.image(random)), at(block(4), 0x110, LayerTestData.image(random)),
                at(Key.COMMIT, 0x110, new Value.CommitTimestamp(5)));
        LayerStore store = store();
        LayerTestData.writeLayer(store, TENANT, TIMELINE, WHOLE, versions);
        try (LayerReader reader = store.openLayer(TENANT, TIMELINE, WHOLE)) {
            assertEquals(List.of(block(1), block(2), block(3), block(4), Key.COMMIT), keys(reader, Key.MIN, Key.MAX, Lsn.MAX));
            assertEquals(List.of(block(3)), keys(reader, block(2), block(4), Lsn.of(0x125)));
            assertEquals(List.of(block(2), block(3)), keys(reader, block(2), block(4), Lsn.of(0x130)));
            assertEquals(List.of(block(1), block(4), Key.COMMIT), keys(reader, Key.MIN, Key.MAX, Lsn.of(0x110)));
            assertEquals(List.of(), keys(reader, block(2), block(2), Lsn.MAX));
            assertEquals(List.of(), keys(reader, Key.MIN, Key.MAX, Lsn.of(0x10F)));
        }
    }

    @Test
    void anEmptyLayerHoldsNothing() {
        LayerStore store = store();
        LayerTestData.writeLayer(store, TENANT, TIMELINE, WHOLE, List.of());
        try (LayerReader reader = store.openLayer(TENANT, TIMELINE, WHOLE)) {
            assertEquals(List.of(), reader.versions(block(1), Lsn.MAX));
            assertEquals(List.of(), keys(reader, Key.MIN, Key.MAX, Lsn.MAX));
        }
    }

    @Test
    void aSealRefusesAnIndexOutOfOrderDuplicatedOrOutsideTheNameAndPublishesNothing() {
        Random random = new Random(5);
        Value v = LayerTestData.image(random);
        LayerStore store = store();
        List<List<KeyVersion>> bad = List.of(
                List.of(at(block(2), 0x110, v), at(block(1), 0x120, v)),
                List.of(at(block(1), 0x120, v), at(block(1), 0x110, v)),
                List.of(at(block(1), 0x120, v), at(block(1), 0x120, v)),
                List.of(at(block(1), 0x10000, v)),
                List.of(at(block(1), 0x0FF, v)));
        for (List<KeyVersion> versions : bad) {
            assertThrows(IllegalArgumentException.class, () -> sealAsGiven(store, WHOLE, versions), versions.toString());
        }
        LayerName narrow = new LayerName(block(0), block(5), Lsn.of(0x100), Lsn.of(0x200));
        assertThrows(IllegalArgumentException.class, () -> sealAsGiven(store, narrow, List.of(at(block(5), 0x110, v))));
        assertEquals(Set.of(), store.listLayers(TENANT, TIMELINE));
    }

    /** Appends the versions as one batch and seals them with an index in the same order; discards the file after. */
    private static void sealAsGiven(LayerStore store, LayerName name, List<KeyVersion> versions) {
        IngestFile file = store.createIngestFile(TENANT, TIMELINE, name.lsnStart());
        try {
            LayerTestData.Ingested ingested = LayerTestData.ingest(file, List.of(versions));
            file.seal(name, ingested.prevLsn(), ingested.placed().iterator());
        } finally {
            file.discard();
        }
    }

    @Test
    void verifyingAPublishedLayerSaysWhereItEnds() {
        List<KeyVersion> versions = LayerTestData.mixed(new Random(5), 50, 4);
        LayerStore store = store();
        IngestFile file = store.createIngestFile(TENANT, TIMELINE, WHOLE.lsnStart());
        LayerTestData.Ingested ingested = LayerTestData.ingest(file,
                LayerTestData.batches(LayerTestData.arrivalOrder(versions)));
        LayerDescriptor written = file.seal(WHOLE, ingested.prevLsn(), ingested.index());
        file.publish();

        LayerStore.LayerEnd end = store.verifyLayer(TENANT, TIMELINE, WHOLE);
        assertEquals(written, end.layer());
        assertEquals(Lsn.of(WHOLE.lsnEnd().value() - 1), end.lastLsn());
        assertEquals(ingested.prevLsn(), end.prevLsn());
        assertThrows(UncheckedIOException.class, () -> store.verifyLayer(TENANT, OTHER_TIMELINE, WHOLE),
                "no such file");
    }

    /** The writers' contract, run on this store too. */
    @Nested
    class Writers extends LayerWriterContractTest {
        @Override
        protected LayerStore store() {
            return LayerStoreContractTest.this.store();
        }
    }

    @Test
    void aScanOfAnIngestedLayerGivesEveryVersionInKeyThenLsnOrderAsEncoded() {
        Random random = new Random(12);
        List<KeyVersion> versions = LayerTestData.mixed(random, 200, 12);
        LayerStore store = store();
        // Ingested in arrival order (by LSN, in batches), then sealed: the body is not in key order.
        LayerTestData.writeLayer(store, TENANT, TIMELINE, WHOLE, versions);
        try (LayerReader reader = store.openLayer(TENANT, TIMELINE, WHOLE)) {
            assertEquals(LayerTestData.scanOrder(versions), LayerTestData.scanned(reader));
            Iterator<EncodedVersion> scan = reader.scan();
            for (int i = 0; i < versions.size(); i++) {
                scan.next();
            }
            assertFalse(scan.hasNext());
            assertThrows(NoSuchElementException.class, scan::next);
        }
        LayerTestData.writeLayer(store, TENANT, OTHER_TIMELINE, WHOLE, List.of());
        try (LayerReader reader = store.openLayer(TENANT, OTHER_TIMELINE, WHOLE)) {
            assertFalse(reader.scan().hasNext());
        }
    }

    @Test
    void deletingATenantLeavesNothingOfItAndNothingOfAnotherGoes() {
        LayerStore store = store();
        TenantId other = TenantId.parse("44444444444444444444444444444444");
        LayerTestData.writeLayer(store, TENANT, TIMELINE, WHOLE, List.of(at(block(1), 0x150, new Value.CommitTimestamp(1))));
        LayerTestData.writeLayer(store, other, TIMELINE, WHOLE, List.of(at(block(1), 0x150, new Value.CommitTimestamp(2))));
        store.deleteTimeline(TENANT, TIMELINE);
        store.deleteTenant(TENANT);
        store.deleteTenant(TENANT);
        assertEquals(Set.of(), store.listLayers(TENANT, TIMELINE));
        assertEquals(Set.of(WHOLE), store.listLayers(other, TIMELINE));
    }

    @Test
    void listsTheLayersOfEachTimelineSeparately() {
        LayerStore store = store();
        assertEquals(Set.of(), store.listLayers(TENANT, TIMELINE));
        LayerName older = new LayerName(Key.MIN, Key.MAX, Lsn.of(0x100), Lsn.of(0x200));
        LayerName newer = new LayerName(block(0), block(100), Lsn.of(0x200), Lsn.of(0x300));
        LayerTestData.writeLayer(store, TENANT, TIMELINE, newer, List.of(at(block(1), 0x250, new Value.CommitTimestamp(1))));
        LayerTestData.writeLayer(store, TENANT, TIMELINE, older, List.of(at(block(1), 0x150, new Value.CommitTimestamp(1))));
        LayerTestData.writeLayer(store, TENANT, OTHER_TIMELINE, older, List.of());

        assertEquals(List.of(older, newer), List.copyOf(store.listLayers(TENANT, TIMELINE)));
        assertEquals(Set.of(older), store.listLayers(TENANT, OTHER_TIMELINE));
    }

    @Test
    void deletesOneLayerOrAWholeTimelineAndAbsentIsNoError() {
        LayerStore store = store();
        LayerName first = new LayerName(Key.MIN, Key.MAX, Lsn.of(0x100), Lsn.of(0x200));
        LayerName second = new LayerName(Key.MIN, Key.MAX, Lsn.of(0x200), Lsn.of(0x300));
        LayerTestData.writeLayer(store, TENANT, TIMELINE, first, List.of());
        LayerTestData.writeLayer(store, TENANT, TIMELINE, second, List.of());
        LayerTestData.writeLayer(store, TENANT, OTHER_TIMELINE, first, List.of());

        store.deleteLayer(TENANT, TIMELINE, first);
        store.deleteLayer(TENANT, TIMELINE, first);
        assertEquals(Set.of(second), store.listLayers(TENANT, TIMELINE));
        store.evictLayer(TENANT, OTHER_TIMELINE, first);
        store.evictLayer(TENANT, OTHER_TIMELINE, first);
        assertEquals(Set.of(), store.listLayers(TENANT, OTHER_TIMELINE), "an eviction deletes the local copy");
        LayerTestData.writeLayer(store, TENANT, OTHER_TIMELINE, first, List.of());

        store.deleteTimeline(TENANT, TIMELINE);
        store.deleteTimeline(TENANT, TIMELINE);
        assertEquals(Set.of(), store.listLayers(TENANT, TIMELINE));
        assertEquals(Set.of(first), store.listLayers(TENANT, OTHER_TIMELINE));
    }

    @Test
    void oneReaderServesManyThreadsAtOnce() throws Exception {
        Random random = new Random(6);
        List<KeyVersion> versions = LayerTestData.mixed(random, 500, 12);
        List<Key> keys = versions.stream().map(KeyVersion::key).distinct().toList();
        LayerStore store = store();
        LayerTestData.writeLayer(store, TENANT, TIMELINE, WHOLE, versions);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try (LayerReader reader = store.openLayer(TENANT, TIMELINE, WHOLE)) {
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                long seed = t;
                results.add(pool.submit(() -> {
                    Random mine = new Random(seed);
                    int checked = 0;
                    for (int i = 0; i < 2_000; i++) {
                        Key key = keys.get(mine.nextInt(keys.size()));
                        Lsn maxLsn = Lsn.of(0x100 + mine.nextInt(500));
                        assertEquals(text(expected(versions, key, maxLsn)), text(reader.versions(key, maxLsn)));
                        checked++;
                    }
                    return checked;
                }));
            }
            for (Future<Integer> result : results) {
                assertEquals(2_000, result.get());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static List<String> lsns(LayerReader reader, Key key, long maxLsn) {
        return reader.versions(key, Lsn.of(maxLsn)).stream().map(v -> v.lsn().toString()).toList();
    }

    private static List<Key> keys(LayerReader reader, Key from, Key to, Lsn maxLsn) {
        List<Key> keys = new ArrayList<>();
        reader.keys(from, to, maxLsn, keys::add);
        return keys;
    }
}
