package org.pageserver.application.engine;

import java.nio.ByteBuffer;
import java.util.Arrays;
import org.pageserver.domain.page.Value;

/**
 * Append-only storage of one in-memory layer's values, encoded ({@link Value#encodeTo}) in
 * off-heap chunks from the {@link ChunkPool}: each value is {@code length:u32 | bytes}, entirely
 * inside one chunk, and known by its address {@code chunk index << 32 | offset}.
 *
 * <p>One writer appends; any number of readers read values whose addresses were published to
 * them through a thread-safe structure (the layer's index), which also makes the bytes visible.
 * Buffers are only ever accessed by absolute index, so their position and limit never change and
 * readers share them safely; the writer appends through a view of its own. After
 * {@link #release()} nothing may be read: the owner guarantees it.
 */
final class ValueArena {
    private volatile ByteBuffer[] chunks = new ByteBuffer[0];
    // Writer only: a view of the newest chunk whose position is where the next value goes.
    private ByteBuffer writing;

    /** @return the value's address */
    long append(Value value) {
        int size = value.encodedSize();
        int need = Integer.BYTES + size;
        if (writing == null || writing.remaining() < need) {
            ByteBuffer chunk = ChunkPool.take(need);
            writing = chunk.duplicate().clear();
            ByteBuffer[] grown = Arrays.copyOf(chunks, chunks.length + 1);
            grown[grown.length - 1] = chunk;
            chunks = grown;
        }
        int offset = writing.position();
        writing.putInt(size);
        value.encodeTo(writing);
        return ((long) (chunks.length - 1) << 32) | offset;
    }

    Value read(long address) {
        return Value.decode(encoded(address));
    }

    /** The value's encoded bytes, in place: valid until {@link #release()}. */
    ByteBuffer encoded(long address) {
        ByteBuffer chunk = chunks[(int) (address >>> 32)];
        int offset = (int) address;
        return chunk.slice(offset + Integer.BYTES, chunk.getInt(offset));
    }

    /** Hands the chunks back to the pool. */
    void release() {
        for (ByteBuffer chunk : chunks) {
            ChunkPool.give(chunk);
        }
        chunks = new ByteBuffer[0];
        writing = null;
    }
}
