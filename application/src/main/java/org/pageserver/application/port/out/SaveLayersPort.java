package org.pageserver.application.port.out;

import java.time.Instant;
import java.util.List;
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
     * Records the layers maintenance wrote and forgets those it replaced (compaction, image
     * creation, GC), with the timeline's row as {@code timeline} says (GC moves its cutoff), in one
     * forced transaction: after a crash the old set or the new one is stored, never a mix.
     * Forgetting a layer not recorded is no error.
     *
     * @throws org.pageserver.domain.error.PageserverException INTERNAL if an added layer is already recorded
     */
    void replaceLayers(TimelineMetadata timeline, List<LayerDescriptor> added, List<LayerName> removed);

    /**
     * Records when layers were last read (for eviction's least-recently-used order). Layers no
     * longer recorded are ignored: a layer may go between its read and this call.
     */
    void saveLastAccess(TenantId tenantId, TimelineId timelineId, Map<LayerName, Instant> lastAccess);

    /**
     * Records whether layers are on local disk (true) or evicted, remote only (false): what the
     * layer endpoint reports, kept for operators across restarts. Layers no longer recorded are
     * ignored. Not forced on its own: a crash may lose the last changes, and a start looks at the
     * disk, which is the truth.
     */
    void saveResidence(TenantId tenantId, TimelineId timelineId, Map<LayerName, Boolean> resident);
}
