package org.pageserver.domain.layer;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.pageserver.domain.lsn.Lsn;
import org.pageserver.domain.page.Key;
import org.pageserver.domain.page.RelTag;

/**
 * Where compaction makes image layers (Neon's create_image_layers): the timeline's keys are cut
 * into partitions of about compaction_target_size, and a partition gets an image when delta
 * layers above its newest image are stacked image_creation_threshold or more deep over one of its
 * keys, which is how many layers a read of that key may have to visit.
 */
public final class ImagePlan {
    private ImagePlan() {
    }

    /**
     * Cuts the key space into consecutive ranges of {@code keysPerPartition} keys each (the last may
     * hold fewer) that tile it whole: the first starts at {@link Key#MIN}, each ends where the next
     * one's keys begin, the last at {@link Key#MAX}; so an image of a partition holds every key it
     * has, and images of every partition together hold the key range of an L0 layer, all of it. The
     * keys are counted from the key space's shape, not listed: every block of each relation
     * ({@code blocks}: a relation's number of blocks), then each relation's size key, then the
     * commit key, in key order. No partition when there is no relation.
     */
    public static List<KeyRange> partitionByRelations(Map<RelTag, Long> blocks, int keysPerPartition) {
        if (keysPerPartition < 1) {
            throw new IllegalArgumentException("a partition holds at least one key");
        }
        if (blocks.isEmpty()) {
            return List.of();
        }
        List<RelTag> rels = new ArrayList<>(blocks.keySet());
        rels.sort(Comparator.comparing(rel -> Key.block(rel, 0)));
        List<Key> starts = new ArrayList<>(List.of(Key.MIN));
        long seen = 0;
        for (RelTag rel : rels) {
            long count = blocks.get(rel);
            // The first key of each partition after the first falls at a multiple of keysPerPartition.
            long firstCut = Math.max(1, (seen + keysPerPartition - 1) / keysPerPartition) * keysPerPartition;
            for (long cut = firstCut; cut < seen + count; cut += keysPerPartition) {
                starts.add(Key.block(rel, cut - seen));
            }
            seen += count;
        }
        for (RelTag rel : rels) {
            if (seen > 0 && seen % keysPerPartition == 0) {
                starts.add(Key.relSize(rel));
            }
            seen++;
        }
        if (seen % keysPerPartition == 0) {
            starts.add(Key.COMMIT);
        }
        List<KeyRange> partitions = new ArrayList<>();
        for (int i = 0; i < starts.size(); i++) {
            partitions.add(new KeyRange(starts.get(i), i + 1 < starts.size() ? starts.get(i + 1) : Key.MAX));
        }
        return partitions;
    }

    /** The partitions due for an image: delta layers stacked {@code threshold} or more deep above their newest image. */
    public static List<KeyRange> due(Collection<LayerName> layers, List<KeyRange> partitions, long threshold) {
        return due(layers, partitions, partitions.stream().map(p -> List.<LayerName>of()).toList(), threshold);
    }

    /**
     * As {@link #due(Collection, List, long)}, right after L0 layers were merged: {@code merged}
     * holds, for each partition in order, the merged L0 layers that held keys of it, each counted
     * on top of the stack of {@code layers} (which leave out the merge's outputs) if it lies above
     * the partition's newest image. A merged layer named for every key thus counts only where it
     * had keys.
     */
    public static List<KeyRange> due(Collection<LayerName> layers, List<KeyRange> partitions,
                                     List<? extends Collection<LayerName>> merged, long threshold) {
        List<KeyRange> due = new ArrayList<>();
        for (int i = 0; i < partitions.size(); i++) {
            KeyRange partition = partitions.get(i);
            Lsn image = newestImage(layers, partition);
            long above = merged.get(i).stream().filter(layer -> isAbove(layer, image)).count();
            if (deltasAboveImage(layers, partition) + above >= Math.max(1, threshold)) {
                due.add(partition);
            }
        }
        return due;
    }

    /** The LSN of the newest image layer that holds the whole partition, or null. */
    private static Lsn newestImage(Collection<LayerName> layers, KeyRange partition) {
        Lsn image = null;
        for (LayerName layer : layers) {
            if (layer.image() && KeyRange.of(layer).covers(partition) && (image == null || layer.lsnStart().isAfter(image))) {
                image = layer.lsnStart();
            }
        }
        return image;
    }

    /** Whether the delta layer has versions above {@code image} (any, when there is no image). */
    private static boolean isAbove(LayerName delta, Lsn image) {
        return image == null || Lsn.of(delta.lsnEnd().value() - 1).isAfter(image);
    }

    /**
     * How deep delta layers above the newest image that holds the whole partition (above nothing
     * when there is none) are stacked over any one key of {@code partition}: the most delta layers
     * a read of one of its keys may visit there. Layers side by side (L1 layers cut by key) do not
     * add up, as Neon's count_deltas counts them: a read visits one of them. An L0 layer counts only
     * for a partition of the whole key space, as in Neon (is_reimage_worthy): it is named for every
     * key, so it would make every partition due, and each compaction would write an image of the
     * whole key space; compaction merges it into L1 layers, named for the keys they hold, which count.
     */
    public static int deltasAboveImage(Collection<LayerName> layers, KeyRange partition) {
        Lsn image = newestImage(layers, partition);
        // A sweep over the key boundaries of the deltas above it: +1 where one starts, -1 where it ends.
        java.util.TreeMap<Key, Integer> steps = new java.util.TreeMap<>();
        for (LayerName layer : layers) {
            boolean counts = !layer.isL0() || (partition.start().equals(Key.MIN) && partition.end().equals(Key.MAX));
            if (!layer.image() && counts && KeyRange.of(layer).overlaps(partition) && isAbove(layer, image)) {
                Key start = layer.keyStart().compareTo(partition.start()) > 0 ? layer.keyStart() : partition.start();
                Key end = layer.keyEnd().compareTo(partition.end()) < 0 ? layer.keyEnd() : partition.end();
                steps.merge(start, 1, Integer::sum);
                steps.merge(end, -1, Integer::sum);
            }
        }
        int depth = 0;
        int deepest = 0;
        for (int step : steps.values()) {
            depth += step;
            deepest = Math.max(deepest, depth);
        }
        return deepest;
    }
}
