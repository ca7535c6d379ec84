package org.pageserver.application.engine;

import java.util.List;
import java.util.function.BooleanSupplier;
import org.pageserver.application.port.out.LayerWriter;
import org.pageserver.domain.layer.ImagePlan;
import org.pageserver.domain.layer.KeyRange;
import org.pageserver.domain.layer.LayerDescriptor;
import org.pageserver.domain.layer.LayerName;
import org.pageserver.domain.lsn.Lsn;
import org.pageserver.domain.page.EncodedVersion;
import org.pageserver.domain.page.Key;
import org.pageserver.domain.page.KeyVersion;
import org.pageserver.domain.page.Page;
import org.pageserver.domain.page.RelSize;
import org.pageserver.domain.page.Value;
import org.pageserver.domain.page.Version;
import org.pageserver.domain.timeline.TimelineMetadata;

/**
 * Image layers (Neon's create_image_layers): the value of every key of a key range as of one LSN,
 * in one file, so that a read at or above that LSN stops there instead of walking every delta
 * below. A page's image is the page as a read at that LSN rebuilds it; a size or a commit time is
 * its newest value. Keys come from the timeline and, below the branch point, its ancestors: an
 * image of a branch holds what the branch sees. Which ranges get one, and when, is {@link ImagePlan}'s.
 */
final class ImageLayers {
    /** Keys written between two looks at whether the timeline is stopping. */
    private static final int STOP_CHECK = 256;

    private ImageLayers() {
    }

    /**
     * The key space cut into partitions of about {@code targetSize} bytes (a key counted as a page:
     * most keys are blocks), from the relations' sizes the timeline keeps as records arrive rather
     * than from the keys in its layers: listing those would read every layer file's key index, and
     * download every layer of a timeline whose layers are remote (an attached one). The sizes are
     * the newest, which places the cuts about where the keys at any LSN would; an image of a
     * partition holds whatever keys it has, wherever the cuts fall.
     */
    static List<KeyRange> partitions(TimelineData timeline, long targetSize) {
        return ImagePlan.partitionByRelations(timeline.relBlockCounts(),
                (int) Math.max(1, Math.min(Integer.MAX_VALUE, targetSize / Page.SIZE)));
    }

    /**
     * Writes, seals and publishes the image of the keys of {@code partition} at {@code at}, which
     * must be at or below the timeline's disk_consistent_lsn (the layer files hold everything it
     * needs). The layer is named for the whole partition: a key of it that has no value there had
     * none at {@code at}.
     *
     * @param stopping polled as it goes: the timeline is being removed, so the file is dropped and null returned
     * @return the published layer, not yet recorded; null if there was nothing to write or it stopped
     */
    static LayerDescriptor create(TimelineData timeline, KeyRange partition, Lsn at, BooleanSupplier stopping) {
        TimelineMetadata m = timeline.metadata();
        LayerWriter file = null;
        boolean published = false;
        try {
            int sinceCheck = 0;
            for (Key key : ReadPath.keys(timeline, partition.start(), partition.end(), at)) {
                Value value = valueAt(timeline, key, at);
                if (value == null) {
                    continue;
                }
                if (file == null) {
                    file = timeline.context().layerStore().createImageWriter(m.tenantId(), m.timelineId(), at);
                }
                file.add(EncodedVersion.of(new KeyVersion(key, at, value)));
                if (++sinceCheck == STOP_CHECK) {
                    sinceCheck = 0;
                    if (stopping.getAsBoolean()) {
                        return null;
                    }
                }
            }
            if (file == null || stopping.getAsBoolean()) {
                return null;
            }
            LayerDescriptor written = file.finish(LayerName.image(partition.start(), partition.end(), at));
            file.publish();
            published = true;
            return written;
        } finally {
            if (file != null && !published) {
                file.discard();
            }
        }
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
