package org.pageserver.adapters.storage.layer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.ReentrantLock;
import java.util.zip.CRC32C;
import org.pageserver.application.port.out.IngestFile;
import org.pageserver.domain.layer.LayerDescriptor;
import org.pageserver.domain.layer.LayerName;
import org.pageserver.domain.lsn.Lsn;
import org.pageserver.domain.page.EncodedVersion;

/**
 * An ingest file on local disk ({@link LayerFormat}): {@code <lsnStart in 16 hex digits>.ingest}
 * in the timeline's directory until {@link #publish()} renames it to its layer name.
 *
 * <p>Group commit: {@link #append} only queues a batch and hands out its positions. The first
 * thread that then needs durability takes the I/O lock, writes every batch queued so far (its own
 * and those of the writers that came after it) and forces them with one {@code fdatasync}; the
 * threads waiting on the lock find their batches durable when they get it. Files of different
 * timelines are written and forced independently, by their own requests' threads.
 */
final class LocalIngestFile implements IngestFile {
    static final String SUFFIX = ".ingest";
    /** How the name of an unpublished layer file of maintenance ends ({@link UnpublishedLayerFile}). */
    static final String TEMP_SUFFIX = ".tmp";
    private static final int SCRATCH_SIZE = 64 << 10;
    /** Values up to this size are copied into the scratch buffer; larger ones go to the appender as they are. */
    private static final int INLINE_VALUE = 2048;

    private record Batch(List<EncodedVersion> versions, Lsn lastLsn, Lsn prevLsn, long end) {
    }

    private final Path path;
    private final Lsn lsnStart;
    private final int salt;

    // Guarded by this: batches appended and not yet written.
    private final ArrayDeque<Batch> queued = new ArrayDeque<>();
    private long appendedEnd;

    private final ReentrantLock io = new ReentrantLock();
    // Guarded by io.
    private final BlockAppender out;
    private final CRC32C commitCrc = new CRC32C();
    private final CRC32C valueCrc = new CRC32C();
    // Entries are put together here and handed to the appender and the checksum a run at a time:
    // per entry, the calls cost more than the bytes for small deltas.
    private final ByteBuffer scratch = ByteBuffer.allocate(SCRATCH_SIZE);
    // Where the bytes of scratch that the commit checksum has not taken yet begin.
    private int unchecked;
    private long versionCount;
    private LayerName sealed;
    private boolean closed;
    private volatile long durableEnd;
    private volatile IOException failure;

    private LocalIngestFile(Path path, Lsn lsnStart, int salt, BlockAppender out, long end, long versionCount) {
        this.path = path;
        this.lsnStart = lsnStart;
        this.salt = salt;
        this.out = out;
        this.appendedEnd = end;
        this.durableEnd = end;
        this.versionCount = versionCount;
    }

    static String fileName(Lsn lsnStart) {
        return String.format("%016X", lsnStart.value()) + SUFFIX;
    }

    /** Creates the file with its header, durably (the directory entry too). */
    static LocalIngestFile create(Path dir, Lsn lsnStart, WriteMode mode) throws IOException {
        Durable.createDirectories(dir);
        Path path = dir.resolve(fileName(lsnStart));
        int salt = ThreadLocalRandom.current().nextInt();
        BlockAppender out = mode.create(path, LayerFormat.header(salt, lsnStart));
        try {
            out.force();
            Durable.syncDirectory(dir);
        } catch (IOException | RuntimeException e) {
            out.close();
            Files.deleteIfExists(path);
            throw e;
        }
        return new LocalIngestFile(path, lsnStart, salt, out, LayerFormat.HEADER_SIZE, 0);
    }

    /** Opens a leftover file to seal what {@code scan} found in it, cutting off whatever follows. */
    static LocalIngestFile reopen(Path path, LayerFormat.Header header, BodyScanner.Scan scan, WriteMode mode)
            throws IOException {
        long end = scan.end();
        // Enough for any alignment the appender may use: it takes the last (end % alignment) bytes.
        int tailLength = (int) (end % BlockAppender.MAX_ALIGNMENT);
        byte[] tail;
        try (FileChannel reader = FileChannel.open(path, StandardOpenOption.READ)) {
            tail = PositionalRead.readFully(reader, path, end - tailLength, tailLength).array();
        }
        BlockAppender out = mode.open(path, end, tail, StandardOpenOption.WRITE);
        try {
            out.channel().truncate(end);
        } catch (IOException | RuntimeException e) {
            out.close();
            throw e;
        }
        return new LocalIngestFile(path, header.lsnStart(), header.salt(), out, end, scan.versions().size());
    }

    Path path() {
        return path;
    }

    @Override
    public synchronized long append(List<EncodedVersion> versions, Lsn lastLsn, Lsn prevLsn, long[] positions) {
        long position = appendedEnd;
        for (int i = 0; i < versions.size(); i++) {
            positions[i] = position;
            position += LayerFormat.VERSION_HEAD + versions.get(i).value().remaining();
        }
        position += LayerFormat.COMMIT_SIZE;
        queued.addLast(new Batch(versions, lastLsn, prevLsn, position));
        appendedEnd = position;
        return position;
    }

    @Override
    public void awaitDurable(long end) {
        throwIfFailed();
        if (durableEnd >= end) {
            return;
        }
        io.lock();
        try {
            throwIfFailed();
            if (durableEnd >= end) {
                return;
            }
            if (closed) {
                // The values queued live in memory its owner freed with the file: never read them.
                throw new IllegalStateException("ingest file " + fileName(lsnStart) + " was closed before this wait");
            }
            List<Batch> batches;
            synchronized (this) {
                batches = new ArrayList<>(queued);
                queued.clear();
            }
            if (batches.isEmpty()) {
                return;
            }
            out.expect(batches.get(batches.size() - 1).end() - durableEnd);
            for (Batch batch : batches) {
                write(batch);
            }
            drain();
            out.flush();
            out.force();
            durableEnd = batches.get(batches.size() - 1).end();
        } catch (IOException e) {
            failure = e;
            throw new UncheckedIOException("writing ingest file " + path, e);
        } finally {
            io.unlock();
        }
    }

    private void throwIfFailed() {
        IOException failed = failure;
        if (failed != null) {
            throw new UncheckedIOException("ingest file " + path + " failed earlier", failed);
        }
    }

    private void write(Batch batch) throws IOException {
        for (EncodedVersion v : batch.versions()) {
            ByteBuffer value = v.value();
            int length = value.remaining();
            if (scratch.remaining() < LayerFormat.VERSION_HEAD + Math.min(length, INLINE_VALUE)) {
                drain();
            }
            scratch.put(LayerFormat.TAG_VERSION);
            v.key().writeTo(scratch);
            valueCrc.reset();
            valueCrc.update(value.duplicate());
            scratch.putLong(v.lsn().value()).putInt(length).putInt((int) valueCrc.getValue());
            if (length <= INLINE_VALUE) {
                scratch.put(scratch.position(), value, value.position(), length);
                scratch.position(scratch.position() + length);
            } else {
                drain();
                commitCrc.update(value.duplicate());
                out.append(value.duplicate());
            }
        }
        versionCount += batch.versions().size();
        if (scratch.remaining() < LayerFormat.COMMIT_SIZE) {
            drain();
        }
        scratch.put(LayerFormat.TAG_COMMIT).putLong(batch.lastLsn().value()).putLong(batch.prevLsn().value());
        check();
        scratch.putInt((int) commitCrc.getValue() ^ salt);
        commitCrc.reset();
        unchecked = scratch.position();
    }

    /** Adds the scratch bytes not yet checksummed to the commit checksum. */
    private void check() {
        commitCrc.update(scratch.array(), unchecked, scratch.position() - unchecked);
        unchecked = scratch.position();
    }

    /** Hands the scratch bytes to the appender, checksummed. */
    private void drain() throws IOException {
        check();
        out.append(scratch.flip());
        scratch.clear();
        unchecked = 0;
    }

    @Override
    public LayerDescriptor seal(LayerName name, Lsn prevOfLast, Iterator<Placed> index) {
        if (!name.lsnStart().equals(lsnStart)) {
            throw new IllegalArgumentException("layer " + name + " does not start at the file's " + lsnStart);
        }
        awaitDurable(Long.MAX_VALUE);
        io.lock();
        try {
            long size = DeltaTail.write(out, name, prevOfLast, versionCount, index);
            sealed = name;
            return new LayerDescriptor(name, size);
        } catch (IOException e) {
            failure = e;
            throw new UncheckedIOException("sealing ingest file " + path + " as " + name, e);
        } catch (RuntimeException e) {
            // Part of the index may be written after the body by now: this file takes no other
            // seal. The body stays whole, and a restart seals it from a scan.
            failure = new IOException("a seal was refused: " + e.getMessage(), e);
            throw e;
        } finally {
            io.unlock();
        }
    }

    @Override
    public void publish() {
        io.lock();
        try {
            if (sealed == null) {
                throw new IllegalStateException("ingest file " + path + " is not sealed");
            }
            Path target = path.resolveSibling(sealed.fileName());
            out.close();
            Files.move(path, target, StandardCopyOption.ATOMIC_MOVE);
            Durable.syncDirectory(path.getParent());
        } catch (IOException e) {
            throw new UncheckedIOException("publishing " + path + " as " + sealed, e);
        } finally {
            io.unlock();
        }
    }

    @Override
    public void close() {
        io.lock();
        try {
            closed = true;
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException("closing ingest file " + path, e);
        } finally {
            io.unlock();
        }
    }

    @Override
    public void discard() {
        io.lock();
        try {
            closed = true;
            out.close();
            Files.deleteIfExists(path);
        } catch (IOException e) {
            throw new UncheckedIOException("deleting ingest file " + path, e);
        } finally {
            io.unlock();
        }
    }
}
