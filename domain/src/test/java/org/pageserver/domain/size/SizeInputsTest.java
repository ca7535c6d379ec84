package org.pageserver.domain.size;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.pageserver.domain.id.TimelineId;
import org.pageserver.domain.lsn.Lsn;
import org.pageserver.domain.size.SizeInputs.PointKind;
import org.pageserver.domain.size.SizeInputs.TimelineFacts;
import org.pageserver.domain.size.SizeModel.Segment;

class SizeInputsTest {
    private static final TimelineId MAIN = TimelineId.parse("11111111111111111111111111111111");
    private static final TimelineId CHILD = TimelineId.parse("22222222222222222222222222222222");

    /** The worked example's tenant, gathered into the segments the model takes, and its size: 1800. */
    @Test
    void theWorkedExamplesTimelinesBecomeItsSegments() {
        List<TimelineFacts> timelines = List.of(
                new TimelineFacts(CHILD, MAIN, Lsn.of(400), Lsn.of(0), Lsn.of(600), Lsn.of(0), Lsn.of(500), Lsn.of(500)),
                new TimelineFacts(MAIN, null, null, Lsn.of(0), Lsn.of(1000), Lsn.of(0), Lsn.of(700), Lsn.of(800)));
        Map<String, Long> sizes = Map.of(MAIN + "@400", 1000L, MAIN + "@700", 1200L, CHILD + "@500", 1050L);
        SizeInputs inputs = SizeInputs.gather(timelines, null, (t, lsn) -> sizes.get(t + "@" + lsn.value()));

        assertEquals(List.of(
                new Segment(null, 0, null, false),
                new Segment(0, 400, 1000L, false),
                new Segment(1, 700, 1200L, false),
                new Segment(2, 1000, null, true),
                new Segment(1, 400, null, false),
                new Segment(4, 500, 1050L, false),
                new Segment(5, 600, null, true)), inputs.segments());
        assertEquals(List.of(PointKind.BranchStart, PointKind.BranchPoint, PointKind.GcCutOff, PointKind.BranchEnd,
                PointKind.BranchStart, PointKind.GcCutOff, PointKind.BranchEnd),
                inputs.kinds().stream().map(SizeInputs.Kind::kind).toList());
        assertEquals(1800, SizeModel.calculate(inputs.segments()).size());
        assertEquals(Lsn.of(700), inputs.timelineInputs().get(0).nextGcCutoff(), "the lower of horizon and PITR");
    }

    @Test
    void aRetentionPeriodOnlyShortensTheHistoryKeptAndAStartAboveTheCutoffIsASnapshot() {
        TimelineFacts main = new TimelineFacts(MAIN, null, null, Lsn.of(100), Lsn.of(1000), Lsn.of(100), Lsn.of(100),
                Lsn.of(100));
        SizeInputs kept = SizeInputs.gather(List.of(main), null, (t, lsn) -> 5000L);
        assertEquals(List.of(new Segment(null, 100, 5000L, true), new Segment(0, 1000, null, true)), kept.segments());
        assertEquals(5000 + 900, SizeModel.calculate(kept.segments()).size());

        SizeInputs shortened = SizeInputs.gather(List.of(main), 300L, (t, lsn) -> 5000L);
        assertEquals(Lsn.of(700), shortened.timelineInputs().get(0).nextGcCutoff());
        assertEquals(5000 + 300, SizeModel.calculate(shortened.segments()).size());
    }
}
