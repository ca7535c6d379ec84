package org.pageserver.application.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.pageserver.application.port.out.IngestLog;
import org.pageserver.domain.id.TenantId;
import org.pageserver.domain.id.TimelineId;
import org.pageserver.domain.lsn.Lsn;
import org.pageserver.domain.wal.WalBatch;

/** An ingest log in memory: every append is "durable" at once; replay hands back what was appended. */
public final class MemoryIngestLog implements IngestLog {
    record Entry(TenantId tenantId, TimelineId timelineId, byte[] batch) {
    }

    final List<Entry> entries = new ArrayList<>();
    private RuntimeException replayFailure;

    /** Makes the next replays fail as an unreadable log would. */
    public synchronized void failReplay(RuntimeException failure) {
        this.replayFailure = failure;
    }

    @Override
    public synchronized CompletableFuture<Void> append(TenantId tenantId, TimelineId timelineId, WalBatch batch) {
        entries.add(new Entry(tenantId, timelineId, batch.encoded()));
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public synchronized void replay(ReplaySink sink) {
        if (replayFailure != null) {
            throw replayFailure;
        }
        for (Entry e : entries) {
            sink.accept(e.tenantId(), e.timelineId(), e.batch());
        }
    }

    @Override
    public void release(TenantId tenantId, TimelineId timelineId, Lsn upTo) {
    }

    @Override
    public synchronized void forget(TenantId tenantId, TimelineId timelineId) {
        entries.removeIf(e -> e.tenantId().equals(tenantId) && e.timelineId().equals(timelineId));
    }
}
