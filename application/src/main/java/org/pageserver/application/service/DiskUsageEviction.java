package org.pageserver.application.service;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.pageserver.application.engine.Residence;
import org.pageserver.application.engine.TimelineData;
import org.pageserver.application.port.in.RunDiskUsageEvictionUseCase;
import org.pageserver.application.remote.RemoteTimelineClient;
import org.pageserver.domain.error.PageserverException;
import org.pageserver.domain.eviction.EvictionOrder;
import org.pageserver.domain.id.TenantId;
import org.pageserver.domain.layer.LayerName;

/**
 * Disk-usage eviction (Neon's disk_usage_eviction_task), one pass at a time: the resident layer
 * files of every Active timeline that remote storage holds, taken in {@link EvictionOrder} until
 * enough bytes are freed. Each eviction waits for the reads inside its file (as a single layer's).
 */
public final class DiskUsageEviction implements RunDiskUsageEvictionUseCase {
    private static final Logger LOG = System.getLogger(DiskUsageEviction.class.getName());
    private static final String CAUSE = "disk_usage_eviction";

    private final TenantManager tenants;
    private final TimelineStorage storage;
    private final AtomicBoolean running = new AtomicBoolean();

    public DiskUsageEviction(TenantManager tenants, TimelineStorage storage) {
        this.tenants = tenants;
        this.storage = storage;
    }

    /** A layer file by its timeline. */
    private record LayerRef(TimelineData timeline, RemoteTimelineClient client, LayerName name) {
    }

    @Override
    public Result run(long evictBytes) {
        if (!running.compareAndSet(false, true)) {
            throw PageserverException.conflict("disk usage eviction: an iteration is already executing");
        }
        try {
            return pass(evictBytes);
        } finally {
            running.set(false);
        }
    }

    private Result pass(long evictBytes) {
        long started = System.nanoTime();
        List<EvictionOrder.Candidate<LayerRef>> candidates = new ArrayList<>();
        Map<TenantId, Long> reserves = new HashMap<>();
        for (Tenant tenant : tenants.activeTenants()) {
            Long override = tenants.effectiveConfig(tenant).minResidentSizeOverride();
            if (override != null) {
                reserves.put(tenant.id(), override);
            }
            for (TimelineStorage.Followed timeline : storage.followedTimelines(tenant)) {
                RemoteTimelineClient client = timeline.client();
                for (Residence.ResidentLayer layer : timeline.data().residence().evictable(client::isUploaded)) {
                    candidates.add(new EvictionOrder.Candidate<>(tenant.id(), layer.size(), layer.idleSinceMillis(),
                            new LayerRef(timeline.data(), client, layer.name())));
                }
            }
        }
        long plannedAbove = 0;
        Long plannedWithin = null;
        long freed = 0;
        long failedBytes = 0;
        long failedCount = 0;
        for (EvictionOrder.Victim<LayerRef> victim : EvictionOrder.order(candidates, reserves)) {
            if (freed >= evictBytes) {
                break;
            }
            long size = victim.candidate().size();
            if (victim.aboveReserve()) {
                plannedAbove += size;
            } else {
                plannedWithin = (plannedWithin == null ? 0 : plannedWithin) + size;
            }
            LayerRef layer = victim.candidate().layer();
            try {
                if (layer.timeline().residence().evictLayer(layer.name(), layer.client()::isUploaded, CAUSE)) {
                    freed += size;
                }
            } catch (PageserverException e) {
                // Removed by compaction or GC, or its timeline stopped, since the candidates were listed; or
                // its file could not be deleted (logged and counted by the eviction): not freed.
                failedBytes += size;
                failedCount++;
            }
        }
        LOG.log(Level.INFO, "disk usage eviction: {0} bytes asked for, {1} freed from {2} candidates in {3} ms ({4} failed)",
                evictBytes, freed, candidates.size(), (System.nanoTime() - started) / 1_000_000, failedCount);
        return new Result(evictBytes, plannedAbove, plannedWithin, freed, failedBytes, failedCount);
    }
}
