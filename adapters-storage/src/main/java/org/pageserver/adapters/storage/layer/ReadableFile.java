package org.pageserver.adapters.storage.layer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An open layer file's bytes, as its reader takes them. Mapped into memory where it can be: a read
 * is then a slice of the mapping, with no system call and no copy until the caller decodes what
 * it needs (a page, once, into its array). Where the file cannot be mapped (no way to unmap it in
 * this JVM, the process out of mappings, or mapping turned off) a read is a positional read into
 * the thread's pooled buffer ({@link PositionalRead#readPooled}).
 *
 * <p>A mapped read must run between {@link #enter} and {@link #exit}, and use what it got only
 * there: {@link #close} waits for the reads inside, then unmaps, and memory that is unmapped must
 * never be touched (the JVM would crash). A read that enters after the close fails as a read of a
 * closed channel does.
 */
final class ReadableFile implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ReadableFile.class);
    private static final AtomicBoolean WARNED = new AtomicBoolean();
    /** A mapping holds at most 2 GiB in Java 17: larger files are mapped in chunks of this. */
    static final long CHUNK = 1L << 30;
    /**
     * Each chunk maps this much of the next too, so a read up to this long (every read a page
     * takes) lies in one chunk; a longer one that would straddle two is read positionally.
     */
    private static final int OVERLAP = PositionalRead.POOLED_MAX;
    /** Added to {@link #inside} by the close: from then on it is negative, and no read may enter. */
    private static final int CLOSED = Integer.MIN_VALUE;

    private final Path file;
    private final FileChannel channel;
    /** The mapping, chunk by chunk; null if the file is read positionally. */
    private final MappedByteBuffer[] chunks;
    private final long chunkSize;
    /** Mapped reads inside now, plus {@link #CLOSED} once closed. */
    private final AtomicInteger inside = new AtomicInteger();

    private ReadableFile(Path file, FileChannel channel, MappedByteBuffer[] chunks, long chunkSize) {
        this.file = file;
        this.channel = channel;
        this.chunks = chunks;
        this.chunkSize = chunkSize;
    }

    /**
     * The file open as {@code channel}, of {@code size} bytes; mapped if {@code map} and it can be.
     * Closing it closes the channel.
     */
    static ReadableFile of(Path file, FileChannel channel, long size, boolean map) {
        return of(file, channel, size, map, CHUNK);
    }

    /** As above, mapped in chunks of {@code chunkSize} (tests make them small). */
    static ReadableFile of(Path file, FileChannel channel, long size, boolean map, long chunkSize) {
        MappedByteBuffer[] chunks = map && Unmap.available() ? mapped(file, channel, size, chunkSize) : null;
        return new ReadableFile(file, channel, chunks, chunkSize);
    }

    private static MappedByteBuffer[] mapped(Path file, FileChannel channel, long size, long chunkSize) {
        MappedByteBuffer[] chunks = new MappedByteBuffer[(int) ((size + chunkSize - 1) / chunkSize)];
        try {
            for (int c = 0; c < chunks.length; c++) {
                long start = c * chunkSize;
                chunks[c] = channel.map(FileChannel.MapMode.READ_ONLY, start, Math.min(size - start, chunkSize + OVERLAP));
            }
            return chunks;
        } catch (IOException | RuntimeException e) {
            // Most likely the process's limit of mappings (vm.max_map_count): positional reads
            // serve the same bytes, one system call each.
            for (MappedByteBuffer chunk : chunks) {
                if (chunk != null) {
                    Unmap.unmap(chunk);
                }
            }
            if (WARNED.compareAndSet(false, true)) {
                LOG.warn("Could not map layer file {} ({}); it and others that cannot be mapped are read with"
                        + " positional reads (one system call a read). Warned once per process.", file, e.toString());
            }
            return null;
        }
    }

    boolean mapped() {
        return chunks != null;
    }

    /** Begins a read; every enter is followed by one {@link #exit}. */
    void enter() {
        if (chunks != null && inside.incrementAndGet() < 0) {
            inside.decrementAndGet();
            throw new UncheckedIOException("reading layer file " + file, new ClosedChannelException());
        }
    }

    void exit() {
        if (chunks != null) {
            inside.decrementAndGet();
        }
    }

    /**
     * The {@code length} bytes at {@code position}, big-endian: a slice of the mapping (valid until
     * {@link #exit}), or, if unmapped, the thread's pooled buffer for {@code use} (valid until its
     * next pooled read for that use).
     *
     * @throws CorruptLayerException naming the file if it ends before them
     */
    ByteBuffer pooled(PositionalRead.Pooled use, long position, int length) {
        if (chunks != null && position >= 0) {
            long c = position / chunkSize;
            if (c < chunks.length) {
                long offset = position - c * chunkSize;
                MappedByteBuffer chunk = chunks[(int) c];
                if (offset + length <= chunk.capacity()) {
                    return chunk.slice((int) offset, length);
                }
            }
        }
        return PositionalRead.readPooled(use, channel, file, position, length);
    }

    /** The {@code length} bytes at {@code position}, in a heap buffer of their own (kept by the caller). */
    ByteBuffer copy(long position, int length) {
        return PositionalRead.read(channel, file, position, length);
    }

    /** Waits for the mapped reads inside to finish, unmaps the file and closes its channel. */
    @Override
    public void close() {
        if (chunks != null && markClosed()) {
            while (inside.get() != CLOSED) {
                Thread.onSpinWait();
                Thread.yield();
            }
            for (MappedByteBuffer chunk : chunks) {
                Unmap.unmap(chunk);
            }
        }
        try {
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException("closing layer file " + file, e);
        }
    }

    /** Whether this call closed it (not an earlier one). */
    private boolean markClosed() {
        while (true) {
            int now = inside.get();
            if (now < 0) {
                return false;
            }
            if (inside.compareAndSet(now, now + CLOSED)) {
                return true;
            }
        }
    }
}
