package org.pageserver.application.engine;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import org.pageserver.application.port.out.Metrics;
import org.pageserver.domain.error.Failures;
import org.pageserver.domain.error.PageserverException;
import org.pageserver.domain.layer.GcPlan;
import org.pageserver.domain.layer.LayerDescriptor;
import org.pageserver.domain.layer.LayerMap;
import org.pageserver.domain.lsn.Lsn;
import org.pageserver.domain.lsn.LsnByTimestamp;
import org.pageserver.domain.timeline.GcResult;
import org.pageserver.domain.timeline.TimelineMetadata;

/**
 * A timeline's background maintenance: compaction (image layers, {@link ImageLayers}) and GC
 * ({@link GcPlan}), one at a time, each when its period comes round or when asked. The timeline
 * keeps what they share with ingest, flushes and reads (its locks, its metadata and its layer
 * map) and swaps layers for them ({@link TimelineData#replaceLayers}); this class decides what to
 * swap.
 */
final class Maintenance {
    private static final Logger LOG = System.getLogger(Maintenance.class.getName());

    private final TimelineData timeline;
    /** One maintenance job at a time per timeline. */
    private final ReentrantLock lock = new ReentrantLock();
    private final AtomicBoolean compactionQueued = new AtomicBoolean();
    private volatile long lastCompactionNanos = System.nanoTime();
    private final AtomicBoolean gcQueued = new AtomicBoolean();
    private volatile long lastGcNanos = System.nanoTime();

    Maintenance(TimelineData timeline) {
        this.timeline = timeline;
    }

    private boolean idle() {
        return timeline.isStopped() || timeline.brokenReason() != null;
    }

    /** See {@link TimelineData#takeCompactionTurn}. */
    boolean takeCompactionTurn(long nowNanos, Duration period) {
        if (period.isZero() || idle() || nowNanos - lastCompactionNanos < period.toNanos()
                || !compactionQueued.compareAndSet(false, true)) {
            return false;
        }
        lastCompactionNanos = nowNanos;
        return true;
    }

    void compactInBackground(long minDeltas) {
        try {
            compact(minDeltas);
        } catch (PageserverException e) {
            TimelineMetadata m = timeline.metadata();
            LOG.log(Level.DEBUG, "compaction of timeline {0}/{1} did not run: {2}", m.tenantId(), m.timelineId(), e.getMessage());
        } finally {
            compactionQueued.set(false);
        }
    }

    /** See {@link TimelineData#takeGcTurn}. */
    boolean takeGcTurn(long nowNanos, Duration period) {
        if (period.isZero() || idle() || nowNanos - lastGcNanos < period.toNanos() || !gcQueued.compareAndSet(false, true)) {
            return false;
        }
        lastGcNanos = nowNanos;
        return true;
    }

    void gcTurnDone() {
        gcQueued.set(false);
    }

    /**
     * Makes an image layer of every key at disk_consistent_lsn if {@code minDeltas} or more delta
     * layer files lie above the newest image (checked under the lock: a compaction that ran
     * meanwhile may have made one). See {@link TimelineData#compact()}.
     */
    boolean compact(long minDeltas) {
        try (Gate.Pass pass = timeline.enter()) {
            lock.lock();
            try {
                int deltas = ImageLayers.deltasAboveNewestImage(timeline.layers().historic());
                if (timeline.isStopped() || deltas == 0 || deltas < minDeltas) {
                    return false;
                }
                return makeImage();
            } finally {
                lock.unlock();
            }
        }
    }

    private boolean makeImage() {
        long started = System.nanoTime();
        TimelineMetadata m = timeline.metadata();
        LayerDescriptor image;
        try {
            image = ImageLayers.create(timeline, m.diskConsistentLsn(), timeline::isStopped);
            if (image == null) {
                return false;
            }
            timeline.replaceLayers(current -> current, List.of(), List.of(image));
        } catch (RuntimeException e) {
            throw timeline.failedBy("image layer creation failed: " + Failures.describe(e), e);
        }
        EngineContext context = timeline.context();
        context.metrics().storageOperation(Metrics.StorageOperation.COMPACT, System.nanoTime() - started);
        context.metrics().wrotePersistentBytes(image.fileSize());
        LOG.log(Level.INFO, "timeline {0}/{1}: created image layer {2} ({3} bytes) in {4} ms", m.tenantId(), m.timelineId(),
                image.name(), image.fileSize(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        return true;
    }

    /** See {@link TimelineData#gc}. */
    GcResult gc(long horizon, Duration pitr, Collection<Lsn> retainLsns, Instant now) {
        try (Gate.Pass pass = timeline.enter()) {
            lock.lock();
            try {
                return gcLocked(horizon, pitr, retainLsns, now);
            } finally {
                lock.unlock();
            }
        }
    }

    private GcResult gcLocked(long horizon, Duration pitr, Collection<Lsn> retainLsns, Instant now) {
        long started = System.nanoTime();
        TimelineMetadata m = timeline.metadata();
        if (Long.compareUnsigned(m.lastRecordLsn().value(), horizon) < 0 || timeline.isStopped()) {
            return GcResult.NOTHING;
        }
        Lsn horizonCutoff = Lsn.of(m.lastRecordLsn().value() - horizon);
        Lsn pitrCutoff = pitrCutoff(horizonCutoff, pitr, now);
        Lsn newCutoff = Lsn.min(Lsn.min(horizonCutoff, m.diskConsistentLsn()), pitrCutoff);
        if (!newCutoff.isAfter(m.latestGcCutoffLsn())) {
            return GcResult.NOTHING;
        }
        LayerMap<HistoricLayer> files = timeline.layers().historic();
        GcPlan plan = GcPlan.of(files.layers().stream().map(l -> l.descriptor().name()).toList(), horizonCutoff, pitrCutoff,
                retainLsns, newCutoff);
        List<HistoricLayer> removed = files.layers().stream().filter(l -> plan.removed().contains(l.descriptor().name()))
                .toList();
        try {
            timeline.replaceLayers(current -> current.withGcCutoff(newCutoff), removed, List.of());
        } catch (RuntimeException e) {
            throw timeline.failedBy("GC failed: " + Failures.describe(e), e);
        }
        for (HistoricLayer layer : removed) {
            layer.retire();
            // A file that cannot be deleted now is a stray the next start deletes: the metadata no longer has it.
            try {
                timeline.context().layerStore().deleteLayer(m.tenantId(), m.timelineId(), layer.descriptor().name());
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "timeline {0}/{1}: could not delete layer file {2} that GC removed: {3}",
                        m.tenantId(), m.timelineId(), layer.descriptor().name(), Failures.describe(e));
            }
        }
        long elapsed = System.nanoTime() - started;
        timeline.context().metrics().storageOperation(Metrics.StorageOperation.GC, elapsed);
        GcResult result = plan.counts().withElapsedMs(TimeUnit.NANOSECONDS.toMillis(elapsed));
        LOG.log(Level.INFO, "timeline {0}/{1}: GC cutoff {2} (horizon {3}, pitr {4}): {5}", m.tenantId(), m.timelineId(),
                newCutoff, horizonCutoff, pitrCutoff, result);
        return result;
    }

    /** See {@link TimelineData#pitrCutoff}. */
    Lsn pitrCutoff(Lsn horizonCutoff, Duration pitr, Instant now) {
        if (pitr.isZero()) {
            return horizonCutoff;
        }
        LsnByTimestamp found = CommitSearch.lsnFor(timeline, now.minus(pitr).toEpochMilli() * 1000);
        return switch (found.kind()) {
            case PRESENT -> found.lsn();
            case FUTURE -> horizonCutoff;
            case PAST, NODATA -> timeline.metadata().latestGcCutoffLsn();
        };
    }
}
