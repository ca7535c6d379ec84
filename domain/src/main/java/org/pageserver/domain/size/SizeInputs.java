package org.pageserver.domain.size;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.pageserver.domain.id.TimelineId;
import org.pageserver.domain.lsn.Lsn;
import org.pageserver.domain.size.SizeModel.Segment;

/**
 * The synthetic size's inputs from a tenant's timelines (Neon's tenant/size.rs): per timeline a
 * chain of segments from its start through the branch points of its children and its GC cutoff to
 * its last record, each child's chain hanging from its parent's branch point.
 *
 * @param segments       the segments, parents before children
 * @param kinds          each segment's kind, and the timeline it belongs to
 * @param timelineInputs what each timeline contributed
 */
public record SizeInputs(List<Segment> segments, List<Kind> kinds, List<TimelineInput> timelineInputs) {

    /** What a segment ends at. Neon's names. */
    public enum PointKind { BranchStart, BranchPoint, GcCutOff, BranchEnd }

    public record Kind(TimelineId timelineId, PointKind kind) {
    }

    /**
     * One timeline's facts.
     *
     * @param horizonCutoff        last_record_lsn - gc_horizon (0/0 when shorter)
     * @param pitrCutoff           as GC finds it from the commit records
     * @param nextGcCutoff         where the history the model keeps starts: the lower of the two,
     *                             or later where retention_period asks for less
     * @param retentionParamCutoff last_record_lsn - retention_period, when one was given
     */
    public record TimelineInput(TimelineId timelineId, TimelineId ancestorId, Lsn ancestorLsn, Lsn initdbLsn,
                                Lsn lastRecord, Lsn latestGcCutoff, Lsn horizonCutoff, Lsn pitrCutoff,
                                Lsn nextGcCutoff, Lsn retentionParamCutoff) {
    }

    /** A timeline as the gathering needs it; {@code ancestorId} null for a root. */
    public record TimelineFacts(TimelineId timelineId, TimelineId ancestorId, Lsn ancestorLsn, Lsn initdbLsn,
                                Lsn lastRecord, Lsn latestGcCutoff, Lsn horizonCutoff, Lsn pitrCutoff) {
    }

    /**
     * @param retentionPeriod bytes of WAL to keep whatever GC would keep (only shortens history); null: as GC
     * @param logicalSizeAt   the logical size of a timeline at an LSN
     */
    public static SizeInputs gather(List<TimelineFacts> timelines, Long retentionPeriod,
                                    BiFunction<TimelineId, Lsn, Long> logicalSizeAt) {
        Map<TimelineId, List<TimelineFacts>> children = new HashMap<>();
        List<TimelineFacts> roots = new ArrayList<>();
        Map<TimelineId, TimelineFacts> byId = new HashMap<>();
        timelines.forEach(t -> byId.put(t.timelineId(), t));
        for (TimelineFacts t : timelines) {
            if (t.ancestorId() == null || !byId.containsKey(t.ancestorId())) {
                roots.add(t);
            } else {
                children.computeIfAbsent(t.ancestorId(), k -> new ArrayList<>()).add(t);
            }
        }
        List<Segment> segments = new ArrayList<>();
        List<Kind> kinds = new ArrayList<>();
        List<TimelineInput> inputs = new ArrayList<>();
        // Parents before children: breadth first from the roots, each child's start on its parent's branch point.
        record Pending(TimelineFacts timeline, Integer parentSegment) {
        }
        List<Pending> queue = new ArrayList<>();
        roots.stream().sorted(Comparator.comparing(t -> t.timelineId().toString())).forEach(t -> queue.add(new Pending(t, null)));
        for (int q = 0; q < queue.size(); q++) {
            TimelineFacts t = queue.get(q).timeline();
            boolean root = queue.get(q).parentSegment() == null;
            Lsn next = Lsn.min(t.horizonCutoff(), t.pitrCutoff());
            Lsn retentionCutoff = null;
            if (retentionPeriod != null) {
                retentionCutoff = t.lastRecord().saturatingMinus(retentionPeriod);
                next = Lsn.max(next, retentionCutoff);
            }
            Lsn start = t.ancestorLsn() != null && t.ancestorLsn().isAfter(t.initdbLsn()) ? t.ancestorLsn() : t.initdbLsn();
            boolean startNeeded = !next.isAfter(start);
            inputs.add(new TimelineInput(t.timelineId(), t.ancestorId(), t.ancestorLsn(), t.initdbLsn(), t.lastRecord(),
                    t.latestGcCutoff(), t.horizonCutoff(), t.pitrCutoff(), next, retentionCutoff));

            Long startSize = root && startNeeded ? logicalSizeAt.apply(t.timelineId(), start) : null;
            int previous = add(segments, kinds, new Segment(queue.get(q).parentSegment(), start.value(), startSize, startNeeded),
                    t, PointKind.BranchStart);
            List<TimelineFacts> kids = children.getOrDefault(t.timelineId(), List.of()).stream()
                    .sorted(Comparator.comparing(k -> k.timelineId().toString())).toList();
            List<Lsn> branchPoints = kids.stream().map(TimelineFacts::ancestorLsn).distinct()
                    .sorted().toList();
            Map<Lsn, Integer> branchPointSegments = new HashMap<>();
            boolean cutoffEmitted = startNeeded;
            for (Lsn point : branchPoints) {
                if (!cutoffEmitted && next.isBefore(point)) {
                    previous = add(segments, kinds, new Segment(previous, next.value(), logicalSizeAt.apply(t.timelineId(), next),
                            false), t, PointKind.GcCutOff);
                    cutoffEmitted = true;
                }
                previous = add(segments, kinds, new Segment(previous, point.value(), logicalSizeAt.apply(t.timelineId(), point),
                        point.isAfter(next)), t, PointKind.BranchPoint);
                branchPointSegments.put(point, previous);
            }
            if (!cutoffEmitted && next.isBefore(t.lastRecord())) {
                previous = add(segments, kinds, new Segment(previous, next.value(), logicalSizeAt.apply(t.timelineId(), next),
                        false), t, PointKind.GcCutOff);
            }
            add(segments, kinds, new Segment(previous, t.lastRecord().value(), null, true), t, PointKind.BranchEnd);
            for (TimelineFacts kid : kids) {
                queue.add(new Pending(kid, branchPointSegments.get(kid.ancestorLsn())));
            }
        }
        return new SizeInputs(List.copyOf(segments), List.copyOf(kinds), List.copyOf(inputs));
    }

    private static int add(List<Segment> segments, List<Kind> kinds, Segment segment, TimelineFacts t, PointKind kind) {
        segments.add(segment);
        kinds.add(new Kind(t.timelineId(), kind));
        return segments.size() - 1;
    }
}
