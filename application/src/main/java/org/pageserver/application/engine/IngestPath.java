package org.pageserver.application.engine;

import java.io.UncheckedIOException;
import java.util.concurrent.locks.ReentrantLock;
import org.pageserver.domain.error.Failures;
import org.pageserver.domain.error.PageserverException;
import org.pageserver.domain.lsn.Lsn;
import org.pageserver.domain.page.Key;
import org.pageserver.domain.page.RelSize;
import org.pageserver.domain.page.RelTag;
import org.pageserver.domain.wal.WalBatch;

/**
 * How a decoded batch of WAL gets into a timeline: checked and planned, applied to the open
 * in-memory layer and appended to its ingest file under the write lock, then, once the file has
 * made it and every batch before it durable, published as the new last_record_lsn
 * ({@link LastRecordLsn}). Keeps every relation's size at last_record_lsn as records arrive. An open
 * layer that is full is frozen here, before the write lock goes ({@link Flusher#freezeIfFull()}).
 */
final class IngestPath {
    private final TimelineData timeline;
    private final LastRecordLsn lsns;
    private final Flusher flusher;
    /**
     * Every relation's size at last_record_lsn, kept as records arrive. Worked out from the layers
     * only when first needed (the first ingest, the first size asked for): a start opens no layer
     * file, as Neon computes a timeline's initial logical size after its tenant is active.
     */
    private final RelSizes relSizes = new RelSizes();
    private volatile boolean relSizesKnown;
    /** Where the timeline started here: the sizes are worked out at this LSN. */
    private final Lsn startLsn;

    IngestPath(TimelineData timeline, LastRecordLsn lsns, Flusher flusher, Lsn startLsn) {
        this.timeline = timeline;
        this.lsns = lsns;
        this.flusher = flusher;
        this.startLsn = startLsn;
    }

    /** Whether the sizes have been worked out: until then only {@link #relSizes()} reads layers for them. */
    boolean relSizesKnown() {
        return relSizesKnown;
    }

    /**
     * The relation's size at {@code lsn} (an LSN that has arrived) if the ingest path knows it
     * without a look in the layers; null if not (or the read caches are off).
     */
    RelSize cachedRelSize(RelTag rel, Lsn lsn) {
        return relSizes.at(rel, lsn);
    }

    /** Whether the sizes are known, or can be worked out from layer files on local disk (without a download). */
    boolean relSizesLocal() {
        return relSizesKnown || ReadPath.keysResident(timeline, Key.allSizesStart(), Key.allSizesEnd(), startLsn);
    }

    /**
     * The sizes, worked out from the layers and ancestors at the first call; ingest keeps them
     * current from then on. Nothing has been ingested before that call, so the layers then are
     * the ones the timeline started with.
     */
    RelSizes relSizes() {
        if (!relSizesKnown) {
            ReentrantLock writeLock = timeline.writeLock();
            writeLock.lock();
            try {
                if (!relSizesKnown) {
                    for (Key key : ReadPath.keys(timeline, Key.allSizesStart(), Key.allSizesEnd(), startLsn)) {
                        relSizes.put(key.relTag(), ReadPath.relSize(timeline, key, startLsn), startLsn);
                    }
                    if (timeline.context().readCaches()) {
                        relSizes.complete(startLsn);
                    }
                    relSizesKnown = true;
                }
            } finally {
                writeLock.unlock();
            }
        }
        return relSizes;
    }

    /** Every relation's number of blocks at last_record_lsn, as a copy (worked out from the layers at the first call). */
    java.util.Map<org.pageserver.domain.page.RelTag, Long> relBlockCounts() {
        RelSizes sizes = relSizes();
        ReentrantLock writeLock = timeline.writeLock();
        writeLock.lock();
        try {
            return sizes.blockCounts();
        } finally {
            writeLock.unlock();
        }
    }

    /** See {@link TimelineData#ingest}. */
    Lsn ingest(WalBatch batch) {
        // Outside the gate: waiting for memory must not hold up a deletion.
        timeline.context().memoryBudget().awaitRoom();
        try (Gate.Pass pass = timeline.enter()) {
            return ingestInside(batch);
        }
    }

    private Lsn ingestInside(WalBatch batch) {
        InMemoryLayer target;
        long end;
        Lsn prev;
        LayerSnapshot older;
        ReentrantLock writeLock = timeline.writeLock();
        writeLock.lock();
        try {
            timeline.requireWritable();
            if (!batch.firstLsn().isAfter(lsns.accepted())) {
                throw PageserverException.badRequest("frame 0 at byte 0: LSN " + batch.firstLsn()
                        + " is not above the timeline's last_record_lsn " + lsns.accepted());
            }
            BatchPlan plan = BatchPlan.of(batch.records(), relSizes());
            target = timeline.layers().open();
            target.reserve(plan.encodedSizes());
            older = timeline.layers();
            end = applyLocked(batch, plan);
            prev = lsns.acceptedPrev();
            flusher.freezeIfFull();
        } catch (UncheckedIOException e) {
            throw ingestFailed(batch, "written", e);
        } finally {
            writeLock.unlock();
        }
        try {
            target.awaitDurable(end);
            // Batches before this one that went to a layer frozen since: durable before this one is acknowledged.
            for (InMemoryLayer frozen : older.frozenNewestFirst()) {
                frozen.awaitAllDurable();
            }
        } catch (UncheckedIOException e) {
            throw ingestFailed(batch, "made durable", e);
        }
        lsns.publish(batch.lastLsn(), prev);
        return batch.lastLsn();
    }

    /** Breaks the timeline: its ingest file can no longer be trusted, nor what is in memory beside it. */
    private PageserverException ingestFailed(WalBatch batch, String step, UncheckedIOException e) {
        return timeline.failedBy("the batch ending at " + batch.lastLsn() + " could not be " + step + ": "
                + Failures.describe(e), e);
    }

    /**
     * Applies a planned batch to the open layer and its file.
     *
     * @return the batch's end in the layer's file
     */
    private long applyLocked(WalBatch batch, BatchPlan plan) {
        InMemoryLayer open = timeline.layers().open();
        plan.applyTo(open, relSizes());
        lsns.accept(batch);
        return open.commit(lsns.accepted(), lsns.acceptedPrev());
    }
}
