package org.pageserver.application.service;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.pageserver.application.engine.TimelineData;
import org.pageserver.application.port.in.GcTimelineUseCase;
import org.pageserver.domain.config.TenantConfig;
import org.pageserver.domain.error.PageserverException;
import org.pageserver.domain.id.TenantId;
import org.pageserver.domain.id.TimelineId;
import org.pageserver.domain.lsn.Lsn;
import org.pageserver.domain.timeline.GcResult;
import org.pageserver.domain.timeline.TimelineMetadata;

/**
 * GC of timelines, on demand ({@code do_gc}) and every gc_period. It runs under the tenant's lock
 * for changes, which branch creation takes too (Neon's gc_cs): a branch is never created below a
 * cutoff that is moving, and GC always sees every branch point that needs history kept.
 */
public final class GcService implements GcTimelineUseCase {
    private static final Logger LOG = System.getLogger(GcService.class.getName());
    private static final Duration CHECK_PERIOD = Duration.ofSeconds(1);

    private final TenantManager tenants;
    private final BackgroundTasks background;
    private final Clock clock;

    public GcService(TenantManager tenants, BackgroundTasks background, Clock clock) {
        this.tenants = tenants;
        this.background = background;
        this.clock = clock;
        background.every("start the GCs due", CHECK_PERIOD, this::startDue);
    }

    @Override
    public GcResult gc(TenantId tenantId, TimelineId timelineId, Long gcHorizon) {
        Tenant tenant = tenants.activeTenant(tenantId);
        TimelineData data = tenants.activeTimeline(tenantId, timelineId);
        TenantConfig config = tenants.effectiveConfig(tenant);
        long horizon = gcHorizon != null ? gcHorizon : config.gcHorizon();
        return tenant.modify(() -> {
            List<TimelineMetadata> branches = tenant.timelines().stream().map(Timeline::metadata)
                    .filter(m -> timelineId.equals(m.ancestorTimelineId())).toList();
            // A branch whose own GC cutoff is below its branch point may read there, below it: all
            // history there stays. One whose cutoff passed it reads this timeline only at that point.
            List<Lsn> retain = branches.stream().filter(m -> m.latestGcCutoffLsn().isBefore(m.ancestorLsn()))
                    .map(TimelineMetadata::ancestorLsn).toList();
            List<Lsn> snapshots = branches.stream().filter(m -> !m.latestGcCutoffLsn().isBefore(m.ancestorLsn()))
                    .map(TimelineMetadata::ancestorLsn).toList();
            return data.gc(horizon, config.pitrInterval(), retain, snapshots, clock.instant());
        });
    }

    private void startDue() {
        long now = System.nanoTime();
        for (Tenant tenant : tenants.activeTenants()) {
            Duration period = tenants.effectiveConfig(tenant).gcPeriod();
            for (Timeline timeline : tenant.timelines()) {
                TimelineData data = timeline.data();
                if (data != null && data.takeGcTurn(now, period)) {
                    TimelineId id = timeline.metadata().timelineId();
                    background.run("GC of timeline " + tenant.id() + "/" + id, () -> {
                        try {
                            gc(tenant.id(), id, null);
                        } catch (PageserverException e) {
                            LOG.log(Level.DEBUG, "GC of timeline {0}/{1} did not run: {2}", tenant.id(), id, e.getMessage());
                        } finally {
                            data.gcTurnDone();
                        }
                    });
                }
            }
        }
    }
}
