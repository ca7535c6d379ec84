package org.pageserver.application.engine;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.pageserver.domain.lsn.Lsn;
import org.pageserver.domain.page.Page;
import org.pageserver.domain.page.RelSize;
import org.pageserver.domain.page.RelTag;

/**
 * Every relation's size at the newest accepted LSN, with its cut history: what ingest needs to
 * decide whether a write extends a relation, and what the logical size is summed from. Kept by
 * the ingest writer alone (under the timeline's write lock); the logical size is published for readers.
 *
 * <p>Readers also get each size with the LSN it holds since (Neon's rel_size_cache): a read at or
 * above that LSN takes it without looking in a layer. Ingest replaces an entry before it publishes
 * the LSN of the change, so a read at an LSN it may use (one that has arrived) never sees an
 * entry older than the change; a read below an entry's LSN looks in the layers.
 */
final class RelSizes {
    /** A size, and the LSN from which it holds up to the newest ingested one. */
    private record Since(Lsn lsn, RelSize size) {
    }

    private final Map<RelTag, RelSize> sizes = new HashMap<>();
    private final Map<RelTag, Since> published = new ConcurrentHashMap<>();
    /** From which LSN on {@link #published} holds every relation that exists; null until the sizes are loaded. */
    private volatile Lsn completeSince;
    private volatile long logicalSize;

    RelSize get(RelTag rel) {
        return sizes.getOrDefault(rel, RelSize.NONE);
    }

    /** The relation's size, as it holds from {@code since} on. */
    void put(RelTag rel, RelSize size, Lsn since) {
        RelSize old = sizes.put(rel, size);
        published.put(rel, new Since(since, size));
        long before = old == null || !old.exists() ? 0 : old.nblocks();
        long after = size.exists() ? size.nblocks() : 0;
        logicalSize += (after - before) * Page.SIZE;
    }

    /** Every relation is in now, as of {@code lsn}: one not in holds no size from there on. */
    void complete(Lsn lsn) {
        completeSince = lsn;
    }

    /**
     * The relation's size at {@code lsn}, an LSN that has arrived, if known here without a look in
     * the layers; else null.
     */
    RelSize at(RelTag rel, Lsn lsn) {
        Lsn complete = completeSince;
        if (complete == null) {
            return null;
        }
        Since since = published.get(rel);
        if (since == null) {
            return lsn.isBefore(complete) ? null : RelSize.NONE;
        }
        return lsn.isBefore(since.lsn()) ? null : since.size();
    }

    /** Every relation's number of blocks (0 for a dropped one, whose size key stays), as a copy. */
    Map<RelTag, Long> blockCounts() {
        Map<RelTag, Long> counts = new HashMap<>();
        sizes.forEach((rel, size) -> counts.put(rel, size.exists() ? size.nblocks() : 0L));
        return counts;
    }

    /** The sum of the existing relations' sizes, in bytes. */
    long logicalSize() {
        return logicalSize;
    }
}
