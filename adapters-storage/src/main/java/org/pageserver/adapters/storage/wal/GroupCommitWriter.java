package org.pageserver.adapters.storage.wal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.pageserver.domain.lsn.Lsn;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that writes the log. Appenders only queue their record; the thread takes
 * everything queued so far, writes it, forces it to disk once, and only then completes those
 * appends' futures. Appends that arrive during an fsync queue up for the next one, so under load
 * one fsync acknowledges many batches (group commit).
 *
 * <p>After an I/O error nothing is acknowledged any more: the queued and every later append
 * fail. Whether data written before a failed fsync reached the disk is unknowable (the kernel may
 * have dropped the dirty pages), so retrying could acknowledge what is lost.
 */
final class GroupCommitWriter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GroupCommitWriter.class);

    /** A record to log, in parts (its head and the batch as received, not copied into one array). */
    private record Pending(TimelineKey timeline, Lsn lastLsn, ByteBuffer[] parts, CompletableFuture<Void> done) {
        long length() {
            long n = 0;
            for (ByteBuffer part : parts) {
                n += part.remaining();
            }
            return n;
        }
    }

    private final Path dir;
    private final long segmentSize;
    private final SegmentTracker tracker;
    private final SpareSegments spares;
    private final AtomicLong forces = new AtomicLong();
    private final Object lock = new Object();
    private final Thread thread;
    // Guarded by lock.
    private List<Pending> queue = new ArrayList<>();
    private Throwable failure;
    private boolean closing;
    // Touched by the writer thread only (and by close, after the thread has ended).
    private AlignedAppender segment;
    private long seq;
    private long size;

    private GroupCommitWriter(Path dir, long segmentSize, SegmentTracker tracker, SpareSegments spares,
                              AlignedAppender segment, long seq, long size) {
        this.dir = dir;
        this.segmentSize = segmentSize;
        this.tracker = tracker;
        this.spares = spares;
        this.segment = segment;
        this.seq = seq;
        this.size = size;
        this.thread = new Thread(this::run, "ingest-log-writer");
        // Everything acknowledged is on disk already, so the thread need not hold the JVM up.
        this.thread.setDaemon(true);
    }

    /** Starts appending to segment {@code seq} after its first {@code size} bytes. */
    static GroupCommitWriter start(Path dir, long segmentSize, SegmentTracker tracker, SpareSegments spares, long seq,
                                   long size) throws IOException {
        AlignedAppender segment = AlignedAppender.open(SegmentFile.path(dir, seq), size, true);
        tracker.writingTo(seq);
        GroupCommitWriter writer = new GroupCommitWriter(dir, segmentSize, tracker, spares, segment, seq, size);
        writer.thread.start();
        return writer;
    }

    CompletableFuture<Void> submit(TimelineKey timeline, Lsn lastLsn, ByteBuffer... record) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        synchronized (lock) {
            if (failure != null) {
                return CompletableFuture.failedFuture(
                        new IOException("the ingest log failed earlier; nothing more is acknowledged", failure));
            }
            if (closing) {
                return CompletableFuture.failedFuture(new IllegalStateException("the ingest log is closed"));
            }
            queue.add(new Pending(timeline, lastLsn, record, done));
            lock.notifyAll();
        }
        return done;
    }

    /** How many times a segment was forced to disk. */
    long forces() {
        return forces.get();
    }

    private void run() {
        while (true) {
            List<Pending> group;
            synchronized (lock) {
                while (queue.isEmpty() && !closing) {
                    try {
                        lock.wait();
                    } catch (InterruptedException e) {
                        fail(e, List.of());
                        return;
                    }
                }
                if (queue.isEmpty()) {
                    return;
                }
                group = queue;
                queue = new ArrayList<>();
            }
            try {
                writeAndForce(group);
            } catch (IOException | RuntimeException | Error e) {
                fail(e, group);
                return;
            }
            for (Pending pending : group) {
                pending.done().complete(null);
            }
        }
    }

    private void writeAndForce(List<Pending> group) throws IOException {
        for (Pending pending : group) {
            long length = pending.length();
            if (size + length > segmentSize && size > SegmentFile.HEADER_SIZE) {
                // Seal the full segment before anything goes to the next: replay trusts that only
                // the last segment can end in a torn write.
                force();
                rotate();
            }
            tracker.appended(seq, pending.timeline(), pending.lastLsn());
            // The first part starts with the record's prefix; its checksum gets this segment's mask.
            LogRecord.maskCrc(pending.parts()[0], SegmentFile.crcMask(seq));
            for (ByteBuffer part : pending.parts()) {
                segment.append(part);
            }
            size += length;
        }
        force();
    }

    private void force() throws IOException {
        segment.flush();
        segment.force();
        forces.incrementAndGet();
    }

    private void rotate() throws IOException {
        // A reused file may go on after this segment's end with what it held before: cut it off,
        // so that only the last segment can (see SegmentFile).
        segment.cutAfterEnd();
        segment.close();
        seq++;
        Path spare = spares.take();
        if (spare != null) {
            SegmentFile.reuse(spare, dir, seq);
        } else {
            SegmentFile.create(dir, seq);
        }
        segment = AlignedAppender.open(SegmentFile.path(dir, seq), SegmentFile.HEADER_SIZE, true);
        size = SegmentFile.HEADER_SIZE;
        tracker.writingTo(seq);
    }

    private void fail(Throwable cause, List<Pending> group) {
        List<Pending> queued;
        synchronized (lock) {
            failure = cause;
            queued = queue;
            queue = new ArrayList<>();
        }
        LOG.error("writing the ingest log failed; no further batch will be acknowledged", cause);
        IOException error = new IOException("the ingest log could not make the batch durable", cause);
        group.forEach(p -> p.done().completeExceptionally(error));
        queued.forEach(p -> p.done().completeExceptionally(error));
    }

    /** Writes what is queued, then stops the thread and closes the segment. */
    @Override
    public void close() {
        synchronized (lock) {
            closing = true;
            lock.notifyAll();
        }
        try {
            thread.join();
            boolean failed;
            synchronized (lock) {
                failed = failure != null;
            }
            if (!failed) {
                // Leaves no older bytes of a reused file after the end, for a quiet next start.
                segment.cutAfterEnd();
            }
            segment.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            LOG.warn("closing ingest log segment {} failed", seq, e);
        }
    }
}
