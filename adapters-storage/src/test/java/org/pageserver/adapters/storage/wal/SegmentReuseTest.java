package org.pageserver.adapters.storage.wal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.pageserver.adapters.storage.wal.FileIngestLogTest.A;
import static org.pageserver.adapters.storage.wal.FileIngestLogTest.B;
import static org.pageserver.adapters.storage.wal.FileIngestLogTest.TENANT;
import static org.pageserver.adapters.storage.wal.TestBatches.commits;
import static org.pageserver.adapters.storage.wal.TestBatches.replay;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pageserver.domain.lsn.Lsn;
import org.pageserver.domain.wal.WalBatch;

/**
 * Segment files are reused instead of deleted: a reused file's earlier records are never replayed,
 * whether the segment was sealed, closed, or cut short by a crash; and segments of format
 * version 1, from before reuse, are still read.
 */
class SegmentReuseTest {
    private static final long SEGMENT = 32 * 1024;

    @TempDir
    Path dir;

    private long spareFiles() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".spare")).count();
        }
    }

    /** Many batches of A over several segments, all released: their files become spares. */
    private List<WalBatch> fillAndReleaseA(FileIngestLog log) throws IOException {
        List<WalBatch> written = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            WalBatch batch = commits(0x1000 + 0x1000L * i, 40);
            log.append(TENANT, A, batch).join();
            written.add(batch);
        }
        assertTrue(SegmentFile.list(dir).size() > 5, "A spans several segments");
        log.release(TENANT, A, Lsn.MAX);
        assertTrue(spareFiles() > 0, "released segments are kept as spares");
        return written;
    }

    @Test
    void aCrashInAReusedSegmentReplaysItsOwnRecordsAndNotTheFilesEarlierOnes() throws IOException {
        FileIngestLog first = new FileIngestLog(dir, SEGMENT);
        replay(first);
        fillAndReleaseA(first);
        long sparesBefore = spareFiles();
        List<String> bBatches = new ArrayList<>();
        // Enough of B to seal the segment being written and go on into reused files, ending in one.
        for (int i = 0; i < 150; i++) {
            WalBatch batch = commits(0x100_0000 + 0x1000L * i, 10);
            first.append(TENANT, B, batch).join();
            bBatches.add(TestBatches.text(List.of(new TestBatches.Entry(TENANT, B, batch.encoded()))).get(0));
        }
        assertTrue(spareFiles() < sparesBefore, "new segments were made of spares");
        List<Long> seqs = SegmentFile.list(dir);
        long last = seqs.get(seqs.size() - 1);
        SegmentScanner.Result tail = SegmentScanner.scan(SegmentFile.path(dir, last), last, record -> { });
        assertTrue(tail.fault() != null,
                "the segment being written is a reused file with A's old records after B's: " + tail);

        // A crash: the first log is never closed; a new one replays what is on disk.
        try (FileIngestLog second = new FileIngestLog(dir, SEGMENT)) {
            List<TestBatches.Entry> replayed = replay(second);
            List<String> bReplayed = new ArrayList<>();
            boolean bStarted = false;
            for (TestBatches.Entry entry : replayed) {
                if (entry.timeline().equals(B)) {
                    bStarted = true;
                    bReplayed.add(entry.text());
                } else {
                    assertTrue(!bStarted, "no batch of A, from a reused file's earlier life, after B's: " + entry.lastLsn());
                }
            }
            assertEquals(bBatches, bReplayed);
        }
    }

    @Test
    void sealedAndClosedSegmentsEndWhereTheirRecordsEnd() throws IOException {
        try (FileIngestLog log = new FileIngestLog(dir, SEGMENT)) {
            replay(log);
            fillAndReleaseA(log);
            for (int i = 0; i < 150; i++) {
                log.append(TENANT, B, commits(0x100_0000 + 0x1000L * i, 10)).join();
            }
        }
        for (long seq : SegmentFile.list(dir)) {
            SegmentScanner.Result result = SegmentScanner.scan(SegmentFile.path(dir, seq), seq, record -> { });
            assertNull(result.fault(), "segment " + seq + ": " + result.fault());
        }
    }

    @Test
    void aVersionOneSegmentIsReadAndNewRecordsGoToANewSegment() throws IOException {
        Files.createDirectories(dir);
        WalBatch old = commits(0x2000, 2);
        try (FileChannel channel = FileChannel.open(SegmentFile.path(dir, 7), StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE)) {
            // A version 1 header, and a record whose checksum is not masked.
            channel.write(ByteBuffer.allocate(SegmentFile.HEADER_SIZE).putInt(0x5053_574C).putShort((short) 1)
                    .putShort((short) 0).putLong(7).flip());
            channel.write(LogRecord.encode(new TimelineKey(TENANT, A), old.lastLsn(), old.encoded()));
        }
        WalBatch next = commits(0x3000, 2);
        try (FileIngestLog log = new FileIngestLog(dir, SEGMENT)) {
            List<TestBatches.Entry> replayed = replay(log);
            assertEquals(1, replayed.size());
            assertEquals(old.lastLsn(), replayed.get(0).lastLsn());
            log.append(TENANT, A, next).join();
        }
        assertEquals(List.of(7L, 8L), SegmentFile.list(dir));
        try (FileIngestLog log = new FileIngestLog(dir, SEGMENT)) {
            List<TestBatches.Entry> replayed = replay(log);
            assertEquals(List.of(old.lastLsn(), next.lastLsn()), replayed.stream().map(TestBatches.Entry::lastLsn).toList());
        }
    }

    @Test
    void aWholeRecordWrittenForAnotherSegmentEndsTheSegmentWhereItStands() throws IOException {
        Files.createDirectories(dir);
        SegmentFile.create(dir, 3);
        TimelineKey a = new TimelineKey(TENANT, A);
        ByteBuffer own = LogRecord.encode(a, Lsn.of(0x100), commits(0x100, 1).encoded());
        ByteBuffer stale = LogRecord.encode(a, Lsn.of(0x200), commits(0x200, 1).encoded());
        ByteBuffer after = LogRecord.encode(a, Lsn.of(0x300), commits(0x300, 1).encoded());
        LogRecord.maskCrc(own, SegmentFile.crcMask(3));
        LogRecord.maskCrc(stale, SegmentFile.crcMask(2));
        LogRecord.maskCrc(after, SegmentFile.crcMask(3));
        long ownEnd = SegmentFile.HEADER_SIZE + own.remaining();
        try (FileChannel channel = FileChannel.open(SegmentFile.path(dir, 3), StandardOpenOption.WRITE,
                StandardOpenOption.APPEND)) {
            channel.write(new ByteBuffer[] {own, stale, after});
        }

        List<Lsn> read = new ArrayList<>();
        SegmentScanner.Result result = SegmentScanner.scan(SegmentFile.path(dir, 3), 3, r -> read.add(r.lastLsn()));

        assertEquals(List.of(Lsn.of(0x100)), read);
        assertEquals(ownEnd, result.validEnd());
        assertTrue(result.fault().contains("checksum"), result.fault());
    }
}
