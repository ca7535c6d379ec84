package org.pageserver.domain.wal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.pageserver.domain.wal.WalFrames.REL;
import static org.pageserver.domain.wal.WalFrames.concat;
import static org.pageserver.domain.wal.WalFrames.frame;
import static org.pageserver.domain.wal.WalFrames.rel;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.pageserver.domain.error.ErrorKind;
import org.pageserver.domain.error.PageserverException;
import org.pageserver.domain.lsn.Lsn;
import org.pageserver.domain.page.Page;
import org.pageserver.domain.page.Patch;
import org.pageserver.domain.page.RelTag;

class WalDecoderTest {
    /** A valid 26-byte frame, to put a bad frame second (index 1 at byte 26). */
    private static final byte[] GOOD = frame(10, 4, rel(REL, 0));

    private static String rejection(byte[] body) {
        PageserverException e = assertThrows(PageserverException.class, () -> WalDecoder.decode(body));
        assertEquals(ErrorKind.BAD_REQUEST, e.kind());
        return e.getMessage();
    }

    /** Checks the frame is rejected both alone (frame 0 at byte 0) and after a good frame. */
    private static void assertRejected(byte[] badFrame, String why) {
        String alone = rejection(badFrame);
        assertTrue(alone.startsWith("frame 0 at byte 0: "), alone);
        assertTrue(alone.contains(why), alone);
        String second = rejection(concat(GOOD, badFrame));
        assertTrue(second.startsWith("frame 1 at byte " + GOOD.length + ": "), second);
        assertTrue(second.contains(why), second);
    }

    @Test
    void everyRecordTypeRoundTrips() {
        byte[] page = new byte[Page.SIZE];
        new Random(1).nextBytes(page);
        RelTag high = new RelTag(0xFFFF_FFFFL, 0x8000_0000L, 7, 255);
        List<WalRecord> records = List.of(
                new WalRecord.PageImage(Lsn.of(100), high, 0xFFFF_FFFEL, page),
                new WalRecord.PageDelta(Lsn.of(200), REL, 3, List.of(new Patch(0, new byte[] {1, 2}),
                        new Patch(Page.SIZE - 1, new byte[] {3}), new Patch(Page.SIZE, new byte[0]))),
                new WalRecord.PageDelta(Lsn.of(300), REL, 4, List.of()),
                new WalRecord.RelSize(Lsn.of(400), REL, 0xFFFF_FFFFL),
                new WalRecord.RelDrop(Lsn.of(500), high),
                new WalRecord.Commit(Lsn.of(0x8000_0000_0000_0000L), -5));
        byte[] body = WalEncoder.encode(records);
        assertEquals(records.stream().mapToInt(WalEncoder::frameSize).sum(), body.length);
        WalBatch batch = WalDecoder.decode(body);
        assertEquals(records.size(), batch.records().size());
        assertEquals(Lsn.of(100), batch.firstLsn());
        assertEquals(Lsn.of(0x8000_0000_0000_0000L), batch.lastLsn());
        assertEquals(Lsn.of(500), batch.prevLsn(Lsn.INVALID));

        WalRecord.PageImage image = assertInstanceOf(WalRecord.PageImage.class, batch.records().get(0));
        assertEquals(high, image.rel());
        assertEquals(0xFFFF_FFFEL, image.blkno());
        assertArrayEquals(page, image.page());
        // A decoded image is a view of the body: its page is copied out only when asked for.
        java.nio.ByteBuffer copied = java.nio.ByteBuffer.allocate(Page.SIZE);
        image.copyPageTo(copied);
        assertArrayEquals(page, copied.array());
        assertNotSame(image.page(), image.page());
        WalRecord.PageDelta delta = assertInstanceOf(WalRecord.PageDelta.class, batch.records().get(1));
        assertEquals(3, delta.patches().size());
        assertEquals(Page.SIZE - 1, delta.patches().get(1).offset());
        assertArrayEquals(new byte[] {3}, delta.patches().get(1).bytes());
        assertEquals(new WalRecord.RelSize(Lsn.of(400), REL, 0xFFFF_FFFFL), batch.records().get(3));
        assertEquals(new WalRecord.RelDrop(Lsn.of(500), high), batch.records().get(4));
        assertEquals(new WalRecord.Commit(Lsn.of(0x8000_0000_0000_0000L), -5), batch.records().get(5));
        assertArrayEquals(body, WalEncoder.encode(batch.records()));
    }

    @Test
    void randomBatchesRoundTrip() {
        Random random = new Random(5);
        for (int i = 0; i < 200; i++) {
            List<WalRecord> records = WalFrames.randomRecords(random, 1 + random.nextInt(6));
            byte[] body = WalEncoder.encode(records);
            assertArrayEquals(body, WalEncoder.encode(WalDecoder.decode(body).records()));
        }
    }

    @Test
    void oneRecordBatchFallsBackForPrevLsn() {
        WalBatch batch = WalDecoder.decode(GOOD);
        assertEquals(Lsn.of(7), batch.prevLsn(Lsn.of(7)));
    }

    @Test
    void rejectsAnEmptyBody() {
        assertTrue(rejection(new byte[0]).contains("empty"));
    }

    @Test
    void rejectsATruncatedLengthField() {
        assertRejected(new byte[] {0, 0, 0}, "truncated length field");
    }

    @Test
    void rejectsALengthTooSmall() {
        byte[] frame = frame(10, 5, new byte[0]);
        assertEquals(13, frame.length);
        ByteBuffer.wrap(frame).putInt(0, 8);
        assertRejected(frame, "frame length 8");
        assertRejected(new byte[] {0, 0, 0, 0}, "frame length 0");
    }

    @Test
    void rejectsALengthBeyondTheBody() {
        byte[] frame = frame(10, 5, new byte[8]);
        ByteBuffer.wrap(frame).putInt(0, 18);
        assertRejected(frame, "frame length 18");
        ByteBuffer.wrap(frame).putInt(0, -1);
        assertRejected(frame, "frame length 4294967295");
    }

    @Test
    void rejectsUnknownTypes() {
        assertRejected(frame(10, 0, new byte[8]), "unknown record type 0");
        assertRejected(frame(10, 6, new byte[8]), "unknown record type 6");
        assertRejected(frame(10, 255, new byte[8]), "unknown record type 255");
    }

    @Test
    void rejectsPayloadsTooShortForTheirType() {
        assertRejected(frame(10, 1, rel(REL, 4 + Page.SIZE - 1)), "a page image is 8192 bytes, this one 8191");
        assertRejected(frame(10, 1, rel(REL, 2)), "payload shorter");
        assertRejected(frame(10, 2, rel(REL, 4)), "payload shorter");
        assertRejected(frame(10, 2, concat(rel(REL, 4), new byte[] {0, 1, 0, 0, 0, 3, 1})), "payload shorter");
        assertRejected(frame(10, 3, rel(REL, 3)), "payload shorter");
        assertRejected(frame(10, 4, new byte[RelTag.ENCODED_SIZE - 1]), "payload shorter");
        assertRejected(frame(10, 5, new byte[7]), "payload shorter");
        assertRejected(frame(10, 5, new byte[0]), "payload shorter");
    }

    @Test
    void rejectsPayloadsTooLongForTheirType() {
        assertRejected(frame(10, 1, rel(REL, 4 + Page.SIZE + 1)), "a page image is 8192 bytes, this one 8193");
        assertRejected(frame(10, 2, rel(REL, 4 + 2 + 1)), "1 bytes left over after a type 2 payload");
        assertRejected(frame(10, 3, rel(REL, 5)), "1 bytes left over after a type 3 payload");
        assertRejected(frame(10, 4, rel(REL, 2)), "2 bytes left over after a type 4 payload");
        assertRejected(frame(10, 5, new byte[9]), "1 bytes left over after a type 5 payload");
    }

    @Test
    void rejectsAPatchOutsideThePage() {
        byte[] payload = concat(rel(REL, 4), ByteBuffer.allocate(2 + 4 + 3).putShort((short) 1)
                .putShort((short) (Page.SIZE - 2)).putShort((short) 3).array());
        assertRejected(frame(10, 2, payload), "patch 0 (offset 8190, 3 bytes) reaches outside the page");
        byte[] atEnd = concat(rel(REL, 4), ByteBuffer.allocate(2 + 4).putShort((short) 1)
                .putShort((short) (Page.SIZE + 1)).putShort((short) 0).array());
        assertRejected(frame(10, 2, atEnd), "reaches outside the page");
    }

    @Test
    void rejectsLsnZero() {
        assertRejected(frame(0, 4, rel(REL, 0)), "LSN 0/0");
    }

    @Test
    void rejectsTheLargestLsn() {
        assertRejected(frame(-1L, 4, rel(REL, 0)), "FFFFFFFF/FFFFFFFF is reserved");
        WalDecoder.decode(frame(-2L, 4, rel(REL, 0)));
    }

    @Test
    void rejectsLsnsThatDoNotIncrease() {
        String equal = rejection(concat(GOOD, frame(10, 4, rel(REL, 0))));
        assertTrue(equal.startsWith("frame 1 at byte 26: LSN 0/A is not above the previous frame's 0/A"), equal);
        String lower = rejection(concat(GOOD, frame(11, 4, rel(REL, 0)), frame(9, 4, rel(REL, 0))));
        assertTrue(lower.startsWith("frame 2 at byte 52: "), lower);
        // Unsigned: 8000000000000000 is above 10, and 10 is not above it.
        WalDecoder.decode(concat(GOOD, frame(0x8000_0000_0000_0000L, 4, rel(REL, 0))));
        String wrapped = rejection(concat(frame(0x8000_0000_0000_0000L, 4, rel(REL, 0)), GOOD));
        assertTrue(wrapped.startsWith("frame 1 at byte 26: "), wrapped);
    }

    @Test
    void rejectsInvalidBlockNumber() {
        byte[] image = concat(rel(REL, 0), ByteBuffer.allocate(4 + Page.SIZE).putInt(-1).array());
        assertRejected(frame(10, 1, image), "4294967295");
        byte[] delta = concat(rel(REL, 0), ByteBuffer.allocate(4 + 2).putInt(-1).array());
        assertRejected(frame(10, 2, delta), "4294967295");
        // The block below it is fine, and a relation may be sized to 4294967295 blocks.
        WalDecoder.decode(frame(10, 2, concat(rel(REL, 0), ByteBuffer.allocate(6).putInt(-2).array())));
        WalDecoder.decode(frame(10, 3, concat(rel(REL, 0), ByteBuffer.allocate(4).putInt(-1).array())));
    }
}
