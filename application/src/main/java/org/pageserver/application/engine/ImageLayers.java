package org.pageserver.application.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;
import org.pageserver.application.port.out.IngestFile;
import org.pageserver.domain.layer.LayerDescriptor;
import org.pageserver.domain.layer.LayerMap;
import org.pageserver.domain.layer.LayerName;
import org.pageserver.domain.lsn.Lsn;
import org.pageserver.domain.page.EncodedVersion;
import org.pageserver.domain.page.Key;
import org.pageserver.domain.page.KeyVersion;
import org.pageserver.domain.page.RelSize;
import org.pageserver.domain.page.Value;
import org.pageserver.domain.page.Version;

/**
 * Image layers (Neon's create_image_layers): the value of every key of a timeline as of one LSN,
 * in one file, so that a read at or above that LSN stops there instead of walking every delta
 * below. A page's image is the page as a read at that LSN rebuilds it; a size or a commit time is
 * its newest value. Keys come from the timeline and, below the branch point, its ancestors: an
 * image of a branch holds what the branch sees.
 */
final class ImageLayers {
    /** Versions per append: each append is one commit record in the file. */
    private static final int BATCH = 256;

    private ImageLayers() {
    }

    /** The delta layer files above the newest image layer: what a read of a key changed in each walks. */
    static int deltasAboveNewestImage(LayerMap<HistoricLayer> layers) {
        Lsn newestImage = null;
        for (HistoricLayer layer : layers.layers()) {
            if (layer.descriptor().name().image()) {
                newestImage = layer.lsnStart();
                break;
            }
        }
        int above = 0;
        for (HistoricLayer layer : layers.layers()) {
            LayerName name = layer.descriptor().name();
            if (newestImage != null && !name.lsnStart().isAfter(newestImage)) {
                break;
            }
            if (!name.image()) {
                above++;
            }
        }
        return above;
    }

    /**
     * Writes, seals and publishes the image of every key of {@code timeline} at {@code at}, which
     * must be at or below its disk_consistent_lsn (the layer files hold everything it needs).
     *
     * @param stopping polled between batches: the timeline is being removed, so the file is
     *                 dropped and null returned
     * @return the published layer, not yet recorded; null if there was nothing to write or it stopped
     */
    static LayerDescriptor create(TimelineData timeline, Lsn at, BooleanSupplier stopping) {
        TreeSet<Key> keys = ReadPath.keys(timeline, Key.MIN, Key.MAX, at);
        if (keys.isEmpty()) {
            return null;
        }
        LayerName name = LayerName.imageOfKeys(keys.first(), keys.last(), at);
        IngestFile file = timeline.context().layerStore()
                .createLayerFile(timeline.metadata().tenantId(), timeline.metadata().timelineId(), name);
        boolean published = false;
        try {
            List<IngestFile.Placed> index = new ArrayList<>(keys.size());
            List<EncodedVersion> batch = new ArrayList<>(BATCH);
            List<Key> batchKeys = new ArrayList<>(BATCH);
            for (Key key : keys) {
                Value value = valueAt(timeline, key, at);
                if (value == null) {
                    continue;
                }
                batch.add(EncodedVersion.of(new KeyVersion(key, at, value)));
                batchKeys.add(key);
                if (batch.size() == BATCH) {
                    if (stopping.getAsBoolean()) {
                        return null;
                    }
                    append(file, batch, batchKeys, at, index);
                }
            }
            if (!batch.isEmpty()) {
                append(file, batch, batchKeys, at, index);
            }
            if (index.isEmpty() || stopping.getAsBoolean()) {
                return null;
            }
            file.awaitDurable(Long.MAX_VALUE);
            LayerDescriptor written = file.seal(name, at, index.iterator());
            file.publish();
            published = true;
            return written;
        } finally {
            if (!published) {
                file.discard();
            }
        }
    }

    private static void append(IngestFile file, List<EncodedVersion> batch, List<Key> batchKeys, Lsn at,
                               List<IngestFile.Placed> index) {
        long[] positions = new long[batch.size()];
        // A copy: the file reads the batch's values until they are durable, and this list is reused.
        file.append(List.copyOf(batch), at, at, positions);
        for (int i = 0; i < positions.length; i++) {
            index.add(new IngestFile.Placed(batchKeys.get(i), at, positions[i]));
        }
        batch.clear();
        batchKeys.clear();
    }

    /**
     * The key's value as a read at {@code at} sees it, needing nothing older; null for a block the
     * relation does not have there (dropped, or cut off by a truncation), which reads as nothing.
     */
    private static Value valueAt(TimelineData timeline, Key key, Lsn at) {
        if (key.kind() != Key.KIND_BLOCK) {
            List<Version> versions = ReadPath.versions(timeline, key, at, 0);
            return versions.isEmpty() ? null : versions.get(0).value();
        }
        RelSize size = ReadPath.relSize(timeline, Key.relSize(key.relTag()), at);
        if (!size.exists() || key.blk() >= size.nblocks()) {
            return null;
        }
        return new Value.PageImage(ReadPath.page(timeline, key, size, at));
    }
}
