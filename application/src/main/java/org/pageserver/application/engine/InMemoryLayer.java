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
import java.util.function.Supplier;
import org.pageserver.application.port.out.IngestFile;
import org.pageserver.domain.layer.LayerDescriptor;
import org.pageserver.domain.layer.LayerName;
import org.pageserver.domain.lsn.Lsn;
import org.pageserver.domain.page.EncodedVersion;
import org.pageserver.domain.page.Key;
import org.pageserver.domain.page.Value;
import org.pageserver.domain.page.Version;
import org.pageserver.domain.wal.WalRecord;

/**
 * The newest versions of a timeline, in memory: written by the one ingest writer, read
 * concurrently by everyone. Each batch's versions also go to the layer's {@link IngestFile}, which
 * makes them durable and, once the layer is frozen and flushed, is sealed as its delta layer file:
 * the flush writes only the index. The index (each key's versions: LSN, value address, place in
 * the file) lives on the heap; the values live off-heap in a {@link ValueArena}, for reads.
 *
 * <p>Once flushed and out of every new snapshot, the layer is {@link #release() released}: its
 * arena's chunks go back to the pool. A reader that took a snapshot just before and reaches the
 * layer after that gets {@link ReadableLayer.Gone} and reads again from a fresh snapshot, where the layer
 * file has taken its place; the read-write lock keeps a release from freeing chunks under a read.
 */
final class InMemoryLayer implements ReadableLayer {

    /**
     * One key's versions in this layer, oldest first: (LSN, value address, file position) triples
     * appended by the one writer (LSNs only grow within a layer) and read by anyone. The triples
     * live in one array, replaced by a larger copy when full; a reader takes the count first and
     * then the array, which is then at least as new as the count.
     */
    private static final class KeyVersions {
        static final int STRIDE = 3;
        private volatile long[] triples = new long[STRIDE];
        private volatile int count;

        void add(long lsn, long address, long position) {
            int n = count;
            long[] t = triples;
            if (STRIDE * (n + 1) > t.length) {
                t = Arrays.copyOf(t, t.length * 2);
                triples = t;
            }
            t[STRIDE * n] = lsn;
            t[STRIDE * n + 1] = address;
            t[STRIDE * n + 2] = position;
            count = n + 1;
        }
    }

    /** A version put by the batch being applied, indexed once the batch is in the file. */
    private record Pending(Key key, long lsn, long address) {
    }

    /** Thrown to a reader that reached the layer after its release: read again from a fresh snapshot. */
    private final Lsn lsnStart;
    /**
     * Sorted by key, one entry per key, not per version: with one entry per version, a layer of
     * small deltas held millions of entries and the skip list's inserts took 45% of the server's
     * CPU (profiled); a key's versions now go to the end of its own array.
     */
    private final ConcurrentSkipListMap<Key, KeyVersions> index = new ConcurrentSkipListMap<>();
    private final ValueArena arena;
    private final Supplier<IngestFile> fileFactory;
    // Created with the first batch, so that an idle timeline has no file.
    private volatile IngestFile file;
    // Writer only: the versions of the batch being applied.
    private final List<Pending> pending = new ArrayList<>();
    private final ReentrantReadWriteLock lifetime = new ReentrantReadWriteLock();
    private boolean released;
    private final AtomicLong bytes = new AtomicLong();
    private volatile long firstWriteNanos;
    private volatile Lsn lsnEnd;
    private volatile Lsn prevOfLast;

    /** @param fileFactory creates the file the layer's versions are made durable in, when the first batch comes */
    InMemoryLayer(Lsn lsnStart, InMemoryBudget budget, Supplier<IngestFile> fileFactory) {
        this.lsnStart = lsnStart;
        this.arena = new ValueArena(budget);
        this.fileFactory = fileFactory;
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

    /** Puts a version of the batch being applied: readable once {@link #commit} has put the batch in the file. */
    void put(Key key, Lsn lsn, Value value) {
        pending.add(new Pending(key, lsn.value(), arena.append(value)));
    }

    /** Puts a page image, its page copied straight from the ingested body. */
    void putImage(Key key, Lsn lsn, WalRecord.PageImage image) {
        pending.add(new Pending(key, lsn.value(), arena.appendImage(image)));
    }

    /**
     * Ends the batch being applied: appends its versions to the layer's file and indexes them.
     *
     * @return the batch's end in the file, for {@link #awaitDurable}
     */
    long commit(Lsn lastLsn, Lsn prevLsn) {
        IngestFile target = file;
        if (target == null) {
            target = fileFactory.get();
            file = target;
        }
        List<EncodedVersion> versions = new ArrayList<>(pending.size());
        for (Pending p : pending) {
            versions.add(new EncodedVersion(p.key(), Lsn.of(p.lsn()), arena.encoded(p.address())));
        }
        long[] positions = new long[versions.size()];
        long end = target.append(versions, lastLsn, prevLsn, positions);
        if (index.isEmpty() && !pending.isEmpty()) {
            firstWriteNanos = System.nanoTime();
        }
        long added = 0;
        for (int i = 0; i < positions.length; i++) {
            Pending p = pending.get(i);
            KeyVersions forKey = index.get(p.key());
            if (forKey == null) {
                // The one writer adds keys, so none can come in between; published with its first version.
                forKey = new KeyVersions();
                forKey.add(p.lsn(), p.address(), positions[i]);
                index.put(p.key(), forKey);
            } else {
                forKey.add(p.lsn(), p.address(), positions[i]);
            }
            added += versions.get(i).value().remaining() + Key.ENCODED_SIZE + 8;
        }
        bytes.addAndGet(added);
        pending.clear();
        return end;
    }

    /** Returns once this layer's file holds everything up to {@code end} durably. */
    void awaitDurable(long end) {
        file.awaitDurable(end);
    }

    /** Returns once every batch committed to this layer is durable. */
    void awaitAllDurable() {
        IngestFile f = file;
        if (f != null) {
            f.awaitDurable(Long.MAX_VALUE);
        }
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

    /** @throws ReadableLayer.Gone if the layer was released since the caller's snapshot was taken */
    @Override
    public List<Version> versions(Key key, Lsn maxLsn) {
        Lock read = lifetime.readLock();
        read.lock();
        try {
            if (released) {
                throw new Gone("in-memory layer released after its flush");
            }
            KeyVersions forKey = index.get(key);
            if (forKey == null) {
                return List.of();
            }
            int n = forKey.count;
            long[] triples = forKey.triples;
            List<Version> out = new ArrayList<>(2);
            for (int i = newestAtOrBelow(triples, n, maxLsn.value()); i >= 0; i--) {
                Value value = arena.read(triples[KeyVersions.STRIDE * i + 1]);
                out.add(new Version(Lsn.of(triples[KeyVersions.STRIDE * i]), value));
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
    private static int newestAtOrBelow(long[] triples, int n, long maxLsn) {
        int low = 0;
        int high = n - 1;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            if (Long.compareUnsigned(triples[KeyVersions.STRIDE * mid], maxLsn) <= 0) {
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
            if (Long.compareUnsigned(e.getValue().triples[0], maxLsn.value()) <= 0) {
                sink.accept(e.getKey());
            }
        }
    }

    /** The name of the frozen layer's file: a level 0 delta layer of its LSN range. */
    LayerName fileName() {
        return LayerName.l0(lsnStart, lsnEnd);
    }

    /**
     * Seals the frozen layer's file as the delta layer {@code name}, indexed from memory (see
     * {@link IngestFile#seal}); every batch in it must be durable.
     */
    LayerDescriptor seal(LayerName name) {
        return file.seal(name, prevOfLast, placements());
    }

    /** See {@link IngestFile#publish()}. */
    void publish() {
        file.publish();
    }

    /** Closes the layer's file, if it has one, and keeps it: its timeline broke. See {@link IngestFile#close()}. */
    void closeFile() {
        IngestFile f = file;
        if (f != null) {
            f.close();
        }
    }

    /** Deletes the layer's file, if it has one: its timeline is gone. Its memory goes with {@link #release()}. */
    void discardFile() {
        IngestFile f = file;
        if (f != null) {
            f.discard();
        }
    }

    /** Every version's place in the file, sorted by key then LSN: the index a seal writes. */
    private Iterator<IngestFile.Placed> placements() {
        Iterator<Map.Entry<Key, KeyVersions>> keys = index.entrySet().iterator();
        return new Iterator<>() {
            private Key key;
            private long[] triples = new long[0];
            private int count;
            private int next;

            @Override
            public boolean hasNext() {
                while (next == count && keys.hasNext()) {
                    Map.Entry<Key, KeyVersions> e = keys.next();
                    key = e.getKey();
                    count = e.getValue().count;
                    triples = e.getValue().triples;
                    next = 0;
                }
                return next < count;
            }

            @Override
            public IngestFile.Placed next() {
                if (!hasNext()) {
                    throw new java.util.NoSuchElementException();
                }
                int i = KeyVersions.STRIDE * next++;
                return new IngestFile.Placed(key, Lsn.of(triples[i]), triples[i + 2]);
            }
        };
    }
}
