package org.pageserver.domain.layer;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.pageserver.domain.lsn.Lsn;
import org.pageserver.domain.page.Key;

/**
 * Where compaction makes image layers (Neon's create_image_layers): the timeline's keys are cut
 * into partitions of about compaction_target_size, and a partition gets an image when
 * image_creation_threshold or more delta layers hold versions of its keys above its newest image,
 * which is how many layers a read of one of its keys may have to visit.
 */
public final class ImagePlan {
    private ImagePlan() {
    }

    /**
     * Cuts sorted keys into consecutive ranges of {@code keysPerPartition} keys each (the last may
     * hold fewer) that tile the whole key space: the first starts at {@link Key#MIN}, each ends
     * where the next one's keys begin, the last at {@link Key#MAX}. No key exists outside the
     * partitions' keys, so an image of a partition says rightly that the keys between had no value;
     * and images of every partition together hold the key range of an L0 layer, all of it.
     */
    public static List<KeyRange> partition(List<Key> sortedKeys, int keysPerPartition) {
        if (keysPerPartition < 1) {
            throw new IllegalArgumentException("a partition holds at least one key");
        }
        List<KeyRange> partitions = new ArrayList<>();
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

    /** The partitions due for an image: {@code threshold} or more delta layers above their newest image. */
    public static List<KeyRange> due(Collection<LayerName> layers, List<KeyRange> partitions, long threshold) {
        List<KeyRange> due = new ArrayList<>();
        for (KeyRange partition : partitions) {
            if (deltasAboveImage(layers, partition) >= Math.max(1, threshold)) {
                due.add(partition);
            }
        }
        return due;
    }

    /**
     * The delta layers with versions of keys of {@code partition} above the newest image that holds
     * the whole partition (above nothing when there is none).
     */
    public static int deltasAboveImage(Collection<LayerName> layers, KeyRange partition) {
        Lsn image = null;
        for (LayerName layer : layers) {
            if (layer.image() && KeyRange.of(layer).covers(partition) && (image == null || layer.lsnStart().isAfter(image))) {
                image = layer.lsnStart();
            }
        }
        int above = 0;
        for (LayerName layer : layers) {
            if (!layer.image() && KeyRange.of(layer).overlaps(partition)
                    && (image == null || Lsn.of(layer.lsnEnd().value() - 1).isAfter(image))) {
                above++;
            }
        }
        return above;
    }
}
