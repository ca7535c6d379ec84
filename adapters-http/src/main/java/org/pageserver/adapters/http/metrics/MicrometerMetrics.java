package org.pageserver.adapters.http.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.ToLongFunction;
import org.pageserver.application.port.out.Metrics;
import org.pageserver.domain.id.TenantId;
import org.pageserver.domain.id.TimelineId;

/**
 * The {@link Metrics} port on Micrometer, scraped as Prometheus text at {@code GET /metrics}. Meter
 * names are Neon's once the Prometheus registry has rendered them: {@code pageserver.smgr.query}, a
 * timer, becomes {@code pageserver_smgr_query_seconds} with its buckets, a counter gets
 * {@code _total}. Histograms have fixed buckets, so a scrape's size does not grow with traffic.
 */
@Singleton
final class MicrometerMetrics implements Metrics {
    /** Bucket bounds of the latency histograms: 10 us to 10 s. */
    private static final Duration[] BUCKETS = {Duration.ofNanos(10_000), Duration.ofNanos(50_000),
        Duration.ofNanos(100_000), Duration.ofNanos(250_000), Duration.ofNanos(500_000), Duration.ofMillis(1),
        Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(500),
        Duration.ofSeconds(1), Duration.ofSeconds(10)};

    private final MeterRegistry registry;
    private final Timer waitLsn;
    private final Counter ingestBytes;
    private final Counter ingestRecords;
    private final Counter writtenBytes;
    private final Counter downloadedLayers;
    private final Counter downloadedBytes;
    private final Map<StorageOperation, Timer> storageOperations = new EnumMap<>(StorageOperation.class);
    private final Map<String, Double> startupPhases = new ConcurrentHashMap<>();

    MicrometerMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.waitLsn = histogram("pageserver.wait.lsn", "Time a read waited for its LSN to arrive", Tags.empty());
        this.ingestBytes = Counter.builder("pageserver.wal.ingest.bytes.received")
                .description("Bytes of ingest bodies accepted").register(registry);
        this.ingestRecords = Counter.builder("pageserver.wal.ingest.records.received")
                .description("Records of ingest bodies accepted").register(registry);
        this.writtenBytes = Counter.builder("pageserver.written.persistent.bytes")
                .description("Bytes made durable in layer files").register(registry);
        this.downloadedLayers = Counter.builder("pageserver.remote.ondemand.downloaded.layers")
                .description("Layer files downloaded because a read needed them").register(registry);
        this.downloadedBytes = Counter.builder("pageserver.remote.ondemand.downloaded.bytes")
                .description("Bytes of the layer files downloaded because a read needed them").register(registry);
        for (StorageOperation operation : StorageOperation.values()) {
            storageOperations.put(operation, histogram("pageserver.storage.operations",
                    "Time spent in background storage operations", Tags.of("operation", operation.label())));
        }
    }

    private Timer histogram(String name, String description, Tags tags) {
        return Timer.builder(name).description(description).tags(tags).serviceLevelObjectives(BUCKETS).register(registry);
    }

    @Override
    public Timeline timeline(TenantId tenantId, TimelineId timelineId, TimelineGauges gauges) {
        Tags tags = Tags.of("tenant_id", tenantId.hex(), "timeline_id", timelineId.hex());
        List<Meter> meters = new ArrayList<>();
        meters.add(gauge("pageserver.last.record.lsn", "The last record's LSN", tags, gauges.lastRecordLsn()::getAsLong));
        meters.add(gauge("pageserver.current.logical.size", "Bytes of the relations at the last record", tags,
                gauges.currentLogicalSize()::getAsDouble));
        meters.add(gauge("pageserver.resident.physical.size", "Bytes of the layer files on local disk", tags,
                gauges.residentPhysicalSize()::getAsLong));
        meters.add(gauge("pageserver.remote.physical.size", "Bytes of the layer files the last uploaded index names", tags,
                gauges.remotePhysicalSize()::getAsLong));
        return new TimelineMeters(tags, meters);
    }

    /**
     * One timeline's meters. Its read histograms are registered at its first read of each kind: a
     * start with thousands of timelines registers none (registering is most of a start's CPU for a
     * timeline of one small layer), and an idle timeline keeps no buckets.
     */
    private final class TimelineMeters implements Timeline {
        private final Tags tags;
        private final List<Meter> meters;
        private final AtomicReferenceArray<Timer> queries = new AtomicReferenceArray<>(SmgrQuery.values().length);
        private boolean closed;

        TimelineMeters(Tags tags, List<Meter> meters) {
            this.tags = tags;
            this.meters = meters;
        }

        @Override
        public void smgrQuery(SmgrQuery query, long nanos) {
            Timer timer = queries.get(query.ordinal());
            if (timer == null) {
                timer = register(query);
            }
            timer.record(nanos, TimeUnit.NANOSECONDS);
        }

        private synchronized Timer register(SmgrQuery query) {
            Timer timer = queries.get(query.ordinal());
            if (timer == null) {
                timer = histogram("pageserver.smgr.query", "Time of the reads of the page service, waits included",
                        tags.and("smgr_query_type", query.label()));
                queries.set(query.ordinal(), timer);
                meters.add(timer);
                if (closed) {
                    registry.remove(timer);
                }
            }
            return timer;
        }

        @Override
        public void ingested(long bytes, long records) {
            ingestBytes.increment(bytes);
            ingestRecords.increment(records);
        }

        /** Remote calls by kind, file kind and outcome: registered at first use, as the read histograms are. */
        private final Map<String, Meter> remoteMeters = new java.util.concurrent.ConcurrentHashMap<>();
        private final Map<String, java.util.concurrent.atomic.AtomicLong> unfinished = new java.util.concurrent.ConcurrentHashMap<>();

        @Override
        public void remoteCallsUnfinished(RemoteOperation op, String fileKind, int delta) {
            unfinished.computeIfAbsent(op.label() + "/" + fileKind, key -> {
                java.util.concurrent.atomic.AtomicLong count = new java.util.concurrent.atomic.AtomicLong();
                register(gauge("pageserver.remote.timeline.client.calls.unfinished", "Remote storage calls in progress",
                        tags.and("op_kind", op.label(), "file_kind", fileKind), count::get));
                return count;
            }).addAndGet(delta);
        }

        @Override
        public void remoteOperation(RemoteOperation op, String fileKind, boolean succeeded, long nanos) {
            String status = succeeded ? "success" : "failure";
            Timer timer = (Timer) remoteMeters.computeIfAbsent(op.label() + "/" + fileKind + "/" + status,
                    key -> register(histogram("pageserver.remote.operation", "Time of the calls to remote storage",
                            tags.and("op_kind", op.label(), "file_kind", fileKind, "status", status))));
            timer.record(nanos, TimeUnit.NANOSECONDS);
        }

        @Override
        public void evicted(String cause, boolean lowResidence) {
            // pageserver_evictions is the node's, by cause; the low-residence count is the timeline's.
            Counter.builder("pageserver.evictions").description("Layer files evicted from local disk")
                    .tags("cause", cause).register(registry).increment();
            Counter low = (Counter) remoteMeters.computeIfAbsent("evictions/low-residence",
                    key -> register(Counter.builder("pageserver.evictions.with.low.residence.duration")
                            .description("Layer files evicted after a residence shorter than the tenant's"
                                    + " evictions_low_residence_duration_metric_threshold").tags(tags).register(registry)));
            if (lowResidence) {
                low.increment();
            }
        }

        @Override
        public void evictionFailed(String cause) {
            Counter.builder("pageserver.eviction.failures").description("Evictions of layer files that failed and left them resident")
                    .tags("cause", cause).register(registry).increment();
        }

        @Override
        public void downloadedOnDemand(long bytes) {
            downloadedLayers.increment();
            downloadedBytes.increment(bytes);
        }

        private synchronized Meter register(Meter meter) {
            meters.add(meter);
            if (closed) {
                registry.remove(meter);
            }
            return meter;
        }

        @Override
        public synchronized void close() {
            closed = true;
            meters.forEach(registry::remove);
        }
    }

    private Gauge gauge(String name, String description, Tags tags, java.util.function.Supplier<Number> value) {
        return Gauge.builder(name, value).description(description).tags(tags).strongReference(true).register(registry);
    }

    @Override
    public void waitedForLsn(long nanos) {
        waitLsn.record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void storageOperation(StorageOperation operation, long nanos) {
        storageOperations.get(operation).record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void wrotePersistentBytes(long bytes) {
        writtenBytes.increment(bytes);
    }

    @Override
    public void tenantStates(Iterable<String> states, ToLongFunction<String> countByState) {
        for (String state : states) {
            gauge("pageserver.tenant.states.count", "Tenants in each state", Tags.of("state", state),
                    () -> countByState.applyAsLong(state));
        }
        gauge("pageserver.broken.tenants.count", "Tenants that are Broken", Tags.empty(),
                () -> countByState.applyAsLong("Broken"));
    }

    @Override
    public void startupPhase(String phase, double seconds) {
        if (startupPhases.put(phase, seconds) == null) {
            gauge("pageserver.startup.duration.seconds", "Seconds from the process start to the end of each phase",
                    Tags.of("phase", phase), () -> startupPhases.get(phase));
        }
    }

    @Override
    public void pageCache(PageCacheCounts counts) {
        Tags materialized = Tags.of("key_kind", "materialized_page");
        FunctionCounter.builder("pageserver.page.cache.read.accesses", counts, PageCacheCounts::accesses)
                .description("Number of read accesses to the page cache").tags(materialized).register(registry);
        FunctionCounter.builder("pageserver.page.cache.read.hits", counts, PageCacheCounts::exactHits)
                .description("Number of read accesses to the page cache that hit")
                .tags(materialized.and("hit_kind", "exact")).register(registry);
        FunctionCounter.builder("pageserver.page.cache.read.hits", counts, PageCacheCounts::olderLsnHits)
                .description("Number of read accesses to the page cache that hit")
                .tags(materialized.and("hit_kind", "older_lsn")).register(registry);
        gauge("pageserver.page.cache.size.current.bytes", "Bytes of pages the page cache holds", Tags.empty(),
                counts::currentBytes);
        gauge("pageserver.page.cache.size.max.bytes", "Bytes of pages the page cache may hold", Tags.empty(),
                counts::maxBytes);
    }
}
