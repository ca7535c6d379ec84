package org.pageserver.application.engine;

import java.nio.ByteBuffer;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;
import org.pageserver.domain.error.PageserverException;

/**
 * The off-heap chunks in-memory layers keep their values in, reused from one layer to the next.
 *
 * <p>Why off-heap and reused: an in-memory layer holds up to checkpoint_distance (256 MiB by
 * default) of pages for minutes. As Java arrays the garbage collector copied every one of them
 * from region to region while they lived (a quarter of the server's CPU during ingest, measured);
 * in direct buffers it neither copies nor scans them. Reusing chunks spares each new layer the
 * allocation and first touch of fresh memory, which is expensive on virtual machines.
 *
 * <p>Chunks beyond {@link #MAX_POOLED} are dropped, and the JVM frees them with their buffer.
 */
final class ChunkPool {
    static final int CHUNK_SIZE = 1 << 20;
    /**
     * A quarter of the maximum heap, at least 256 MiB (one default checkpoint_distance): enough to
     * keep several busy timelines' next layers in reused chunks, bounded by what the operator
     * gave the JVM. Direct memory itself is bounded by the JVM (-XX:MaxDirectMemorySize, by
     * default the maximum heap).
     */
    static final int MAX_POOLED = (int) Math.max(256, Runtime.getRuntime().maxMemory() / 4 / CHUNK_SIZE);

    private static final ConcurrentLinkedDeque<ByteBuffer> FREE = new ConcurrentLinkedDeque<>();
    private static final AtomicInteger POOLED = new AtomicInteger();

    private ChunkPool() {
    }

    /**
     * A chunk of at least {@code size} bytes: a pooled one when {@code size <= CHUNK_SIZE}.
     *
     * @throws PageserverException 503 when the JVM has no direct memory left for it
     */
    static ByteBuffer take(int size) {
        if (size > CHUNK_SIZE) {
            return allocate(size);
        }
        ByteBuffer chunk = FREE.pollFirst();
        if (chunk == null) {
            return allocate(CHUNK_SIZE);
        }
        POOLED.decrementAndGet();
        return chunk;
    }

    private static ByteBuffer allocate(int size) {
        try {
            return ByteBuffer.allocateDirect(size);
        } catch (OutOfMemoryError e) {
            // Direct memory only (the JVM collected garbage before giving up): the heap is fine,
            // and the caller has not changed anything yet, so the request can fail alone.
            throw PageserverException.unavailable("no memory left for in-memory layers (" + e.getMessage()
                    + "): retry later; -XX:MaxDirectMemorySize or pageserver.in-memory-limit may be set too high");
        }
    }

    /** Returns a chunk nobody reads any more. */
    static void give(ByteBuffer chunk) {
        if (chunk.capacity() != CHUNK_SIZE) {
            return;
        }
        if (POOLED.incrementAndGet() <= MAX_POOLED) {
            FREE.offerFirst(chunk);
        } else {
            POOLED.decrementAndGet();
        }
    }

    /** How many chunks wait for reuse. */
    static int pooled() {
        return POOLED.get();
    }
}
