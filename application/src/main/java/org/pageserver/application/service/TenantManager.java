package org.pageserver.application.service;

import java.lang.System.Logger;
import java.lang.management.ManagementFactory;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.pageserver.application.engine.TimelineData;
import org.pageserver.application.port.in.AttachTenantUseCase;
import org.pageserver.application.port.in.CreateTenantUseCase;
import org.pageserver.application.port.in.DetachTenantUseCase;
import org.pageserver.application.port.in.DeleteTenantUseCase;
import org.pageserver.application.port.in.GetTenantConfigUseCase;
import org.pageserver.application.port.in.GetTenantUseCase;
import org.pageserver.application.port.in.TenantConfigView;
import org.pageserver.application.port.in.TenantInfo;
import org.pageserver.application.port.in.UpdateTenantConfigUseCase;
import org.pageserver.application.port.out.LoadTenantPort;
import org.pageserver.application.port.out.LoadTimelinePort;
import org.pageserver.application.port.out.Metrics;
import org.pageserver.application.port.out.SaveTenantPort;
import org.pageserver.domain.config.TenantConfOverrides;
import org.pageserver.domain.config.TenantConfig;
import org.pageserver.domain.error.Failures;
import org.pageserver.domain.error.PageserverException;
import org.pageserver.domain.id.Generation;
import org.pageserver.domain.id.TenantId;
import org.pageserver.domain.id.TimelineId;
import org.pageserver.domain.remote.IndexPart;
import org.pageserver.domain.tenant.TenantMetadata;
import org.pageserver.domain.tenant.TenantState;
import org.pageserver.domain.timeline.TimelineState;

/**
 * The tenants this node holds: their creation, start-up, configuration and deletion. The map
 * here is the truth while the server runs; every change is saved before it becomes visible.
 */
public final class TenantManager implements CreateTenantUseCase, GetTenantUseCase, DeleteTenantUseCase,
        GetTenantConfigUseCase, UpdateTenantConfigUseCase, AttachTenantUseCase, DetachTenantUseCase {
    private static final Logger LOG = System.getLogger(TenantManager.class.getName());
    private static final Duration FREEZE_CHECK_PERIOD = Duration.ofSeconds(1);
    /** Reads only touch memory; the database learns of them this often, in one batch per timeline. */
    private static final Duration ACCESS_SAVE_PERIOD = Duration.ofMinutes(1);
    /** Every state a tenant can be in, by its API name: each gets its count in the metrics. */
    private static final List<String> STATES = List.of("Loading", "Attaching", "Activating", "Active", "Stopping", "Broken");

    private final ConcurrentHashMap<TenantId, Tenant> tenants = new ConcurrentHashMap<>();
    private final LoadTenantPort loadTenants;
    private final SaveTenantPort saveTenants;
    private final LoadTimelinePort loadTimelines;
    private final TimelineStorage timelineStorage;
    private final BackgroundTasks background;
    private final TenantConfig serverDefaults;
    private final Metrics metrics;
    /** Set once stored tenants are open, with what their ingest files held; no new tenant before. */
    private volatile boolean started;

    public TenantManager(LoadTenantPort loadTenants, SaveTenantPort saveTenants, LoadTimelinePort loadTimelines,
                         TimelineStorage timelineStorage, BackgroundTasks background, TenantConfig serverDefaults) {
        this(loadTenants, saveTenants, loadTimelines, timelineStorage, background, serverDefaults, Metrics.NONE);
    }

    public TenantManager(LoadTenantPort loadTenants, SaveTenantPort saveTenants, LoadTimelinePort loadTimelines,
                         TimelineStorage timelineStorage, BackgroundTasks background, TenantConfig serverDefaults,
                         Metrics metrics) {
        this.loadTenants = loadTenants;
        this.saveTenants = saveTenants;
        this.loadTimelines = loadTimelines;
        this.timelineStorage = timelineStorage;
        this.background = background;
        this.serverDefaults = serverDefaults;
        this.metrics = metrics;
        metrics.tenantStates(STATES, state -> tenants.values().stream().filter(t -> t.state().slug().equals(state)).count());
    }

    /** Tenants started at once by default: their start is mostly waiting for the disk and the database. */
    public static final int DEFAULT_STARTUP_CONCURRENCY = 8;

    /** {@link #start(int)} with {@link #DEFAULT_STARTUP_CONCURRENCY}. */
    public void start() {
        start(DEFAULT_STARTUP_CONCURRENCY);
    }

    /**
     * Spawns every stored tenant as Attaching and, in the background, {@code concurrency} at a
     * time, opens its timelines (which seals what their ingest files hold since the last flush) and
     * activates it: each tenant is Active as soon as it is ready, not when all are. A tenant or
     * timeline whose deletion was cut short resumes it. Clients get 503 for a tenant until it is
     * Active; the log shows the progress.
     */
    public void start(int concurrency) {
        List<TenantMetadata> stored = loadTenants.loadTenants();
        LOG.log(Level.INFO, "loading {0} tenants, {1} at a time", stored.size(), concurrency);
        List<Tenant> spawned = new ArrayList<>();
        for (TenantMetadata metadata : stored) {
            Tenant tenant = new Tenant(metadata, TenantState.ATTACHING);
            tenants.put(metadata.id(), tenant);
            spawned.add(tenant);
        }
        background.run("start tenants", () -> {
            TenantStartup startup;
            try {
                startup = new TenantStartup(loadTimelines, timelineStorage, this::effectiveConfig);
            } catch (RuntimeException e) {
                LOG.log(Level.ERROR, "the stored timelines could not be read: every tenant is Broken", e);
                spawned.forEach(t -> t.setState(new TenantState.Broken("loading failed: " + Failures.describe(e), "")));
                started = true;
                return;
            }
            StartupProgress progress = new StartupProgress(spawned.size());
            ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, concurrency), runnable -> {
                Thread thread = new Thread(runnable, "tenant-start-" + progress.nextThreadNumber());
                thread.setDaemon(true);
                return thread;
            });
            try {
                List<Future<?>> starts = new ArrayList<>();
                for (Tenant tenant : spawned) {
                    starts.add(pool.submit(() -> startOne(startup, tenant, progress)));
                }
                for (Future<?> start : starts) {
                    try {
                        start.get();
                    } catch (ExecutionException e) {
                        LOG.log(Level.ERROR, "starting a tenant failed unexpectedly", e.getCause());
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } finally {
                pool.shutdown();
            }
            started = true;
            metrics.startupPhase("complete", sinceProcessStart());
            progress.logEnd();
            // What the start left out, one timeline at a time, now that every tenant serves: its
            // logical size (for the metrics; a timeline's first ingest or size query would anyway).
            for (TimelineData data : activeData()) {
                try {
                    data.logicalSize();
                } catch (RuntimeException e) {
                    LOG.log(Level.DEBUG, "no logical size for a timeline after the start: {0}", e.getMessage());
                }
            }
        });
        background.every("freeze old or large in-memory layers", FREEZE_CHECK_PERIOD, this::freezeOldLayers);
        background.every("record layer access times", ACCESS_SAVE_PERIOD, this::saveAccessTimes);
        background.every("start the compactions due", FREEZE_CHECK_PERIOD, this::startCompactions);
    }

    /** One tenant's start: open, then Active (or Broken); one whose deletion was cut short finishes it. */
    private void startOne(TenantStartup startup, Tenant tenant, StartupProgress progress) {
        if (startup.openTimelines(tenant)) {
            startup.activate(tenant);
        } else if (tenant.deletionStarted()) {
            finishDeletion(tenant);
        }
        progress.oneDone();
    }

    private static double sinceProcessStart() {
        return ManagementFactory.getRuntimeMXBean().getUptime() / 1000.0;
    }

    /** True once {@link #start()} has opened the stored tenants. */
    public boolean isStarted() {
        return started;
    }

    /**
     * checkpoint_timeout: an in-memory layer that has waited long enough is frozen and flushed; and
     * when in-memory layers near the node's limit, the largest are frozen early.
     */
    private void freezeOldLayers() {
        List<TimelineData> active = activeData();
        active.forEach(TimelineData::freezeIfOld);
        timelineStorage.memoryBudget().freezeLargest(active);
    }

    /** Each timeline's compaction every compaction_period, on a thread of its own (it can take long). */
    private void startCompactions() {
        long now = System.nanoTime();
        for (TimelineData data : activeData()) {
            if (data.takeCompactionTurn(now)) {
                background.run("compaction of timeline " + data.metadata().tenantId() + "/" + data.metadata().timelineId(),
                        data::compactInBackground);
            }
        }
    }

    private void saveAccessTimes() {
        activeData().forEach(TimelineData::saveAccessTimes);
    }

    private List<TimelineData> activeData() {
        List<TimelineData> active = new ArrayList<>();
        for (Tenant tenant : tenants.values()) {
            if (tenant.state().isActive()) {
                for (Timeline timeline : tenant.timelines()) {
                    if (timeline.data() != null && timeline.state() instanceof TimelineState.Active) {
                        active.add(timeline.data());
                    }
                }
            }
        }
        return active;
    }

    /** The tenant's settings as they are now: its own over the server's defaults. */
    TenantConfig effectiveConfig(Tenant tenant) {
        return serverDefaults.with(tenant.metadata().overrides());
    }

    @Override
    public TenantId createTenant(CreateTenantCommand command) {
        TenantId id = command.tenantId() != null ? command.tenantId() : TenantId.generate();
        Tenant present = tenants.get(id);
        if (present != null) {
            throw PageserverException.conflict("tenant " + id + " already exists, state: " + present.state().slug());
        }
        if (!started) {
            // New tenants wait for the stored ones: a start-up is one consistent load of the store.
            throw PageserverException.unavailable("the pageserver is starting: its tenants are being loaded");
        }
        // Without one in the body, the first generation: this node knows no other for a new tenant.
        TenantMetadata metadata = TenantMetadata.created(id, command.overrides(),
                command.generation() != null ? command.generation() : Generation.FIRST);
        Tenant tenant = new Tenant(metadata, TenantState.ATTACHING);
        Tenant existing = tenants.putIfAbsent(id, tenant);
        if (existing != null) {
            throw PageserverException.conflict("tenant " + id + " already exists, state: " + existing.state().slug());
        }
        try {
            saveTenants.saveTenant(metadata);
        } catch (RuntimeException e) {
            tenants.remove(id, tenant);
            throw e;
        }
        // A new tenant has no timelines to build: it passes Activating at once, and the caller gets it Active.
        tenant.setState(new TenantState.Activating(TenantState.ActivatingFrom.ATTACHING));
        tenant.setState(TenantState.ACTIVE);
        LOG.log(Level.INFO, "created tenant {0}", id);
        return id;
    }

    @Override
    public void attachTenant(TenantId id, TenantConfOverrides overrides, Generation generation) {
        if (!started) {
            throw PageserverException.unavailable("the pageserver is starting: its tenants are being loaded");
        }
        // Checked first: an attach on a node without remote storage has nothing to attach from.
        timelineStorage.requireRemoteStorage();
        TenantMetadata requested = TenantMetadata.created(id, overrides, generation != null ? generation : Generation.FIRST);
        Tenant tenant = new Tenant(requested, TenantState.ATTACHING);
        Tenant existing = tenants.putIfAbsent(id, tenant);
        if (existing != null) {
            throw PageserverException.conflict("tenant " + id + " already exists, state: " + existing.state().slug());
        }
        LOG.log(Level.INFO, "tenant {0}: attaching", id);
        background.run("attach tenant " + id, () -> attachInBackground(tenant, generation));
    }

    /**
     * Builds the tenant from remote storage: its generation, its timelines' newest indexes of that
     * generation or older, their rows recorded here (ancestors first), then opened as a start opens
     * a stored tenant, with every layer remote until read. A failure leaves it Broken with the reason.
     */
    private void attachInBackground(Tenant tenant, Generation requested) {
        TenantId id = tenant.id();
        try {
            Generation generation = requested != null ? requested : timelineStorage.nextRemoteGeneration(id);
            TenantMetadata metadata = TenantMetadata.created(id, tenant.metadata().overrides(), generation);
            List<IndexPart> indexes = timelineStorage.remoteIndexes(id, generation);
            saveTenants.saveTenant(metadata);
            tenant.setMetadata(metadata);
            for (IndexPart index : indexes) {
                timelineStorage.recordFromRemote(index);
            }
            startOne(new TenantStartup(loadTimelines, timelineStorage, this::effectiveConfig), tenant, new StartupProgress(1));
            LOG.log(Level.INFO, "tenant {0}: attached in generation {1}, {2} timelines", id, generation, indexes.size());
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "tenant " + id + ": attach failed", e);
            tenant.setState(new TenantState.Broken("attach failed: " + Failures.describe(e), ""));
        }
    }

    @Override
    public void detachTenant(TenantId tenantId) {
        Tenant tenant = find(tenantId).orElseThrow(() -> tenantNotFound(tenantId));
        tenant.modify(() -> {
            // The answers a client knows to retry, as Neon's: stopping, or not active yet.
            if (tenant.deletionStarted() || tenant.state() instanceof TenantState.Stopping) {
                throw PageserverException.unavailable("Tenant " + tenantId + " is stopping");
            }
            if (!tenant.state().canBeDeleted()) {
                throw PageserverException.unavailable("Tenant " + tenantId + " is not active. Current state: "
                        + tenant.state().slug());
            }
            tenant.setState(TenantState.STOPPING);
            removeTimelines(tenant, false);
            saveTenants.deleteTenant(tenantId);
            tenants.remove(tenantId, tenant);
            return null;
        });
        LOG.log(Level.INFO, "tenant {0}: detached; its objects stay in remote storage", tenantId);
    }

    @Override
    public TenantInfo getTenant(TenantId tenantId) {
        Tenant tenant = find(tenantId).orElseThrow(() -> tenantNotFound(tenantId));
        return new TenantInfo(tenantId, tenant.state(), timelineStorage.physicalSize(tenant));
    }

    @Override
    public List<TenantInfo> listTenants() {
        return tenants.values().stream()
                .sorted(Comparator.comparing(Tenant::id))
                .map(t -> new TenantInfo(t.id(), t.state(), null))
                .toList();
    }

    @Override
    public TenantConfigView getTenantConfig(TenantId tenantId) {
        Tenant tenant = find(tenantId).orElseThrow(() -> tenantNotFound(tenantId));
        return new TenantConfigView(tenant.metadata().overrides(), effectiveConfig(tenant));
    }

    @Override
    public TenantInfo updateTenantConfig(TenantId tenantId, TenantConfOverrides overrides) {
        Tenant tenant = find(tenantId).orElseThrow(() -> tenantNotFound(tenantId));
        tenant.requireActive();
        return tenant.modify(() -> {
            tenant.requireActive();
            TenantMetadata updated = tenant.metadata().withOverrides(overrides);
            saveTenants.saveTenant(updated);
            tenant.setMetadata(updated);
            LOG.log(Level.INFO, "tenant {0}: configuration replaced, {1} overrides", tenantId, overrides.asMap().size());
            return new TenantInfo(tenantId, tenant.state(), timelineStorage.physicalSize(tenant));
        });
    }

    @Override
    public void deleteTenant(TenantId tenantId) {
        Tenant tenant = find(tenantId).orElseThrow(() -> tenantNotFound(tenantId));
        tenant.modify(() -> {
            if (tenant.deletionStarted()) {
                throw PageserverException.conflict("Tenant deletion is already in progress");
            }
            if (!tenant.state().canBeDeleted()) {
                throw PageserverException.preconditionFailed("Invalid state " + tenant.state().slug()
                        + ". Expected Active or Broken");
            }
            TenantMetadata marked = tenant.metadata().markedDeleting();
            saveTenants.saveTenant(marked);
            tenant.setMetadata(marked);
            tenant.setDeletionStarted(true);
            tenant.setState(TenantState.STOPPING);
            return null;
        });
        LOG.log(Level.INFO, "tenant {0}: deletion started", tenantId);
        background.run("delete tenant " + tenantId, () -> finishDeletion(tenant));
    }

    /** Removes the timelines, children before their ancestors, then the tenant itself. */
    private void finishDeletion(Tenant tenant) {
        try {
            removeTimelines(tenant, true);
            saveTenants.deleteTenant(tenant.id());
            tenants.remove(tenant.id(), tenant);
            LOG.log(Level.INFO, "tenant {0}: deleted", tenant.id());
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "tenant " + tenant.id() + ": deletion failed; a new DELETE retries it", e);
            tenant.setDeletionStarted(false);
            tenant.setState(new TenantState.Broken("deletion failed: " + Failures.describe(e), ""));
        }
    }

    /**
     * Removes the tenant's timelines, children before their ancestors, then what is left of its
     * files; their objects in remote storage too when {@code deleteRemote} (a deletion, not a detach).
     */
    private void removeTimelines(Tenant tenant, boolean deleteRemote) {
        List<Timeline> remaining = new ArrayList<>(tenant.timelines());
        while (!remaining.isEmpty()) {
            List<Timeline> leaves = remaining.stream()
                    .filter(t -> remaining.stream().noneMatch(
                            o -> t.metadata().timelineId().equals(o.metadata().ancestorTimelineId())))
                    .toList();
            for (Timeline leaf : leaves) {
                timelineStorage.remove(tenant, leaf, deleteRemote);
            }
            remaining.removeAll(leaves);
        }
        timelineStorage.removeTenantFiles(tenant);
    }

    Optional<Tenant> find(TenantId tenantId) {
        return Optional.ofNullable(tenants.get(tenantId));
    }

    /** The tenant, if it is here and Active: NOT_FOUND if absent, UNAVAILABLE if not yet (or no longer) Active. */
    Tenant activeTenant(TenantId tenantId) {
        Tenant tenant = find(tenantId).orElseThrow(() -> tenantNotFound(tenantId));
        tenant.requireActive();
        return tenant;
    }

    /** The tenants that are Active now. */
    List<Tenant> activeTenants() {
        return tenants.values().stream().filter(t -> t.state().isActive()).toList();
    }

    /** A timeline's engine: 404 if the tenant or timeline is absent, 503 while either is not Active. */
    TimelineData activeTimeline(TenantId tenantId, TimelineId timelineId) {
        Timeline timeline = activeTenant(tenantId).timeline(timelineId)
                .orElseThrow(() -> TimelineService.timelineNotFound(tenantId, timelineId));
        TimelineState state = timeline.state();
        if (!(state instanceof TimelineState.Active) || timeline.data() == null) {
            String why = state instanceof TimelineState.Broken broken ? ": " + broken.reason() : "";
            throw PageserverException.unavailable("Timeline " + tenantId + "/" + timelineId + " is not active, state: "
                    + state.name() + why);
        }
        return timeline.data();
    }

    static PageserverException tenantNotFound(TenantId tenantId) {
        return PageserverException.notFound("tenant " + tenantId);
    }
}
