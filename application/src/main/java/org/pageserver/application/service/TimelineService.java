package org.pageserver.application.service;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.List;
import org.pageserver.application.engine.TimelineData;
import org.pageserver.application.port.in.CreateTimelineUseCase;
import org.pageserver.application.port.in.DeleteTimelineUseCase;
import org.pageserver.application.port.in.GetTimelineUseCase;
import org.pageserver.application.port.in.TimelineInfo;
import org.pageserver.application.port.out.SaveTimelinePort;
import org.pageserver.domain.error.PageserverException;
import org.pageserver.domain.id.TenantId;
import org.pageserver.domain.id.TimelineId;
import org.pageserver.domain.lsn.Lsn;
import org.pageserver.domain.timeline.TimelineMetadata;
import org.pageserver.domain.timeline.TimelineState;

/** Creating, reading and deleting the timelines of Active tenants. */
public final class TimelineService implements CreateTimelineUseCase, GetTimelineUseCase, DeleteTimelineUseCase {
    private static final Logger LOG = System.getLogger(TimelineService.class.getName());

    private final TenantManager tenants;
    private final SaveTimelinePort saveTimelines;
    private final TimelineStorage storage;
    private final BackgroundTasks background;
    private final Duration waitLsnTimeout;
    /** Timelines whose logical size is being worked out in the background. */
    private final java.util.Set<TimelineData> sizing = java.util.concurrent.ConcurrentHashMap.newKeySet();

    public TimelineService(TenantManager tenants, SaveTimelinePort saveTimelines, TimelineStorage storage,
                           BackgroundTasks background, Duration waitLsnTimeout) {
        this.tenants = tenants;
        this.saveTimelines = saveTimelines;
        this.storage = storage;
        this.background = background;
        this.waitLsnTimeout = waitLsnTimeout;
    }

    @Override
    public TimelineInfo createTimeline(CreateTimelineCommand command) {
        Tenant tenant = tenants.activeTenant(command.tenantId());
        TimelineId newId = command.newTimelineId() != null ? command.newTimelineId() : TimelineId.generate();
        requireAbsent(tenant, newId);
        if (command.ancestorTimelineId() != null) {
            // Wait for the branch point outside the tenant's lock: it may take seconds, and other changes go on meanwhile.
            Timeline ancestor = ancestorOf(tenant, command.ancestorTimelineId());
            Lsn start = command.ancestorStartLsn() != null
                    ? command.ancestorStartLsn() : ancestor.metadata().lastRecordLsn();
            ancestor.waitForLsn(start, waitLsnTimeout);
        }
        Timeline created = tenant.modify(() -> {
            tenant.requireActive();
            requireAbsent(tenant, newId);
            TimelineMetadata metadata;
            TimelineData ancestorData = null;
            if (command.ancestorTimelineId() == null) {
                int pgVersion = command.pgVersion() != null ? command.pgVersion() : TimelineMetadata.DEFAULT_PG_VERSION;
                metadata = TimelineMetadata.root(tenant.id(), newId, pgVersion);
            } else {
                // Checked again under the lock: the ancestor's GC cutoff or state may have moved while we waited.
                Timeline ancestor = ancestorOf(tenant, command.ancestorTimelineId());
                Lsn start = command.ancestorStartLsn() != null
                        ? command.ancestorStartLsn() : ancestor.metadata().lastRecordLsn();
                metadata = ancestor.metadata().branch(newId, start, command.pgVersion());
                ancestorData = ancestor.data();
            }
            saveTimelines.saveTimeline(metadata);
            Timeline timeline = new Timeline(storage.create(metadata, () -> tenants.effectiveConfig(tenant), ancestorData,
                    tenant.metadata().generation()), TimelineState.ACTIVE);
            tenant.putTimeline(timeline);
            return timeline;
        });
        LOG.log(Level.INFO, "timeline {0}/{1} created{2}", tenant.id(), newId,
                command.ancestorTimelineId() == null ? "" : " as a branch of " + command.ancestorTimelineId()
                        + " at " + created.metadata().ancestorLsn());
        return info(created, false);
    }

    private static void requireAbsent(Tenant tenant, TimelineId id) {
        if (tenant.timeline(id).isPresent()) {
            throw PageserverException.conflict("Timeline " + tenant.id() + "/" + id + " already exists");
        }
    }

    private static Timeline ancestorOf(Tenant tenant, TimelineId ancestorId) {
        Timeline ancestor = tenant.timeline(ancestorId).orElseThrow(() -> PageserverException.notFound(
                "ancestor timeline " + tenant.id() + "/" + ancestorId + " was not found"));
        if (!(ancestor.state() instanceof TimelineState.Active)) {
            throw PageserverException.unavailable("ancestor timeline is not active, state: " + ancestor.state().name());
        }
        return ancestor;
    }

    @Override
    public TimelineInfo getTimeline(TenantId tenantId, TimelineId timelineId, boolean nonIncrementalLogicalSize) {
        Tenant tenant = tenants.activeTenant(tenantId);
        Timeline timeline = tenant.timeline(timelineId).orElseThrow(() -> timelineNotFound(tenantId, timelineId));
        return info(timeline, nonIncrementalLogicalSize);
    }

    @Override
    public List<TimelineInfo> listTimelines(TenantId tenantId, boolean nonIncrementalLogicalSize) {
        Tenant tenant = tenants.activeTenant(tenantId);
        return tenant.timelines().stream().map(t -> info(t, nonIncrementalLogicalSize)).toList();
    }

    private TimelineInfo info(Timeline timeline, boolean nonIncremental) {
        if (timeline.data() == null) {
            return new TimelineInfo(timeline.metadata(), timeline.state(), 0L, nonIncremental ? 0L : null, 0L);
        }
        return new TimelineInfo(timeline.metadata(), timeline.state(), logicalSize(timeline.data()),
                nonIncremental ? Long.valueOf(timeline.data().logicalSizeFromData()) : null,
                storage.physicalSize(timeline));
    }

    /**
     * The logical size, or null while it is worked out in the background: as in Neon, a timeline
     * whose relation sizes are in layers not on local disk answers without it, and the question
     * starts the work (which downloads them) rather than waiting for it.
     */
    private Long logicalSize(TimelineData data) {
        Long size = data.logicalSizeIfResident();
        if (size == null && sizing.add(data)) {
            background.run("logical size of timeline " + data.metadata().timelineId(), () -> {
                try {
                    data.logicalSize();
                } catch (RuntimeException e) {
                    LOG.log(Level.DEBUG, "no logical size for timeline {0}: {1}", data.metadata().timelineId(), e.getMessage());
                } finally {
                    sizing.remove(data);
                }
            });
        }
        return size;
    }

    @Override
    public void deleteTimeline(TenantId tenantId, TimelineId timelineId) {
        Tenant tenant = tenants.find(tenantId).orElseThrow(
                () -> PageserverException.preconditionFailed("Requested tenant is missing"));
        tenant.requireActive();
        Timeline timeline = tenant.modify(() -> {
            tenant.requireActive();
            Timeline found = tenant.timeline(timelineId).orElseThrow(() -> timelineNotFound(tenantId, timelineId));
            if (found.deletionStarted()) {
                throw PageserverException.conflict("Timeline deletion is already in progress");
            }
            List<TimelineId> children = tenant.childrenOf(timelineId);
            if (!children.isEmpty()) {
                throw PageserverException.preconditionFailed(
                        "Cannot delete timeline which has child timelines: " + children);
            }
            // Stop ingest and flushing first, so that no flush can store the row again without the mark.
            found.stopData();
            TimelineMetadata marked = found.metadata().markedDeleting();
            try {
                saveTimelines.saveTimeline(marked);
            } catch (RuntimeException e) {
                found.resumeData();
                throw e;
            }
            found.startDeletion(marked);
            return found;
        });
        LOG.log(Level.INFO, "timeline {0}/{1}: deletion started", tenantId, timelineId);
        background.run("delete timeline " + tenantId + "/" + timelineId,
                () -> storage.removeOrBreak(tenant, timeline));
    }

    static PageserverException timelineNotFound(TenantId tenantId, TimelineId timelineId) {
        return PageserverException.notFound("Timeline " + tenantId + "/" + timelineId + " was not found");
    }
}
