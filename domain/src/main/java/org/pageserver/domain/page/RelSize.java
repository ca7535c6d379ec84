package org.pageserver.domain.page;

import java.util.ArrayList;
import java.util.List;

/**
 * A relation's size at one LSN, whether it exists, and its cut history: the points at which it
 * was truncated or dropped. A block's versions from before a cut that removed it must never
 * resurface when the relation grows again, so a read of block {@code b} ignores every version at
 * or below {@link #cutoffFor(long) cutoffFor(b)}.
 *
 * <p>The history keeps only the cuts that can still matter: a later cut to a size at or below an
 * earlier one's hides the earlier one for every block, so the list is ascending in both LSN and
 * size, and stays short.
 */
public record RelSize(long nblocks, boolean exists, List<Truncation> truncations) implements Value {

    /** At {@code lsn} the relation was cut to {@code nblocks} blocks (0 for a drop). */
    public record Truncation(long lsn, long nblocks) {
    }

    public RelSize {
        truncations = List.copyOf(truncations);
        if (!exists && nblocks != 0) {
            throw new IllegalArgumentException("a dropped relation has no blocks");
        }
    }

    /** A relation that has not existed yet. */
    public static final RelSize NONE = new RelSize(0, false, List.of());

    /** The relation grown (or created) to {@code newSize} blocks, keeping its cut history. */
    public RelSize extendedTo(long newSize) {
        return new RelSize(newSize, true, truncations);
    }

    /** The relation set to {@code newSize} at {@code lsn}: a shrink records a cut. */
    public RelSize resizedAt(long lsn, long newSize) {
        if (!exists || newSize >= nblocks) {
            // Growing cuts nothing; a relation that did not exist has no blocks left to cut.
            return extendedTo(newSize);
        }
        return new RelSize(newSize, true, cut(lsn, newSize));
    }

    /** The relation dropped at {@code lsn}: every block is cut. */
    public RelSize droppedAt(long lsn) {
        return new RelSize(0, false, cut(lsn, 0));
    }

    private List<Truncation> cut(long lsn, long size) {
        List<Truncation> kept = new ArrayList<>();
        for (Truncation t : truncations) {
            if (t.nblocks() < size) {
                kept.add(t);
            }
        }
        kept.add(new Truncation(lsn, size));
        return kept;
    }

    /** The LSN at or below which block {@code blkno}'s versions were cut away; 0 if never. */
    public long cutoffFor(long blkno) {
        long cutoff = 0;
        for (Truncation t : truncations) {
            if (t.nblocks() <= blkno) {
                cutoff = t.lsn();
            } else {
                break;
            }
        }
        return cutoff;
    }
}
