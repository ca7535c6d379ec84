package org.pageserver.adapters.storage.layer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.concurrent.ArrayBlockingQueue;

/**
 * Appends bytes to a file in whole aligned blocks, as direct I/O ({@code O_DIRECT}) requires: the
 * last block is padded with zeros and written again, with more bytes, by the next write. The file
 * holds the appended bytes followed by fewer than one block of zeros.
 *
 * <p>Bytes are staged in an aligned buffer borrowed from a process-wide pool for one round of
 * appends and given back at {@link #flush()}; between rounds the appender keeps only the bytes of
 * its partial last block. A node has an ingest file per timeline being written, and a staging
 * buffer each would hold gigabytes of memory for nothing. Buffers come in two sizes, so that the
 * many rounds of small batches, one per timeline at a time, find pooled buffers too: with one pool
 * of eight 4 MiB buffers, 16 timelines writing small batches at once allocated (and zeroed) a
 * fresh 4 MiB buffer for most of their rounds.
 *
 * <p>Why direct I/O: through the page cache, every byte is first copied into freshly allocated
 * cache pages, and on this project's virtual machines that copy cost more CPU than the rest of
 * the ingest path (1.6 to 1.9 ms per MB against 0.1 to 0.2 ms, measured). Where the file system
 * refuses direct I/O ({@link WriteMode}) the same writes go through the page cache. Not thread-safe.
 */
final class BlockAppender implements AutoCloseable {
    /** Bytes staged before a write is issued even though the round is not over. */
    static final int STAGING_SIZE = 4 << 20;
    /** The staging of a round expected to append at most this much (with the last block's bytes). */
    static final int SMALL_STAGING_SIZE = 256 << 10;
    /** Staging buffers are aligned for any file system block size up to this. */
    static final int MAX_ALIGNMENT = 64 << 10;
    private static final ArrayBlockingQueue<ByteBuffer> POOL = new ArrayBlockingQueue<>(8);
    private static final ArrayBlockingQueue<ByteBuffer> SMALL_POOL = new ArrayBlockingQueue<>(64);

    private final FileChannel channel;
    private final int align;
    private final byte[] tail;
    private int tailLength;
    /** The file offset of the block the next write starts with: always aligned. */
    private long blockStart;
    private ByteBuffer staging;
    /** What the coming round will append, if told ({@link #expect}); else up to a full staging buffer. */
    private long expected = STAGING_SIZE;

    /** Appends to {@code channel} after its first {@code end} bytes, whose last partial block is {@code tail}. */
    BlockAppender(FileChannel channel, int align, long end, byte[] tail) {
        this.channel = channel;
        this.align = align;
        this.tail = new byte[align];
        this.tailLength = (int) (end % align);
        if (tail.length < tailLength) {
            throw new IllegalArgumentException("a tail of " + tail.length + " bytes for an end at " + end);
        }
        System.arraycopy(tail, tail.length - tailLength, this.tail, 0, tailLength);
        this.blockStart = end - tailLength;
    }

    FileChannel channel() {
        return channel;
    }

    /** The logical end: where the next appended byte goes. */
    long end() {
        return staging == null ? blockStart + tailLength : blockStart + staging.position();
    }

    /** Says how many bytes the next round will append, so that a small round takes a small buffer. */
    void expect(long bytes) {
        if (staging == null) {
            expected = bytes;
        }
    }

    /** Appends {@code bytes} (consuming them); full staging buffers are written out at once. */
    void append(ByteBuffer bytes) throws IOException {
        if (staging == null) {
            staging = borrow(tailLength + expected <= SMALL_STAGING_SIZE);
            staging.put(tail, 0, tailLength);
            expected = STAGING_SIZE;
        }
        while (bytes.hasRemaining()) {
            if (!staging.hasRemaining()) {
                writeStaged();
            }
            int n = Math.min(staging.remaining(), bytes.remaining());
            staging.put(staging.position(), bytes, bytes.position(), n);
            staging.position(staging.position() + n);
            bytes.position(bytes.position() + n);
        }
    }

    /** Writes everything appended so far to the file (not forced) and gives the staging buffer back. */
    void flush() throws IOException {
        if (staging == null) {
            return;
        }
        writeStaged();
        staging.get(0, tail, 0, tailLength);
        giveBack(staging);
        staging = null;
    }

    void force() throws IOException {
        channel.force(false);
    }

    /** Flushed, forced, and cut where the appended bytes end: no padding after them. */
    void finish() throws IOException {
        flush();
        channel.truncate(end());
        channel.force(false);
    }

    private void writeStaged() throws IOException {
        int dataEnd = staging.position();
        int padded = (dataEnd + align - 1) / align * align;
        for (int i = dataEnd; i < padded; i++) {
            staging.put(i, (byte) 0);
        }
        ByteBuffer out = staging.duplicate().position(0).limit(padded);
        while (out.hasRemaining()) {
            channel.write(out, blockStart + out.position());
        }
        // Keep the partial last block: the next write starts with it.
        int keepFrom = dataEnd - dataEnd % align;
        staging.put(0, staging, keepFrom, dataEnd - keepFrom);
        staging.position(dataEnd - keepFrom);
        tailLength = dataEnd - keepFrom;
        blockStart += keepFrom;
    }

    private static ByteBuffer borrow(boolean small) {
        ByteBuffer pooled = (small ? SMALL_POOL : POOL).poll();
        if (pooled != null) {
            return pooled.clear();
        }
        return DirectIo.alignedBuffer(small ? SMALL_STAGING_SIZE : STAGING_SIZE, MAX_ALIGNMENT);
    }

    private static void giveBack(ByteBuffer buffer) {
        (buffer.capacity() == SMALL_STAGING_SIZE ? SMALL_POOL : POOL).offer(buffer);
    }

    @Override
    public void close() throws IOException {
        if (staging != null) {
            giveBack(staging);
            staging = null;
        }
        channel.close();
    }
}
