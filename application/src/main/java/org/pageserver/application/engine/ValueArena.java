package org.pageserver.application.engine;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Collection;
import org.pageserver.domain.page.Page;
import org.pageserver.domain.page.Value;
import org.pageserver.domain.wal.WalRecord;

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
 *
 * <p>The writer {@link #reserve reserves} the chunks a batch's values need before the batch is
 * applied, so that running out of memory refuses the batch instead of cutting it short halfway.
 * Every chunk held counts against the node's {@link InMemoryBudget}.
 */
final class ValueArena {
    /** A page image's encoded size: {@link Value#TAG_IMAGE} and the page. */
    static final int IMAGE_SIZE = new Value.PageImage(new byte[Page.SIZE]).encodedSize();

    private final InMemoryBudget budget;
    private volatile ByteBuffer[] chunks = new ByteBuffer[0];
    // Writer only: a view of the newest chunk whose position is where the next value goes.
    private ByteBuffer writing;
    // Writer only: chunks reserved for the values about to be appended, in the order they will be used.
    private final ArrayDeque<ByteBuffer> reserved = new ArrayDeque<>();

    ValueArena(InMemoryBudget budget) {
        this.budget = budget;
    }

    /**
     * Takes now every chunk that appending values of these encoded sizes, in this order, will need.
     *
     * @throws org.pageserver.domain.error.PageserverException 503 if the memory is not there; nothing is then held for them
     */
    void reserve(int[] encodedSizes) {
        giveBackReserved();
        int room = writing == null ? 0 : writing.remaining();
        try {
            for (int size : encodedSizes) {
                int need = Integer.BYTES + size;
                if (room < need) {
                    ByteBuffer chunk = take(need);
                    reserved.addLast(chunk);
                    room = chunk.capacity();
                }
                room -= need;
            }
        } catch (RuntimeException e) {
            giveBackReserved();
            throw e;
        }
    }

    /** @return the value's address */
    long append(Value value) {
        long address = startValue(value.encodedSize());
        value.encodeTo(writing);
        return address;
    }

    /**
     * Appends the image's page encoded as a {@link Value.PageImage}, copied once from where the
     * record has it (the ingested body) instead of through an array of its own.
     *
     * @return the value's address
     */
    long appendImage(WalRecord.PageImage image) {
        long address = startValue(IMAGE_SIZE);
        writing.put(Value.TAG_IMAGE);
        image.copyPageTo(writing);
        return address;
    }

    /** Makes room for a value of {@code size} encoded bytes and writes its length; returns its address. */
    private long startValue(int size) {
        int need = Integer.BYTES + size;
        if (writing == null || writing.remaining() < need) {
            ByteBuffer chunk = reserved.isEmpty() ? take(need) : reserved.pollFirst();
            writing = chunk.duplicate().clear();
            ByteBuffer[] grown = Arrays.copyOf(chunks, chunks.length + 1);
            grown[grown.length - 1] = chunk;
            chunks = grown;
        }
        int offset = writing.position();
        writing.putInt(size);
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
        giveBack(Arrays.asList(chunks));
        giveBackReserved();
        chunks = new ByteBuffer[0];
        writing = null;
    }

    private ByteBuffer take(int need) {
        ByteBuffer chunk = ChunkPool.take(need);
        budget.taken(chunk.capacity());
        return chunk;
    }

    private void giveBackReserved() {
        giveBack(reserved);
        reserved.clear();
    }

    private void giveBack(Collection<ByteBuffer> given) {
        long bytes = 0;
        for (ByteBuffer chunk : given) {
            bytes += chunk.capacity();
            ChunkPool.give(chunk);
        }
        if (bytes > 0) {
            budget.returned(bytes);
        }
    }
}
