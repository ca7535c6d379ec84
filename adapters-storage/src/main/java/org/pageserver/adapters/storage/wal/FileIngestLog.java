package org.pageserver.adapters.storage.wal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
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
 * <p>What release and forget learn is not persisted: after a restart every batch still in a
 * segment is replayed again, and the engine skips what its layers already hold. It should then
 * call {@link #release} for each timeline at its disk-consistent LSN and {@link #forget} for each
 * replayed timeline that no longer exists, so that their segments can go.
 */
public final class FileIngestLog implements IngestLog, AutoCloseable {
    public static final long DEFAULT_SEGMENT_SIZE = 64L << 20;
    private static final Logger LOG = LoggerFactory.getLogger(FileIngestLog.class);

    private final Path dir;
    private final long segmentSize;
    private final SegmentTracker tracker = new SegmentTracker();
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
        return current.submit(timeline, batch.lastLsn(), LogRecord.encode(timeline, batch.lastLsn(), batch.encoded()));
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

    @Override
    public void forget(TenantId tenantId, TimelineId timelineId) {
        delete(tracker.forget(new TimelineKey(tenantId, timelineId)));
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
            List<Long> seqs = SegmentFile.list(dir);
            long lastValidEnd = 0;
            for (int i = 0; i < seqs.size(); i++) {
                long seq = seqs.get(i);
                Path file = SegmentFile.path(dir, seq);
                tracker.known(seq);
                SegmentScanner.Result result = SegmentScanner.scan(file, seq, record -> {
                    tracker.appended(seq, record.timeline(), record.lastLsn());
                    sink.accept(record.timeline().tenantId(), record.timeline().timelineId(), record.batch());
                });
                if (result.fault() != null && i < seqs.size() - 1) {
                    throw new CorruptIngestLogException(file, result.validEnd(), result.fault() + ", in a segment that is not the last");
                }
                if (result.validEnd() == 0 && Files.size(file) > SegmentFile.HEADER_SIZE) {
                    throw new CorruptIngestLogException(file, 0, result.fault() + ", with records after it");
                }
                if (result.fault() != null) {
                    LOG.warn("ingest log segment {}: cutting off {} bytes from byte {} on ({}): a write that a crash"
                            + " interrupted, never acknowledged", file, Files.size(file) - result.validEnd(),
                            result.validEnd(), result.fault());
                }
                lastValidEnd = result.validEnd();
            }
            writer = seqs.isEmpty() ? startNew(1) : resume(seqs.get(seqs.size() - 1), lastValidEnd);
        } catch (IOException e) {
            throw new UncheckedIOException("recovering the ingest log in " + dir, e);
        }
    }

    private GroupCommitWriter startNew(long seq) throws IOException {
        return GroupCommitWriter.start(dir, segmentSize, tracker, SegmentFile.create(dir, seq), seq, SegmentFile.HEADER_SIZE);
    }

    /** Appends to the last segment after its valid end, cutting off a torn tail first. */
    private GroupCommitWriter resume(long seq, long validEnd) throws IOException {
        Path file = SegmentFile.path(dir, seq);
        if (validEnd < SegmentFile.HEADER_SIZE) {
            // A crash while it was being created: it holds nothing, so begin it afresh.
            Files.delete(file);
            return startNew(seq);
        }
        FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE);
        try {
            if (channel.size() > validEnd) {
                channel.truncate(validEnd);
                channel.force(false);
            }
            channel.position(validEnd);
            return GroupCommitWriter.start(dir, segmentSize, tracker, channel, seq, validEnd);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    private void delete(List<Long> seqs) {
        if (seqs.isEmpty()) {
            return;
        }
        try {
            for (long seq : seqs) {
                Files.deleteIfExists(SegmentFile.path(dir, seq));
                LOG.debug("ingest log segment {} reclaimed", seq);
            }
            Durable.syncDirectory(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("deleting reclaimed ingest log segments in " + dir, e);
        }
    }
}
