package org.pageserver.application.service;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.pageserver.application.port.out.LoadLayersPort;
import org.pageserver.application.port.out.LoadTenantPort;
import org.pageserver.application.port.out.LoadTimelinePort;
import org.pageserver.application.port.out.SaveLayersPort;
import org.pageserver.application.port.out.SaveTenantPort;
import org.pageserver.application.port.out.SaveTimelinePort;
import org.pageserver.domain.id.TenantId;
import org.pageserver.domain.id.TenantTimelineId;
import org.pageserver.domain.id.TimelineId;
import org.pageserver.domain.layer.LayerDescriptor;
import org.pageserver.domain.layer.LayerName;
import org.pageserver.domain.tenant.TenantMetadata;
import org.pageserver.domain.timeline.TimelineMetadata;

/**
 * All four metadata ports over two maps, as a database would keep them. Saves and deletes can be
 * made to fail, and any operation can be held at a {@link Gate} to freeze a background task at a
 * chosen point.
 */
final class InMemoryMetadataStore implements LoadTenantPort, SaveTenantPort, LoadTimelinePort, SaveTimelinePort,
        LoadLayersPort, SaveLayersPort {

    enum Op { SAVE_TENANT, DELETE_TENANT, LOAD_TIMELINES, SAVE_TIMELINE, DELETE_TIMELINE }

    private final Map<TenantId, TenantMetadata> tenants = new TreeMap<>();
    private final Map<TenantId, Map<TimelineId, TimelineMetadata>> timelines = new TreeMap<>();
    private final Map<Op, Gate> gates = new EnumMap<>(Op.class);
    private final Map<TimelineId, List<LayerDescriptor>> layers = new HashMap<>();
    private final Map<LayerName, Instant> lastAccess = new HashMap<>();

    private final Map<LayerName, Boolean> residence = new HashMap<>();
    private volatile boolean failSaves;
    private volatile boolean failDeletes;
    private volatile boolean failTimelineLoads;

    /** Makes every later save throw, as a database that is down would. */
    void failSaves(boolean fail) {
        this.failSaves = fail;
    }

    /** Makes every later delete throw. */
    void failDeletes(boolean fail) {
        this.failDeletes = fail;
    }

    /** Makes every later timeline load throw, as a corrupt record would. */
    void failTimelineLoads(boolean fail) {
        this.failTimelineLoads = fail;
    }

    /** Holds every later call of {@code op} made on a thread whose name starts with the prefix until released. */
    synchronized Gate hold(Op op, String threadNamePrefix) {
        Gate gate = new Gate(threadNamePrefix);
        gates.put(op, gate);
        return gate;
    }

    synchronized void putTenant(TenantMetadata tenant) {
        tenants.put(tenant.id(), tenant);
    }

    synchronized void putTimeline(TimelineMetadata timeline) {
        timelines.computeIfAbsent(timeline.tenantId(), id -> new TreeMap<>()).put(timeline.timelineId(), timeline);
    }

    synchronized Optional<TenantMetadata> tenant(TenantId id) {
        return Optional.ofNullable(tenants.get(id));
    }

    synchronized Optional<TimelineMetadata> timeline(TenantId tenantId, TimelineId timelineId) {
        return Optional.ofNullable(timelines.getOrDefault(tenantId, Map.of()).get(timelineId));
    }

    synchronized List<TenantId> tenantIds() {
        return List.copyOf(tenants.keySet());
    }

    /** Tenants that own stored timelines, whether or not the tenant itself is stored. */
    synchronized List<TenantId> timelineOwners() {
        return timelines.entrySet().stream().filter(e -> !e.getValue().isEmpty()).map(Map.Entry::getKey).toList();
    }

    @Override
    public List<TenantMetadata> loadTenants() {
        synchronized (this) {
            return List.copyOf(tenants.values());
        }
    }

    @Override
    public void saveTenant(TenantMetadata tenant) {
        pass(Op.SAVE_TENANT);
        if (failSaves) {
            throw new IllegalStateException("database is down");
        }
        synchronized (this) {
            tenants.put(tenant.id(), tenant);
        }
    }

    @Override
    public void deleteTenant(TenantId tenantId) {
        pass(Op.DELETE_TENANT);
        if (failDeletes) {
            throw new IllegalStateException("database is down");
        }
        synchronized (this) {
            tenants.remove(tenantId);
            timelines.remove(tenantId);
        }
    }

    @Override
    public List<TimelineMetadata> loadTimelines(TenantId tenantId) {
        pass(Op.LOAD_TIMELINES);
        if (failTimelineLoads) {
            throw new IllegalStateException("cannot decode timeline record");
        }
        synchronized (this) {
            return new ArrayList<>(timelines.getOrDefault(tenantId, Map.of()).values());
        }
    }

    @Override
    public List<TimelineMetadata> loadAllTimelines() {
        pass(Op.LOAD_TIMELINES);
        if (failTimelineLoads) {
            throw new IllegalStateException("cannot decode timeline record");
        }
        synchronized (this) {
            List<TimelineMetadata> all = new ArrayList<>();
            timelines.values().forEach(ofTenant -> all.addAll(ofTenant.values()));
            all.sort(Comparator.comparing(TimelineMetadata::tenantId).thenComparing(TimelineMetadata::timelineId));
            return all;
        }
    }

    @Override
    public void saveTimeline(TimelineMetadata timeline) {
        pass(Op.SAVE_TIMELINE);
        if (failSaves) {
            throw new IllegalStateException("database is down");
        }
        putTimeline(timeline);
    }

    @Override
    public void deleteTimeline(TenantId tenantId, TimelineId timelineId) {
        Gate gate = gateFor(Op.DELETE_TIMELINE);
        try {
            if (gate != null) {
                gate.pass();
            }
            if (failDeletes) {
                throw new IllegalStateException("database is down");
            }
            synchronized (this) {
                Map<TimelineId, TimelineMetadata> ofTenant = timelines.get(tenantId);
                if (ofTenant != null) {
                    ofTenant.remove(timelineId);
                }
            }
        } finally {
            if (gate != null) {
                gate.finished();
            }
        }
    }

    @Override
    public synchronized List<LayerDescriptor> loadLayers(TenantId tenantId, TimelineId timelineId) {
        return new ArrayList<>(layers.getOrDefault(timelineId, List.of()));
    }

    @Override
    public synchronized Map<TenantTimelineId, List<LayerDescriptor>> loadAllLayers() {
        Map<TenantTimelineId, List<LayerDescriptor>> all = new HashMap<>();
        timelines.values().forEach(ofTenant -> ofTenant.values().forEach(m -> {
            List<LayerDescriptor> ofTimeline = layers.get(m.timelineId());
            if (ofTimeline != null) {
                all.put(new TenantTimelineId(m.tenantId(), m.timelineId()), new ArrayList<>(ofTimeline));
            }
        }));
        return all;
    }

    @Override
    public void saveFlushedLayer(TimelineMetadata timeline, LayerDescriptor layer) {
        synchronized (this) {
            layers.computeIfAbsent(timeline.timelineId(), k -> new ArrayList<>()).add(layer);
        }
        putTimeline(timeline);
    }

    @Override
    public void replaceLayers(TimelineMetadata timeline, List<LayerDescriptor> added, List<LayerName> removed) {
        synchronized (this) {
            List<LayerDescriptor> list = layers.computeIfAbsent(timeline.timelineId(), k -> new ArrayList<>());
            list.removeIf(d -> removed.contains(d.name()));
            list.addAll(added);
        }
        putTimeline(timeline);
    }

    @Override
    public synchronized void saveLastAccess(TenantId tenantId, TimelineId timelineId, Map<LayerName, Instant> times) {
        lastAccess.putAll(times);
    }

    @Override
    public synchronized void saveResidence(TenantId tenantId, TimelineId timelineId, Map<LayerName, Boolean> resident) {
        residence.putAll(resident);
    }

    private void pass(Op op) {
        Gate gate = gateFor(op);
        if (gate != null) {
            gate.pass();
            gate.finished();
        }
    }

    private synchronized Gate gateFor(Op op) {
        Gate gate = gates.get(op);
        return gate != null && Thread.currentThread().getName().startsWith(gate.threadNamePrefix) ? gate : null;
    }

    /** A barrier a call waits at; the test sees it arrive, releases it, and can wait for it to finish. */
    static final class Gate {
        private final String threadNamePrefix;
        private final CountDownLatch arrived = new CountDownLatch(1);
        private final CountDownLatch released = new CountDownLatch(1);
        private final CountDownLatch finished = new CountDownLatch(1);

        private Gate(String threadNamePrefix) {
            this.threadNamePrefix = threadNamePrefix;
        }

        private void pass() {
            arrived.countDown();
            try {
                if (!released.await(20, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("gate never released");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        private void finished() {
            finished.countDown();
        }

        void awaitArrival() throws InterruptedException {
            if (!arrived.await(10, TimeUnit.SECONDS)) {
                throw new AssertionError("no call reached the gate");
            }
        }

        void release() {
            released.countDown();
        }

        void awaitFinished() throws InterruptedException {
            if (!finished.await(10, TimeUnit.SECONDS)) {
                throw new AssertionError("the held call did not finish");
            }
        }
    }
}
