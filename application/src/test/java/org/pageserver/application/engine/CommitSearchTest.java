package org.pageserver.application.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.pageserver.application.engine.EngineFixture.REL;
import static org.pageserver.application.engine.EngineFixture.at;
import static org.pageserver.application.engine.EngineFixture.commit;
import static org.pageserver.application.engine.EngineFixture.image;
import static org.pageserver.application.engine.EngineFixture.ingest;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.pageserver.domain.id.TimelineId;
import org.pageserver.domain.lsn.Lsn;
import org.pageserver.domain.lsn.LsnByTimestamp;
import org.pageserver.domain.lsn.LsnByTimestamp.Kind;
import org.pageserver.domain.timeline.TimelineMetadata;

/** get_lsn_by_timestamp and get_timestamp_of_lsn over known commits at at(2), at(4), at(6). */
class CommitSearchTest {
    private final EngineFixture engine = new EngineFixture();
    private TimelineData timeline;

    @BeforeEach
    void commits() {
        timeline = engine.root();
        ingest(timeline, image(1, REL, 0, 1), commit(2, 1000), image(3, REL, 0, 2), commit(4, 2000));
        ingest(timeline, image(5, REL, 0, 3), commit(6, 3000), image(7, REL, 0, 4));
    }

    @AfterEach
    void close() {
        engine.close();
    }

    /** The contract: at the answer every commit before t is visible and none at or after it. */
    private void assertPresentBetween(long micros, long visibleCommit, long nextCommit) {
        LsnByTimestamp answer = CommitSearch.lsnFor(timeline, micros);
        assertEquals(Kind.PRESENT, answer.kind(), "for " + micros);
        assertTrue(answer.lsn().compareTo(at(visibleCommit)) >= 0 && answer.lsn().isBefore(at(nextCommit)),
                micros + " -> " + answer);
    }

    @Test
    void noCommitsIsNoData() {
        TimelineData empty = engine.root();
        ingest(empty, image(1, REL, 0, 1));
        assertEquals(new LsnByTimestamp(at(1), Kind.NODATA), CommitSearch.lsnFor(empty, 1000));
        assertNull(CommitSearch.timestampAt(empty, at(1)));
    }

    @Test
    void beforeEveryCommitIsPast() {
        assertEquals(new LsnByTimestamp(at(7), Kind.PAST), CommitSearch.lsnFor(timeline, 999));
        assertEquals(new LsnByTimestamp(at(7), Kind.PAST), CommitSearch.lsnFor(timeline, 1000),
                "a commit exactly at t is not before t");
    }

    @Test
    void afterEveryCommitIsFuture() {
        assertEquals(new LsnByTimestamp(at(7), Kind.FUTURE), CommitSearch.lsnFor(timeline, 3001));
        assertEquals(new LsnByTimestamp(at(7), Kind.FUTURE), CommitSearch.lsnFor(timeline, Long.MAX_VALUE));
    }

    @Test
    void betweenCommitsIsPresent() {
        assertPresentBetween(1001, 2, 4);
        assertPresentBetween(1500, 2, 4);
        assertPresentBetween(2000, 2, 4);
        assertPresentBetween(2001, 4, 6);
        assertPresentBetween(3000, 4, 6);
    }

    @Test
    void theSameAnswersAfterAFlush() {
        timeline.checkpoint();
        assertPresentBetween(1500, 2, 4);
        assertPresentBetween(3000, 4, 6);
        assertEquals(Kind.FUTURE, CommitSearch.lsnFor(timeline, 4000).kind());
    }

    @Test
    void timestampAtIsTheNewestCommitAtOrBelow() {
        assertNull(CommitSearch.timestampAt(timeline, at(1)));
        assertNull(CommitSearch.timestampAt(timeline, Lsn.of(at(2).value() - 1)));
        assertEquals(1000L, CommitSearch.timestampAt(timeline, at(2)));
        assertEquals(1000L, CommitSearch.timestampAt(timeline, at(3)));
        assertEquals(2000L, CommitSearch.timestampAt(timeline, at(4)));
        assertEquals(3000L, CommitSearch.timestampAt(timeline, at(7)));
    }

    /**
     * A branch's GC cutoff is its branch point, so history before it cannot be read there: a time
     * whose answer would lie below it is PAST (as Neon answers), not a PRESENT LSN that shows commits
     * at or after the time.
     */
    @Test
    void onABranchTimesBeforeTheBranchPointReachTheAncestorsCommits() {
        TimelineData branch = engine.create(timeline.metadata().branch(TimelineId.generate(), at(5), null), timeline);
        ingest(branch, commit(8, 4000));
        assertEquals(2000L, CommitSearch.timestampAt(branch, at(5)));
        assertEquals(4000L, CommitSearch.timestampAt(branch, at(8)));
        // A branch shares its ancestor's history (and GC cutoff) below the branch point.
        LsnByTimestamp early = CommitSearch.lsnFor(branch, 1500);
        assertEquals(Kind.PRESENT, early.kind(), early.toString());
        assertTrue(!early.lsn().isBefore(at(2)) && early.lsn().isBefore(at(4)), early.toString());
        assertEquals(Kind.PAST, CommitSearch.lsnFor(branch, 500).kind());
        LsnByTimestamp later = CommitSearch.lsnFor(branch, 3500);
        assertEquals(Kind.PRESENT, later.kind());
        assertTrue(!later.lsn().isBefore(at(5)) && later.lsn().isBefore(at(8)), later.toString());
        assertEquals(Kind.FUTURE, CommitSearch.lsnFor(branch, 4001).kind());
    }

    @Test
    void anAnswerNeverLiesBelowTheGcCutoff() {
        TimelineMetadata root = engine.rootMetadata();
        TimelineData cut = engine.create(new TimelineMetadata(root.tenantId(), root.timelineId(), null, Lsn.INVALID,
                root.initdbLsn(), root.lastRecordLsn(), root.prevRecordLsn(), root.diskConsistentLsn(),
                root.remoteConsistentLsn(), at(3), root.pgVersion(), false), null);
        ingest(cut, commit(2, 1000), commit(4, 2000), commit(6, 3000));
        // Every commit is at or after 900, the first of them below the cutoff: nothing readable is before it.
        assertEquals(new LsnByTimestamp(at(6), Kind.PAST), CommitSearch.lsnFor(cut, 900));
        assertPresentBetweenOn(cut, 1500, 3, 4);
        assertPresentBetweenOn(cut, 2500, 4, 6);
    }

    private static void assertPresentBetweenOn(TimelineData t, long micros, long visible, long next) {
        LsnByTimestamp answer = CommitSearch.lsnFor(t, micros);
        assertEquals(Kind.PRESENT, answer.kind());
        assertTrue(answer.lsn().compareTo(at(visible)) >= 0 && answer.lsn().isBefore(at(next)), answer.toString());
    }
}
