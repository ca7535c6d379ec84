package org.pageserver.adapters.storage.layer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.zip.CRC32C;
import org.pageserver.domain.page.Value;

/**
 * Buffered positional writes to a file channel, from a start offset on, keeping the CRC32C of
 * every byte written: the layer body is checksummed as it streams out, never read back.
 */
final class ChecksummingOutput {
    private static final int BUFFER_SIZE = 1 << 20;
    /**
     * Forces what was written every this many bytes. A layer is hundreds of MiB; left to pile up as
     * dirty pages, the file system writes it out all at once inside whichever fsync comes next,
     * and on ext4 that is the ingest log's, so acknowledged ingest stalls behind the flush.
     * Forcing as it goes keeps each stall short.
     */
    private static final long FORCE_EVERY = 8L << 20;

    private final FileChannel channel;
    private final ByteBuffer buffer = ByteBuffer.allocate(BUFFER_SIZE);
    private final CRC32C crc = new CRC32C();
    private long flushedUpTo;
    private long unforced;

    ChecksummingOutput(FileChannel channel, long start) {
        this.channel = channel;
        this.flushedUpTo = start;
    }

    /** The file offset the next byte goes to. */
    long position() {
        return flushedUpTo + buffer.position();
    }

    void putLong(long v) throws IOException {
        ensureRoom(Long.BYTES);
        buffer.putLong(v);
    }

    void putInt(int v) throws IOException {
        ensureRoom(Integer.BYTES);
        buffer.putInt(v);
    }

    void put(byte[] bytes) throws IOException {
        int done = 0;
        while (done < bytes.length) {
            ensureRoom(1);
            int n = Math.min(buffer.remaining(), bytes.length - done);
            buffer.put(bytes, done, n);
            done += n;
        }
    }

    /** Puts {@code value.encode()}'s bytes, encoding straight into the buffer when they fit in it. */
    void putValue(Value value) throws IOException {
        int size = value.encodedSize();
        ensureRoom(size);
        if (buffer.remaining() >= size) {
            value.encodeTo(buffer);
        } else {
            // More than even an empty buffer holds: a delta of over a MiB, rare enough to afford its array.
            put(value.encode());
        }
    }

    /** Writes out what is buffered; returns the checksum of everything written. */
    int finish() throws IOException {
        flush();
        return (int) crc.getValue();
    }

    private void flush() throws IOException {
        buffer.flip();
        crc.update(buffer.array(), 0, buffer.limit());
        while (buffer.hasRemaining()) {
            int written = channel.write(buffer, flushedUpTo);
            flushedUpTo += written;
            unforced += written;
        }
        buffer.clear();
        if (unforced >= FORCE_EVERY) {
            channel.force(false);
            unforced = 0;
        }
    }

    private void ensureRoom(int bytes) throws IOException {
        if (buffer.remaining() < bytes) {
            flush();
        }
    }
}
