package org.pageserver.domain.wal;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.pageserver.domain.lsn.Lsn;
import org.pageserver.domain.page.Page;
import org.pageserver.domain.page.Patch;
import org.pageserver.domain.page.RelTag;

/** Builders for raw frames (including malformed ones) and random valid records, for decoder tests. */
final class WalFrames {
    static final RelTag REL = new RelTag(1663, 16384, 16385, 0);

    private WalFrames() {
    }

    /** A frame with a correct length field around the given LSN, type and payload. */
    static byte[] frame(long lsn, int type, byte[] payload) {
        return ByteBuffer.allocate(4 + 8 + 1 + payload.length).putInt(8 + 1 + payload.length).putLong(lsn)
                .put((byte) type).put(payload).array();
    }

    static byte[] rel(RelTag rel, int extra) {
        return ByteBuffer.allocate(RelTag.ENCODED_SIZE + extra).putInt((int) rel.spcnode()).putInt((int) rel.dbnode())
                .putInt((int) rel.relnode()).put((byte) rel.forknum()).array();
    }

    static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        ByteBuffer b = ByteBuffer.allocate(n);
        for (byte[] p : parts) {
            b.put(p);
        }
        return b.array();
    }

    static List<WalRecord> randomRecords(Random random, int count) {
        List<WalRecord> records = new ArrayList<>();
        long lsn = 1 + random.nextInt(1000);
        for (int i = 0; i < count; i++) {
            Lsn at = Lsn.of(lsn);
            RelTag rel = new RelTag(random.nextInt(3), random.nextInt(3), random.nextInt(3), random.nextInt(3));
            long blkno = random.nextInt(10);
            WalRecord record = switch (random.nextInt(5)) {
                case 0 -> {
                    byte[] page = new byte[Page.SIZE];
                    random.nextBytes(page);
                    yield new WalRecord.PageImage(at, rel, blkno, page);
                }
                case 1 -> {
                    List<Patch> patches = new ArrayList<>();
                    for (int p = random.nextInt(4); p > 0; p--) {
                        byte[] bytes = new byte[random.nextInt(20)];
                        random.nextBytes(bytes);
                        patches.add(new Patch(random.nextInt(Page.SIZE - bytes.length + 1), bytes));
                    }
                    yield new WalRecord.PageDelta(at, rel, blkno, patches);
                }
                case 2 -> new WalRecord.RelSize(at, rel, random.nextInt(20));
                case 3 -> new WalRecord.RelDrop(at, rel);
                default -> new WalRecord.Commit(at, random.nextLong());
            };
            records.add(record);
            lsn += WalEncoder.frameSize(record);
        }
        return records;
    }
}
