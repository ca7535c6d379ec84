package org.pageserver.application.port.out;

import java.util.List;
import org.pageserver.domain.id.TenantId;
import org.pageserver.domain.id.TimelineId;
import org.pageserver.domain.layer.LayerDescriptor;

/** Reads the layer files a timeline's metadata records. */
public interface LoadLayersPort {

    /** @return the timeline's layers in LSN order */
    List<LayerDescriptor> loadLayers(TenantId tenantId, TimelineId timelineId);
}
