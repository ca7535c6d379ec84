package org.pageserver.application.engine;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.pageserver.application.port.out.Metrics;
import org.pageserver.domain.error.Failures;
import org.pageserver.domain.error.PageserverException;
import org.pageserver.domain.layer.LayerDescriptor;
import org.pageserver.domain.lsn.Lsn;
import org.pageserver.domain.timeline.TimelineMetadata;

/**
 * Freezing and flushing: the open in-memory layer is frozen at checkpoint_distance, at
 * checkpoint_timeout, when the node is short of memory or at a checkpoint, and the frozen layers
 * are written to L0 delta layer files on the flush threads (a checkpoint's on its caller's), oldest
 * first, each advancing disk_consistent_lsn; too many L0 layers make a flush wait for compaction
 * first. Flushes run one at a time under the timeline's flush lock, which maintenance's layer swaps
 * and a shutdown take too.
 */
final class Flusher {
    private static final Logger LOG = System.getLogger(Flusher.class.getName());

    private final TimelineData timeline;
    private final LastRecordLsn lsns;
    private final Maintenance maintenance;

    Flusher(TimelineData timeline, LastRecordLsn lsns, Maintenance maintenance) {
        this.timeline = timeline;
        this.lsns = lsns;
        this.maintenance = maintenance;
    }

    /** Freezes the open layer if the batch just applied filled it; the caller holds the write lock. */
    void freezeIfFull() {
        InMemoryLayer open = timeline.layers().open();
        Lsn acceptedLsn = lsns.accepted();
        // Bytes of LSN since the freeze, unsigned: a client may jump more than 2^63 bytes ahead, and
        // this runs after the batch is logged and applied, where an exception would wedge the timeline.
        long distance = acceptedLsn.value() - Lsn.min(open.lsnStart(), acceptedLsn).value();
        long limit = timeline.config().checkpointDistance();
        InMemoryBudget memory = timeline.context().memoryBudget();
        boolean memoryShort = memory.overFreezeThreshold() && open.bytes() >= memory.earlyFreezeSize();
        if (!open.isEmpty() && (Long.compareUnsigned(distance, limit) >= 0 || open.bytes() >= limit || memoryShort)) {
            freezeLocked();
        }
    }

    private void freezeLocked() {
        InMemoryLayer open = timeline.layers().open();
        Lsn end = lsns.accepted().plus(1);
        open.freeze(end, lsns.acceptedPrev());
        timeline.setLayers(timeline.layers().withFrozen(timeline.newLayer(end)));
        timeline.context().flushExecutor().execute(this::flushFrozen);
    }

    /** See {@link TimelineData#freezeIfOld()}. */
    void freezeIfOld() {
        InMemoryLayer open = timeline.layers().open();
        if (open.isEmpty() || open.ageNanos() < timeline.config().checkpointTimeout().toNanos() || timeline.isStopped()) {
            return;
        }
        ReentrantLock writeLock = timeline.writeLock();
        writeLock.lock();
        try {
            if (!timeline.layers().open().isEmpty() && !timeline.isStopped()) {
                TimelineMetadata m = timeline.storedMetadata();
                LOG.log(Level.DEBUG, "timeline {0}/{1}: checkpoint_timeout passed, freezing", m.tenantId(),
                        m.timelineId());
                freezeLocked();
            }
        } finally {
            writeLock.unlock();
        }
    }

    /** See {@link TimelineData#freezeForMemory()}. */
    void freezeForMemory() {
        ReentrantLock writeLock = timeline.writeLock();
        writeLock.lock();
        try {
            if (!timeline.layers().open().isEmpty() && !timeline.isStopped()) {
                TimelineMetadata m = timeline.storedMetadata();
                LOG.log(Level.INFO, "timeline {0}/{1}: freezing {2} bytes early, in-memory layers are near the node''s limit",
                        m.tenantId(), m.timelineId(), timeline.layers().open().bytes());
                freezeLocked();
            }
        } finally {
            writeLock.unlock();
        }
    }

    /** See {@link TimelineData#checkpoint()}. */
    void checkpoint() {
        try (Gate.Pass pass = timeline.enter()) {
            ReentrantLock writeLock = timeline.writeLock();
            writeLock.lock();
            try {
                // Not requireWritable: a detach flushes after it closed ingest.
                timeline.requireRunning();
                if (!timeline.layers().open().isEmpty()) {
                    freezeLocked();
                }
            } finally {
                writeLock.unlock();
            }
            if (!flushFrozen()) {
                throw timeline.brokenReason() != null ? timeline.broken() : timeline.stopping();
            }
        }
    }

    /**
     * Writes the frozen layers to files, oldest first, advancing disk_consistent_lsn with each.
     *
     * @return false if the timeline stopped or broke before every frozen layer was written
     */
    boolean flushFrozen() {
        if (!timeline.layers().frozenNewestFirst().isEmpty()) {
            relieveL0Pile();
        }
        ReentrantLock flushLock = timeline.flushLock();
        flushLock.lock();
        try {
            while (!timeline.isStopped() && timeline.brokenReason() == null) {
                List<InMemoryLayer> frozen = timeline.layers().frozenNewestFirst();
                if (frozen.isEmpty()) {
                    return true;
                }
                try {
                    flushOne(frozen.get(frozen.size() - 1));
                } catch (RuntimeException e) {
                    // Broken before the lock goes: a flush waiting for it must not try the layer again.
                    timeline.fail("a flush failed: " + Failures.describe(e), e);
                }
            }
            return false;
        } finally {
            flushLock.unlock();
        }
    }

    /**
     * L0 backpressure (Neon's, at 3 x compaction_threshold): when that many L0 layers have piled up,
     * a flush first waits for compaction to merge them, so that reads do not get longer without
     * bound while ingest outruns the periodic compaction; ingest then waits for memory
     * (pageserver.in-memory-limit) as flushes slow down. Logged, and timed in
     * storage_operations_seconds{operation="flush_waited_for_l0"}.
     */
    private void relieveL0Pile() {
        Maintenance.Compaction settings = timeline.compactionSettings();
        long limit = 3 * settings.l0Threshold();
        int pile = L0Compaction.l0Layers(timeline.layers().historic().layers()).size();
        if (limit <= 0 || pile < limit || timeline.isStopped() || timeline.brokenReason() != null) {
            return;
        }
        long started = System.nanoTime();
        TimelineMetadata m = timeline.storedMetadata();
        LOG.log(Level.WARNING, "timeline {0}/{1}: {2} L0 layers (3 x compaction_threshold = {3}): the flush waits for"
                + " compaction", m.tenantId(), m.timelineId(), pile, limit);
        try {
            maintenance.compact(settings);
        } catch (PageserverException e) {
            // Broken or being removed: the flush finds out and stops.
            LOG.log(Level.DEBUG, "L0 backpressure: no compaction: {0}", e.getMessage());
        }
        timeline.context().metrics().storageOperation(Metrics.StorageOperation.FLUSH_WAITED_FOR_L0,
                System.nanoTime() - started);
    }

    private void flushOne(InMemoryLayer frozen) {
        Lsn last = Lsn.of(frozen.lsnEnd().value() - 1);
        // The layer may hold a batch whose write is still being forced: never record on disk what
        // has not been acknowledged as durable yet.
        lsns.waitForLsn(last, Duration.ofMinutes(5));
        long started = System.nanoTime();
        LayerDescriptor written = frozen.seal(frozen.fileName());
        // Stored as one consistent point: a restart starts from it and seals what came after from
        // the newer ingest files.
        TimelineMetadata stored = timeline.storedMetadata().withLsns(last, frozen.prevOfLast(), last);
        EngineContext context = timeline.context();
        context.saveLayers().saveFlushedLayer(stored, written);
        frozen.publish();
        HistoricLayer file = timeline.historicLayer(written);
        ReentrantLock writeLock = timeline.writeLock();
        writeLock.lock();
        try {
            // The layers first: whoever reads the new disk_consistent_lsn without the lock then finds its file too.
            timeline.setLayers(timeline.layers().withFlushed(frozen, file));
            timeline.setStoredMetadata(timeline.storedMetadata().withLsns(last, frozen.prevOfLast(), last));
        } finally {
            writeLock.unlock();
        }
        frozen.release();
        timeline.layersChanged();
        context.metrics().storageOperation(Metrics.StorageOperation.FLUSH, System.nanoTime() - started);
        context.metrics().wrotePersistentBytes(written.fileSize());
        LOG.log(Level.INFO, "timeline {0}/{1}: flushed {2} ({3} bytes) in {4} ms; disk_consistent_lsn {5}",
                stored.tenantId(), stored.timelineId(), written.name(), written.fileSize(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), last);
    }
}
