package org.pageserver.adapters.storage.wal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.pageserver.adapters.storage.wal.FileIngestLogTest.A;
import static org.pageserver.adapters.storage.wal.FileIngestLogTest.TENANT;
import static org.pageserver.adapters.storage.wal.TestBatches.commits;
import static org.pageserver.adapters.storage.wal.TestBatches.replay;
import static org.pageserver.adapters.storage.wal.TestBatches.text;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pageserver.adapters.storage.wal.TestBatches.Entry;
import org.pageserver.domain.lsn.Lsn;
import org.pageserver.domain.wal.WalBatch;

/** What start-up makes of a log a crash or damage left behind. */
class IngestLogRecoveryTest {
    @TempDir
    Path dir;

    private List<Entry> appendTen(long segmentSize) {
        List<Entry> appended = new ArrayList<>();
        try (FileIngestLog log = new FileIngestLog(dir, segmentSize)) {
            for (int i = 0; i < 10; i++) {
                WalBatch batch = commits(0x1000 + 0x100L * i, 4);
                log.append(TENANT, A, batch).join();
                appended.add(new Entry(TENANT, A, batch.encoded()));
            }
        }
        return appended;
    }

    private Path segment(long seq) {
        return SegmentFile.path(dir, seq);
    }

    /** Where the segment's records end: the file holds up to one block of zero padding after them. */
    private long recordsEnd(long seq) throws IOException {
        SegmentScanner.Result result = SegmentScanner.scan(segment(seq), seq, record -> { });
        assertEquals(null, result.fault());
        return result.validEnd();
    }

    /** What a crash leaves when a write reached the file only in part: the padding gone, the tail there. */
    private void tearAfterRecords(long seq, byte[] tail) throws IOException {
        long end = recordsEnd(seq);
        try (FileChannel channel = FileChannel.open(segment(seq), StandardOpenOption.WRITE)) {
            channel.truncate(end);
            channel.write(ByteBuffer.wrap(tail), end);
        }
    }

    /** Endings a crash can leave after the last whole record. */
    static Stream<byte[]> tornTails() {
        ByteBuffer whole = LogRecord.encode(new TimelineKey(TENANT, A), Lsn.of(0x9000), commits(0x9000, 3).encoded());
        byte[] half = new byte[whole.remaining() / 2];
        whole.duplicate().get(half);
        byte[] badChecksum = new byte[whole.remaining()];
        whole.duplicate().get(badChecksum);
        badChecksum[badChecksum.length - 1] ^= 1;
        byte[] hugeLength = {(byte) 0x7F, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8};
        return Stream.of(new byte[] {0, 0, 0}, new byte[4096], half, badChecksum, hugeLength);
    }

    @ParameterizedTest
    @MethodSource("tornTails")
    void aTornTailIsCutOffAndEveryWholeRecordReplayed(byte[] tail) throws IOException {
        List<Entry> appended = appendTen(1 << 20);
        long intact = recordsEnd(1);
        tearAfterRecords(1, tail);

        try (FileIngestLog log = new FileIngestLog(dir)) {
            assertEquals(text(appended), text(replay(log)));
            assertEquals(intact, Files.size(segment(1)));
            WalBatch next = commits(0xA000, 1);
            log.append(TENANT, A, next).join();
            appended.add(new Entry(TENANT, A, next.encoded()));
        }
        try (FileIngestLog log = new FileIngestLog(dir)) {
            assertEquals(text(appended), text(replay(log)));
        }
    }

    @Test
    void aLastSegmentWhoseCreationACrashInterruptedIsBegunAfresh() throws IOException {
        List<Entry> appended = appendTen(1 << 20);
        Files.write(segment(2), new byte[] {0x50, 0x53});
        try (FileIngestLog log = new FileIngestLog(dir)) {
            assertEquals(text(appended), text(replay(log)));
            log.append(TENANT, A, commits(0xA000, 1)).join();
        }
        assertEquals(SegmentFile.HEADER_SIZE + LogRecord.PREFIX + LogRecord.FIXED_BODY + 21, recordsEnd(2));
        assertTrue(Files.size(segment(2)) - recordsEnd(2) < 65536, "at most one block of padding");
    }

    @Test
    void damageInAnEarlierSegmentStopsStartUpNamingTheSegment() throws IOException {
        appendTen(256);
        assertTrue(Files.exists(segment(3)));
        flip(segment(1), SegmentFile.HEADER_SIZE + 30);
        long size = Files.size(segment(1));

        try (FileIngestLog log = new FileIngestLog(dir)) {
            CorruptIngestLogException e = assertThrows(CorruptIngestLogException.class, () -> replay(log));
            assertTrue(e.getMessage().contains(segment(1).toString()) && e.getMessage().contains("checksum"), e.getMessage());
        }
        assertEquals(size, Files.size(segment(1)), "damage is left for the operator to see");
    }

    @Test
    void aBadHeaderWithRecordsAfterItStopsStartUp() throws IOException {
        appendTen(1 << 20);
        flip(segment(1), 0);
        try (FileIngestLog log = new FileIngestLog(dir)) {
            CorruptIngestLogException e = assertThrows(CorruptIngestLogException.class, () -> replay(log));
            assertTrue(e.getMessage().contains("magic"), e.getMessage());
        }
    }

    @Test
    void aSegmentCopiedUnderAnotherNameIsDamage() throws IOException {
        appendTen(1 << 20);
        Files.copy(segment(1), segment(2));
        Files.write(segment(3), new byte[0]);
        try (FileIngestLog log = new FileIngestLog(dir)) {
            CorruptIngestLogException e = assertThrows(CorruptIngestLogException.class, () -> replay(log));
            assertTrue(e.getMessage().contains("named for 2"), e.getMessage());
        }
    }

    private static void flip(Path file, long position) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.allocate(1);
            channel.read(b, position);
            b.put(0, (byte) (b.get(0) ^ 0x10)).rewind();
            channel.write(b, position);
        }
    }
}
