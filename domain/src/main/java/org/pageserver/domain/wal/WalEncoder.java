package org.pageserver.domain.wal;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.List;
import org.pageserver.domain.page.Page;
import org.pageserver.domain.page.Patch;
import org.pageserver.domain.page.RelTag;

/** Writes records in the data plane's frame format: the inverse of {@link WalDecoder}, for clients and tests. */
public final class WalEncoder {
    private WalEncoder() {
    }

    public static byte[] encode(List<? extends WalRecord> records) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (WalRecord r : records) {
            out.writeBytes(frame(r));
        }
        return out.toByteArray();
    }

    /** One frame: {@code len:u32 lsn:u64 type:u8 payload}. */
    public static byte[] frame(WalRecord record) {
        int payload = payloadSize(record);
        ByteBuffer b = ByteBuffer.allocate(4 + 8 + 1 + payload);
        b.putInt(8 + 1 + payload).putLong(record.lsn().value());
        if (record instanceof WalRecord.PageImage i) {
            b.put((byte) 1);
            rel(b, i.rel());
            b.putInt((int) i.blkno()).put(i.page());
        } else if (record instanceof WalRecord.PageDelta d) {
            b.put((byte) 2);
            rel(b, d.rel());
            b.putInt((int) d.blkno()).putShort((short) d.patches().size());
            for (Patch p : d.patches()) {
                b.putShort((short) p.offset()).putShort((short) p.bytes().length).put(p.bytes());
            }
        } else if (record instanceof WalRecord.RelSize s) {
            b.put((byte) 3);
            rel(b, s.rel());
            b.putInt((int) s.nblocks());
        } else if (record instanceof WalRecord.RelDrop d) {
            b.put((byte) 4);
            rel(b, d.rel());
        } else if (record instanceof WalRecord.Commit c) {
            b.put((byte) 5).putLong(c.timestampMicros());
        }
        return b.array();
    }

    /** The frame's total length, so a client can lay out WAL-like LSNs (next = previous + length). */
    public static int frameSize(WalRecord record) {
        return 4 + 8 + 1 + payloadSize(record);
    }

    private static int payloadSize(WalRecord record) {
        if (record instanceof WalRecord.PageImage) {
            return RelTag.ENCODED_SIZE + 4 + Page.SIZE;
        } else if (record instanceof WalRecord.PageDelta d) {
            return RelTag.ENCODED_SIZE + 4 + 2 + d.patches().stream().mapToInt(p -> 4 + p.bytes().length).sum();
        } else if (record instanceof WalRecord.RelSize) {
            return RelTag.ENCODED_SIZE + 4;
        } else if (record instanceof WalRecord.RelDrop) {
            return RelTag.ENCODED_SIZE;
        }
        return 8;
    }

    private static void rel(ByteBuffer b, RelTag rel) {
        b.putInt((int) rel.spcnode()).putInt((int) rel.dbnode()).putInt((int) rel.relnode()).put((byte) rel.forknum());
    }
}
