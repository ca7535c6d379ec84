package org.pageserver.domain.layer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;
import java.util.function.Function;
import org.pageserver.domain.lsn.Lsn;
import org.pageserver.domain.page.Key;

/**
 * Immutable: answers "of the items whose key range holds {@code key} and whose LSN range starts at
 * or below {@code lsn}, the one that starts highest" in O(log² n), for items of any key range.
 *
 * <p>A segment tree over the elementary key intervals that the items' bounds cut the key space
 * into: an item is stored at the O(log m) nodes whose intervals its key range covers exactly, each
 * node keeps its items sorted by LSN start, and a lookup walks from the root to the key's interval
 * and binary-searches the LSN at each node on the way. An item covering every key (an L0 delta)
 * sits at the root alone, so a timeline of L0s costs one binary search.
 */
final class KeyLsnIndex<T> {
    private final Key[] bounds;
    /** Per node (heap order, root 1): its items, ascending by LSN start, and their starts. */
    private final Object[][] items;
    private final long[][] starts;
    private final int leaves;

    KeyLsnIndex(Collection<T> all, Function<T, LayerName> names) {
        TreeSet<Key> cuts = new TreeSet<>();
        for (T item : all) {
            LayerName name = names.apply(item);
            cuts.add(name.keyStart());
            cuts.add(name.keyEnd());
        }
        bounds = cuts.toArray(new Key[0]);
        leaves = Math.max(1, bounds.length - 1);
        int size = 1;
        while (size < leaves) {
            size <<= 1;
        }
        @SuppressWarnings("unchecked")
        List<T>[] lists = new List[2 * size];
        for (T item : all) {
            LayerName name = names.apply(item);
            insert(lists, 1, 0, size, interval(name.keyStart()), interval(name.keyEnd()), item);
        }
        items = new Object[2 * size][];
        starts = new long[2 * size][];
        for (int node = 1; node < lists.length; node++) {
            if (lists[node] == null) {
                continue;
            }
            List<T> sorted = lists[node];
            sorted.sort((a, b) -> names.apply(a).lsnStart().compareTo(names.apply(b).lsnStart()));
            items[node] = sorted.toArray();
            starts[node] = new long[sorted.size()];
            for (int i = 0; i < sorted.size(); i++) {
                starts[node][i] = names.apply(sorted.get(i)).lsnStart().value();
            }
        }
    }

    /** The elementary interval a bound starts (bounds are all in {@link #bounds}). */
    private int interval(Key bound) {
        return Arrays.binarySearch(bounds, bound);
    }

    private static <T> void insert(List<T>[] lists, int node, int lo, int hi, int from, int to, T item) {
        if (to <= lo || hi <= from) {
            return;
        }
        if (from <= lo && hi <= to) {
            if (lists[node] == null) {
                lists[node] = new ArrayList<>(2);
            }
            lists[node].add(item);
            return;
        }
        int mid = (lo + hi) >>> 1;
        insert(lists, 2 * node, lo, mid, from, to, item);
        insert(lists, 2 * node + 1, mid, hi, from, to, item);
    }

    /** The item holding {@code key} that starts highest at or below {@code lsn}, or null. */
    @SuppressWarnings("unchecked")
    T newest(Key key, Lsn lsn) {
        int found = Arrays.binarySearch(bounds, key);
        int leaf = found >= 0 ? found : -found - 2;
        if (leaf < 0 || leaf >= bounds.length - 1) {
            return null;
        }
        T best = null;
        long bestStart = 0;
        int node = 1;
        int lo = 0;
        int hi = items.length / 2;
        while (true) {
            long[] nodeStarts = starts[node];
            if (nodeStarts != null) {
                int at = lastAtOrBelow(nodeStarts, lsn.value());
                if (at >= 0 && (best == null || Long.compareUnsigned(nodeStarts[at], bestStart) > 0)) {
                    best = (T) items[node][at];
                    bestStart = nodeStarts[at];
                }
            }
            if (hi - lo == 1) {
                return best;
            }
            int mid = (lo + hi) >>> 1;
            if (leaf < mid) {
                node = 2 * node;
                hi = mid;
            } else {
                node = 2 * node + 1;
                lo = mid;
            }
        }
    }

    /** The index of the last start at or below {@code lsn} (unsigned), or -1. */
    private static int lastAtOrBelow(long[] sortedStarts, long lsn) {
        int lo = 0;
        int hi = sortedStarts.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (Long.compareUnsigned(sortedStarts[mid], lsn) <= 0) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo - 1;
    }
}
