package org.pageserver.application.service;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.pageserver.application.engine.EngineContext;
import org.pageserver.application.engine.InMemoryBudget;
import org.pageserver.application.engine.TimelineData;
import org.pageserver.application.port.out.SaveTimelinePort;
import org.pageserver.application.remote.RemoteSync;
import org.pageserver.application.remote.RemoteTenant;
import org.pageserver.application.remote.RemoteTimelineClient;
import org.pageserver.domain.config.TenantConfig;
import org.pageserver.domain.id.Generation;
import org.pageserver.domain.id.TenantId;
import org.pageserver.domain.id.TenantTimelineId;
import org.pageserver.domain.id.TimelineId;
import org.pageserver.domain.layer.LayerDescriptor;
import org.pageserver.domain.error.Failures;
import org.pageserver.domain.error.PageserverException;
import org.pageserver.domain.remote.IndexPart;
import org.pageserver.domain.remote.RemotePath;
import org.pageserver.domain.timeline.TimelineMetadata;

/**
 * What a timeline keeps on this node beyond memory: its engine's files and its metadata row. The one place that opens a timeline's data and the one that knows everything to
 * delete when a timeline goes, whether alone or with its tenant.
 */
public final class TimelineStorage {
    private static final Logger LOG = System.getLogger(TimelineStorage.class.getName());

    private final SaveTimelinePort saveTimelines;
    private final EngineContext engine;
    /** Remote storage, or null on a node without it (tests of other parts). */
    private final RemoteSync remote;
    /** How long a detach waits for remote storage to catch up. */
    private final java.time.Duration detachUploadWait;
    private final Map<TenantTimelineId, RemoteTimelineClient> remoteClients = new ConcurrentHashMap<>();

    /** Storage without remote storage. */
    public TimelineStorage(SaveTimelinePort saveTimelines, EngineContext engine) {
        this(saveTimelines, engine, null);
    }

    public TimelineStorage(SaveTimelinePort saveTimelines, EngineContext engine, RemoteSync remote) {
        this(saveTimelines, engine, remote, java.time.Duration.ofSeconds(30));
    }

    public TimelineStorage(SaveTimelinePort saveTimelines, EngineContext engine, RemoteSync remote,
                           java.time.Duration detachUploadWait) {
        this.saveTimelines = saveTimelines;
        this.engine = engine;
        this.remote = remote;
        this.detachUploadWait = detachUploadWait;
    }

    /**
     * Starts keeping the timeline's remote storage in step with it, under the tenant's generation:
     * the first round finds what the bucket has and uploads the rest.
     */
    private TimelineData followedRemotely(TimelineData data, Generation generation) {
        if (remote != null) {
            TimelineMetadata m = data.metadata();
            // A tenant stored before generations were kept has none: it is in its first.
            RemoteTimelineClient client = remote.clientFor(data, generation != null ? generation : Generation.FIRST);
            remoteClients.put(new TenantTimelineId(m.tenantId(), m.timelineId()), client);
            data.downloadMissingLayersWith(client::download);
            client.wake();
        }
        return data;
    }

    /**
     * The newest index of each of a tenant's timelines in remote storage, of a generation not above
     * {@code generation}, ancestors before their branches: what an attach builds it from.
     *
     * @throws PageserverException BAD_REQUEST on a node without remote storage
     */
    List<IndexPart> remoteIndexes(TenantId tenant, Generation generation) {
        List<IndexPart> indexes = RemoteTenant.tenantIndexes(requireRemote().storage(), tenant, generation);
        List<IndexPart> ordered = new java.util.ArrayList<>();
        java.util.Set<TimelineId> placed = new java.util.HashSet<>();
        while (ordered.size() < indexes.size()) {
            int before = ordered.size();
            for (IndexPart index : indexes) {
                TimelineId ancestor = index.metadata().ancestorTimelineId();
                if (!placed.contains(index.timelineId()) && (ancestor == null || placed.contains(ancestor))) {
                    ordered.add(index);
                    placed.add(index.timelineId());
                }
            }
            if (ordered.size() == before) {
                IndexPart orphan = indexes.stream().filter(i -> !placed.contains(i.timelineId())).findFirst().orElseThrow();
                throw new IllegalStateException("timeline " + orphan.timelineId() + " branches from "
                        + orphan.metadata().ancestorTimelineId() + ", which has no index in remote storage");
            }
        }
        return ordered;
    }

    /** One above the newest generation of the tenant's indexes in remote storage (the first if none). */
    Generation nextRemoteGeneration(TenantId tenant) {
        Generation newest = RemoteTenant.newestGeneration(requireRemote().storage(), tenant);
        return newest == null ? Generation.FIRST : new Generation(newest.value() + 1);
    }

    /**
     * A new tenant must not share its id with one that remote storage holds (detached, or attached
     * elsewhere): its objects would mix with the new tenant's, and a later attach would bring back
     * timelines the new tenant never had. Listing a new tenant's prefix finds nothing, at the cost of
     * one list request.
     *
     * @throws PageserverException CONFLICT if remote storage holds objects of the tenant
     */
    void requireAbsentRemotely(TenantId tenant) {
        if (remote != null && !remote.storage().list(RemotePath.tenant(tenant)).isEmpty()) {
            throw PageserverException.conflict("tenant " + tenant + " already exists in remote storage: attach it instead");
        }
    }

    /** @throws PageserverException BAD_REQUEST on a node without remote storage */
    void requireRemoteStorage() {
        requireRemote();
    }

    private RemoteSync requireRemote() {
        if (remote == null) {
            throw PageserverException.badRequest("this pageserver has no remote storage");
        }
        return remote;
    }

    /** Records a timeline as its remote index describes it: its row and its layers' rows, none of them on local disk yet. */
    void recordFromRemote(IndexPart index) {
        saveTimelines.saveTimeline(index.metadata());
        engine.saveLayers().replaceLayers(index.metadata(), index.layers().entrySet().stream()
                .map(e -> new LayerDescriptor(e.getKey(), e.getValue().fileSize())).toList(), List.of());
        java.util.Map<org.pageserver.domain.layer.LayerName, Boolean> remoteOnly = new java.util.HashMap<>();
        index.layers().keySet().forEach(name -> remoteOnly.put(name, false));
        engine.saveLayers().saveResidence(index.metadata().tenantId(), index.metadata().timelineId(), remoteOnly);
    }

    /** A timeline's engine and the client that keeps remote storage in step with it. */
    record Followed(TimelineData data, RemoteTimelineClient client) {
    }

    /**
     * The tenant's open timelines that remote storage follows: those whose layers may leave local
     * disk (eviction takes only what the client has uploaded). None on a node without remote storage.
     */
    List<Followed> followedTimelines(Tenant tenant) {
        List<Followed> followed = new java.util.ArrayList<>();
        for (Timeline timeline : tenant.timelines()) {
            TimelineData data = timeline.data();
            RemoteTimelineClient client = data == null ? null : remoteClient(data.metadata());
            if (client != null) {
                followed.add(new Followed(data, client));
            }
        }
        return followed;
    }

    /** The timeline's remote storage client, or null on a node without remote storage. */
    RemoteTimelineClient remoteClient(TimelineMetadata m) {
        return remoteClients.get(new TenantTimelineId(m.tenantId(), m.timelineId()));
    }

    /**
     * The engine of a new timeline (no layers yet); a branch reads its ancestor below the branch
     * point. Files a deletion cut short may be left under its id: they are not this timeline's.
     */
    TimelineData create(TimelineMetadata metadata, Supplier<TenantConfig> config, TimelineData ancestor,
                        Generation generation) {
        engine.layerStore().deleteTimeline(metadata.tenantId(), metadata.timelineId());
        return followedRemotely(TimelineData.create(engine, config, metadata, ancestor), generation);
    }

    /**
     * The engine of a stored timeline, over its recorded layer files ({@code layerRows}, as read by
     * {@link #loadAllLayers()}) and what its ingest files hold.
     */
    TimelineData load(TimelineMetadata metadata, Supplier<TenantConfig> config, TimelineData ancestor,
                      List<LayerDescriptor> layerRows, Generation generation) {
        return followedRemotely(TimelineData.load(engine, config, metadata, ancestor, layerRows, remote != null), generation);
    }

    /** The layer rows of every timeline, in one read: a start's. */
    Map<TenantTimelineId, List<LayerDescriptor>> loadAllLayers() {
        return engine.loadLayers().loadAllLayers();
    }

    /** The node's limit on memory held by in-memory layers. */
    InMemoryBudget memoryBudget() {
        return engine.memoryBudget();
    }

    /**
     * Deletes the timeline's objects in remote storage, its files (layer and ingest files) and its
     * metadata row, and drops it from its tenant. Remote first: a deletion that fails there leaves
     * everything local, and a new DELETE tries again.
     */
    void remove(Tenant tenant, Timeline timeline) {
        remove(tenant, timeline, true);
    }

    /**
     * As {@link #remove(Tenant, Timeline)}; with {@code deleteRemote} false (a detach) the objects in
     * remote storage stay, for the node that attaches the tenant next.
     */
    void remove(Tenant tenant, Timeline timeline, boolean deleteRemote) {
        timeline.removeOnce(() -> {
            TimelineMetadata m = timeline.metadata();
            RemoteTimelineClient client = remoteClients.get(new TenantTimelineId(m.tenantId(), m.timelineId()));
            if (client != null) {
                client.stop();
                if (deleteRemote) {
                    client.deleteAll();
                }
                remoteClients.remove(new TenantTimelineId(m.tenantId(), m.timelineId()), client);
            }
            if (timeline.data() != null) {
                timeline.data().shutdown();
                timeline.data().discard();
            }
            engine.layerStore().deleteTimeline(m.tenantId(), m.timelineId());
            saveTimelines.deleteTimeline(m.tenantId(), m.timelineId());
            tenant.removeTimeline(m.timelineId(), timeline);
            LOG.log(Level.INFO, "timeline {0}/{1}: {2}", tenant.id(), m.timelineId(),
                    deleteRemote ? "deleted" : "detached, its objects left in remote storage");
        });
    }

    /**
     * Before a detach lets the tenant's local data go: every Active timeline stops taking writes,
     * flushes what it holds, and waits until remote storage has an index of its layers as they are
     * (up to its disk_consistent_lsn, compaction's work included), so that an attach elsewhere finds
     * every write this node acknowledged. A
     * broken timeline cannot flush and is passed over (what it did not upload is lost with the
     * local data, which the log says). On a node without remote storage there is nothing to wait for.
     *
     * @throws PageserverException UNAVAILABLE if remote storage has not caught up within the detach
     *                             upload wait; the timelines take writes again
     */
    void drainForDetach(Tenant tenant) {
        java.time.Duration wait = detachUploadWait;
        if (remote == null) {
            return;
        }
        List<TimelineData> closed = new java.util.ArrayList<>();
        try {
            for (Timeline timeline : tenant.timelines()) {
                TimelineData data = timeline.data();
                if (data == null || !(timeline.state() instanceof org.pageserver.domain.timeline.TimelineState.Active)) {
                    LOG.log(Level.WARNING, "timeline {0}/{1} is {2}: detached without a final upload", tenant.id(),
                            timeline.metadata().timelineId(), timeline.state().name());
                    continue;
                }
                data.closeIngest();
                closed.add(data);
            }
            long deadline = System.nanoTime() + wait.toNanos();
            for (TimelineData data : closed) {
                data.checkpoint();
                TimelineMetadata m = data.metadata();
                RemoteTimelineClient client = remoteClient(m);
                if (client != null && !client.awaitSynced(deadline)) {
                    throw PageserverException.unavailable("Tenant " + tenant.id() + " is not detached: remote storage has"
                            + " not caught up with timeline " + m.timelineId() + " within " + wait.toSeconds() + " s"
                            + " (remote_consistent_lsn " + client.remoteConsistentLsn() + ", disk_consistent_lsn "
                            + m.diskConsistentLsn() + "); it stays here, retry the detach later");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closed.forEach(TimelineData::reopenIngest);
            throw PageserverException.unavailable("Tenant " + tenant.id() + " is not detached: interrupted");
        } catch (RuntimeException e) {
            closed.forEach(TimelineData::reopenIngest);
            throw e;
        }
    }

    /**
     * Unloads the timeline of a tenant being ignored: its remote client stops (what it had queued is
     * found missing and uploaded by the first round after a load) and its engine lets go of memory
     * and files. Nothing is deleted.
     */
    void unload(Timeline timeline) {
        TimelineMetadata m = timeline.metadata();
        RemoteTimelineClient client = remoteClients.remove(new TenantTimelineId(m.tenantId(), m.timelineId()));
        if (client != null) {
            client.stop();
        }
        if (timeline.data() != null) {
            timeline.data().unload();
        }
    }

    /**
     * The generation a tenant is loaded in when the request names none: one above both the
     * generation it was stored with and the newest in remote storage.
     */
    Generation nextGeneration(TenantId tenant, Generation stored) {
        long next = stored == null ? Generation.FIRST.value() : stored.value() + 1;
        if (remote != null) {
            next = Math.max(next, nextRemoteGeneration(tenant).value());
        }
        return new Generation(next);
    }

    /** Deletes what is left on disk of a tenant whose timelines are all removed. */
    void removeTenantFiles(Tenant tenant) {
        engine.layerStore().deleteTenant(tenant.id());
    }

    /** Finishes a deletion that a stop cut short; on failure the timeline is left Broken. */
    void resumeDeletion(Tenant tenant, Timeline timeline) {
        LOG.log(Level.INFO, "timeline {0}/{1}: resuming its deletion", tenant.id(), timeline.metadata().timelineId());
        removeOrBreak(tenant, timeline);
    }

    void removeOrBreak(Tenant tenant, Timeline timeline) {
        try {
            remove(tenant, timeline);
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "timeline " + tenant.id() + "/" + timeline.metadata().timelineId()
                    + ": deletion failed; a new DELETE retries it", e);
            timeline.deletionFailed("deletion failed: " + Failures.describe(e));
        }
    }

    /** The bytes of the timeline's layer files. */
    long physicalSize(Timeline timeline) {
        return timeline.data() == null ? 0L : timeline.data().physicalSize();
    }

    /** The bytes of all the tenant's layer files. */
    long physicalSize(Tenant tenant) {
        return tenant.timelines().stream().mapToLong(this::physicalSize).sum();
    }
}
