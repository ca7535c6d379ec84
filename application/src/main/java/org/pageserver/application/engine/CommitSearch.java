package org.pageserver.application.engine;

import org.pageserver.domain.lsn.Lsn;
import org.pageserver.domain.lsn.LsnByTimestamp;
import org.pageserver.domain.page.Key;
import org.pageserver.domain.page.Value;

/**
 * LSN-to-time and time-to-LSN from COMMIT records. Each probe reads the newest commit at or below
 * an LSN, a point read like a page's; the time-to-LSN search is a binary search over LSNs, as
 * Neon's {@code find_lsn_for_timestamp}, so it assumes commit times grow with LSN (as they do in
 * one PostgreSQL's WAL).
 */
public final class CommitSearch {
    private CommitSearch() {
    }

    /**
     * The time of the newest commit at or below {@code lsn}, in microseconds since 1970, or null if
     * none; below the GC cutoff a 400, as any read there (the history may be gone).
     */
    public static Long timestampAt(TimelineData timeline, Lsn lsn) {
        return timeline.read(lsn, () -> commitAt(timeline, lsn));
    }

    private static Long commitAt(TimelineData timeline, Lsn lsn) {
        Value value = ReadPath.latest(timeline, Key.COMMIT, lsn);
        return value == null ? null : ((Value.CommitTimestamp) value).micros();
    }

    public static LsnByTimestamp lsnFor(TimelineData timeline, long timestampMicros) {
        return timeline.read(() -> search(timeline, timestampMicros));
    }

    private static LsnByTimestamp search(TimelineData timeline, long timestampMicros) {
        Lsn last = timeline.metadata().lastRecordLsn();
        Long newest = commitAt(timeline, last);
        if (newest == null) {
            return new LsnByTimestamp(last, LsnByTimestamp.Kind.NODATA);
        }
        if (newest < timestampMicros) {
            return new LsnByTimestamp(last, LsnByTimestamp.Kind.FUTURE);
        }
        // The smallest LSN whose newest commit is at or after the time: commits below it are all before it.
        long cutoff = timeline.metadata().latestGcCutoffLsn().value();
        long low = cutoff;
        long high = last.value();
        while (Long.compareUnsigned(low, high) < 0) {
            long mid = low + (high - low) / 2;
            Long at = commitAt(timeline, Lsn.of(mid));
            if (at != null && at >= timestampMicros) {
                high = mid;
            } else {
                low = mid + 1;
            }
        }
        Lsn before = Lsn.of(low - 1);
        // At or below the cutoff is nothing to answer with: a read there is refused, and the search
        // never looked there, so commits at or after the time may be visible at low - 1 (Neon: Past).
        if (Long.compareUnsigned(low, cutoff) <= 0 || commitAt(timeline, before) == null) {
            return new LsnByTimestamp(last, LsnByTimestamp.Kind.PAST);
        }
        return new LsnByTimestamp(before, LsnByTimestamp.Kind.PRESENT);
    }
}
