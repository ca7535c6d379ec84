package org.pageserver.application.port.out;

import java.util.List;
import java.util.Map;
import org.pageserver.domain.id.TenantId;
import org.pageserver.domain.id.TenantTimelineId;
import org.pageserver.domain.id.TimelineId;
import org.pageserver.domain.layer.LayerDescriptor;

/** Reads the layer files a timeline's metadata records. */
public interface LoadLayersPort {

    /** @return the timeline's layers in LSN order */
    List<LayerDescriptor> loadLayers(TenantId tenantId, TimelineId timelineId);

    /**
     * @return the layers of every timeline that has any, in one read (a start's), each timeline's in
     *         LSN order
     */
    Map<TenantTimelineId, List<LayerDescriptor>> loadAllLayers();
}
