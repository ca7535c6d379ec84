package org.pageserver.application.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.pageserver.domain.layer.LayerMap;
import org.pageserver.domain.layer.LayerName;
import org.pageserver.domain.lsn.Lsn;
import org.pageserver.domain.page.Key;
import org.pageserver.domain.page.Page;
import org.pageserver.domain.page.PageReconstruction;
import org.pageserver.domain.page.RelSize;
import org.pageserver.domain.page.Value;
import org.pageserver.domain.page.Version;

/**
 * How a timeline answers a read at an LSN: walk its layers newest first collecting the key's
 * versions until one needs nothing older (the in-memory layers, then the layer files the layer map
 * finds for the key), and below the branch point continue in the ancestor at the branch LSN. Everything here reads immutable snapshots; nothing waits for ingest. The caller
 * holds the timeline's {@link Gate} for the whole operation, so that a removal waits for the read
 * instead of closing the files under it.
 */
final class ReadPath {
    private ReadPath() {
    }

    /**
     * The key's versions at or below {@code lsn}, newest first, ending at the first self-contained
     * value; versions at or below {@code cutoff} (a truncation that removed the block) are ignored.
     */
    static List<Version> versions(TimelineData timeline, Key key, Lsn lsn, long cutoff) {
        while (true) {
            try {
                return collect(timeline, key, lsn, cutoff);
            } catch (ReadableLayer.Gone e) {
                // An in-memory layer was flushed and freed since the snapshot was taken (a fresh
                // snapshot has its layer file instead), or GC removed a layer file: then the GC
                // cutoff has moved, and a read below it is refused as one that came after it.
                requireLayersKept(timeline);
                timeline.requireNotBelowGcCutoff(lsn);
            }
        }
    }

    /**
     * A timeline's in-memory layers are freed without a flush only once no operation is inside its
     * gate (it was removed, or it broke), and a removed ancestor only after its branches are gone. A
     * read that meets such a layer would retry forever: through a broken ancestor it is refused with
     * the ancestor's reason, and otherwise it is a bug to report.
     */
    private static void requireLayersKept(TimelineData timeline) {
        for (TimelineData current = timeline; current != null; current = current.ancestor()) {
            if (current.isTakenApart()) {
                if (current.brokenReason() != null) {
                    throw current.broken();
                }
                throw new IllegalStateException("a read of timeline " + timeline.metadata().timelineId()
                        + " met the freed memory of timeline " + current.metadata().timelineId() + ", which was removed under it");
            }
        }
    }

    private static List<Version> collect(TimelineData timeline, Key key, Lsn lsn, long cutoff) {
        List<Version> out = new ArrayList<>(4);
        Lsn at = lsn;
        for (TimelineData current = timeline; current != null; current = current.ancestor()) {
            LayerSnapshot layers = current.layers();
            if (take(layers.open(), key, at, null, cutoff, out)) {
                return out;
            }
            for (InMemoryLayer frozen : layers.frozenNewestFirst()) {
                if (take(frozen, key, at, null, cutoff, out)) {
                    return out;
                }
            }
            // The layer files: found through the map, newest first, each read below the one before.
            Lsn below = at;
            while (below != null) {
                if (atOrBelow(below, cutoff)) {
                    return out;
                }
                LayerMap.Step<HistoricLayer> step = layers.historic().nextToRead(key, below);
                if (step == null) {
                    break;
                }
                if (step.delta() != null && take(step.delta(), key, below, step.floor(), cutoff, out)) {
                    return out;
                }
                if (step.image() != null) {
                    // An image holds the key's value as of its LSN, or says it had none: nothing older counts.
                    if (!atOrBelow(step.image().lsnStart(), cutoff)) {
                        take(step.image(), key, below, null, cutoff, out);
                    }
                    return out;
                }
                below = step.next();
            }
            at = current.atInAncestor(at);
            if (atOrBelow(at, cutoff)) {
                return out;
            }
        }
        return out;
    }

    /** Whether every version at or below {@code lsn} lies at or below {@code cutoff}, where a read ends. */
    private static boolean atOrBelow(Lsn lsn, long cutoff) {
        return Long.compareUnsigned(lsn.value(), cutoff) <= 0;
    }

    /**
     * Adds the layer's versions of {@code key} at or below {@code at} and above {@code floor} (if
     * set) to {@code out}, newest first; true once the read is complete: a version that needs
     * nothing older, or one at or below the truncation {@code cutoff}, which ends it unread.
     */
    private static boolean take(ReadableLayer layer, Key key, Lsn at, Lsn floor, long cutoff, List<Version> out) {
        if (layer.lsnStart().isAfter(at)) {
            return false;
        }
        for (Version v : layer.versions(key, at)) {
            if (floor != null && !v.lsn().isAfter(floor)) {
                return false;
            }
            if (Long.compareUnsigned(v.lsn().value(), cutoff) <= 0) {
                return true;
            }
            out.add(v);
            if (v.value().willInit()) {
                return true;
            }
        }
        return false;
    }

    /** The newest value of a key whose values are all self-contained (sizes, commits), or null. */
    static Value latest(TimelineData timeline, Key key, Lsn lsn) {
        List<Version> versions = versions(timeline, key, lsn, 0);
        return versions.isEmpty() ? null : versions.get(0).value();
    }

    static RelSize relSize(TimelineData timeline, Key sizeKey, Lsn lsn) {
        Value value = latest(timeline, sizeKey, lsn);
        return value == null ? RelSize.NONE : (RelSize) value;
    }

    /** A block's page at {@code lsn}; the caller has checked that the block exists there. */
    static byte[] page(TimelineData timeline, Key blockKey, RelSize size, Lsn lsn) {
        return PageReconstruction.reconstruct(values(versions(timeline, blockKey, lsn, size.cutoffFor(blockKey.blk()))));
    }

    /**
     * As {@link #page}, through the page cache: a page cached at an LSN at or below {@code lsn}
     * is brought up to it with the versions above that LSN, which the read collects alone (it
     * ends where the cached one was read, as it ends at a truncation); a page built from more than
     * one value is cached in turn. A page read as one image is not: reading it again is one copy
     * out of a mapped layer file, about what a hit saves, and its insertion would push out a page
     * that took deltas to build (at a 40% hit rate on images the insertions cost more than the hits
     * gained: benchmarks.md, 2026-12-06). Image layer creation reads with {@link #page}: a pass over
     * every key would push out what clients read.
     */
    static byte[] cachedPage(TimelineData timeline, Key blockKey, RelSize size, Lsn lsn) {
        long cutoff = size.cutoffFor(blockKey.blk());
        PageCache cache = timeline.context().pageCache();
        PageCache.Entry cached = cache.find(timeline.pageCacheNumber(), blockKey, lsn, cutoff);
        if (cached != null && cached.lsn() == lsn.value()) {
            return cached.page();
        }
        List<Version> versions = versions(timeline, blockKey, lsn, cached != null ? cached.lsn() : cutoff);
        if (cached != null && versions.isEmpty()) {
            cache.put(timeline.pageCacheNumber(), blockKey, lsn, cutoff, cached.page());
            return cached.page();
        }
        List<Value> values = values(versions);
        if (cached != null && !values.get(values.size() - 1).willInit()) {
            values.add(new Value.PageImage(cached.page()));
        }
        byte[] page = PageReconstruction.reconstruct(values);
        if (values.size() > 1) {
            cache.put(timeline.pageCacheNumber(), blockKey, lsn, cutoff, page);
        }
        return page;
    }

    private static List<Value> values(List<Version> versions) {
        List<Value> values = new ArrayList<>(versions.size() + 1);
        for (Version v : versions) {
            values.add(v.value());
        }
        return values;
    }

    /** Every key in [from, to) with a version at or below {@code lsn}, across the timeline and its ancestors. */
    static TreeSet<Key> keys(TimelineData timeline, Key from, Key to, Lsn lsn) {
        TreeSet<Key> keys = new TreeSet<>();
        Lsn at = lsn;
        for (TimelineData current = timeline; current != null; current = current.ancestor()) {
            LayerSnapshot layers = current.layers();
            for (ReadableLayer layer : layers.inMemory()) {
                if (!layer.lsnStart().isAfter(at)) {
                    layer.keys(from, to, at, keys::add);
                }
            }
            for (HistoricLayer layer : layers.historicNewestFirst()) {
                if (!layer.lsnStart().isAfter(at)) {
                    layer.keys(from, to, at, keys::add);
                }
            }
            at = current.atInAncestor(at);
        }
        return keys;
    }

    /**
     * Whether {@link #keys} over [from, to) at {@code lsn}, and reads of the keys it finds, would use
     * layer files on local disk only: every layer file they could open is resident.
     */
    static boolean keysResident(TimelineData timeline, Key from, Key to, Lsn lsn) {
        Lsn at = lsn;
        for (TimelineData current = timeline; current != null; current = current.ancestor()) {
            for (HistoricLayer layer : current.layers().historicNewestFirst()) {
                LayerName name = layer.descriptor().name();
                if (!layer.lsnStart().isAfter(at) && name.keyStart().compareTo(to) < 0 && name.keyEnd().compareTo(from) > 0
                        && !layer.isResident()) {
                    return false;
                }
            }
            at = current.atInAncestor(at);
        }
        return true;
    }

    /** The sizes of every relation in [from, to) of the size key space at {@code lsn}, summed in bytes. */
    static long sizeBytes(TimelineData timeline, Key from, Key to, Lsn lsn) {
        long blocks = 0;
        for (Key key : keys(timeline, from, to, lsn)) {
            RelSize size = relSize(timeline, key, lsn);
            if (size.exists()) {
                blocks += size.nblocks();
            }
        }
        return blocks * Page.SIZE;
    }
}
