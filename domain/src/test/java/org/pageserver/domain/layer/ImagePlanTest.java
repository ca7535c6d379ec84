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

    @Test
    void partitionsTileTheWholeKeySpace() {
        List<KeyRange> partitions = ImagePlan.partition(KEYS, 4);
        assertEquals(List.of(new KeyRange(Key.MIN, block(4)), new KeyRange(block(4), block(8)),
                new KeyRange(block(8), Key.MAX)), partitions);
        assertEquals(List.of(new KeyRange(Key.MIN, Key.MAX)), ImagePlan.partition(KEYS, 100));
        assertEquals(List.of(), ImagePlan.partition(List.of(), 4));
        assertThrows(IllegalArgumentException.class, () -> ImagePlan.partition(KEYS, 0));
    }

    @Test
    void aPartitionIsDueWhenEnoughDeltasWithItsKeysLieAboveItsNewestImage() {
        KeyRange low = new KeyRange(block(0), block(4));
        KeyRange high = new KeyRange(block(4), Key.MAX);
        List<LayerName> layers = List.of(
                LayerName.l0(Lsn.of(100), Lsn.of(200)),
                LayerName.l0(Lsn.of(200), Lsn.of(300)),
                LayerName.image(block(0), block(4), Lsn.of(250)),
                LayerName.deltaOfKeys(block(5), block(6), Lsn.of(300), Lsn.of(400)),
                LayerName.deltaOfKeys(block(0), block(1), Lsn.of(300), Lsn.of(400)));
        // Low: its image at 250 leaves the L0 straddling it and the delta of blocks 0-1 above it.
        assertEquals(2, ImagePlan.deltasAboveImage(layers, low));
        // High: no image; both L0s and the delta of blocks 5-6.
        assertEquals(3, ImagePlan.deltasAboveImage(layers, high));
        assertEquals(List.of(high), ImagePlan.due(layers, List.of(low, high), 3));
        assertEquals(List.of(low, high), ImagePlan.due(layers, List.of(low, high), 2));
    }
}
