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
import org.pageserver.application.port.in.IgnoreTenantUseCase;
import org.pageserver.application.port.in.LoadTenantUseCase;
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
        GetTenantConfigUseCase, UpdateTenantConfigUseCase, AttachTenantUseCase, DetachTenantUseCase,
        IgnoreTenantUseCase, LoadTenantUseCase {
    private static final Logger LOG = System.getLogger(TenantManager.class.getName());
    private static final Duration FREEZE_CHECK_PERIOD = Duration.ofSeconds(1);
    /** Reads only touch memory; the database learns of them this often, in one batch per timeline. */
    private static final Duration ACCESS_SAVE_PERIOD = Duration.ofMinutes(1);
    /** Every state a tenant can be in, by its API name: each gets its count in the metrics. */
    private static final List<String> STATES = List.of("Loading", "Attaching", "Activating", "Active", "Stopping", "Broken");

    private final ConcurrentHashMap<TenantId, Tenant> tenants = new ConcurrentHashMap<>();
    /**
     * Tenants stored here but ignored: not loaded, their id not free for a create or attach. A
     * tenant moves between the two maps so that it is always in one of them (an ignore puts it here
     * before it leaves {@link #tenants}; a load claims it there before it leaves here).
     */
    private final ConcurrentHashMap<TenantId, TenantMetadata> ignoredTenants = new ConcurrentHashMap<>();
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
        LOG.log(Level.INFO, "loading {0} tenants, {1} at a time", stored.stream().filter(t -> !t.ignored()).count(),
                concurrency);
        List<Tenant> spawned = new ArrayList<>();
        for (TenantMetadata metadata : stored) {
            if (metadata.ignored()) {
                ignoredTenants.put(metadata.id(), metadata);
                LOG.log(Level.INFO, "tenant {0} is ignored: not loaded until a load", metadata.id());
                continue;
            }
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
            // logical size (for the metrics; a timeline's first ingest or size query would anyway),
            // where local files have it: a start downloads nothing.
            for (TimelineData data : activeData()) {
                try {
                    data.logicalSizeIfResident();
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
        if (tenant.metadata().attaching()) {
            resumeAttach(tenant);
            progress.oneDone();
            return;
        }
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
        claim(id, tenant);
        try {
            timelineStorage.requireAbsentRemotely(id);
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
        claim(id, tenant);
        LOG.log(Level.INFO, "tenant {0}: attaching", id);
        background.run("attach tenant " + id, () -> attachInBackground(tenant, generation));
    }

    /**
     * Puts a new tenant in the map under an id no tenant here has, loaded or ignored.
     *
     * @throws PageserverException CONFLICT if the id is taken
     */
    private void claim(TenantId id, Tenant tenant) {
        Tenant existing = tenants.putIfAbsent(id, tenant);
        if (existing != null) {
            throw PageserverException.conflict("tenant " + id + " already exists, state: " + existing.state().slug());
        }
        // Checked after the claim: an ignore puts the tenant among the ignored before it leaves the map.
        if (ignoredTenants.containsKey(id)) {
            tenants.remove(id, tenant);
            throw PageserverException.conflict("tenant " + id + " already exists, state: ignored (its tenant directory"
                    + " already exists: load it, or detach it with detach_ignored=true)");
        }
    }

    /**
     * Builds the tenant from remote storage: its generation, its timelines' newest indexes of that
     * generation or older, their rows recorded here (ancestors first), then opened as a start opens
     * a stored tenant, with every layer remote until read. A failure leaves it Broken with the reason.
     */
    private void attachInBackground(Tenant tenant, Generation requested) {
        TenantId id = tenant.id();
        try {
            // Marked first, cleared once every timeline is recorded: a start between the two (after
            // a crash, or an attach that failed) finds the mark and starts the attach over
            // (resumeAttach), never a partial tenant and never a tenant that a restart forgot.
            TenantMetadata marked = TenantMetadata.attaching(id, tenant.metadata().overrides(), requested);
            saveTenants.saveTenant(marked);
            tenant.setMetadata(marked);
            Generation generation = requested != null ? requested : timelineStorage.nextRemoteGeneration(id);
            TenantMetadata metadata = TenantMetadata.attaching(id, tenant.metadata().overrides(), generation);
            if (!metadata.equals(marked)) {
                saveTenants.saveTenant(metadata);
                tenant.setMetadata(metadata);
            }
            List<IndexPart> indexes = timelineStorage.remoteIndexes(id, generation);
            for (IndexPart index : indexes) {
                timelineStorage.recordFromRemote(index);
            }
            saveTenants.saveTenant(metadata.attached());
            tenant.setMetadata(metadata.attached());
            startOne(new TenantStartup(loadTimelines, timelineStorage, this::effectiveConfig), tenant, new StartupProgress(1));
            LOG.log(Level.INFO, "tenant {0}: attached in generation {1}, {2} timelines", id, generation, indexes.size());
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "tenant " + id + ": attach failed", e);
            tenant.setState(new TenantState.Broken("attach failed: " + Failures.describe(e), ""));
        }
    }

    /**
     * An attach that a stop cut short (or that failed) starts over in the generation it was given:
     * what it recorded is removed locally (remote storage is not touched), then it runs again.
     */
    private void resumeAttach(Tenant tenant) {
        Generation generation = tenant.metadata().generation();
        LOG.log(Level.INFO, "tenant {0}: its attach was cut short; starting it over in generation {1}", tenant.id(),
                generation == null ? "one above the newest in remote storage" : generation);
        try {
            loadTimelines.loadTimelines(tenant.id()).forEach(m -> tenant.putTimeline(Timeline.beingDeleted(m)));
            removeTimelines(tenant, false);
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "tenant " + tenant.id() + ": the attach cut short could not be undone", e);
            tenant.setState(new TenantState.Broken("attach failed: " + Failures.describe(e), ""));
            return;
        }
        attachInBackground(tenant, tenant.metadata().generation());
    }

    @Override
    public void detachTenant(TenantId tenantId, boolean detachIgnored) {
        Tenant tenant = tenants.get(tenantId);
        if (tenant == null) {
            if (!detachIgnored || !ignoredTenants.containsKey(tenantId)) {
                throw tenantNotFound(tenantId);
            }
            detachIgnored(tenantId);
            return;
        }
        tenant.modify(() -> {
            requireStoppable(tenant);
            TenantState before = tenant.state();
            tenant.setState(TenantState.STOPPING);
            try {
                timelineStorage.drainForDetach(tenant);
            } catch (RuntimeException e) {
                tenant.setState(before);
                throw e;
            }
            removeLocally(tenant, "detach");
            return null;
        });
        LOG.log(Level.INFO, "tenant {0}: detached; its objects stay in remote storage", tenantId);
    }

    /**
     * Takes an ignored tenant, just claimed in the map as {@code tenant}, out of the ignored ones;
     * if a concurrent change took it first, lets the claim go.
     *
     * @throws PageserverException UNAVAILABLE (being modified concurrently) in that case
     */
    private void takeFromIgnored(Tenant tenant, TenantMetadata ignored) {
        if (!ignoredTenants.remove(tenant.id(), ignored)) {
            tenants.remove(tenant.id(), tenant);
            throw PageserverException.unavailable("Tenant " + tenant.id() + " is being modified concurrently");
        }
    }

    /**
     * Detaches a tenant that is ignored: claimed in the map as Stopping (so that a load or create of
     * it waits), then its timelines' files and rows removed as a detach removes them.
     */
    private void detachIgnored(TenantId tenantId) {
        TenantMetadata ignored = ignoredTenants.get(tenantId);
        if (ignored == null) {
            throw tenantNotFound(tenantId);
        }
        Tenant tenant = new Tenant(ignored, TenantState.STOPPING);
        if (tenants.putIfAbsent(tenantId, tenant) != null) {
            throw PageserverException.unavailable("Tenant " + tenantId + " is being modified concurrently");
        }
        takeFromIgnored(tenant, ignored);
        tenant.modify(() -> {
            loadTimelines.loadTimelines(tenantId).forEach(m -> tenant.putTimeline(Timeline.beingDeleted(m)));
            removeLocally(tenant, "detach");
            return null;
        });
        LOG.log(Level.INFO, "tenant {0}: ignored tenant detached; its objects stay in remote storage", tenantId);
    }

    /**
     * Removes a stopping tenant's local files and rows, leaving remote storage alone. A failure leaves
     * it Broken with the reason (a detach retries it), never a silent Stopping.
     */
    private void removeLocally(Tenant tenant, String what) {
        try {
            removeTimelines(tenant, false);
            saveTenants.deleteTenant(tenant.id());
            tenants.remove(tenant.id(), tenant);
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "tenant " + tenant.id() + ": " + what + " failed; a new detach retries it", e);
            tenant.setState(new TenantState.Broken(what + " failed: " + Failures.describe(e), ""));
            throw e;
        }
    }

    /** The answers a client knows to retry, as Neon's: stopping, or not active yet. */
    private static void requireStoppable(Tenant tenant) {
        if (tenant.deletionStarted() || tenant.state() instanceof TenantState.Stopping) {
            throw PageserverException.unavailable("Tenant " + tenant.id() + " is stopping");
        }
        if (!tenant.state().canBeDeleted()) {
            throw PageserverException.unavailable("Tenant " + tenant.id() + " is not active. Current state: "
                    + tenant.state().slug());
        }
    }

    /**
     * Marks the tenant ignored first (a crash after it leaves it ignored, as asked), then stops its
     * timelines, keeping every file, and lets it go from memory.
     */
    @Override
    public void ignoreTenant(TenantId tenantId) {
        Tenant tenant = find(tenantId).orElseThrow(() -> tenantNotFound(tenantId));
        tenant.modify(() -> {
            requireStoppable(tenant);
            TenantMetadata marked = tenant.metadata().markedIgnored();
            saveTenants.saveTenant(marked);
            tenant.setMetadata(marked);
            tenant.setState(TenantState.STOPPING);
            for (Timeline timeline : tenant.timelines()) {
                timelineStorage.unload(timeline);
            }
            ignoredTenants.put(tenantId, marked);
            tenants.remove(tenantId, tenant);
            return null;
        });
        LOG.log(Level.INFO, "tenant {0}: ignored; its files stay until a load or a detach", tenantId);
    }

    @Override
    public void loadTenant(TenantId tenantId, Generation generation) {
        if (!started) {
            throw PageserverException.unavailable("the pageserver is starting: its tenants are being loaded");
        }
        TenantMetadata ignored = ignoredTenants.get(tenantId);
        Tenant present = tenants.get(tenantId);
        if (present != null) {
            throw PageserverException.conflict("tenant " + tenantId + " already exists, state: " + present.state().slug());
        }
        if (ignored == null) {
            throw PageserverException.notFound("tenant " + tenantId + " (only an ignored tenant can be loaded)");
        }
        Tenant tenant = new Tenant(ignored, TenantState.ATTACHING);
        Tenant existing = tenants.putIfAbsent(tenantId, tenant);
        if (existing != null) {
            throw PageserverException.conflict("tenant " + tenantId + " already exists, state: " + existing.state().slug());
        }
        takeFromIgnored(tenant, ignored);
        LOG.log(Level.INFO, "tenant {0}: loading", tenantId);
        background.run("load tenant " + tenantId, () -> loadInBackground(tenant, ignored, generation));
    }

    /**
     * Opens an ignored tenant's timelines from local data as a start does, in its new generation,
     * saved first: a crash during the load starts the tenant at the next start, as loaded.
     */
    private void loadInBackground(Tenant tenant, TenantMetadata ignored, Generation requested) {
        try {
            Generation generation = requested != null ? requested
                    : timelineStorage.nextGeneration(tenant.id(), ignored.generation());
            TenantMetadata loaded = ignored.loaded(generation);
            saveTenants.saveTenant(loaded);
            tenant.setMetadata(loaded);
            startOne(new TenantStartup(loadTimelines, timelineStorage, this::effectiveConfig), tenant, new StartupProgress(1));
            LOG.log(Level.INFO, "tenant {0}: loaded in generation {1}, {2}", tenant.id(), generation, tenant.state().slug());
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "tenant " + tenant.id() + ": load failed", e);
            tenant.setState(new TenantState.Broken("load failed: " + Failures.describe(e), ""));
        }
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
