package org.pageserver.adapters.storage.layer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.pageserver.adapters.storage.layer.LayerTestData.block;
import static org.pageserver.adapters.storage.layer.LayerTestData.text;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.pageserver.application.port.out.LayerReader;
import org.pageserver.application.port.out.LayerStore;
import org.pageserver.application.port.out.LayerWriter;
import org.pageserver.domain.id.TenantId;
import org.pageserver.domain.id.TimelineId;
import org.pageserver.domain.layer.LayerDescriptor;
import org.pageserver.domain.layer.LayerName;
import org.pageserver.domain.lsn.Lsn;
import org.pageserver.domain.page.EncodedVersion;
import org.pageserver.domain.page.Key;
import org.pageserver.domain.page.KeyVersion;
import org.pageserver.domain.page.RelSize;
import org.pageserver.domain.page.Value;
import org.pageserver.domain.page.Version;

/**
 * What every {@link LayerStore}'s {@link LayerWriter}s must do: maintenance's files, written whole.
 * Run for each store by {@link LayerStoreContractTest}, as a nested class of it.
 */
public abstract class LayerWriterContractTest {
    private static final TenantId TENANT = LayerStoreContractTest.TENANT;
    private static final TimelineId TIMELINE = LayerStoreContractTest.TIMELINE;
    private static final Lsn IMAGE_LSN = Lsn.of(0x500);

    /** The store under test, fresh per test. */
    protected abstract LayerStore store();

    private static KeyVersion at(Key key, long lsn, Value value) {
        return new KeyVersion(key, Lsn.of(lsn), value);
    }

    /**
     * Mixed keys, one hot key of 600 versions (more than one read of its version list), and a key
     * whose values are larger than a page and than the write buffer; in key then LSN order.
     */
    private static List<KeyVersion> compactionOutput(Random random) {
        List<KeyVersion> versions = new ArrayList<>(LayerTestData.mixed(random, 150, 20));
        for (int v = 0; v < 600; v++) {
            versions.add(at(block(1_000), 0x100 + v, v % 50 == 0 ? LayerTestData.image(random) : LayerTestData.delta(random)));
        }
        long lsn = 0x100;
        for (int size : new int[] {8_194, 8_200, 20_000, 5 << 20, 0}) {
            versions.add(at(block(1_001), lsn++, size == 0 ? LayerTestData.image(random) : LayerTestData.bigDelta(random, size)));
        }
        versions.sort(KeyVersion.ORDER);
        return versions;
    }

    private static List<KeyVersion> image(Random random, int blocks) {
        List<KeyVersion> versions = new ArrayList<>();
        for (int blk = 0; blk < blocks; blk++) {
            versions.add(new KeyVersion(block(blk), IMAGE_LSN, LayerTestData.image(random)));
        }
        versions.add(new KeyVersion(Key.relSize(LayerTestData.REL), IMAGE_LSN, new RelSize(blocks, true, List.of())));
        versions.add(new KeyVersion(Key.COMMIT, IMAGE_LSN, new Value.CommitTimestamp(1_700_000_000_000_000L)));
        return versions;
    }

    @Test
    void aDeltaWriterWritesWhatReadsScansAndAWholeCheckGiveBack() {
        Random random = new Random(40);
        List<KeyVersion> versions = compactionOutput(random);
        LayerName name = LayerStoreContractTest.WHOLE;
        LayerStore store = store();
        LayerWriter writer = store.createDeltaWriter(TENANT, TIMELINE,
                name.lsnStart());
        LayerDescriptor written = LayerTestData.writeWhole(writer, name, versions);
        assertEquals(versions.size(), writer.entries());
        assertEquals(written.fileSize(), writer.bytesWritten(), "after its finish, the file is all written");
        assertTrue(writer.bytesWritten() > 5 << 20, "the values were counted: " + writer.bytesWritten());
        assertEquals(Set.of(name), store.listLayers(TENANT, TIMELINE));

        try (LayerReader reader = store.openLayer(TENANT, TIMELINE, name)) {
            LayerTestData.assertReadsLike(reader, versions, random, name.lsnStart(), 1_000);
            assertEquals(LayerTestData.scanOrder(versions), LayerTestData.scanned(reader));
            List<Key> keys = new ArrayList<>();
            reader.keys(Key.MIN, Key.MAX, Lsn.MAX, keys::add);
            assertEquals(versions.stream().map(KeyVersion::key).distinct().toList(), keys);
        }
        LayerStore.LayerEnd end = store.verifyLayer(TENANT, TIMELINE, name);
        assertEquals(written, end.layer());
        assertEquals(Lsn.of(name.lsnEnd().value() - 1), end.lastLsn());
        assertEquals(Lsn.INVALID, end.prevLsn());
    }

    @Test
    void anImageWriterWritesOneValuePerKeyReadAtItsLsnAndAbove() {
        Random random = new Random(41);
        List<KeyVersion> versions = image(random, 300);
        LayerName name = LayerName.imageOfKeys(block(0), Key.COMMIT, IMAGE_LSN);
        LayerStore store = store();
        LayerWriter writer = store.createImageWriter(TENANT, TIMELINE, IMAGE_LSN);
        LayerDescriptor written = LayerTestData.writeWhole(writer, name, versions);
        assertEquals(versions.size(), writer.entries());
        assertEquals(Set.of(name), store.listLayers(TENANT, TIMELINE));

        try (LayerReader reader = store.openLayer(TENANT, TIMELINE, name)) {
            for (KeyVersion v : versions) {
                List<String> expected = text(List.of(new Version(IMAGE_LSN, v.value())));
                assertEquals(expected, text(reader.versions(v.key(), IMAGE_LSN)), "key " + v.key());
                assertEquals(expected, text(reader.versions(v.key(), Lsn.MAX)), "key " + v.key());
                assertEquals(List.of(), reader.versions(v.key(), IMAGE_LSN.saturatingMinus(1)), "key " + v.key());
            }
            assertEquals(List.of(), reader.versions(block(300), Lsn.MAX));
            assertEquals(List.of(block(10), block(11), block(12)), keys(reader, block(10), block(13), IMAGE_LSN));
            assertEquals(versions.size(), keys(reader, Key.MIN, Key.MAX, Lsn.MAX).size());
            assertEquals(List.of(), keys(reader, Key.MIN, Key.MAX, IMAGE_LSN.saturatingMinus(1)));
            assertEquals(LayerTestData.scanOrder(versions), LayerTestData.scanned(reader));
        }
        LayerStore.LayerEnd end = store.verifyLayer(TENANT, TIMELINE, name);
        assertEquals(written, end.layer());
        assertEquals(IMAGE_LSN, end.lastLsn());
        assertEquals(Lsn.INVALID, end.prevLsn());
    }

    @Test
    void aVersionOutOfOrderIsRefusedWithNothingWrittenAndTheWriterGoesOn() {
        Random random = new Random(42);
        Value v = LayerTestData.image(random);
        LayerStore store = store();
        LayerWriter delta = store.createDeltaWriter(TENANT, TIMELINE, Lsn.of(0x100));
        delta.add(EncodedVersion.of(at(block(5), 0x120, v)));
        long bytes = delta.bytesWritten();
        for (KeyVersion bad : List.of(at(block(5), 0x110, v), at(block(5), 0x120, v), at(block(4), 0x130, v),
                at(block(6), 0x0FF, v))) {
            assertThrows(IllegalArgumentException.class, () -> delta.add(EncodedVersion.of(bad)), bad.toString());
            assertEquals(bytes, delta.bytesWritten(), bad.toString());
            assertEquals(1, delta.entries(), bad.toString());
        }
        List<KeyVersion> deltaVersions = List.of(at(block(5), 0x120, v), at(block(5), 0x121, v), at(block(6), 0x100, v));
        delta.add(EncodedVersion.of(deltaVersions.get(1)));
        delta.add(EncodedVersion.of(deltaVersions.get(2)));
        LayerName deltaName = LayerName.deltaOfKeys(block(5), block(6), Lsn.of(0x100), Lsn.of(0x122));
        delta.finish(deltaName);
        delta.publish();

        LayerWriter image = store.createImageWriter(TENANT, TIMELINE, IMAGE_LSN);
        image.add(EncodedVersion.of(new KeyVersion(block(5), IMAGE_LSN, v)));
        bytes = image.bytesWritten();
        for (KeyVersion bad : List.of(at(block(6), IMAGE_LSN.value() + 1, v), at(block(6), IMAGE_LSN.value() - 1, v),
                new KeyVersion(block(5), IMAGE_LSN, v), new KeyVersion(block(4), IMAGE_LSN, v))) {
            assertThrows(IllegalArgumentException.class, () -> image.add(EncodedVersion.of(bad)), bad.toString());
            assertEquals(bytes, image.bytesWritten(), bad.toString());
            assertEquals(1, image.entries(), bad.toString());
        }
        image.add(EncodedVersion.of(new KeyVersion(block(6), IMAGE_LSN, v)));
        LayerName imageName = LayerName.imageOfKeys(block(5), block(6), IMAGE_LSN);
        image.finish(imageName);
        image.publish();

        try (LayerReader reader = store.openLayer(TENANT, TIMELINE, deltaName)) {
            assertEquals(LayerTestData.scanOrder(deltaVersions), LayerTestData.scanned(reader));
        }
        try (LayerReader reader = store.openLayer(TENANT, TIMELINE, imageName)) {
            assertEquals(2, LayerTestData.scanned(reader).size());
        }
    }

    @Test
    void aFinishRefusesANameThatDoesNotHoldWhatWasWrittenAndTakesOneThatDoes() {
        Value v = LayerTestData.image(new Random(43));
        LayerStore store = store();
        LayerWriter delta = store.createDeltaWriter(TENANT, TIMELINE, Lsn.of(0x100));
        assertThrows(IllegalArgumentException.class, () -> delta.finish(LayerStoreContractTest.WHOLE), "nothing added");
        delta.add(EncodedVersion.of(at(block(5), 0x120, v)));
        delta.add(EncodedVersion.of(at(block(7), 0x110, v)));
        List<LayerName> wrong = List.of(
                new LayerName(block(6), block(8), Lsn.of(0x100), Lsn.of(0x121)),
                new LayerName(block(5), block(7), Lsn.of(0x100), Lsn.of(0x121)),
                new LayerName(block(5), block(8), Lsn.of(0x100), Lsn.of(0x120)),
                new LayerName(block(5), block(8), Lsn.of(0x101), Lsn.of(0x121)),
                LayerName.image(block(5), block(8), Lsn.of(0x100)));
        for (LayerName name : wrong) {
            assertThrows(IllegalArgumentException.class, () -> delta.finish(name), name.toString());
        }
        LayerName right = new LayerName(block(5), block(8), Lsn.of(0x100), Lsn.of(0x121));
        assertEquals(right, delta.finish(right).name());
        delta.publish();

        LayerWriter image = store.createImageWriter(TENANT, TIMELINE, IMAGE_LSN);
        image.add(EncodedVersion.of(new KeyVersion(block(5), IMAGE_LSN, v)));
        for (LayerName name : List.of(LayerName.image(block(6), block(8), IMAGE_LSN), LayerName.image(block(0), block(5), IMAGE_LSN),
                LayerName.image(block(5), block(6), IMAGE_LSN.plus(1)),
                new LayerName(block(5), block(6), IMAGE_LSN, IMAGE_LSN.plus(1)))) {
            assertThrows(IllegalArgumentException.class, () -> image.finish(name), name.toString());
        }
        image.finish(LayerName.image(Key.MIN, Key.MAX, IMAGE_LSN));
        image.publish();
        assertEquals(Set.of(right, LayerName.image(Key.MIN, Key.MAX, IMAGE_LSN)),
                store.listLayers(TENANT, TIMELINE));
    }

    @Test
    void aWriterFileNotPublishedIsNoLayerAndAStartDeletesIt() {
        Random random = new Random(44);
        LayerStore store = store();
        LayerName kept = LayerName.imageOfKeys(block(0), block(39), IMAGE_LSN);
        LayerTestData.writeWhole(store.createImageWriter(TENANT, TIMELINE, IMAGE_LSN),
                kept, image(random, 40).subList(0, 40));

        // Cut short: one finished and not published, one not even finished.
        LayerWriter finished = store.createImageWriter(TENANT, TIMELINE, Lsn.of(0x900));
        finished.add(EncodedVersion.of(at(block(1), 0x900, LayerTestData.image(random))));
        finished.finish(LayerName.image(block(1), block(2), Lsn.of(0x900)));
        LayerWriter unfinished = store.createDeltaWriter(TENANT, TIMELINE, Lsn.of(0x900));
        unfinished.add(EncodedVersion.of(at(block(1), 0x900, LayerTestData.delta(random))));

        LayerStore.TimelineFiles files = store.listFiles(TENANT, TIMELINE);
        assertEquals(Set.of(kept), files.layers());
        assertTrue(files.leftovers());
        assertEquals(List.of(), store.sealLeftovers(TENANT, TIMELINE));
        files = store.listFiles(TENANT, TIMELINE);
        assertEquals(Set.of(kept), files.layers());
        assertFalse(files.leftovers());
        // The writers' files are gone: what is left of them to discard is nothing.
        finished.discard();
        unfinished.discard();
    }

    @Test
    void aDiscardDeletesTheFileAndAfterAPublishDoesNothing() {
        Random random = new Random(45);
        LayerStore store = store();
        LayerWriter discarded = store.createDeltaWriter(TENANT, TIMELINE, Lsn.of(0x100));
        discarded.add(EncodedVersion.of(at(block(1), 0x100, LayerTestData.image(random))));
        discarded.finish(new LayerName(block(1), block(2), Lsn.of(0x100), Lsn.of(0x101)));
        discarded.discard();
        assertThrows(IllegalStateException.class, discarded::publish);
        assertFalse(store.listFiles(TENANT, TIMELINE).leftovers());
        assertEquals(Set.of(), store.listLayers(TENANT, TIMELINE));

        List<KeyVersion> versions = image(random, 3);
        LayerName name = LayerName.image(Key.MIN, Key.MAX, IMAGE_LSN);
        LayerWriter published = store.createImageWriter(TENANT, TIMELINE, IMAGE_LSN);
        LayerTestData.writeWhole(published, name, versions);
        published.discard();
        assertThrows(IllegalStateException.class, () -> published.add(EncodedVersion.of(versions.get(0))));
        try (LayerReader reader = store.openLayer(TENANT, TIMELINE, name)) {
            assertEquals(LayerTestData.scanOrder(versions), LayerTestData.scanned(reader));
        }
    }

    private static List<Key> keys(LayerReader reader, Key from, Key to, Lsn maxLsn) {
        List<Key> keys = new ArrayList<>();
        reader.keys(from, to, maxLsn, keys::add);
        return keys;
    }
}
