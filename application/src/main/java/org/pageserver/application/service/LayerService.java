package org.pageserver.application.service;

import org.pageserver.application.engine.TimelineData;
import org.pageserver.application.port.in.EvictLayerUseCase;
import org.pageserver.application.port.in.GetLayerMapUseCase;
import org.pageserver.application.port.in.LayerMapInfo;
import org.pageserver.application.remote.RemoteTimelineClient;
import org.pageserver.domain.id.TenantId;
import org.pageserver.domain.id.TimelineId;
import org.pageserver.domain.layer.LayerName;

/** The layer endpoints: a timeline's layers, and one layer evicted or downloaded on request. */
public final class LayerService implements GetLayerMapUseCase, EvictLayerUseCase {
    private final TenantManager tenants;
    private final TimelineStorage storage;

    public LayerService(TenantManager tenants, TimelineStorage storage) {
        this.tenants = tenants;
        this.storage = storage;
    }

    @Override
    public LayerMapInfo layerMap(TenantId tenantId, TimelineId timelineId) {
        return tenants.activeTimeline(tenantId, timelineId).residence().layerMap();
    }

    @Override
    public boolean evictLayer(TenantId tenantId, TimelineId timelineId, LayerName layer) {
        TimelineData data = tenants.activeTimeline(tenantId, timelineId);
        RemoteTimelineClient client = storage.remoteClient(data.metadata());
        // Without remote storage nothing is uploaded, so nothing may be evicted.
        return data.residence().evictLayer(layer, name -> client != null && client.isUploaded(name), "manual");
    }

    @Override
    public boolean downloadLayer(TenantId tenantId, TimelineId timelineId, LayerName layer) {
        return tenants.activeTimeline(tenantId, timelineId).residence().downloadLayer(layer);
    }
}
