package org.pageserver.domain.wal;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.pageserver.domain.error.PageserverException;
import org.pageserver.domain.lsn.Lsn;
import org.pageserver.domain.page.Page;
import org.pageserver.domain.page.Patch;
import org.pageserver.domain.page.RelTag;

/**
 * Decodes a whole ingest body before anything of it is applied: every frame is checked (length,
 * type, payload size, patch bounds, strictly increasing LSNs), and the first fault rejects the
 * batch with a message naming the frame and its byte offset.
 *
 * <pre>
 * frame := len:u32 | lsn:u64 | type:u8 | payload     (len counts the bytes after itself)
 * rel   := spcnode:u32 dbnode:u32 relnode:u32 forknum:u8
 * 1 PAGE_IMAGE rel blkno:u32 page:8192   2 PAGE_DELTA rel blkno:u32 n:u16 {offset:u16 len:u16 bytes}*n
 * 3 REL_SIZE rel nblocks:u32             4 REL_DROP rel                5 COMMIT timestamp:i64
 * </pre>
 */
public final class WalDecoder {
    static final int HEADER = 4 + 8 + 1;
    /** PostgreSQL's InvalidBlockNumber: writing it would make the relation 2^32 blocks long. */
    static final long INVALID_BLOCK = 0xFFFF_FFFFL;

    private WalDecoder() {
    }

    /** @throws PageserverException BAD_REQUEST naming the first bad frame */
    public static WalBatch decode(byte[] body) {
        if (body.length == 0) {
            throw PageserverException.badRequest("the batch is empty: send at least one frame");
        }
        ByteBuffer in = ByteBuffer.wrap(body);
        List<WalRecord> records = new ArrayList<>();
        Lsn previous = null;
        int index = 0;
        while (in.hasRemaining()) {
            int offset = in.position();
            try {
                if (in.remaining() < 4) {
                    throw new IllegalArgumentException("truncated length field");
                }
                long len = in.getInt() & 0xFFFF_FFFFL;
                if (len < 9 || len > in.remaining()) {
                    throw new IllegalArgumentException("frame length " + len + " does not fit the "
                            + in.remaining() + " bytes left (a frame is at least 9 bytes after its length)");
                }
                ByteBuffer frame = in.slice(in.position(), (int) len);
                in.position(in.position() + (int) len);
                WalRecord record = decodeFrame(frame, body, offset + 4);
                if (previous != null && !record.lsn().isAfter(previous)) {
                    throw new IllegalArgumentException("LSN " + record.lsn() + " is not above the previous frame's " + previous);
                }
                previous = record.lsn();
                records.add(record);
            } catch (IllegalArgumentException | java.nio.BufferUnderflowException e) {
                String reason = e.getMessage() != null ? e.getMessage() : "payload shorter than its type needs";
                throw PageserverException.badRequest("frame " + index + " at byte " + offset + ": " + reason);
            }
            index++;
        }
        return new WalBatch(records);
    }

    /** @param frameStart where the frame (after its length) starts in {@code body}, which page images are views of */
    private static WalRecord decodeFrame(ByteBuffer frame, byte[] body, int frameStart) {
        Lsn lsn = Lsn.of(frame.getLong());
        if (!lsn.isValid()) {
            throw new IllegalArgumentException("LSN 0/0 is not a valid record position");
        }
        if (lsn.equals(Lsn.MAX)) {
            // A layer's LSN range is half-open: its end, one above its last record, must exist.
            throw new IllegalArgumentException("LSN " + lsn + " is reserved: a record's LSN must leave room for LSN + 1");
        }
        int type = frame.get() & 0xFF;
        WalRecord record = switch (type) {
            case 1 -> image(lsn, frame, body, frameStart);
            case 2 -> new WalRecord.PageDelta(lsn, rel(frame), blkno(frame), patches(frame));
            case 3 -> new WalRecord.RelSize(lsn, rel(frame), frame.getInt() & 0xFFFF_FFFFL);
            case 4 -> new WalRecord.RelDrop(lsn, rel(frame));
            case 5 -> new WalRecord.Commit(lsn, frame.getLong());
            default -> throw new IllegalArgumentException("unknown record type " + type + " (expected 1 to 5)");
        };
        if (frame.hasRemaining()) {
            throw new IllegalArgumentException(frame.remaining() + " bytes left over after a type " + type + " payload");
        }
        return record;
    }

    private static RelTag rel(ByteBuffer frame) {
        return new RelTag(frame.getInt() & 0xFFFF_FFFFL, frame.getInt() & 0xFFFF_FFFFL,
                frame.getInt() & 0xFFFF_FFFFL, frame.get() & 0xFF);
    }

    private static long blkno(ByteBuffer frame) {
        long blkno = frame.getInt() & 0xFFFF_FFFFL;
        if (blkno == INVALID_BLOCK) {
            throw new IllegalArgumentException("block number 4294967295 is PostgreSQL's InvalidBlockNumber");
        }
        return blkno;
    }

    private static WalRecord.PageImage image(Lsn lsn, ByteBuffer frame, byte[] body, int frameStart) {
        RelTag rel = rel(frame);
        long blkno = blkno(frame);
        if (frame.remaining() != Page.SIZE) {
            throw new IllegalArgumentException("a page image is " + Page.SIZE + " bytes, this one " + frame.remaining());
        }
        int pageAt = frameStart + frame.position();
        frame.position(frame.limit());
        return WalRecord.PageImage.viewOf(lsn, rel, blkno, body, pageAt);
    }

    private static List<Patch> patches(ByteBuffer frame) {
        int n = frame.getShort() & 0xFFFF;
        List<Patch> patches = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int offset = frame.getShort() & 0xFFFF;
            int length = frame.getShort() & 0xFFFF;
            if (offset + length > Page.SIZE) {
                throw new IllegalArgumentException("patch " + i + " (offset " + offset + ", " + length
                        + " bytes) reaches outside the page");
            }
            byte[] bytes = new byte[length];
            frame.get(bytes);
            patches.add(new Patch(offset, bytes));
        }
        return patches;
    }
}
