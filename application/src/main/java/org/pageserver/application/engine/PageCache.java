package org.pageserver.application.engine;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import org.pageserver.application.port.out.Metrics;
import org.pageserver.domain.lsn.Lsn;
import org.pageserver.domain.page.Key;
import org.pageserver.domain.page.Page;

/**
 * The node's materialized page cache (Neon's page_cache, key kind materialized_page): a bounded
 * number of pages as reads rebuilt them, one per timeline and block, each with the LSN it was read
 * at. A page at an LSN never changes (ingest only adds versions above the last record, and GC
 * removes nothing a read at or above its cutoff needs), so an entry read at {@code L} answers a
 * read at {@code L} as it is and a read at a later LSN once the versions in between, if any, are
 * applied on top ({@link ReadPath#page}); nothing that compaction, GC or eviction does to the layer
 * files makes it stale. What can: a truncation that cuts the block away, so an entry holds the
 * truncation cutoff it was read with and answers only reads with the same one; and a timeline
 * made again under the same id, so entries are keyed by the engine instance's own number.
 *
 * <p>Lookups take no lock, so a read on an event loop never waits here; an insert that finds
 * another one under way skips caching instead of waiting. When full, a CLOCK sweep evicts an
 * entry not read since the hand last passed it.
 */
public final class PageCache implements Metrics.PageCacheCounts {
    /** No cache: every read rebuilds its page (pageserver.read-caches=false, or a size of 0). */
    public static final PageCache NONE = new PageCache(0);
    private static final AtomicLong ENGINES = new AtomicLong();

    /**
     * What an entry is found by: the engine's number and the block's key, with the hash worked out
     * once (a lookup hashes and compares it in the map; records' generated methods cost more).
     */
    private static final class Slot {
        private final long engine;
        private final Key key;
        private final int hash;

        Slot(long engine, Key key) {
            this.engine = engine;
            this.key = key;
            this.hash = 31 * Long.hashCode(engine) + Long.hashCode(key.blk()) * 17 + Long.hashCode(key.rel());
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Slot other && hash == other.hash && engine == other.engine && key.equals(other.key);
        }
    }

    /** A cached page: the block's page as a read at {@code lsn} with truncation {@code cutoff} rebuilt it. */
    record Entry(Slot slot, long lsn, long cutoff, byte[] page, int index) {
    }

    private final ConcurrentHashMap<Slot, Entry> entries;
    private final Entry[] ring;
    /**
     * CLOCK's reference bits, by place in the ring: set by hits without a lock (a bit set for an
     * entry that just lost its place only spares the next one a sweep), cleared by the sweep.
     */
    private final byte[] used;
    private final ReentrantLock insertLock = new ReentrantLock();
    private int hand;
    private int filled;
    private final LongAdder accesses = new LongAdder();
    private final LongAdder exactHits = new LongAdder();
    private final LongAdder olderLsnHits = new LongAdder();

    /** @param pages how many pages it holds at most (Neon's page_cache_size); 0 turns it off */
    public PageCache(int pages) {
        if (pages < 0) {
            throw new IllegalArgumentException("the page cache size must be 0 or more pages, not " + pages);
        }
        this.ring = new Entry[pages];
        this.used = new byte[pages];
        this.entries = new ConcurrentHashMap<>(Math.max(16, pages * 4 / 3));
    }

    /** A number no other engine instance of this process has: what entries are keyed by. */
    static long newEngineNumber() {
        return ENGINES.incrementAndGet();
    }

    /**
     * The entry of the block that can answer a read at {@code lsn} with truncation {@code cutoff}:
     * read at or below {@code lsn} with that same cutoff; null if there is none.
     */
    Entry find(long engine, Key key, Lsn lsn, long cutoff) {
        if (ring.length == 0) {
            return null;
        }
        accesses.increment();
        Entry entry = entries.get(new Slot(engine, key));
        if (entry == null || entry.cutoff() != cutoff || Long.compareUnsigned(entry.lsn(), lsn.value()) > 0) {
            return null;
        }
        if (used[entry.index()] == 0) {
            used[entry.index()] = 1;
        }
        (entry.lsn() == lsn.value() ? exactHits : olderLsnHits).increment();
        return entry;
    }

    /**
     * Keeps {@code page} as the block's page at {@code lsn}, unless the entry there already is at
     * that LSN or later (reads of older LSNs do not push newer pages out). The array is kept, not
     * copied: pages the read path hands out are never written to.
     */
    void put(long engine, Key key, Lsn lsn, long cutoff, byte[] page) {
        if (ring.length == 0 || page.length != Page.SIZE || !insertLock.tryLock()) {
            return;
        }
        try {
            Slot slot = new Slot(engine, key);
            Entry old = entries.get(slot);
            if (old != null && Long.compareUnsigned(old.lsn(), lsn.value()) >= 0) {
                return;
            }
            int index = old != null ? old.index() : freeIndex();
            Entry entry = new Entry(slot, lsn.value(), cutoff, page, index);
            ring[index] = entry;
            entries.put(slot, entry);
        } finally {
            insertLock.unlock();
        }
    }

    /** A place in the ring: an unused one while it fills, then the first the hand finds not read since its last pass. */
    private int freeIndex() {
        if (filled < ring.length) {
            return filled++;
        }
        while (true) {
            int index = hand;
            hand = (hand + 1) % ring.length;
            if (used[index] != 0) {
                used[index] = 0;
                continue;
            }
            Entry entry = ring[index];
            entries.remove(entry.slot(), entry);
            return index;
        }
    }

    /** How many pages it holds now. */
    int size() {
        return entries.size();
    }

    @Override
    public long accesses() {
        return accesses.sum();
    }

    @Override
    public long exactHits() {
        return exactHits.sum();
    }

    @Override
    public long olderLsnHits() {
        return olderLsnHits.sum();
    }

    @Override
    public long currentBytes() {
        return (long) entries.size() * Page.SIZE;
    }

    @Override
    public long maxBytes() {
        return (long) ring.length * Page.SIZE;
    }
}
