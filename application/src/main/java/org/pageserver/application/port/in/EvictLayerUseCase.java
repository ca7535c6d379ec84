package org.pageserver.application.port.in;

import org.pageserver.domain.id.TenantId;
import org.pageserver.domain.id.TimelineId;
import org.pageserver.domain.layer.LayerName;

/** Moving one layer file off local disk and back (Neon's DELETE and GET …/layer/{name}). */
public interface EvictLayerUseCase {

    /**
     * Evicts the layer file: deleted from local disk once no read is inside it, kept in the layer
     * map; the next read that needs it downloads it again.
     *
     * @return false if it was not resident
     * @throws org.pageserver.domain.error.PageserverException NOT_FOUND if absent; CONFLICT if remote
     *                                                         storage does not hold it under an uploaded index yet
     */
    boolean evictLayer(TenantId tenantId, TimelineId timelineId, LayerName layer);

    /**
     * Downloads the layer file if it is not resident.
     *
     * @return false if it was resident already
     * @throws org.pageserver.domain.error.PageserverException NOT_FOUND if absent; UNAVAILABLE if the download fails
     */
    boolean downloadLayer(TenantId tenantId, TimelineId timelineId, LayerName layer);
}
