package org.pageserver.domain.layer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.pageserver.domain.lsn.Lsn;
import org.pageserver.domain.page.Key;
import org.pageserver.domain.page.RelTag;

class ImagePlanTest {
    private static final RelTag REL = new RelTag(1663, 5, 1, 0);

    private static Key block(long blk) {
        return Key.block(REL, blk);
    }

    private static final List<Key> KEYS = LongStream.range(0, 10).mapToObj(ImagePlanTest::block).toList();

    /**
     * The cut of listed keys that {@link ImagePlan#partitionByRelations} makes from their shape:
     * consecutive ranges of {@code keysPerPartition} keys tiling the key space (the specification
     * the property test below holds it to; compaction once listed every key of every layer for it).
     */
    private static List<KeyRange> partition(List<Key> sortedKeys, int keysPerPartition) {
        if (keysPerPartition < 1) {
            throw new IllegalArgumentException("a partition holds at least one key");
        }
        List<KeyRange> partitions = new java.util.ArrayList<>();
        for (int i = 0; i < sortedKeys.size(); i += keysPerPartition) {
            Key start = i == 0 ? Key.MIN : sortedKeys.get(i);
            int next = i + keysPerPartition;
            Key end = next < sortedKeys.size() ? sortedKeys.get(next) : Key.MAX;
            if (start.equals(Key.MAX)) {
                break;
            }
            partitions.add(new KeyRange(start, end));
        }
        return partitions;
    }

    @Test
    void theReferenceCutTilesTheWholeKeySpace() {
        List<KeyRange> partitions = partition(KEYS, 4);
        assertEquals(List.of(new KeyRange(Key.MIN, block(4)), new KeyRange(block(4), block(8)),
                new KeyRange(block(8), Key.MAX)), partitions);
        assertEquals(List.of(new KeyRange(Key.MIN, Key.MAX)), partition(KEYS, 100));
        assertEquals(List.of(), partition(List.of(), 4));
        assertThrows(IllegalArgumentException.class, () -> partition(KEYS, 0));
    }

    /**
     * Cutting by the relations' shape gives exactly the partitions that cutting the keys of that
     * shape gives: every block of each relation in key order, then the size keys, then the commit key.
     */
    @Test
    void partitionsByRelationsAreThoseOfTheirKeys() {
        java.util.Random random = new java.util.Random(42);
        for (int round = 0; round < 500; round++) {
            java.util.Map<RelTag, Long> blocks = new java.util.HashMap<>();
            int rels = random.nextInt(6);
            for (int i = 0; i < rels; i++) {
                blocks.put(new RelTag(1663, 1 + random.nextInt(3), random.nextInt(1000), random.nextInt(3)),
                        (long) random.nextInt(random.nextBoolean() ? 5 : 300));
            }
            List<RelTag> sorted = blocks.keySet().stream().sorted(java.util.Comparator.comparing(r -> Key.block(r, 0))).toList();
            List<Key> keys = new java.util.ArrayList<>();
            sorted.forEach(rel -> LongStream.range(0, blocks.get(rel)).forEach(b -> keys.add(Key.block(rel, b))));
            sorted.forEach(rel -> keys.add(Key.relSize(rel)));
            if (!sorted.isEmpty()) {
                keys.add(Key.COMMIT);
            }
            int perPartition = 1 + random.nextInt(random.nextBoolean() ? 4 : 200);
            assertEquals(partition(keys, perPartition), ImagePlan.partitionByRelations(blocks, perPartition),
                    "round " + round + ": " + blocks + " by " + perPartition);
        }
        assertThrows(IllegalArgumentException.class, () -> ImagePlan.partitionByRelations(java.util.Map.of(REL, 3L), 0));
    }

    /** L1 layers cut by key lie side by side: a read visits one of them, so they count once, not each. */
    @Test
    void deltasSideBySideCountOnceAndStackedOnesEach() {
        KeyRange all = new KeyRange(Key.MIN, Key.MAX);
        List<LayerName> sideBySide = List.of(
                new LayerName(block(0), block(3), Lsn.of(100), Lsn.of(200)),
                new LayerName(block(3), block(6), Lsn.of(100), Lsn.of(200)),
                new LayerName(block(6), block(9), Lsn.of(100), Lsn.of(200)));
        assertEquals(1, ImagePlan.deltasAboveImage(sideBySide, all));
        List<LayerName> withTwoAbove = new java.util.ArrayList<>(sideBySide);
        withTwoAbove.add(new LayerName(block(4), block(5), Lsn.of(200), Lsn.of(300)));
        withTwoAbove.add(new LayerName(block(4), block(8), Lsn.of(300), Lsn.of(400)));
        assertEquals(3, ImagePlan.deltasAboveImage(withTwoAbove, all), "block 4: an L1 and both deltas above it");
        assertEquals(1, ImagePlan.deltasAboveImage(withTwoAbove, new KeyRange(block(0), block(4))), "blocks 0-3: an L1");
    }

    @Test
    void aPartitionIsDueWhenEnoughDeltasWithItsKeysLieAboveItsNewestImage() {
        KeyRange low = new KeyRange(block(0), block(4));
        KeyRange high = new KeyRange(block(4), Key.MAX);
        List<LayerName> layers = List.of(
                new LayerName(block(0), block(8), Lsn.of(100), Lsn.of(200)),
                new LayerName(block(2), block(6), Lsn.of(200), Lsn.of(300)),
                LayerName.image(block(0), block(4), Lsn.of(250)),
                LayerName.deltaOfKeys(block(5), block(6), Lsn.of(300), Lsn.of(400)),
                LayerName.deltaOfKeys(block(0), block(1), Lsn.of(300), Lsn.of(400)));
        // Low: its image at 250 leaves the delta straddling it and the delta of blocks 0-1 above it.
        assertEquals(1, ImagePlan.deltasAboveImage(layers, low), "side by side: blocks 0-1 and 2-5");
        // High: no image; blocks 5-6 lie under all three deltas.
        assertEquals(3, ImagePlan.deltasAboveImage(layers, high));
        assertEquals(List.of(high), ImagePlan.due(layers, List.of(low, high), 3));
        assertEquals(List.of(high), ImagePlan.due(layers, List.of(low, high), 2));
        assertEquals(List.of(low, high), ImagePlan.due(layers, List.of(low, high), 1));
    }

    /**
     * Right after a merge, each merged L0 layer counts where it had keys and lay above the image,
     * on top of the stack of the other layers.
     */
    @Test
    void mergedL0LayersCountWhereTheyHadKeys() {
        KeyRange low = new KeyRange(Key.MIN, block(4));
        KeyRange high = new KeyRange(block(4), Key.MAX);
        LayerName first = LayerName.l0(Lsn.of(100), Lsn.of(200));
        LayerName second = LayerName.l0(Lsn.of(200), Lsn.of(300));
        LayerName third = LayerName.l0(Lsn.of(300), Lsn.of(400));
        List<LayerName> others = List.of(new LayerName(block(0), block(8), Lsn.of(10), Lsn.of(100)),
                LayerName.image(block(4), Key.MAX, Lsn.of(250)));
        List<List<LayerName>> merged = List.of(List.of(first, second, third), List.of(first, second, third));
        // Low: the old delta and three merged layers; high: only the third lies above its image at 250.
        assertEquals(List.of(low), ImagePlan.due(others, List.of(low, high), merged, 3));
        assertEquals(List.of(low), ImagePlan.due(others, List.of(low, high), List.of(List.of(second, third), List.of()), 3));
        assertEquals(List.of(), ImagePlan.due(others, List.of(low, high), List.of(List.of(third), List.of(third)), 3));
    }

    /** L0 layers are named for every key: they count for a partition of the whole key space only. */
    @Test
    void l0LayersCountOnlyForTheWholeKeySpace() {
        List<LayerName> layers = List.of(LayerName.l0(Lsn.of(100), Lsn.of(200)), LayerName.l0(Lsn.of(200), Lsn.of(300)),
                LayerName.deltaOfKeys(block(1), block(2), Lsn.of(300), Lsn.of(400)));
        assertEquals(3, ImagePlan.deltasAboveImage(layers, new KeyRange(Key.MIN, Key.MAX)));
        assertEquals(1, ImagePlan.deltasAboveImage(layers, new KeyRange(Key.MIN, block(4))));
        assertEquals(0, ImagePlan.deltasAboveImage(layers, new KeyRange(block(4), Key.MAX)));
    }
}
