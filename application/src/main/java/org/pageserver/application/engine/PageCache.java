package org.pageserver.application.engine;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;
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
 * <p>It is set-associative, as a CPU's cache: a block's entry can only be in the {@link #WAYS}
 * places of one set, chosen by its hash, so a lookup looks at those and nothing else, and an
 * insertion replaces one of them (CLOCK within the set: the first the set's hand finds not read
 * since it last passed). Nothing takes a lock: lookups and insertions read and write the places
 * directly, entries are immutable, and a race can only lose an insertion or leave a block a
 * second, older entry, which is still right (an entry answers reads at or above its LSN) and ages
 * out. A map and a global ring with a lock did the same with a hash map's insertion and removal on
 * every miss, which cost more than a hit saved at a 40% hit rate (benchmarks.md, 2026-12-06).
 */
public final class PageCache implements Metrics.PageCacheCounts {
    /** No cache: every read rebuilds its page (pageserver.read-caches=false, or a size of 0). */
    public static final PageCache NONE = new PageCache(0);
    /** Places a block's entry may take: looked at together, one set's hashes in one cache line. */
    static final int WAYS = 8;
    private static final AtomicLong ENGINES = new AtomicLong();

    /** A cached page: the block's page as a read at {@code lsn} with truncation {@code cutoff} rebuilt it. */
    record Entry(long engine, Key key, long lsn, long cutoff, byte[] page) {
    }

    private final int size;
    private final int sets;
    private final AtomicReferenceArray<Entry> places;
    /**
     * Each place's entry's hash, for lookups to pass over the others without reading them. Written
     * before the entry, read without ordering: a stale one costs a miss or a look at the entry,
     * which is checked anyway.
     */
    private final int[] hashes;
    /** CLOCK's reference bits by place: set by hits, cleared by the hand of the place's set. */
    private final byte[] used;
    private final byte[] hands;
    private final AtomicInteger filled = new AtomicInteger();
    private final LongAdder accesses = new LongAdder();
    private final LongAdder exactHits = new LongAdder();
    private final LongAdder olderLsnHits = new LongAdder();

    /** @param pages how many pages it holds at most (Neon's page_cache_size); 0 turns it off */
    public PageCache(int pages) {
        if (pages < 0) {
            throw new IllegalArgumentException("the page cache size must be 0 or more pages, not " + pages);
        }
        this.size = pages;
        this.sets = (pages + WAYS - 1) / WAYS;
        this.places = new AtomicReferenceArray<>(pages);
        this.hashes = new int[pages];
        this.used = new byte[pages];
        this.hands = new byte[sets];
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
        if (size == 0) {
            return null;
        }
        accesses.increment();
        int hash = hash(engine, key);
        int first = firstPlace(hash);
        int end = Math.min(size, first + WAYS);
        for (int place = first; place < end; place++) {
            if (hashes[place] != hash) {
                continue;
            }
            Entry entry = places.get(place);
            if (entry == null || entry.engine() != engine || !entry.key().equals(key) || entry.cutoff() != cutoff
                    || Long.compareUnsigned(entry.lsn(), lsn.value()) > 0) {
                continue;
            }
            if (used[place] == 0) {
                used[place] = 1;
            }
            (entry.lsn() == lsn.value() ? exactHits : olderLsnHits).increment();
            return entry;
        }
        return null;
    }

    /**
     * Keeps {@code page} as the block's page at {@code lsn}, unless the entry there already is at
     * that LSN or later (reads of older LSNs do not push newer pages out). The array is kept, not
     * copied: pages the read path hands out are never written to.
     */
    void put(long engine, Key key, Lsn lsn, long cutoff, byte[] page) {
        if (size == 0 || page.length != Page.SIZE) {
            return;
        }
        int hash = hash(engine, key);
        int first = firstPlace(hash);
        int ways = Math.min(size, first + WAYS) - first;
        Entry entry = new Entry(engine, key, lsn.value(), cutoff, page);
        for (int place = first; place < first + ways; place++) {
            Entry old = hashes[place] == hash ? places.get(place) : null;
            if (old != null && old.engine() == engine && old.key().equals(key)) {
                if (Long.compareUnsigned(old.lsn(), lsn.value()) < 0) {
                    places.set(place, entry);
                }
                return;
            }
        }
        int set = first / WAYS;
        // Two rounds at most: the first may only clear the reference bits of a set read all over.
        for (int step = 0; step < 2 * ways; step++) {
            int way = Byte.toUnsignedInt(hands[set]) % ways;
            hands[set] = (byte) ((way + 1) % ways);
            int place = first + way;
            if (places.get(place) == null) {
                hashes[place] = hash;
                if (places.compareAndSet(place, null, entry)) {
                    filled.incrementAndGet();
                }
                return;
            }
            if (used[place] != 0) {
                used[place] = 0;
                continue;
            }
            hashes[place] = hash;
            places.set(place, entry);
            return;
        }
    }

    /** The first of the places of the block's set. */
    private int firstPlace(int hash) {
        return ((hash & Integer.MAX_VALUE) % sets) * WAYS;
    }

    /** The engine's number and the block's key, mixed so that neighbouring blocks spread over the sets. */
    private static int hash(long engine, Key key) {
        long h = ((engine * 31 + key.rel()) * 31 + key.blk()) * 31 + key.fork() * 7L + key.kind();
        h *= 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32));
    }

    /** How many pages it holds now. */
    int size() {
        return filled.get();
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
        return (long) filled.get() * Page.SIZE;
    }

    @Override
    public long maxBytes() {
        return (long) size * Page.SIZE;
    }
}
