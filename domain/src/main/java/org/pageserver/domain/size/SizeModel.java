package org.pageserver.domain.size;

import java.util.ArrayList;
import java.util.List;

/**
 * Neon's synthetic size model (tenant_size_model): a tenant's history as a tree of segments, each
 * ending at an LSN of one timeline, and the cheapest way to keep what must stay readable: a logical
 * snapshot at a point ({@link Method#SNAPSHOT_HERE}, its logical size), the WAL from the parent
 * point ({@link Method#WAL}, the LSN distance), or nothing ({@link Method#SKIPPED}, for a segment no
 * read needs, whose children then start from snapshots of their own).
 *
 * <p>Solved bottom-up: for each segment the cheapest cost of it and everything below it when its
 * parent's state is at hand ("incremental") and when it is not ("full"); the size is the sum of the
 * roots' full costs.
 */
public final class SizeModel {

    /** How a segment's state is kept. Neon's names, as the API shows them. */
    public enum Method {
        SNAPSHOT_HERE("SnapshotHere"), WAL("Wal"), SKIPPED("Skipped");

        private final String apiName;

        Method(String apiName) {
            this.apiName = apiName;
        }

        public String apiName() {
            return apiName;
        }
    }

    /**
     * One segment: the history from its parent's point to {@code lsn}.
     *
     * @param parent index of the parent segment, or null for a root
     * @param size   the logical size at {@code lsn}, where it was computed; null where not
     * @param needed whether reads need the history up to here (it is above the GC cutoff)
     */
    public record Segment(Integer parent, long lsn, Long size, boolean needed) {
    }

    /** The method chosen for a segment and what it and everything below it cost. */
    public record SegmentSize(Method method, long accumSize) {
    }

    /** The total, and each segment's choice (segments below a skipped root's cheapest plan included). */
    public record Result(long size, List<SegmentSize> segmentSizes) {
    }

    private SizeModel() {
    }

    public static Result calculate(List<Segment> segments) {
        List<List<Integer>> children = new ArrayList<>();
        for (int i = 0; i < segments.size(); i++) {
            children.add(new ArrayList<>());
        }
        List<Integer> roots = new ArrayList<>();
        for (int i = 0; i < segments.size(); i++) {
            Integer parent = segments.get(i).parent();
            if (parent == null) {
                roots.add(i);
            } else {
                if (parent < 0 || parent >= i) {
                    throw new IllegalArgumentException("segment " + i + " names parent " + parent + ", which does not come before it");
                }
                children.get(parent).add(i);
            }
        }
        Costs[] costs = new Costs[segments.size()];
        // Children come after their parents: from the last segment back, every child is solved first.
        for (int i = segments.size() - 1; i >= 0; i--) {
            costs[i] = solve(segments, children.get(i), costs, i);
        }
        List<SegmentSize> chosen = new ArrayList<>();
        for (int i = 0; i < segments.size(); i++) {
            chosen.add(new SegmentSize(Method.SKIPPED, 0));
        }
        long total = 0;
        for (int root : roots) {
            if (costs[root].full != null) {
                total += costs[root].full.accumSize();
                choose(costs, children, root, costs[root].full, chosen);
            }
        }
        return new Result(total, List.copyOf(chosen));
    }

    /** A segment's cheapest plans: with its parent's state at hand, and without (null: none possible). */
    private record Costs(SegmentSize incremental, SegmentSize full) {
    }

    private static Costs solve(List<Segment> segments, List<Integer> kids, Costs[] costs, int i) {
        Segment segment = segments.get(i);
        boolean root = segment.parent() == null;
        long kidsIncremental = 0;
        long kidsFull = 0;
        boolean allKidsFull = true;
        for (int kid : kids) {
            kidsIncremental += costs[kid].incremental.accumSize();
            if (costs[kid].full == null) {
                allKidsFull = false;
            } else {
                kidsFull += costs[kid].full.accumSize();
            }
        }
        SegmentSize later = !segment.needed() && allKidsFull ? new SegmentSize(Method.SKIPPED, kidsFull) : null;
        SegmentSize here = (!segment.needed() || root) && segment.size() != null
                ? new SegmentSize(Method.SNAPSHOT_HERE, segment.size() + kidsIncremental) : null;
        long walBytes = root ? 0 : segment.lsn() - segments.get(segment.parent()).lsn();
        SegmentSize wal = new SegmentSize(Method.WAL, walBytes + kidsIncremental);
        SegmentSize full = here;
        if (later != null && (full == null || later.accumSize() <= full.accumSize())) {
            full = later;
        }
        // A tie goes to the full plan, as in Neon.
        SegmentSize incremental = full != null && wal.accumSize() >= full.accumSize() ? full : wal;
        return new Costs(incremental, full);
    }

    /** Records {@code plan} for the segment and, below it, what that plan has its children do. */
    private static void choose(Costs[] costs, List<List<Integer>> children, int i, SegmentSize plan, List<SegmentSize> chosen) {
        chosen.set(i, plan);
        for (int kid : children.get(i)) {
            SegmentSize kidPlan = plan.method() == Method.SKIPPED ? costs[kid].full : costs[kid].incremental;
            choose(costs, children, kid, kidPlan, chosen);
        }
    }
}
