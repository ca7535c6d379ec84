package org.pageserver.application.port.out;

import java.time.Instant;
import java.util.Map;
import org.pageserver.domain.id.TenantId;
import org.pageserver.domain.id.TimelineId;
import org.pageserver.domain.layer.LayerDescriptor;
import org.pageserver.domain.layer.LayerName;
import org.pageserver.domain.timeline.TimelineMetadata;

/** Records layer files in the metadata database. */
public interface SaveLayersPort {

    /**
     * Records a newly flushed layer and the timeline's advanced LSNs (disk_consistent_lsn) in one
     * transaction: after a crash either both are stored or neither.
     */
    void saveFlushedLayer(TimelineMetadata timeline, LayerDescriptor layer);

    /**
     * Records when layers were last read (for eviction's least-recently-used order). Layers no
     * longer recorded are ignored: a layer may go between its read and this call.
     */
    void saveLastAccess(TenantId tenantId, TimelineId timelineId, Map<LayerName, Instant> lastAccess);
}
