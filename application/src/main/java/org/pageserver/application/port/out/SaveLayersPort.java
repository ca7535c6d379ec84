package org.pageserver.application.port.out;

import org.pageserver.domain.layer.LayerDescriptor;
import org.pageserver.domain.timeline.TimelineMetadata;

/** Records layer files in the metadata database. */
public interface SaveLayersPort {

    /**
     * Records a newly flushed layer and the timeline's advanced LSNs (disk_consistent_lsn) in one
     * transaction: after a crash either both are stored or neither.
     */
    void saveFlushedLayer(TimelineMetadata timeline, LayerDescriptor layer);
}
