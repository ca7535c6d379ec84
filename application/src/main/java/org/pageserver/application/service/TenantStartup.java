package org.pageserver.application.service;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.pageserver.application.engine.TimelineData;
import org.pageserver.application.port.out.LoadTimelinePort;
import org.pageserver.domain.config.TenantConfig;
import org.pageserver.domain.layer.LayerDescriptor;
import org.pageserver.domain.error.Failures;
import org.pageserver.domain.id.TenantId;
import org.pageserver.domain.id.TenantTimelineId;
import org.pageserver.domain.id.TimelineId;
import org.pageserver.domain.tenant.TenantState;
import org.pageserver.domain.timeline.TimelineMetadata;
import org.pageserver.domain.timeline.TimelineState;

/**
 * Bringing the stored tenants back at start-up, in the order durability needs: every timeline
 * opened over its layer files and what its ingest files hold (ancestors first), then the tenants
 * activated. A tenant that fails any step is left Broken; the others go on. The metadata of all
 * tenants is read before, in one read of the timelines and one of the layers: thousands of tenants
 * would otherwise make thousands of small queries.
 */
final class TenantStartup {
    private static final Logger LOG = System.getLogger(TenantStartup.class.getName());

    private final Map<TenantId, List<TimelineMetadata>> timelines;
    private final Map<TenantTimelineId, List<LayerDescriptor>> layers;
    private final TimelineStorage storage;
    private final Function<Tenant, TenantConfig> config;

    /** Reads the stored timelines and layer rows of every tenant. */
    TenantStartup(LoadTimelinePort loadTimelines, TimelineStorage storage, Function<Tenant, TenantConfig> config) {
        Map<TenantId, List<TimelineMetadata>> byTenant = new HashMap<>();
        for (TimelineMetadata m : loadTimelines.loadAllTimelines()) {
            byTenant.computeIfAbsent(m.tenantId(), id -> new ArrayList<>()).add(m);
        }
        this.timelines = byTenant;
        this.layers = storage.loadAllLayers();
        this.storage = storage;
        this.config = config;
    }

    /** Opens the tenant's timelines, ancestors first; false if the tenant ended up Broken or deleted. */
    boolean openTimelines(Tenant tenant) {
        try {
            List<TimelineMetadata> stored = timelines.getOrDefault(tenant.id(), List.of());
            if (tenant.metadata().deleting()) {
                stored.forEach(m -> tenant.putTimeline(Timeline.beingDeleted(m)));
                LOG.log(Level.INFO, "tenant {0}: resuming its deletion", tenant.id());
                tenant.setState(TenantState.STOPPING);
                tenant.setDeletionStarted(true);
                return false;
            }
            Map<TimelineId, TimelineMetadata> byId = new HashMap<>();
            stored.forEach(m -> byId.put(m.timelineId(), m));
            for (TimelineMetadata m : stored) {
                open(tenant, m, byId);
            }
            return true;
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "tenant " + tenant.id() + " failed to load", e);
            tenant.setState(new TenantState.Broken("loading failed: " + Failures.describe(e), ""));
            return false;
        }
    }

    private Timeline open(Tenant tenant, TimelineMetadata metadata, Map<TimelineId, TimelineMetadata> byId) {
        Timeline existing = tenant.timeline(metadata.timelineId()).orElse(null);
        if (existing != null) {
            return existing;
        }
        if (metadata.deleting()) {
            Timeline deleting = Timeline.beingDeleted(metadata);
            tenant.putTimeline(deleting);
            return deleting;
        }
        TimelineData ancestor = null;
        if (metadata.ancestorTimelineId() != null) {
            TimelineMetadata parent = byId.get(metadata.ancestorTimelineId());
            if (parent == null) {
                throw new IllegalStateException("timeline " + metadata.timelineId() + " branches from "
                        + metadata.ancestorTimelineId() + ", which is not stored");
            }
            ancestor = open(tenant, parent, byId).data();
        }
        List<LayerDescriptor> rows = layers.getOrDefault(new TenantTimelineId(tenant.id(), metadata.timelineId()), List.of());
        Timeline timeline = new Timeline(storage.load(metadata, () -> config.apply(tenant), ancestor, rows,
                tenant.metadata().generation()), TimelineState.ACTIVE);
        tenant.putTimeline(timeline);
        return timeline;
    }

    void activate(Tenant tenant) {
        if (tenant.state() instanceof TenantState.Broken) {
            return;
        }
        try {
            tenant.setState(new TenantState.Activating(TenantState.ActivatingFrom.ATTACHING));
            for (Timeline timeline : tenant.timelines()) {
                if (timeline.deletionStarted()) {
                    storage.resumeDeletion(tenant, timeline);
                }
            }
            tenant.becomeActive();
            // Each tenant at DEBUG: a node with thousands logs its start's progress instead (StartupProgress).
            LOG.log(Level.DEBUG, "tenant {0} is {1} with {2} timelines", tenant.id(), tenant.state().slug(),
                    tenant.timelines().size());
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "tenant " + tenant.id() + " failed to activate", e);
            tenant.setState(new TenantState.Broken("activation failed: " + Failures.describe(e), ""));
        }
    }
}
