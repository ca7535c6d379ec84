package org.pageserver.adapters.storage.wal;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.pageserver.application.port.out.IngestLog;
import org.pageserver.domain.id.TenantId;
import org.pageserver.domain.id.TimelineId;
import org.pageserver.domain.lsn.Lsn;
import org.pageserver.domain.page.Page;
import org.pageserver.domain.wal.WalBatch;
import org.pageserver.domain.wal.WalDecoder;

/** Ingest batches in the data plane's frame format, and what a replay hands back. */
final class TestBatches {
    private TestBatches() {
    }

    /** {@code n} commit records at {@code firstLsn}, {@code firstLsn + 8}, ... */
    static WalBatch commits(long firstLsn, int n) {
        ByteBuffer out = ByteBuffer.allocate(n * (4 + 17));
        for (int i = 0; i < n; i++) {
            out.putInt(17).putLong(firstLsn + 8L * i).put((byte) 5).putLong(1_700_000_000_000_000L + i);
        }
        return WalDecoder.decode(out.array());
    }

    /** One 8 KiB page image of block {@code blkno} at {@code lsn}. */
    static WalBatch page(long lsn, long blkno) {
        ByteBuffer out = ByteBuffer.allocate(4 + 9 + 13 + 4 + Page.SIZE);
        out.putInt(9 + 13 + 4 + Page.SIZE).putLong(lsn).put((byte) 1)
                .putInt(1663).putInt(16384).putInt(16385).put((byte) 0).putInt((int) blkno);
        byte[] page = new byte[Page.SIZE];
        Arrays.fill(page, (byte) lsn);
        out.put(page);
        return WalDecoder.decode(out.array());
    }

    /** One batch as replay hands it over. */
    record Entry(TenantId tenant, TimelineId timeline, byte[] batch) {
        Lsn lastLsn() {
            return WalDecoder.decode(batch).lastLsn();
        }

        /** Comparable text: the batch holds an array, which records compare by identity. */
        String text() {
            return tenant + "/" + timeline + "/" + Arrays.toString(batch);
        }
    }

    static List<Entry> replay(IngestLog log) {
        List<Entry> entries = new ArrayList<>();
        log.replay((tenant, timeline, batch) -> entries.add(new Entry(tenant, timeline, batch)));
        return entries;
    }

    static List<String> text(List<Entry> entries) {
        return entries.stream().map(Entry::text).toList();
    }
}
