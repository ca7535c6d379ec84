package org.pageserver.application.engine;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.pageserver.domain.config.TenantConfOverrides;
import org.pageserver.domain.config.TenantConfig;
import org.pageserver.domain.config.TenantConfigField;
import org.pageserver.domain.id.TenantId;
import org.pageserver.domain.id.TimelineId;
import org.pageserver.domain.lsn.Lsn;
import org.pageserver.domain.page.Page;
import org.pageserver.domain.page.Patch;
import org.pageserver.domain.page.RelTag;
import org.pageserver.domain.timeline.TimelineMetadata;
import org.pageserver.domain.wal.WalDecoder;
import org.pageserver.domain.wal.WalEncoder;
import org.pageserver.domain.wal.WalRecord;

/**
 * One tenant's engine over the in-memory fakes, with short record builders. LSNs in tests are
 * written as {@code at(n)}: {@link Lsn#INITDB} plus n × 100, so they read as a sequence.
 */
final class EngineFixture implements AutoCloseable {
    static final RelTag REL = new RelTag(1663, 16384, 16385, 0);
    static final RelTag OTHER = new RelTag(1663, 16384, 16386, 0);

    final ExecutorService flusher = Executors.newSingleThreadExecutor();
    final MemoryLayerStore files = new MemoryLayerStore();
    final MemoryLayerMetadata rows = new MemoryLayerMetadata();
    final EngineContext context;
    final TenantId tenant = TenantId.generate();
    volatile TenantConfig config = TenantConfig.builtInDefaults();

    EngineFixture() {
        this(InMemoryBudget.unlimited(), null);
    }

    /** @param flushes where flushes run; null for a background thread of the fixture's */
    EngineFixture(InMemoryBudget budget, Executor flushes) {
        this.context = new EngineContext(files, rows, rows, flushes != null ? flushes : flusher, budget);
    }

    @Override
    public void close() {
        flusher.shutdownNow();
    }

    void configure(TenantConfigField field, Object value) {
        configure(Map.of(field, value));
    }

    void configure(Map<TenantConfigField, Object> overrides) {
        config = TenantConfig.builtInDefaults().with(TenantConfOverrides.of(overrides));
    }

    static Lsn at(long n) {
        return Lsn.INITDB.plus(n * 100);
    }

    TimelineMetadata rootMetadata() {
        return TimelineMetadata.root(tenant, TimelineId.generate(), 15);
    }

    TimelineData root() {
        return create(rootMetadata(), null);
    }

    TimelineData create(TimelineMetadata metadata, TimelineData ancestor) {
        return TimelineData.create(context, () -> config, metadata, ancestor);
    }

    /** A restart of one timeline: loaded from the stored rows and what its ingest files hold. */
    TimelineData reload(TimelineMetadata created, TimelineData ancestor) {
        TimelineMetadata stored = rows.timelines.getOrDefault(created.tenantId() + "/" + created.timelineId(), created);
        return TimelineData.load(context, () -> config, stored, ancestor);
    }

    static Lsn ingest(TimelineData timeline, WalRecord... records) {
        return timeline.ingest(WalDecoder.decode(WalEncoder.encode(List.of(records))));
    }

    static byte[] filled(int b) {
        byte[] page = new byte[Page.SIZE];
        Arrays.fill(page, (byte) b);
        return page;
    }

    static WalRecord.PageImage image(long n, RelTag rel, long blkno, int fill) {
        return new WalRecord.PageImage(at(n), rel, blkno, filled(fill));
    }

    static WalRecord.PageDelta delta(long n, RelTag rel, long blkno, int offset, int b) {
        return new WalRecord.PageDelta(at(n), rel, blkno, List.of(new Patch(offset, new byte[] {(byte) b})));
    }

    static WalRecord.RelSize resize(long n, RelTag rel, long nblocks) {
        return new WalRecord.RelSize(at(n), rel, nblocks);
    }

    static WalRecord.RelDrop drop(long n, RelTag rel) {
        return new WalRecord.RelDrop(at(n), rel);
    }

    static WalRecord.Commit commit(long n, long micros) {
        return new WalRecord.Commit(at(n), micros);
    }

    /** Waits (up to 10 s) for a background flush to make everything ingested disk-consistent. */
    static void awaitFlushed(TimelineData timeline) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!timeline.metadata().diskConsistentLsn().equals(timeline.metadata().lastRecordLsn())) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no flush within 10 s: " + timeline.metadata());
            }
            Thread.sleep(5);
        }
    }
}
