package org.pageserver.adapters.storage.wal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.pageserver.adapters.storage.layer.Durable;
import org.pageserver.application.port.out.IngestLog;
import org.pageserver.domain.id.TenantId;
import org.pageserver.domain.id.TimelineId;
import org.pageserver.domain.lsn.Lsn;
import org.pageserver.domain.wal.WalBatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ingest log in segment files under one directory ({@link SegmentFile}, {@link LogRecord}),
 * written with group commit by a {@link GroupCommitWriter}.
 *
 * <p>Start-up: {@link #replay} reads every segment in order. Only the last segment can end in a
 * write a crash cut short, because a segment is forced before the next one is begun: a fault there
 * (a record cut short, an impossible length, a checksum mismatch) ends the log and is cut off, the
 * file truncated, with a warning. A fault in any earlier segment is damage and stops start-up
 * ({@link CorruptIngestLogException}), as does a bad header with records after it. Damage inside
 * the last segment cannot be told from a torn write and is cut off like one. Appending without a replay
 * first runs the same recovery and discards what it reads.
 *
 * <p>Futures complete on the writer thread: a dependent action that blocks, or appends and waits,
 * must run elsewhere ({@code thenRunAsync}), or it stalls every appender.
 *
 * <p>What release learns is not persisted: after a restart every batch still in a segment is
 * replayed again, and the engine skips what its layers already hold; it then calls
 * {@link #release} for each timeline at its disk-consistent LSN. A forget is persisted, as a
 * record: replay skips a timeline's batches logged before its last forget record.
 */
public final class FileIngestLog implements IngestLog, AutoCloseable {
    public static final long DEFAULT_SEGMENT_SIZE = 64L << 20;
    private static final Logger LOG = LoggerFactory.getLogger(FileIngestLog.class);

    private final Path dir;
    private final long segmentSize;
    private final SegmentTracker tracker = new SegmentTracker();
    private final SpareSegments spares;
    private volatile GroupCommitWriter writer;
    private boolean closed;

    public FileIngestLog(Path dir) {
        this(dir, DEFAULT_SEGMENT_SIZE);
    }

    /** @param segmentSize the size at which a segment is closed and the next begun (one record may exceed it) */
    public FileIngestLog(Path dir, long segmentSize) {
        if (segmentSize <= SegmentFile.HEADER_SIZE) {
            throw new IllegalArgumentException("segment size " + segmentSize + " leaves no room for records");
        }
        this.dir = dir;
        this.segmentSize = segmentSize;
        this.spares = new SpareSegments(dir);
    }

    @Override
    public synchronized void replay(ReplaySink sink) {
        if (writer != null || closed) {
            throw new IllegalStateException("the ingest log is replayed once, at start-up, before the first append");
        }
        recover(sink);
    }

    @Override
    public CompletableFuture<Void> append(TenantId tenantId, TimelineId timelineId, WalBatch batch) {
        TimelineKey timeline = new TimelineKey(tenantId, timelineId);
        GroupCommitWriter current = writer;
        if (current == null) {
            try {
                current = recoverForAppend();
            } catch (RuntimeException e) {
                return CompletableFuture.failedFuture(e);
            }
        }
        byte[] encoded = batch.encoded();
        return current.submit(timeline, batch.lastLsn(), LogRecord.head(timeline, batch.lastLsn(), encoded),
                ByteBuffer.wrap(encoded));
    }

    private synchronized GroupCommitWriter recoverForAppend() {
        if (closed) {
            throw new IllegalStateException("the ingest log is closed");
        }
        if (writer == null) {
            recover((tenant, timeline, batch) -> { });
        }
        return writer;
    }

    @Override
    public void release(TenantId tenantId, TimelineId timelineId, Lsn upTo) {
        delete(tracker.release(new TimelineKey(tenantId, timelineId), upTo));
    }

    /**
     * Writes a forget record and waits until it is durable, so that the timeline's batches are
     * never replayed again, even into a new timeline under the same id; then reclaims what it can.
     */
    @Override
    public void forget(TenantId tenantId, TimelineId timelineId) {
        TimelineKey timeline = new TimelineKey(tenantId, timelineId);
        GroupCommitWriter current = writer != null ? writer : recoverForAppend();
        current.submit(timeline, Lsn.INVALID, LogRecord.forget(timeline)).join();
        delete(tracker.forget(timeline));
    }

    /** How many times the log forced a segment to disk: with group commit, fewer than appends. */
    public long forceCount() {
        GroupCommitWriter current = writer;
        return current == null ? 0 : current.forces();
    }

    /** Writes and acknowledges what is queued; later appends fail. */
    @Override
    public synchronized void close() {
        closed = true;
        if (writer != null) {
            writer.close();
        }
    }

    private void recover(ReplaySink sink) {
        try {
            Durable.createDirectories(dir);
            spares.adopt();
            List<Long> seqs = SegmentFile.list(dir);
            // First pass: where each timeline was last forgotten, counted in records from the start.
            Map<TimelineKey, Long> lastForget = new HashMap<>();
            long[] ordinal = {0};
            scanAll(seqs, record -> {
                if (record.isForget()) {
                    lastForget.put(record.timeline(), ordinal[0]);
                }
                ordinal[0]++;
            }, false);
            ordinal[0] = 0;
            long lastValidEnd = scanAll(seqs, record -> {
                long at = ordinal[0]++;
                if (record.isForget() || at < lastForget.getOrDefault(record.timeline(), -1L)) {
                    return;
                }
                sink.accept(record.timeline().tenantId(), record.timeline().timelineId(), record.batch());
            }, true);
            writer = seqs.isEmpty() ? startNew(1) : resume(seqs.get(seqs.size() - 1), lastValidEnd);
        } catch (IOException e) {
            throw new UncheckedIOException("recovering the ingest log in " + dir, e);
        }
    }

    /** Reads every segment in order; returns where the last one's valid records end. */
    private long scanAll(List<Long> seqs, SegmentScanner.RecordSink sink, boolean track) throws IOException {
        long lastValidEnd = 0;
        for (int i = 0; i < seqs.size(); i++) {
            long seq = seqs.get(i);
            Path file = SegmentFile.path(dir, seq);
            if (track) {
                tracker.known(seq);
            }
            SegmentScanner.Result result = SegmentScanner.scan(file, seq, record -> {
                if (track) {
                    tracker.appended(seq, record.timeline(), record.lastLsn());
                }
                sink.accept(record);
            });
            if (result.fault() != null && i < seqs.size() - 1) {
                throw new CorruptIngestLogException(file, result.validEnd(), result.fault() + ", in a segment that is not the last");
            }
            if (result.validEnd() == 0 && Files.size(file) > SegmentFile.HEADER_SIZE) {
                throw new CorruptIngestLogException(file, 0, result.fault() + ", with records after it");
            }
            if (result.fault() != null && track) {
                LOG.warn("ingest log segment {}: cutting off {} bytes from byte {} on ({}): a write that a crash"
                        + " interrupted, never acknowledged, or what a reused file held before", file,
                        Files.size(file) - result.validEnd(), result.validEnd(), result.fault());
            }
            lastValidEnd = result.validEnd();
        }
        return lastValidEnd;
    }

    private GroupCommitWriter startNew(long seq) throws IOException {
        SegmentFile.create(dir, seq);
        return GroupCommitWriter.start(dir, segmentSize, tracker, spares, seq, SegmentFile.HEADER_SIZE);
    }

    /** Appends to the last segment after its valid end, cutting off a torn tail first. */
    private GroupCommitWriter resume(long seq, long validEnd) throws IOException {
        Path file = SegmentFile.path(dir, seq);
        if (validEnd < SegmentFile.HEADER_SIZE) {
            // A crash while it was being created: it holds nothing, so begin it afresh.
            Files.delete(file);
            return startNew(seq);
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            if (channel.size() > validEnd) {
                channel.truncate(validEnd);
                channel.force(false);
            }
        }
        if (!SegmentFile.isCurrentVersion(file)) {
            // Written by an older version, without checksum masks: new records go to a new segment.
            return startNew(seq + 1);
        }
        return GroupCommitWriter.start(dir, segmentSize, tracker, spares, seq, validEnd);
    }

    private void delete(List<Long> seqs) {
        if (seqs.isEmpty()) {
            return;
        }
        try {
            for (long seq : seqs) {
                spares.offer(seq);
            }
            Durable.syncDirectory(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("deleting reclaimed ingest log segments in " + dir, e);
        }
    }
}
