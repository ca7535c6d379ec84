package org.pageserver.adapters.storage.layer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/** Whole positional reads of a layer or ingest file, which keep no shared position. */
final class PositionalRead {
    /**
     * The buffers a thread reads into for {@link #readPooled}, by {@link Pooled} use: direct, so
     * the kernel copies straight into them (a read into a heap buffer goes through a temporary
     * direct one, one more copy), and kept, so a read allocates nothing.
     */
    private static final ThreadLocal<ByteBuffer[]> POOLED = ThreadLocal.withInitial(() -> new ByteBuffer[Pooled.values().length]);
    /** Reads longer than this get a heap buffer of their own: a thread keeps no more than this per use. */
    static final int POOLED_MAX = 64 * 1024;

    /** What a pooled buffer holds: one of each may be in use on a thread at once. */
    enum Pooled {
        /** A key's version list, read while its values are read. */
        VERSION_LIST,
        /** A value, decoded before the next one is read. */
        VALUE
    }

    private PositionalRead() {
    }

    /**
     * As {@link #read}, into this thread's buffer for {@code use}: valid until the thread's next
     * pooled read for the same use, so the caller decodes what it needs (copies it out) first.
     */
    static ByteBuffer readPooled(Pooled use, FileChannel channel, Path file, long position, int length) {
        if (length > POOLED_MAX) {
            return read(channel, file, position, length);
        }
        ByteBuffer[] buffers = POOLED.get();
        ByteBuffer buffer = buffers[use.ordinal()];
        if (buffer == null || buffer.capacity() < length) {
            buffer = ByteBuffer.allocateDirect(Math.max(length, 16 * 1024));
            buffers[use.ordinal()] = buffer;
        }
        buffer.clear().limit(length);
        try {
            fill(channel, file, position, buffer);
        } catch (IOException e) {
            throw new UncheckedIOException("reading layer file " + file + " at " + position, e);
        }
        return buffer.flip();
    }

    /**
     * The {@code length} bytes at {@code position}, in a heap buffer.
     *
     * @throws CorruptLayerException naming {@code file} if it ends before them
     */
    static ByteBuffer readFully(FileChannel channel, Path file, long position, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        fill(channel, file, position, buffer);
        return buffer.flip();
    }

    /** Reads until {@code buffer} has no room left, from {@code position} on. */
    private static void fill(FileChannel channel, Path file, long position, ByteBuffer buffer) throws IOException {
        int length = buffer.remaining();
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, position + buffer.position()) < 0) {
                throw new CorruptLayerException(file, "ends at " + (position + buffer.position())
                        + ", inside a read of " + length + " bytes at " + position);
            }
        }
    }

    /**
     * As {@link #readFully}, for the reads of an open layer, which throw no checked exception.
     *
     * @throws java.io.UncheckedIOException naming the file and the position if the read fails
     */
    static ByteBuffer read(FileChannel channel, Path file, long position, int length) {
        try {
            return readFully(channel, file, position, length);
        } catch (IOException e) {
            throw new UncheckedIOException("reading layer file " + file + " at " + position, e);
        }
    }
}
