package org.pageserver.application.port.in;

import org.pageserver.domain.id.TenantId;
import org.pageserver.domain.id.TimelineId;

/** A timeline's layers, their residence and access (Neon's GET …/layer). */
public interface GetLayerMapUseCase {

    /** @throws org.pageserver.domain.error.PageserverException NOT_FOUND, or UNAVAILABLE while not Active */
    LayerMapInfo layerMap(TenantId tenantId, TimelineId timelineId);
}
