package org.pageserver.application.engine;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;
import org.pageserver.domain.lsn.Lsn;
import org.pageserver.domain.page.Key;
import org.pageserver.domain.page.EncodedVersion;
import org.pageserver.domain.page.Value;
import org.pageserver.domain.page.Version;
import org.pageserver.domain.wal.WalRecord;

/**
 * The newest versions of a timeline, in memory: written by the one ingest writer, read
 * concurrently by everyone. Once frozen it takes no more writes and waits to be flushed to a
 * delta layer file. The index (key, LSN) to value lives on the heap; the values live off-heap in
 * a {@link ValueArena}.
 *
 * <p>Once flushed and out of every new snapshot, the layer is {@link #release() released}: its
 * arena's chunks go back to the pool. A reader that took a snapshot just before and reaches the
 * layer after that gets {@link Released} and reads again from a fresh snapshot, where the layer
 * file has taken its place; the read-write lock keeps a release from freeing chunks under a read.
 */
final class InMemoryLayer implements ReadableLayer {

    /** Orders a key's versions by LSN, unsigned, so a key's versions are adjacent in the map. */
    record VersionKey(Key key, long lsn) implements Comparable<VersionKey> {
        @Override
        public int compareTo(VersionKey o) {
            int c = key.compareTo(o.key);
            return c != 0 ? c : Long.compareUnsigned(lsn, o.lsn);
        }
    }

    /** Thrown to a reader that reached the layer after its release: read again from a fresh snapshot. */
    static final class Released extends RuntimeException {
        Released() {
            super("in-memory layer released after its flush", null, false, false);
        }
    }

    private final Lsn lsnStart;
    private final ConcurrentSkipListMap<VersionKey, Long> versions = new ConcurrentSkipListMap<>();
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
        if (versions.isEmpty()) {
            firstWriteNanos = System.nanoTime();
        }
        versions.put(new VersionKey(key, lsn.value()), address);
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
        return versions.isEmpty();
    }

    long bytes() {
        return bytes.get();
    }

    /** How long ago its first version arrived; zero while empty. */
    long ageNanos() {
        return versions.isEmpty() ? 0 : System.nanoTime() - firstWriteNanos;
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
            List<Version> out = new ArrayList<>(2);
            for (Map.Entry<VersionKey, Long> e : versions.headMap(new VersionKey(key, maxLsn.value()), true)
                    .descendingMap().entrySet()) {
                if (!e.getKey().key().equals(key)) {
                    break;
                }
                Value value = arena.read(e.getValue());
                out.add(new Version(Lsn.of(e.getKey().lsn()), value));
                if (value.willInit()) {
                    break;
                }
            }
            return out;
        } finally {
            read.unlock();
        }
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
        Key last = null;
        for (VersionKey vk : versions.subMap(new VersionKey(from, 0), true, new VersionKey(to, 0), false).keySet()) {
            // A key's versions come oldest first, so its first entry says whether any is at or below maxLsn.
            if (!vk.key().equals(last)) {
                last = vk.key();
                if (Long.compareUnsigned(vk.lsn(), maxLsn.value()) <= 0) {
                    sink.accept(vk.key());
                }
            }
        }
    }

    /**
     * Every version, sorted by key then LSN, values still encoded in the arena: what a flush
     * writes. The values are views of the arena, valid until {@link #release()}.
     */
    Iterator<EncodedVersion> sortedVersions() {
        Iterator<Map.Entry<VersionKey, Long>> it = versions.entrySet().iterator();
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return it.hasNext();
            }

            @Override
            public EncodedVersion next() {
                Map.Entry<VersionKey, Long> e = it.next();
                return new EncodedVersion(e.getKey().key(), Lsn.of(e.getKey().lsn()), arena.encoded(e.getValue()));
            }
        };
    }
}
