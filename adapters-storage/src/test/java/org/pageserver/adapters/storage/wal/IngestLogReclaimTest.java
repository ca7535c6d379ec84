package org.pageserver.adapters.storage.wal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.pageserver.adapters.storage.wal.FileIngestLogTest.A;
import static org.pageserver.adapters.storage.wal.FileIngestLogTest.B;
import static org.pageserver.adapters.storage.wal.FileIngestLogTest.TENANT;
import static org.pageserver.adapters.storage.wal.TestBatches.commits;
import static org.pageserver.adapters.storage.wal.TestBatches.replay;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pageserver.domain.id.TenantId;
import org.pageserver.domain.lsn.Lsn;

/**
 * Release and forget: segments go oldest first, once nothing in them or before them is still
 * needed, and never the one being written; a forgotten timeline is never replayed again.
 */
class IngestLogReclaimTest {
    @TempDir
    Path dir;

    /** Segment 1 holds B's batch and A's first; segments 2 to 10 one batch of A each, A's batch i ending at 0x1000 + 0x100 * i + 40. */
    private FileIngestLog logWithTenSegments() {
        FileIngestLog log = new FileIngestLog(dir, 300);
        replay(log);
        log.append(TENANT, B, commits(0x500, 1)).join();
        for (int i = 0; i < 10; i++) {
            log.append(TENANT, A, commits(0x1000 + 0x100L * i, 6)).join();
        }
        return log;
    }

    private List<Long> segments() throws IOException {
        return SegmentFile.list(dir);
    }

    @Test
    void releaseDeletesSegmentsWhoseBatchesAreAllInLayersButKeepsOnesAnotherTimelineNeeds() throws IOException {
        try (FileIngestLog log = logWithTenSegments()) {
            assertEquals(10, segments().size());
            log.release(TENANT, A, Lsn.of(0x1000 + 0x100 * 3 + 40));
            assertEquals(10, segments().size(), "segment 1 still holds B, and segments go oldest first");

            log.release(TENANT, B, Lsn.of(0x4FF));
            assertEquals(1L, segments().get(0), "B's batch ends at 0x500");
            log.release(TENANT, B, Lsn.of(0x500));
            assertEquals(List.of(5L, 6L, 7L, 8L, 9L, 10L), segments());

            log.release(TENANT, A, Lsn.MAX);
            assertEquals(List.of(10L), segments(), "the segment being written stays");
        }
    }

    @Test
    void forgetDeletesWhatOnlyTheGoneTimelineHeldAndReplayNoLongerSeesIt() throws IOException {
        try (FileIngestLog log = logWithTenSegments()) {
            log.release(TENANT, A, Lsn.of(0x1000 + 0x100 * 3 + 40));
            log.forget(TENANT, B);
            assertEquals(5L, segments().get(0), "segments 1 to 4 held only B and released batches of A");
            log.forget(TENANT, A);
            assertEquals(1, segments().size(), "only the segment being written stays");
        }
        try (FileIngestLog log = new FileIngestLog(dir, 300)) {
            assertEquals(List.of(), replay(log), "A's batches in the kept segment come before its forget record");
        }
    }

    @Test
    void theSameTimelineIdInAnotherTenantIsAnotherTimeline() throws IOException {
        TenantId other = TenantId.parse("22222222222222222222222222222222");
        try (FileIngestLog log = new FileIngestLog(dir, 300)) {
            replay(log);
            log.append(other, A, commits(0x1000, 6)).join();
            log.append(TENANT, A, commits(0x1000, 6)).join();
            log.append(TENANT, A, commits(0x2000, 6)).join();
            log.release(TENANT, A, Lsn.MAX);
            assertEquals(List.of(1L, 2L, 3L), segments(), "segment 1 holds the other tenant's A: trimming stops there");
            log.release(other, A, Lsn.MAX);
            assertEquals(List.of(3L), segments());
        }
    }

    @Test
    void replayedBatchesKeepTheirSegmentsUntilReleasedAgain() throws IOException {
        try (FileIngestLog log = logWithTenSegments()) {
            log.release(TENANT, A, Lsn.of(0x1000 + 0x100 * 3 + 40));
        }
        try (FileIngestLog log = new FileIngestLog(dir, 300)) {
            assertEquals(11, replay(log).size(), "segment 1 holds B, so no segment after it was reclaimed");
            log.release(TENANT, A, Lsn.of(0x1000 + 0x100 * 6 + 40));
            log.forget(TENANT, B);
            assertEquals(List.of(8L, 9L, 10L), segments());
        }
    }

    @Test
    void aTimelineCreatedAgainUnderAForgottenIdReplaysOnlyItsOwnBatches() throws IOException {
        try (FileIngestLog log = new FileIngestLog(dir, 1 << 20)) {
            replay(log);
            log.append(TENANT, A, commits(0x9000, 3)).join();
            log.append(TENANT, B, commits(0x500, 1)).join();
            log.forget(TENANT, A);
            log.append(TENANT, A, commits(0x1000, 2)).join();
        }
        try (FileIngestLog log = new FileIngestLog(dir, 1 << 20)) {
            List<String> replayed = replay(log).stream().map(e -> e.timeline() + "@" + e.lastLsn()).toList();
            assertEquals(2, replayed.size(), replayed.toString());
            assertTrue(replayed.get(0).startsWith(B + "@"), replayed.toString());
            assertTrue(replayed.get(1).startsWith(A + "@0/10"), "only the new A's batch: " + replayed);
        }
    }
}
