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
 * <p>A thread that must not wait (an event loop) reads with {@link Read#POOLED_IF_IN_MEMORY}: a
 * mapped read whose pages are not in the kernel's page cache would stop the thread until the disk
 * answers. Asking the kernel (mincore, through {@link MappedByteBuffer#isLoaded}) costs a system
 * call, about 2 us here, so it is asked for a whole region at a time, and a region found wholly in
 * memory is trusted for {@link #TRUST_MILLIS} (the kernel seldom drops pages that are being read;
 * if it does in that time, a read waits for the disk on the event loop, as every read from a file
 * did before). A region that is not wholly in memory has each read's own bytes looked at instead.
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
    /** Regions of a chunk, whose residence in memory is looked at together: 1 MiB, 256 pages. */
    private static final int REGION_SHIFT = 20;
    /** How long a region found wholly in memory is taken to be so without looking again. */
    private static final int TRUST_MILLIS = 1000;

    private final Path file;
    private final FileChannel channel;
    /** The mapping, chunk by chunk; null if the file is read positionally. */
    private final MappedByteBuffer[] chunks;
    private final long chunkSize;
    /** Mapped reads inside now, plus {@link #CLOSED} once closed. */
    private final AtomicInteger inside = new AtomicInteger();
    /**
     * By chunk and region: until when (milliseconds after {@link #openedNanos}) the region is taken
     * to be wholly in memory. Made on the first read that asks; races only cost a look more.
     */
    private final int[][] residentUntil;
    private final long openedNanos = System.nanoTime();

    private ReadableFile(Path file, FileChannel channel, MappedByteBuffer[] chunks, long chunkSize) {
        this.file = file;
        this.channel = channel;
        this.chunks = chunks;
        this.chunkSize = chunkSize;
        this.residentUntil = chunks == null ? null : new int[chunks.length][];
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

    /** How a read takes its bytes. */
    enum Read {
        /** Into a heap buffer of their own, which the caller may keep (compaction's scans). */
        COPY,
        /**
         * A slice of the mapping (valid until {@link #exit}), or, if unmapped, the thread's pooled
         * buffer for the read's use (valid until its next pooled read for that use).
         */
        POOLED,
        /**
         * As {@link #POOLED}, or null if the bytes are mapped and not all in memory, so that
         * reading them would wait for the disk. Bytes read positionally are read: whether they
         * would wait cannot be told beforehand.
         */
        POOLED_IF_IN_MEMORY
    }

    /**
     * The {@code length} bytes at {@code position}, big-endian, taken as {@code how} says;
     * {@code use} names the thread's pooled buffer, if one is read into.
     *
     * @throws CorruptLayerException naming the file if it ends before them
     */
    ByteBuffer read(Read how, PositionalRead.Pooled use, long position, int length) {
        if (how == Read.COPY) {
            return PositionalRead.read(channel, file, position, length);
        }
        MappedByteBuffer mapped = slice(position, length);
        if (mapped == null) {
            return PositionalRead.readPooled(use, channel, file, position, length);
        }
        return how == Read.POOLED || inMemory(position, length, mapped) ? mapped : null;
    }

    /** The bytes as a slice of the mapping, or null if they are not in one chunk's mapping. */
    private MappedByteBuffer slice(long position, int length) {
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
        return null;
    }

    /** Whether {@code mapped}, the bytes at {@code position}, are all in memory (see the class comment). */
    private boolean inMemory(long position, int length, MappedByteBuffer mapped) {
        int c = (int) (position / chunkSize);
        MappedByteBuffer chunk = chunks[c];
        int[] until = residentUntil[c];
        if (until == null) {
            until = new int[(int) ((chunk.capacity() + (1L << REGION_SHIFT) - 1) >>> REGION_SHIFT)];
            residentUntil[c] = until;
        }
        int now = (int) ((System.nanoTime() - openedNanos) / 1_000_000);
        long offset = position - c * chunkSize;
        int last = (int) ((offset + length - 1) >>> REGION_SHIFT);
        for (int r = (int) (offset >>> REGION_SHIFT); r <= last; r++) {
            if (until[r] - now > 0) {
                continue;
            }
            int start = r << REGION_SHIFT;
            if (chunk.slice(start, Math.min(chunk.capacity() - start, 1 << REGION_SHIFT)).isLoaded()) {
                until[r] = now + TRUST_MILLIS;
            } else {
                return mapped.isLoaded();
            }
        }
        return true;
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
