package org.pageserver.application.engine;

import java.util.HashMap;
import java.util.Map;
import org.pageserver.domain.page.Page;
import org.pageserver.domain.page.RelSize;
import org.pageserver.domain.page.RelTag;

/**
 * Every relation's size at the newest accepted LSN, with its cut history: what ingest needs to
 * decide whether a write extends a relation, and what the logical size is summed from. Kept by
 * the ingest writer alone (under the timeline's write lock); the logical size is published for readers.
 */
final class RelSizes {
    private final Map<RelTag, RelSize> sizes = new HashMap<>();
    private volatile long logicalSize;

    RelSize get(RelTag rel) {
        return sizes.getOrDefault(rel, RelSize.NONE);
    }

    void put(RelTag rel, RelSize size) {
        RelSize old = sizes.put(rel, size);
        long before = old == null || !old.exists() ? 0 : old.nblocks();
        long after = size.exists() ? size.nblocks() : 0;
        logicalSize += (after - before) * Page.SIZE;
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
