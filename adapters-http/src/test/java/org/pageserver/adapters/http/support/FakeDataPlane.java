package org.pageserver.adapters.http.support;

import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.pageserver.application.port.in.CheckpointTimelineUseCase;
import org.pageserver.application.port.in.CompactTimelineUseCase;
import org.pageserver.application.port.in.GcTimelineUseCase;
import org.pageserver.domain.timeline.GcResult;
import org.pageserver.application.port.in.FindLsnByTimestampUseCase;
import org.pageserver.application.port.in.GetTimestampOfLsnUseCase;
import org.pageserver.application.port.in.IngestWalUseCase;
import org.pageserver.application.port.in.ReadPagesUseCase;
import org.pageserver.domain.error.PageserverException;
import org.pageserver.domain.id.TenantId;
import org.pageserver.domain.id.TimelineId;
import org.pageserver.domain.lsn.Lsn;
import org.pageserver.domain.lsn.LsnByTimestamp;
import org.pageserver.domain.page.PageRequest;
import org.pageserver.domain.page.RelTag;

/**
 * The data-plane use cases in memory, per timeline: ingested bodies are kept as sent, pages and
 * relation sizes are whatever a test puts in, and every call is remembered, so that a test sees
 * exactly what the controller passed on. A timeline can be told to fail every call with a given
 * exception. The timelines need not exist in the management store: this fake knows none of it.
 */
public final class FakeDataPlane implements IngestWalUseCase, ReadPagesUseCase, FindLsnByTimestampUseCase,
        GetTimestampOfLsnUseCase, CheckpointTimelineUseCase, CompactTimelineUseCase, GcTimelineUseCase {

    /**
     * One call as the controller made it; {@code lsn} is null where the latest was asked for.
     * {@code dbSize} records its database as {@code rel} with relnode and fork 0; {@code getPages}
     * records the number of requests as {@code blkno}.
     */
    public record Call(String name, RelTag rel, long blkno, Lsn lsn, long micros) {
    }

    /** Everything the fake holds for one timeline. */
    public static final class Timeline {
        public final List<byte[]> ingested = new CopyOnWriteArrayList<>();
        public final Map<RelTag, Long> relSizes = new ConcurrentHashMap<>();
        public final Map<String, byte[]> pages = new ConcurrentHashMap<>();
        public final Map<Lsn, Long> commitTimes = new ConcurrentHashMap<>();
        public volatile LsnByTimestamp lsnByTimestamp = new LsnByTimestamp(Lsn.INITDB, LsnByTimestamp.Kind.NODATA);
        public volatile PageserverException failure;
        public volatile Call lastCall;
        public final AtomicInteger checkpoints = new AtomicInteger();
        public final AtomicInteger compactions = new AtomicInteger();
        /** The horizon each do_gc passed (null: the tenant's), and what it answers. */
        public final java.util.List<Long> gcHorizons = new java.util.concurrent.CopyOnWriteArrayList<>();
        public volatile GcResult gcResult = new GcResult(7, 1, 2, 1, 1, 2, 3);

        /** Puts a page and grows its relation to hold it, as an ingested PAGE_IMAGE would. */
        public void putPage(RelTag rel, long blkno, byte[] page) {
            pages.put(rel + "#" + blkno, page);
            relSizes.merge(rel, blkno + 1, Math::max);
        }
    }

    private final Map<TimelineId, Timeline> timelines = new ConcurrentHashMap<>();

    public Timeline timeline(TimelineId id) {
        return timelines.computeIfAbsent(id, x -> new Timeline());
    }

    /** The timeline's state after recording the call, or its injected failure. */
    private Timeline call(TimelineId id, Call call) {
        Timeline t = timeline(id);
        t.lastCall = call;
        if (t.failure != null) {
            throw t.failure;
        }
        return t;
    }

    @Override
    public Lsn ingest(TenantId tenantId, TimelineId timelineId, byte[] body) {
        Timeline t = call(timelineId, new Call("ingest", null, 0, null, 0));
        t.ingested.add(body.clone());
        long total = t.ingested.stream().mapToLong(b -> b.length).sum();
        return Lsn.INITDB.plus(total);
    }

    @Override
    public <T> T readNow(java.util.function.Supplier<T> read) {
        return read.get();
    }

    @Override
    public byte[] getPage(TenantId tenantId, TimelineId timelineId, RelTag rel, long blkno, Lsn lsn) {
        return page(call(timelineId, new Call("getPage", rel, blkno, lsn, 0)), rel, blkno);
    }

    private static byte[] page(Timeline t, RelTag rel, long blkno) {
        byte[] page = t.pages.get(rel + "#" + blkno);
        if (page == null) {
            throw PageserverException.notFound("block " + blkno + " of relation " + rel + " does not exist");
        }
        return page;
    }

    @Override
    public long relSize(TenantId tenantId, TimelineId timelineId, RelTag rel, Lsn lsn) {
        Long size = call(timelineId, new Call("relSize", rel, 0, lsn, 0)).relSizes.get(rel);
        if (size == null) {
            throw PageserverException.notFound("relation " + rel + " does not exist");
        }
        return size;
    }

    @Override
    public boolean relExists(TenantId tenantId, TimelineId timelineId, RelTag rel, Lsn lsn) {
        return call(timelineId, new Call("relExists", rel, 0, lsn, 0)).relSizes.containsKey(rel);
    }

    @Override
    public long dbSize(TenantId tenantId, TimelineId timelineId, long spcnode, long dbnode, Lsn lsn) {
        Timeline t = call(timelineId, new Call("dbSize", new RelTag(spcnode, dbnode, 0, 0), 0, lsn, 0));
        return t.relSizes.entrySet().stream()
                .filter(e -> e.getKey().spcnode() == spcnode && e.getKey().dbnode() == dbnode)
                .mapToLong(e -> e.getValue() * 8192).sum();
    }

    @Override
    public byte[] getPages(TenantId tenantId, TimelineId timelineId, List<PageRequest> requests) {
        Timeline t = call(timelineId, new Call("getPages", null, requests.size(), null, 0));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (PageRequest r : requests) {
            out.writeBytes(page(t, r.rel(), r.blkno()));
        }
        return out.toByteArray();
    }

    @Override
    public LsnByTimestamp findLsnByTimestamp(TenantId tenantId, TimelineId timelineId, long timestampMicros) {
        return call(timelineId, new Call("findLsnByTimestamp", null, 0, null, timestampMicros)).lsnByTimestamp;
    }

    @Override
    public Optional<Long> getTimestampOfLsn(TenantId tenantId, TimelineId timelineId, Lsn lsn) {
        return Optional.ofNullable(call(timelineId, new Call("getTimestampOfLsn", null, 0, lsn, 0)).commitTimes.get(lsn));
    }

    @Override
    public void checkpoint(TenantId tenantId, TimelineId timelineId) {
        call(timelineId, new Call("checkpoint", null, 0, null, 0)).checkpoints.incrementAndGet();
    }

    @Override
    public void compact(TenantId tenantId, TimelineId timelineId) {
        call(timelineId, new Call("compact", null, 0, null, 0)).compactions.incrementAndGet();
    }

    @Override
    public GcResult gc(TenantId tenantId, TimelineId timelineId, Long gcHorizon) {
        Timeline timeline = call(timelineId, new Call("gc", null, 0, null, 0));
        timeline.gcHorizons.add(gcHorizon);
        return timeline.gcResult;
    }
}
