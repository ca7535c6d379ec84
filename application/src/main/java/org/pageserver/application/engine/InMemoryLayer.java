package org.pageserver.application.engine;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;
import org.pageserver.domain.lsn.Lsn;
import org.pageserver.domain.page.EncodedVersion;
import org.pageserver.domain.page.Key;
import org.pageserver.domain.page.Value;
import org.pageserver.domain.page.Version;
import org.pageserver.domain.wal.WalRecord;

/**
 * The newest versions of a timeline, in memory: written by the one ingest writer, read
 * concurrently by everyone. Once frozen it takes no more writes and waits to be flushed to a
 * delta layer file. The index (each key's versions: LSN and value address) lives on the heap; the
 * values live off-heap in a {@link ValueArena}.
 *
 * <p>Once flushed and out of every new snapshot, the layer is {@link #release() released}: its
 * arena's chunks go back to the pool. A reader that took a snapshot just before and reaches the
 * layer after that gets {@link Released} and reads again from a fresh snapshot, where the layer
 * file has taken its place; the read-write lock keeps a release from freeing chunks under a read.
 */
final class InMemoryLayer implements ReadableLayer {

    /**
     * One key's versions in this layer, oldest first: (LSN, value address) pairs appended by the
     * one writer (LSNs only grow within a layer) and read by anyone. The pairs live in one array,
     * replaced by a larger copy when full; a reader takes the count first and then the array, which
     * is then at least as new as the count.
     */
    private static final class KeyVersions {
        private volatile long[] pairs = new long[2];
        private volatile int count;

        void add(long lsn, long address) {
            int n = count;
            long[] p = pairs;
            if (2 * n + 2 > p.length) {
                p = Arrays.copyOf(p, p.length * 2);
                pairs = p;
            }
            p[2 * n] = lsn;
            p[2 * n + 1] = address;
            count = n + 1;
        }
    }

    /** Thrown to a reader that reached the layer after its release: read again from a fresh snapshot. */
    static final class Released extends RuntimeException {
        Released() {
            super("in-memory layer released after its flush", null, false, false);
        }
    }

    private final Lsn lsnStart;
    /**
     * Sorted by key, one entry per key, not per version: with one entry per version, a layer of
     * small deltas held millions of entries and the skip list's inserts took 45% of the server's
     * CPU (profiled); a key's versions now go to the end of its own array.
     */
    private final ConcurrentSkipListMap<Key, KeyVersions> index = new ConcurrentSkipListMap<>();
    private final ValueArena arena;
    private final ReentrantReadWriteLock lifetime = new ReentrantReadWriteLock();
    private boolean released;
    private final AtomicLong bytes = new AtomicLong();
    private volatile long firstWriteNanos;
    private volatile Lsn lsnEnd;
    private volatile Lsn prevOfLast;

    InMemoryLayer(Lsn lsnStart, InMemoryBudget budget) {
        this.lsnStart = lsnStart;
        this.arena = new ValueArena(budget);
    }

    @Override
    public Lsn lsnStart() {
        return lsnStart;
    }

    /** The exclusive end, once frozen; null while open. */
    Lsn lsnEnd() {
        return lsnEnd;
    }

    /** Takes the memory for values of these encoded sizes, put next in this order (see {@link ValueArena#reserve}). */
    void reserve(int[] encodedSizes) {
        arena.reserve(encodedSizes);
    }

    void put(Key key, Lsn lsn, Value value) {
        index(key, lsn, arena.append(value), value.encodedSize());
    }

    /** Puts a page image, its page copied straight from the ingested body. */
    void putImage(Key key, Lsn lsn, WalRecord.PageImage image) {
        index(key, lsn, arena.appendImage(image), ValueArena.IMAGE_SIZE);
    }

    private void index(Key key, Lsn lsn, long address, int encodedSize) {
        if (index.isEmpty()) {
            firstWriteNanos = System.nanoTime();
        }
        KeyVersions forKey = index.get(key);
        if (forKey == null) {
            // The one writer adds keys, so none can come in between; published with its first version.
            forKey = new KeyVersions();
            forKey.add(lsn.value(), address);
            index.put(key, forKey);
        } else {
            forKey.add(lsn.value(), address);
        }
        bytes.addAndGet(encodedSize + Key.ENCODED_SIZE + 8);
    }

    /** @param prevOfLast the record before the last one in this layer, so the flush can store a consistent pair */
    void freeze(Lsn end, Lsn prevOfLast) {
        this.lsnEnd = end;
        this.prevOfLast = prevOfLast;
    }

    Lsn prevOfLast() {
        return prevOfLast;
    }

    boolean isEmpty() {
        return index.isEmpty();
    }

    long bytes() {
        return bytes.get();
    }

    /** How long ago its first version arrived; zero while empty. */
    long ageNanos() {
        return index.isEmpty() ? 0 : System.nanoTime() - firstWriteNanos;
    }

    /** @throws Released if the layer was released since the caller's snapshot was taken */
    @Override
    public List<Version> versions(Key key, Lsn maxLsn) {
        Lock read = lifetime.readLock();
        read.lock();
        try {
            if (released) {
                throw new Released();
            }
            KeyVersions forKey = index.get(key);
            if (forKey == null) {
                return List.of();
            }
            int n = forKey.count;
            long[] pairs = forKey.pairs;
            List<Version> out = new ArrayList<>(2);
            for (int i = newestAtOrBelow(pairs, n, maxLsn.value()); i >= 0; i--) {
                Value value = arena.read(pairs[2 * i + 1]);
                out.add(new Version(Lsn.of(pairs[2 * i]), value));
                if (value.willInit()) {
                    break;
                }
            }
            return out;
        } finally {
            read.unlock();
        }
    }

    /** The index of the newest of the first {@code n} versions whose LSN is at or below {@code maxLsn}; -1 if none. */
    private static int newestAtOrBelow(long[] pairs, int n, long maxLsn) {
        int low = 0;
        int high = n - 1;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            if (Long.compareUnsigned(pairs[2 * mid], maxLsn) <= 0) {
                low = mid + 1;
            } else {
                high = mid - 1;
            }
        }
        return high;
    }

    /**
     * Frees the values once no snapshot handed out from now on holds the layer (or its timeline is
     * gone); waits for reads in progress.
     */
    void release() {
        Lock write = lifetime.writeLock();
        write.lock();
        try {
            if (released) {
                return;
            }
            released = true;
            arena.release();
        } finally {
            write.unlock();
        }
    }

    @Override
    public void keys(Key from, Key to, Lsn maxLsn, Consumer<Key> sink) {
        for (Map.Entry<Key, KeyVersions> e : index.subMap(from, true, to, false).entrySet()) {
            // A key's versions come oldest first, so its first says whether any is at or below maxLsn.
            if (Long.compareUnsigned(e.getValue().pairs[0], maxLsn.value()) <= 0) {
                sink.accept(e.getKey());
            }
        }
    }

    /**
     * Every version, sorted by key then LSN, values still encoded in the arena: what a flush
     * writes. The values are views of the arena, valid until {@link #release()}.
     */
    Iterator<EncodedVersion> sortedVersions() {
        Iterator<Map.Entry<Key, KeyVersions>> keys = index.entrySet().iterator();
        return new Iterator<>() {
            private Key key;
            private long[] pairs = new long[0];
            private int count;
            private int next;

            @Override
            public boolean hasNext() {
                while (next == count && keys.hasNext()) {
                    Map.Entry<Key, KeyVersions> e = keys.next();
                    key = e.getKey();
                    count = e.getValue().count;
                    pairs = e.getValue().pairs;
                    next = 0;
                }
                return next < count;
            }

            @Override
            public EncodedVersion next() {
                if (!hasNext()) {
                    throw new java.util.NoSuchElementException();
                }
                int i = next++;
                return new EncodedVersion(key, Lsn.of(pairs[2 * i]), arena.encoded(pairs[2 * i + 1]));
            }
        };
    }

}
