package org.pageserver.application.engine;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Collectors;
import org.pageserver.application.port.out.Metrics;
import org.pageserver.domain.error.Failures;
import org.pageserver.domain.error.PageserverException;
import org.pageserver.domain.layer.GcPlan;
import org.pageserver.domain.layer.ImagePlan;
import org.pageserver.domain.layer.KeyRange;
import org.pageserver.domain.layer.LayerDescriptor;
import org.pageserver.domain.layer.LayerMap;
import org.pageserver.domain.layer.LayerName;
import org.pageserver.domain.lsn.Lsn;
import org.pageserver.domain.lsn.LsnByTimestamp;
import org.pageserver.domain.timeline.GcResult;
import org.pageserver.domain.timeline.TimelineMetadata;

/**
 * A timeline's background maintenance: compaction (L0 to L1, {@link L0Compaction}; image layers,
 * {@link ImageLayers}) and GC ({@link GcPlan}), one at a time, each when its period comes round or when asked. The timeline
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
    /** The layers (maps are immutable: compared by identity) and settings of the last turn that found no image due; under {@link #lock}. */
    private LayerMap<HistoricLayer> noImageDueFor;
    private Compaction noImageDueWith;
    private volatile long lastGcNanos = System.nanoTime();

    Maintenance(TimelineData timeline) {
        this.timeline = timeline;
    }

    private boolean idle() {
        return timeline.isStopped() || timeline.brokenReason() != null;
    }

    /** See {@link TimelineData#takeCompactionTurn}. */
    /**
     * Runs {@code work} while no compaction or GC runs (they read layer files outside the reads'
     * residence locks: a merge's scans, GC's deletions), inside the timeline's gate.
     */
    <T> T exclusive(java.util.function.Supplier<T> work) {
        try (Gate.Pass pass = timeline.enter()) {
            lock.lock();
            try {
                return work.get();
            } finally {
                lock.unlock();
            }
        }
    }

    boolean takeCompactionTurn(long nowNanos, Duration period) {
        if (period.isZero() || idle() || nowNanos - lastCompactionNanos < period.toNanos()
                || !compactionQueued.compareAndSet(false, true)) {
            return false;
        }
        lastCompactionNanos = nowNanos;
        return true;
    }

    void compactInBackground(Compaction settings) {
        try {
            compact(settings);
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
     * The tenant's compaction settings: compaction_threshold, compaction_target_size,
     * image_creation_threshold.
     */
    record Compaction(long l0Threshold, long targetSize, long imageThreshold) {
    }

    /**
     * Merges the L0 layers into L1 layers if there are {@code l0Threshold} of them (and at least
     * two), then makes the image layers due at disk_consistent_lsn ({@link ImagePlan}). See
     * {@link TimelineData#compact()}.
     *
     * @return whether it wrote a layer
     */
    boolean compact(Compaction settings) {
        try (Gate.Pass pass = timeline.enter()) {
            lock.lock();
            try {
                if (timeline.isStopped()) {
                    return false;
                }
                Lsn at = timeline.metadata().diskConsistentLsn();
                List<HistoricLayer> l0 = L0Compaction.l0Layers(timeline.layers().historic().layers());
                if (l0.size() < Math.max(2, settings.l0Threshold())) {
                    return makeImages(imagesDue(at, settings), at, "image_creation_threshold reached");
                }
                List<KeyRange> partitions = ImageLayers.partitions(timeline, settings.targetSize());
                L0Compaction.Result merged = compactL0(l0, settings.targetSize(), partitions);
                if (merged == null || timeline.isStopped()) {
                    return false;
                }
                // Due after the merge, counting each merged L0 layer for the partitions whose keys
                // it held (the merge noted them): its name claims every key, and counted by name
                // it would make every partition due, so that each compaction would write an image
                // of the whole key space. Its new L1 layers are left out of the count: they hold
                // exactly the merged versions.
                Set<LayerName> outputs = merged.outputs().stream().map(LayerDescriptor::name).collect(Collectors.toSet());
                List<LayerName> others = layerNames().stream().filter(name -> !outputs.contains(name)).toList();
                makeImages(ImagePlan.due(others, partitions, merged.touched(), settings.imageThreshold()), at,
                        "image_creation_threshold reached");
                return true;
            } finally {
                lock.unlock();
            }
        }
    }

    /**
     * The partitions due for an image at {@code at}. A turn whose layers and settings are those of a
     * turn that found nothing due (an idle timeline: the layer map is replaced on every change, and
     * disk_consistent_lsn moves only with it) takes that answer instead of working it out again.
     */
    private List<KeyRange> imagesDue(Lsn at, Compaction settings) {
        LayerMap<HistoricLayer> layers = timeline.layers().historic();
        if (layers == noImageDueFor && settings.equals(noImageDueWith)) {
            return List.of();
        }
        List<KeyRange> due = ImagePlan.due(layerNames(), ImageLayers.partitions(timeline, settings.targetSize()),
                settings.imageThreshold());
        noImageDueFor = due.isEmpty() ? layers : null;
        noImageDueWith = settings;
        return due;
    }

    private List<LayerName> layerNames() {
        return timeline.layers().historic().layers().stream().map(l -> l.descriptor().name()).toList();
    }

    /** @return what the merge did, or null if the timeline stopped it */
    private L0Compaction.Result compactL0(List<HistoricLayer> l0, long targetSize, List<KeyRange> partitions) {
        long started = System.nanoTime();
        TimelineMetadata m = timeline.metadata();
        L0Compaction.Result result;
        try {
            result = L0Compaction.merge(timeline, l0, targetSize, partitions, timeline::isStopped);
            if (result == null) {
                return null;
            }
            timeline.replaceLayers(current -> current, l0, result.outputs());
        } catch (RuntimeException e) {
            throw timeline.failedBy("L0 compaction failed: " + Failures.describe(e), e);
        }
        deleteReplaced(l0, "compaction");
        long elapsed = System.nanoTime() - started;
        long written = result.outputs().stream().mapToLong(LayerDescriptor::fileSize).sum();
        EngineContext context = timeline.context();
        context.metrics().storageOperation(Metrics.StorageOperation.COMPACT, elapsed);
        context.metrics().wrotePersistentBytes(written);
        LOG.log(Level.INFO, "timeline {0}/{1}: compacted {2} L0 layers ({3} bytes of versions) into {4} L1 layers ({5}"
                + " bytes) in {6} ms", m.tenantId(), m.timelineId(), l0.size(), result.bytesRead(), result.outputs().size(),
                written, TimeUnit.NANOSECONDS.toMillis(elapsed));
        return result;
    }

    /**
     * Writes an image layer of each partition at {@code at} that has none there yet, and records
     * them together. One may be there already: a flush can publish its L0 layer, above {@code at},
     * between a turn's read of disk_consistent_lsn and its count of the layers, and that layer
     * makes due again a partition whose image at {@code at} the previous turn wrote.
     *
     * @return whether it wrote any
     */
    boolean makeImages(List<KeyRange> requested, Lsn at, String why) {
        Set<LayerName> present = new HashSet<>(layerNames());
        List<KeyRange> partitions = requested.stream()
                .filter(p -> !present.contains(LayerName.image(p.start(), p.end(), at))).toList();
        if (partitions.isEmpty()) {
            return false;
        }
        long started = System.nanoTime();
        TimelineMetadata m = timeline.metadata();
        List<LayerDescriptor> images = new ArrayList<>();
        try {
            for (KeyRange partition : partitions) {
                LayerDescriptor image = ImageLayers.create(timeline, partition, at, timeline::isStopped);
                if (timeline.isStopped()) {
                    break;
                }
                if (image != null) {
                    images.add(image);
                }
            }
            if (timeline.isStopped() || images.isEmpty()) {
                images.forEach(image -> deleteFile(image.name(), "unrecorded image"));
                return false;
            }
            timeline.replaceLayers(current -> current, List.of(), images);
        } catch (RuntimeException e) {
            images.forEach(image -> deleteFile(image.name(), "unrecorded image"));
            throw timeline.failedBy("image layer creation failed: " + Failures.describe(e), e);
        }
        long bytes = images.stream().mapToLong(LayerDescriptor::fileSize).sum();
        EngineContext context = timeline.context();
        context.metrics().storageOperation(Metrics.StorageOperation.COMPACT, System.nanoTime() - started);
        context.metrics().wrotePersistentBytes(bytes);
        LOG.log(Level.INFO, "timeline {0}/{1}: created {2} image layers at {3} ({4} bytes) in {5} ms: {6}", m.tenantId(),
                m.timelineId(), images.size(), at, bytes, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), why);
        return true;
    }

    /**
     * Retires layers the metadata no longer has and deletes their files. A file that cannot be
     * deleted now is a stray the next start deletes.
     */
    private void deleteReplaced(List<HistoricLayer> removed, String by) {
        for (HistoricLayer layer : removed) {
            layer.retire();
            deleteFile(layer.descriptor().name(), "layer file that " + by + " replaced");
        }
    }

    private void deleteFile(LayerName name, String what) {
        TimelineMetadata m = timeline.metadata();
        try {
            timeline.context().layerStore().deleteLayer(m.tenantId(), m.timelineId(), name);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "timeline {0}/{1}: could not delete {2} {3}: {4}", m.tenantId(), m.timelineId(), what,
                    name, Failures.describe(e));
        }
    }

    /** See {@link TimelineData#gc}. */
    GcResult gc(long horizon, Duration pitr, Collection<Lsn> retainLsns, Collection<Lsn> snapshotLsns, Instant now) {
        try (Gate.Pass pass = timeline.enter()) {
            lock.lock();
            try {
                return gcLocked(horizon, pitr, retainLsns, snapshotLsns, now);
            } finally {
                lock.unlock();
            }
        }
    }

    private GcResult gcLocked(long horizon, Duration pitr, Collection<Lsn> retainLsns, Collection<Lsn> snapshotLsns,
                              Instant now) {
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
        imagesAtBranchPoints(snapshotLsns, newCutoff);
        LayerMap<HistoricLayer> files = timeline.layers().historic();
        GcPlan plan = GcPlan.of(files.layers().stream().map(l -> l.descriptor().name()).toList(), horizonCutoff, pitrCutoff,
                retainLsns, snapshotLsns, newCutoff);
        List<HistoricLayer> removed = files.layers().stream().filter(l -> plan.removed().contains(l.descriptor().name()))
                .toList();
        try {
            timeline.replaceLayers(current -> current.withGcCutoff(newCutoff), removed, List.of());
        } catch (RuntimeException e) {
            throw timeline.failedBy("GC failed: " + Failures.describe(e), e);
        }
        deleteReplaced(removed, "GC");
        long elapsed = System.nanoTime() - started;
        timeline.context().metrics().storageOperation(Metrics.StorageOperation.GC, elapsed);
        GcResult result = plan.counts().withElapsedMs(TimeUnit.NANOSECONDS.toMillis(elapsed));
        LOG.log(Level.INFO, "timeline {0}/{1}: GC cutoff {2} (horizon {3}, pitr {4}): {5}", m.tenantId(), m.timelineId(),
                newCutoff, horizonCutoff, pitrCutoff, result);
        return result;
    }

    /**
     * Makes image layers at each branch point below the new cutoff whose branch reads only there
     * (see {@link GcPlan}) if delta layers lie under it that no image at or below it holds: without
     * them GC keeps everything below the point for as long as the branch lives.
     */
    private void imagesAtBranchPoints(Collection<Lsn> snapshotLsns, Lsn newCutoff) {
        for (Lsn branchPoint : new TreeSet<>(snapshotLsns)) {
            if (!branchPoint.isBefore(newCutoff) || timeline.isStopped()) {
                continue;
            }
            List<LayerName> names = layerNames();
            List<LayerName> images = names.stream().filter(LayerName::image).toList();
            boolean needed = names.stream().anyMatch(layer -> !layer.image()
                    && !Lsn.of(layer.lsnEnd().value() - 1).isAfter(branchPoint)
                    && !GcPlan.coveredByNewerImages(layer, images, branchPoint.plus(1)));
            if (needed) {
                makeImages(ImageLayers.partitions(timeline, timeline.compactionSettings().targetSize()), branchPoint,
                        "branch point of a child timeline");
            }
        }
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
