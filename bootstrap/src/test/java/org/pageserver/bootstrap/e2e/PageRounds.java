package org.pageserver.bootstrap.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.pageserver.domain.lsn.Lsn;
import org.pageserver.domain.page.RelTag;
import org.pageserver.domain.wal.WalEncoder;
import org.pageserver.domain.wal.WalRecord;

/** Rounds of a small workload over HTTP: blocks 0..7 of one relation written whole once more, then flushed (one layer file a round). */
final class PageRounds {
    static final RelTag REL = new RelTag(1663, 16384, 16385, 0);

    private final String base;
    private Lsn last = Lsn.INITDB;

    /** @param base the timeline's path, {@code /v1/tenant/<t>/timeline/<tl>} */
    PageRounds(String base) {
        this.base = base;
    }

    /** Round {@code round}'s page: every byte the round's number. */
    static byte[] page(int round) {
        byte[] page = new byte[8192];
        Arrays.fill(page, (byte) round);
        return page;
    }

    void round(Api api, int round) {
        List<WalRecord> records = new ArrayList<>();
        for (long blkno = 0; blkno < 8; blkno++) {
            last = last.plus(10_000);
            records.add(new WalRecord.PageImage(last, REL, blkno, page(round)));
        }
        assertEquals(200, api.postBinary(base + "/wal", WalEncoder.encode(records)).status(), "ingest sees no error");
        assertEquals(200, api.put(base + "/checkpoint", "").status(), "a flush sees no error");
    }

    /** Continues after {@code lsn} (a branch's rounds start above its branch point). */
    PageRounds from(Lsn lsn) {
        last = lsn;
        return this;
    }

    /** The last record written. */
    Lsn last() {
        return last;
    }
}
