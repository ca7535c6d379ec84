package org.pageserver.application.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.pageserver.domain.lsn.Lsn;
import org.pageserver.domain.page.Page;
import org.pageserver.domain.page.Patch;
import org.pageserver.domain.page.RelTag;
import org.pageserver.domain.wal.WalEncoder;
import org.pageserver.domain.wal.WalRecord;

/** A seeded stream of records over a few relations in two databases, with WAL-like LSNs. */
public final class RandomWorkload {
    public static final List<RelTag> RELS = List.of(
            new RelTag(1663, 16384, 16385, 0), new RelTag(1663, 16384, 16386, 0), new RelTag(1663, 16384, 16385, 1),
            new RelTag(1663, 16390, 16400, 0), new RelTag(1664, 16390, 16401, 0));
    public static final int MAX_BLOCKS = 12;

    private final Random random;
    private long micros = 1_700_000_000_000_000L;

    public RandomWorkload(long seed) {
        this.random = new Random(seed);
    }

    public List<WalRecord> batch(Lsn after, int maxRecords) {
        List<WalRecord> records = new ArrayList<>();
        Lsn lsn = after;
        int n = 1 + random.nextInt(maxRecords);
        for (int i = 0; i < n; i++) {
            WalRecord r = next(lsn.plus(1));
            // WAL-like positions: the next record starts where this one ends.
            Lsn at = lsn.plus(WalEncoder.frameSize(r));
            r = withLsn(r, at);
            records.add(r);
            lsn = at;
        }
        return records;
    }

    private WalRecord next(Lsn lsn) {
        RelTag rel = RELS.get(random.nextInt(RELS.size()));
        int dice = random.nextInt(100);
        if (dice < 35) {
            byte[] page = new byte[Page.SIZE];
            java.util.Arrays.fill(page, (byte) random.nextInt(256));
            page[random.nextInt(Page.SIZE)] = (byte) random.nextInt(256);
            return new WalRecord.PageImage(lsn, rel, random.nextInt(MAX_BLOCKS), page);
        } else if (dice < 75) {
            List<Patch> patches = new ArrayList<>();
            for (int i = 0, n = 1 + random.nextInt(3); i < n; i++) {
                byte[] bytes = new byte[1 + random.nextInt(64)];
                random.nextBytes(bytes);
                patches.add(new Patch(random.nextInt(Page.SIZE - bytes.length + 1), bytes));
            }
            return new WalRecord.PageDelta(lsn, rel, random.nextInt(MAX_BLOCKS), patches);
        } else if (dice < 85) {
            return new WalRecord.RelSize(lsn, rel, random.nextInt(MAX_BLOCKS + 1));
        } else if (dice < 90) {
            return new WalRecord.RelDrop(lsn, rel);
        }
        micros += 1 + random.nextInt(1_000_000);
        return new WalRecord.Commit(lsn, micros);
    }

    static WalRecord withLsn(WalRecord r, Lsn lsn) {
        if (r instanceof WalRecord.PageImage i) {
            return new WalRecord.PageImage(lsn, i.rel(), i.blkno(), i.page());
        } else if (r instanceof WalRecord.PageDelta d) {
            return new WalRecord.PageDelta(lsn, d.rel(), d.blkno(), d.patches());
        } else if (r instanceof WalRecord.RelSize s) {
            return new WalRecord.RelSize(lsn, s.rel(), s.nblocks());
        } else if (r instanceof WalRecord.RelDrop d) {
            return new WalRecord.RelDrop(lsn, d.rel());
        }
        return new WalRecord.Commit(lsn, ((WalRecord.Commit) r).timestampMicros());
    }

    public Random random() {
        return random;
    }
}
