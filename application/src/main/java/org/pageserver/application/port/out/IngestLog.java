package org.pageserver.application.port.out;

import java.util.concurrent.CompletableFuture;
import org.pageserver.domain.id.TenantId;
import org.pageserver.domain.id.TimelineId;
import org.pageserver.domain.lsn.Lsn;
import org.pageserver.domain.wal.WalBatch;

/**
 * The write-ahead log of ingested batches, shared by every timeline of the node so that one fsync
 * makes many writers' batches durable at once (group commit). A batch is acknowledged to its
 * client only once its future completes; until its records are in layer files the log is what a
 * restart replays.
 */
public interface IngestLog {

    /**
     * Appends a batch. The future completes once the batch, and every batch appended before it,
     * is durable; it completes exceptionally if that can no longer happen (an I/O error).
     */
    CompletableFuture<Void> append(TenantId tenantId, TimelineId timelineId, WalBatch batch);

    /** Receives logged batches at start-up, in the order they were appended. */
    interface ReplaySink {
        void accept(TenantId tenantId, TimelineId timelineId, byte[] encodedBatch);
    }

    /**
     * Hands every batch still in the log to the sink, in append order; a torn batch at the very
     * end (a crash in the middle of a write that was never acknowledged) is cut off.
     */
    void replay(ReplaySink sink);

    /**
     * Everything of the timeline at or below {@code upTo} is now in layer files: log space that
     * holds nothing newer for any timeline may be reclaimed.
     */
    void release(TenantId tenantId, TimelineId timelineId, Lsn upTo);

    /**
     * The timeline is gone: its batches are never to be replayed, not even into a timeline created
     * later under the same id. Durable when it returns.
     */
    void forget(TenantId tenantId, TimelineId timelineId);
}
