package org.pageserver.domain.remote;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import org.pageserver.domain.id.Generation;
import org.pageserver.domain.id.TenantId;
import org.pageserver.domain.id.TimelineId;
import org.pageserver.domain.layer.LayerName;
import org.pageserver.domain.lsn.Lsn;
import org.pageserver.domain.timeline.TimelineMetadata;

/**
 * A timeline's index in remote storage (Neon's index_part.json): every layer it has there, with
 * the size and the generation each was uploaded under (so that an attach lists no layers), and
 * the timeline's metadata as of the index's {@code diskConsistentLsn}. An index names only layers
 * whose upload finished before it was written; it is the truth about the timeline in the bucket.
 *
 * @param layers   by name: size and generation of each layer object
 * @param metadata the timeline's metadata as of its disk_consistent_lsn (its prev_record_lsn is the
 *                 record before that LSN); kept with last_record_lsn and remote_consistent_lsn set
 *                 to disk_consistent_lsn, which is what a node that reads the index has
 */
public record IndexPart(Map<LayerName, RemoteLayer> layers, TimelineMetadata metadata) {
    /** The JSON's format version: Neon's index_part version 7 and later keep the metadata as JSON too. */
    public static final int VERSION = 7;

    /** A layer object: its size and the generation in its key. */
    public record RemoteLayer(long fileSize, Generation generation) {
        public RemoteLayer {
            if (fileSize < 0 || generation == null) {
                throw new IllegalArgumentException("a remote layer has a size and a generation");
            }
        }
    }

    public IndexPart {
        layers = Collections.unmodifiableMap(new TreeMap<>(layers));
        if (metadata == null) {
            throw new IllegalArgumentException("an index part has the timeline's metadata");
        }
        Lsn consistent = metadata.diskConsistentLsn();
        metadata = new TimelineMetadata(metadata.tenantId(), metadata.timelineId(), metadata.ancestorTimelineId(),
                metadata.ancestorLsn(), metadata.initdbLsn(), consistent, metadata.prevRecordLsn(), consistent, consistent,
                metadata.latestGcCutoffLsn(), metadata.pgVersion(), false);
    }

    public TenantId tenantId() {
        return metadata.tenantId();
    }

    public TimelineId timelineId() {
        return metadata.timelineId();
    }

    public Lsn diskConsistentLsn() {
        return metadata.diskConsistentLsn();
    }

    /** The object key of a layer of this index. */
    public RemotePath layerPath(LayerName name) {
        RemoteLayer layer = layers.get(name);
        if (layer == null) {
            throw new IllegalArgumentException("layer " + name + " is not in the index of " + tenantId() + "/" + timelineId());
        }
        return RemotePath.layer(tenantId(), timelineId(), name, layer.generation());
    }

    /** The sum of the layers' sizes: the timeline's remote physical size. */
    public long remoteSize() {
        return layers.values().stream().mapToLong(RemoteLayer::fileSize).sum();
    }
}
