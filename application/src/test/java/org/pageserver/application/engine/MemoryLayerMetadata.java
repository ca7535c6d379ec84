package org.pageserver.application.engine;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.pageserver.application.port.out.LoadLayersPort;
import org.pageserver.application.port.out.SaveLayersPort;
import org.pageserver.domain.id.TenantId;
import org.pageserver.domain.id.TenantTimelineId;
import org.pageserver.domain.id.TimelineId;
import org.pageserver.domain.layer.LayerDescriptor;
import org.pageserver.domain.layer.LayerName;
import org.pageserver.domain.timeline.TimelineMetadata;

/** Layer rows and timeline rows in memory, for engine tests. */
public final class MemoryLayerMetadata implements LoadLayersPort, SaveLayersPort {
    final Map<String, List<LayerDescriptor>> layers = new ConcurrentHashMap<>();
    final Map<String, TimelineMetadata> timelines = new ConcurrentHashMap<>();
    final Map<String, Instant> lastAccess = new ConcurrentHashMap<>();
    /** Each layer's recorded residence, by "tenant/timeline/file name". */
    final Map<String, Boolean> residence = new ConcurrentHashMap<>();
    private volatile String nextReplaceFailure;

    /** Makes the next {@link #replaceLayers} fail, as a database refusing the transaction would. */
    void failNextReplace(String message) {
        nextReplaceFailure = message;
    }

    @Override
    public List<LayerDescriptor> loadLayers(TenantId tenantId, TimelineId timelineId) {
        return new ArrayList<>(layers.getOrDefault(tenantId + "/" + timelineId, List.of()));
    }

    @Override
    public Map<TenantTimelineId, List<LayerDescriptor>> loadAllLayers() {
        Map<TenantTimelineId, List<LayerDescriptor>> all = new HashMap<>();
        layers.forEach((key, list) -> {
            String[] ids = key.split("/");
            all.put(new TenantTimelineId(TenantId.parse(ids[0]), TimelineId.parse(ids[1])), new ArrayList<>(list));
        });
        return all;
    }

    @Override
    public synchronized void saveFlushedLayer(TimelineMetadata timeline, LayerDescriptor layer) {
        String key = timeline.tenantId() + "/" + timeline.timelineId();
        layers.computeIfAbsent(key, k -> new ArrayList<>()).add(layer);
        timelines.put(key, timeline);
    }

    @Override
    public synchronized void replaceLayers(TimelineMetadata timeline, List<LayerDescriptor> added, List<LayerName> removed) {
        String failure = nextReplaceFailure;
        if (failure != null) {
            nextReplaceFailure = null;
            throw new IllegalStateException(failure);
        }
        String key = timeline.tenantId() + "/" + timeline.timelineId();
        timelines.put(key, timeline);
        List<LayerDescriptor> list = layers.computeIfAbsent(key, k -> new ArrayList<>());
        list.removeIf(d -> removed.contains(d.name()));
        for (LayerDescriptor layer : added) {
            if (list.stream().anyMatch(d -> d.name().equals(layer.name()))) {
                throw new IllegalStateException("layer " + layer.name() + " is already recorded");
            }
            list.add(layer);
        }
    }

    @Override
    public void saveLastAccess(TenantId tenantId, TimelineId timelineId, Map<LayerName, Instant> times) {
        times.forEach((name, at) -> lastAccess.put(tenantId + "/" + timelineId + "/" + name.fileName(), at));
    }

    @Override
    public void saveResidence(TenantId tenantId, TimelineId timelineId, Map<LayerName, Boolean> resident) {
        resident.forEach((name, on) -> residence.put(tenantId + "/" + timelineId + "/" + name.fileName(), on));
    }
}
