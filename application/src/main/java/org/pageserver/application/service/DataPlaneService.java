package org.pageserver.application.service;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.pageserver.application.engine.CommitSearch;
import org.pageserver.application.engine.NonBlocking;
import org.pageserver.application.engine.TimelineData;
import org.pageserver.application.port.in.CheckpointTimelineUseCase;
import org.pageserver.application.port.in.CompactTimelineUseCase;
import org.pageserver.application.port.in.FindLsnByTimestampUseCase;
import org.pageserver.application.port.in.GetTimestampOfLsnUseCase;
import org.pageserver.application.port.in.IngestWalUseCase;
import org.pageserver.application.port.in.ReadPagesUseCase;
import org.pageserver.application.port.out.Metrics.SmgrQuery;
import org.pageserver.domain.error.PageserverException;
import org.pageserver.domain.id.TenantId;
import org.pageserver.domain.id.TimelineId;
import org.pageserver.domain.lsn.Lsn;
import org.pageserver.domain.lsn.LsnByTimestamp;
import org.pageserver.domain.page.Page;
import org.pageserver.domain.page.PageRequest;
import org.pageserver.domain.page.RelSize;
import org.pageserver.domain.page.RelTag;
import org.pageserver.domain.timeline.TimelineState;
import org.pageserver.domain.wal.WalBatch;
import org.pageserver.domain.wal.WalDecoder;

/** The data plane: ingest and the reads of docs/data-plane.md, on Active timelines of Active tenants. */
public final class DataPlaneService implements IngestWalUseCase, ReadPagesUseCase, FindLsnByTimestampUseCase,
        GetTimestampOfLsnUseCase, CheckpointTimelineUseCase, CompactTimelineUseCase {
    private final TenantManager tenants;
    private final Duration waitLsnTimeout;

    public DataPlaneService(TenantManager tenants, Duration waitLsnTimeout) {
        this.tenants = tenants;
        this.waitLsnTimeout = waitLsnTimeout;
    }

    private TimelineData data(TenantId tenantId, TimelineId timelineId) {
        return tenants.activeTimeline(tenantId, timelineId);
    }

    @Override
    public Lsn ingest(TenantId tenantId, TimelineId timelineId, byte[] body) {
        TimelineData data = data(tenantId, timelineId);
        WalBatch batch = WalDecoder.decode(body);
        Lsn last = data.ingest(batch);
        data.meters().ingested(body.length, batch.records().size());
        return last;
    }

    @Override
    public byte[] getPage(TenantId tenantId, TimelineId timelineId, RelTag rel, long blkno, Lsn lsn) {
        TimelineData data = data(tenantId, timelineId);
        return timed(data, SmgrQuery.GET_PAGE_AT_LSN, () -> data.page(rel, blkno, data.readLsn(lsn, waitLsnTimeout)));
    }

    @Override
    public long relSize(TenantId tenantId, TimelineId timelineId, RelTag rel, Lsn lsn) {
        TimelineData data = data(tenantId, timelineId);
        return timed(data, SmgrQuery.GET_REL_SIZE, () -> {
            Lsn at = data.readLsn(lsn, waitLsnTimeout);
            RelSize size = data.relSize(rel, at);
            if (!size.exists()) {
                throw PageserverException.notFound("relation " + rel + " does not exist at LSN " + at);
            }
            return size.nblocks();
        });
    }

    @Override
    public boolean relExists(TenantId tenantId, TimelineId timelineId, RelTag rel, Lsn lsn) {
        TimelineData data = data(tenantId, timelineId);
        return timed(data, SmgrQuery.GET_REL_EXISTS, () -> data.relSize(rel, data.readLsn(lsn, waitLsnTimeout)).exists());
    }

    @Override
    public long dbSize(TenantId tenantId, TimelineId timelineId, long spcnode, long dbnode, Lsn lsn) {
        TimelineData data = data(tenantId, timelineId);
        return timed(data, SmgrQuery.GET_DB_SIZE,
                () -> data.dbSizeBytes(spcnode, dbnode, data.readLsn(lsn, waitLsnTimeout)));
    }

    @Override
    public <T> T readNow(Supplier<T> read) {
        return NonBlocking.attempt(read);
    }

    /**
     * Runs a read, timed as {@code query}; an attempt of {@link #readNow} that gives up is not
     * counted, as it runs again where waiting is fine.
     */
    private static <T> T timed(TimelineData data, SmgrQuery query, Supplier<T> read) {
        return NonBlocking.timed(read, nanos -> data.meters().smgrQuery(query, nanos));
    }

    @Override
    public byte[] getPages(TenantId tenantId, TimelineId timelineId, List<PageRequest> requests) {
        TimelineData data = data(tenantId, timelineId);
        byte[] out = new byte[requests.size() * Page.SIZE];
        // Each page's time is recorded once the batch is over: an attempt of readNow that gives up
        // halfway runs again whole, and the pages it read first must not be counted twice.
        long[] nanos = new long[requests.size()];
        int[] timed = {0};
        return NonBlocking.timed(() -> {
            // "Latest" is fixed once for the whole batch, so its pages are one consistent snapshot.
            Lsn latest = data.readLsn(null, waitLsnTimeout);
            for (int i = 0; i < requests.size(); i++) {
                PageRequest request = requests.get(i);
                long started = System.nanoTime();
                try {
                    Lsn at = request.lsn() == null ? latest : data.readLsn(request.lsn(), waitLsnTimeout);
                    System.arraycopy(data.page(request.rel(), request.blkno(), at), 0, out, i * Page.SIZE, Page.SIZE);
                } finally {
                    nanos[timed[0]++] = System.nanoTime() - started;
                }
            }
            return out;
        }, batch -> {
            for (int i = 0; i < timed[0]; i++) {
                data.meters().smgrQuery(SmgrQuery.GET_PAGE_AT_LSN, nanos[i]);
            }
        });
    }

    @Override
    public LsnByTimestamp findLsnByTimestamp(TenantId tenantId, TimelineId timelineId, long timestampMicros) {
        return CommitSearch.lsnFor(data(tenantId, timelineId), timestampMicros);
    }

    @Override
    public Optional<Long> getTimestampOfLsn(TenantId tenantId, TimelineId timelineId, Lsn lsn) {
        if (!lsn.isValid()) {
            throw PageserverException.badRequest("Invalid LSN " + lsn);
        }
        TimelineData data = data(tenantId, timelineId);
        Lsn at = Lsn.min(lsn, data.metadata().lastRecordLsn());
        return Optional.ofNullable(CommitSearch.timestampAt(data, at));
    }

    @Override
    public void checkpoint(TenantId tenantId, TimelineId timelineId) {
        data(tenantId, timelineId).checkpoint();
    }

    @Override
    public void compact(TenantId tenantId, TimelineId timelineId) {
        data(tenantId, timelineId).compact();
    }
}
