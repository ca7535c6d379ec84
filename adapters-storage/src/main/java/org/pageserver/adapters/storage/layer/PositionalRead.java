package org.pageserver.adapters.storage.layer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/** Whole positional reads of a layer or ingest file, which keep no shared position. */
final class PositionalRead {
    private PositionalRead() {
    }

    /**
     * The {@code length} bytes at {@code position}, in a heap buffer.
     *
     * @throws CorruptLayerException naming {@code file} if it ends before them
     */
    static ByteBuffer readFully(FileChannel channel, Path file, long position, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, position + buffer.position()) < 0) {
                throw new CorruptLayerException(file, "ends at " + (position + buffer.position())
                        + ", inside a read of " + length + " bytes at " + position);
            }
        }
        return buffer.flip();
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
