package org.pageserver.application.service;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.pageserver.domain.config.EvictionPolicy;
import org.pageserver.domain.error.PageserverException;
import org.pageserver.domain.id.TenantId;

/**
 * Eviction by each tenant's eviction_policy (Neon's eviction task): with LayerAccessThreshold,
 * every {@code period} the tenant's layer files that no read took a value from for
 * {@code threshold}, and that remote storage holds under an uploaded index, leave local disk.
 * One tenant's pass at a time runs in the background; a tenant's first pass comes one period after
 * it is seen, as Neon's task starts.
 */
public final class EvictionService {
    private static final Logger LOG = System.getLogger(EvictionService.class.getName());
    private static final Duration CHECK_PERIOD = Duration.ofSeconds(1);

    private final TenantManager tenants;
    private final TimelineStorage storage;
    private final BackgroundTasks background;
    /** When each tenant's next pass is due ({@link System#nanoTime()}). */
    private final Map<TenantId, Long> nextPass = new ConcurrentHashMap<>();

    public EvictionService(TenantManager tenants, TimelineStorage storage, BackgroundTasks background) {
        this.tenants = tenants;
        this.storage = storage;
        this.background = background;
        background.every("evict layers by policy", CHECK_PERIOD, this::startDue);
    }

    private void startDue() {
        long now = System.nanoTime();
        for (Tenant tenant : tenants.activeTenants()) {
            if (!(tenants.effectiveConfig(tenant).evictionPolicy() instanceof EvictionPolicy.LayerAccessThreshold policy)) {
                nextPass.remove(tenant.id());
                continue;
            }
            long period = Math.max(1, policy.period().toNanos());
            long due = nextPass.computeIfAbsent(tenant.id(), id -> now + period);
            if (now - due >= 0) {
                nextPass.put(tenant.id(), now + period);
                background.run("eviction pass of tenant " + tenant.id(), () -> pass(tenant, policy.threshold()));
            }
        }
        nextPass.keySet().removeIf(id -> tenants.find(id).isEmpty());
    }

    private void pass(Tenant tenant, Duration threshold) {
        int evicted = 0;
        for (TimelineStorage.Followed timeline : storage.followedTimelines(tenant)) {
            try {
                evicted += timeline.data().residence().evictCold(threshold, timeline.client()::isUploaded);
            } catch (PageserverException e) {
                // Stopping or broken meanwhile: its files go with it, or stay for the next start.
                LOG.log(Level.DEBUG, "eviction pass of timeline {0}/{1} ended: {2}", tenant.id(),
                        timeline.data().metadata().timelineId(), e.getMessage());
            }
        }
        if (evicted > 0) {
            LOG.log(Level.INFO, "tenant {0}: evicted {1} layers not read for {2}", tenant.id(), evicted, threshold);
        }
    }
}
