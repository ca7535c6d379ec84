package org.pageserver.adapters.storage.layer;

import java.nio.ByteBuffer;

/**
 * Room in a heap buffer that a writer fills with per-key or per-version records: the compact form
 * its index takes in memory (no object per entry), doubled as it fills.
 */
final class GrowableBuffer {
    private GrowableBuffer() {
    }

    /**
     * {@code buffer}, or a larger copy of its bytes up to its position, with room for {@code more} bytes.
     *
     * @throws IllegalStateException past the 2 GiB a buffer holds: the caller is to cut its output
     *                               into smaller files
     */
    static ByteBuffer ensure(ByteBuffer buffer, int more) {
        if (buffer.remaining() >= more) {
            return buffer;
        }
        long needed = (long) buffer.position() + more;
        if (needed > Integer.MAX_VALUE - 8) {
            throw new IllegalStateException("an in-memory index of " + needed + " bytes: cut the layer into smaller files");
        }
        int capacity = (int) Math.min(Integer.MAX_VALUE - 8, Math.max(needed, 2L * buffer.capacity()));
        return ByteBuffer.allocate(capacity).put(buffer.flip());
    }
}
