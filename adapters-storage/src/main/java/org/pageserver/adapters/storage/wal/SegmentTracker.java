package org.pageserver.adapters.storage.wal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.pageserver.domain.lsn.Lsn;

/**
 * What each segment still holds that a restart would need: per timeline, the newest LSN it logged
 * there. Releasing a timeline up to an LSN drops the entries at or below it, forgetting drops the
 * timeline's entries altogether. Segments go oldest first: a segment left with nothing, and every
 * segment before it likewise, can go (never the one being written). Trimming only from the front
 * keeps a timeline's forget record ({@link LogRecord#isForget}) for as long as anything older of
 * that timeline is still on disk.
 * Thread-safe: the writer thread records appends while release and forget come from elsewhere.
 */
final class SegmentTracker {
    private final TreeMap<Long, Map<TimelineKey, Lsn>> needed = new TreeMap<>();
    private long current = -1;

    /** A segment exists, possibly holding nothing yet. */
    synchronized void known(long seq) {
        needed.computeIfAbsent(seq, s -> new HashMap<>());
    }

    /**
     * Records a batch as being in the segment. The writer calls this before it leaves the segment
     * for the next one, so a segment is never reclaimable while a batch of it is unaccounted for.
     */
    synchronized void appended(long seq, TimelineKey timeline, Lsn lastLsn) {
        Map<TimelineKey, Lsn> holds = needed.computeIfAbsent(seq, s -> new HashMap<>());
        if (lastLsn.isValid()) {
            // A forget record (LSN 0/0) holds no data a restart would need.
            holds.merge(timeline, lastLsn, Lsn::max);
        }
    }

    /** The segment now being written: never reclaimed, as more batches may go into it. */
    synchronized void writingTo(long seq) {
        known(seq);
        current = seq;
    }

    /** @return the segments this made reclaimable, now no longer tracked */
    synchronized List<Long> release(TimelineKey timeline, Lsn upTo) {
        for (Map<TimelineKey, Lsn> holds : needed.values()) {
            holds.computeIfPresent(timeline, (t, newest) -> newest.isAfter(upTo) ? newest : null);
        }
        return takeReclaimable();
    }

    /** @return the segments this made reclaimable, now no longer tracked */
    synchronized List<Long> forget(TimelineKey timeline) {
        for (Map<TimelineKey, Lsn> holds : needed.values()) {
            holds.remove(timeline);
        }
        return takeReclaimable();
    }

    private List<Long> takeReclaimable() {
        List<Long> reclaimable = new ArrayList<>();
        for (Iterator<Map.Entry<Long, Map<TimelineKey, Lsn>>> it = needed.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Long, Map<TimelineKey, Lsn>> segment = it.next();
            if (segment.getKey() == current || !segment.getValue().isEmpty()) {
                break;
            }
            reclaimable.add(segment.getKey());
            it.remove();
        }
        return reclaimable;
    }
}
