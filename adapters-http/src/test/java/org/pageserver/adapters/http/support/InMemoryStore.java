package org.pageserver.adapters.http.support;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.pageserver.application.port.out.LoadTenantPort;
import org.pageserver.application.port.out.LoadTimelinePort;
import org.pageserver.application.port.out.SaveTenantPort;
import org.pageserver.application.port.out.SaveTimelinePort;
import org.pageserver.domain.id.TenantId;
import org.pageserver.domain.id.TimelineId;
import org.pageserver.domain.tenant.TenantMetadata;
import org.pageserver.domain.timeline.TimelineMetadata;

/**
 * The four storage ports in memory. Deletions can be held at a gate, so that a test can look at a
 * tenant or timeline while its background deletion is still running.
 */
public final class InMemoryStore implements LoadTenantPort, SaveTenantPort, LoadTimelinePort, SaveTimelinePort {
    private final Map<TenantId, TenantMetadata> tenants = new ConcurrentHashMap<>();
    private final Map<TenantId, Map<TimelineId, TimelineMetadata>> timelines = new ConcurrentHashMap<>();
    private volatile CountDownLatch deleteGate = new CountDownLatch(0);
    private volatile String saveFailure;

    /** Makes every tenant save fail with this message, as a broken disk would; null heals it. */
    public void failSaves(String message) {
        saveFailure = message;
    }

    /** Makes every deletion wait until {@link #releaseDeletes()}. */
    public void holdDeletes() {
        deleteGate = new CountDownLatch(1);
    }

    public void releaseDeletes() {
        deleteGate.countDown();
    }

    private void passGate() {
        try {
            if (!deleteGate.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("delete gate was never released");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public List<TenantMetadata> loadTenants() {
        return tenants.values().stream().sorted(Comparator.comparing(TenantMetadata::id)).toList();
    }

    @Override
    public void saveTenant(TenantMetadata tenant) {
        if (saveFailure != null) {
            throw new IllegalStateException(saveFailure);
        }
        tenants.put(tenant.id(), tenant);
    }

    @Override
    public void deleteTenant(TenantId tenantId) {
        passGate();
        tenants.remove(tenantId);
        timelines.remove(tenantId);
    }

    @Override
    public List<TimelineMetadata> loadTimelines(TenantId tenantId) {
        return timelines.getOrDefault(tenantId, Map.of()).values().stream()
                .sorted(Comparator.comparing(TimelineMetadata::timelineId)).toList();
    }

    @Override
    public List<TimelineMetadata> loadAllTimelines() {
        return timelines.values().stream().flatMap(ofTenant -> ofTenant.values().stream())
                .sorted(Comparator.comparing(TimelineMetadata::tenantId).thenComparing(TimelineMetadata::timelineId))
                .toList();
    }

    @Override
    public void saveTimeline(TimelineMetadata timeline) {
        timelines.computeIfAbsent(timeline.tenantId(), id -> new ConcurrentHashMap<>())
                .put(timeline.timelineId(), timeline);
    }

    @Override
    public void deleteTimeline(TenantId tenantId, TimelineId timelineId) {
        passGate();
        Map<TimelineId, TimelineMetadata> ofTenant = timelines.get(tenantId);
        if (ofTenant != null) {
            ofTenant.remove(timelineId);
        }
    }
}
