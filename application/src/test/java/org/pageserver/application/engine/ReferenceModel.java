package org.pageserver.application.engine;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.pageserver.domain.lsn.Lsn;
import org.pageserver.domain.page.Page;
import org.pageserver.domain.page.Patch;
import org.pageserver.domain.page.RelTag;
import org.pageserver.domain.wal.WalRecord;

/**
 * The data plane's meaning written the naive way, for comparison: replay every visible record
 * from the start for each question. Slow and obviously right; shares no code with the engine.
 */
public final class ReferenceModel {

    public static final class Branch {
        public final Branch ancestor;
        public final Lsn ancestorLsn;
        public final List<WalRecord> records = new ArrayList<>();

        public Branch(Branch ancestor, Lsn ancestorLsn) {
            this.ancestor = ancestor;
            this.ancestorLsn = ancestorLsn;
        }

        Lsn lastLsn(Lsn start) {
            return records.isEmpty() ? start : records.get(records.size() - 1).lsn();
        }
    }

    static final class Rel {
        boolean exists;
        long nblocks;
        final Map<Long, byte[]> pages = new HashMap<>();
    }

    public static final class State {
        final Map<RelTag, Rel> rels = new HashMap<>();
        public final TreeMap<Long, Long> commits = new TreeMap<>(Long::compareUnsigned);
    }

    public static List<WalRecord> visible(Branch branch, Lsn at) {
        List<WalRecord> out = new ArrayList<>();
        if (branch.ancestor != null) {
            out.addAll(visible(branch.ancestor, Lsn.min(at, branch.ancestorLsn)));
        }
        for (WalRecord r : branch.records) {
            if (r.lsn().compareTo(at) <= 0) {
                out.add(r);
            }
        }
        return out;
    }

    public static State stateAt(Branch branch, Lsn at) {
        State state = new State();
        for (WalRecord r : visible(branch, at)) {
            apply(state, r);
        }
        return state;
    }

    private static void apply(State s, WalRecord r) {
        if (r instanceof WalRecord.PageImage i) {
            write(s, i.rel(), i.blkno()).pages.put(i.blkno(), i.page().clone());
        } else if (r instanceof WalRecord.PageDelta d) {
            Rel rel = write(s, d.rel(), d.blkno());
            byte[] page = rel.pages.getOrDefault(d.blkno(), Page.zero()).clone();
            for (Patch p : d.patches()) {
                System.arraycopy(p.bytes(), 0, page, p.offset(), p.bytes().length);
            }
            rel.pages.put(d.blkno(), page);
        } else if (r instanceof WalRecord.RelSize z) {
            Rel rel = s.rels.computeIfAbsent(z.rel(), k -> new Rel());
            if (!rel.exists) {
                rel.pages.clear();
            }
            rel.exists = true;
            rel.nblocks = z.nblocks();
            rel.pages.keySet().removeIf(b -> b >= z.nblocks());
        } else if (r instanceof WalRecord.RelDrop d) {
            Rel rel = s.rels.get(d.rel());
            if (rel != null) {
                rel.exists = false;
                rel.nblocks = 0;
                rel.pages.clear();
            }
        } else if (r instanceof WalRecord.Commit c) {
            s.commits.put(c.lsn().value(), c.timestampMicros());
        }
    }

    private static Rel write(State s, RelTag tag, long blkno) {
        Rel rel = s.rels.computeIfAbsent(tag, k -> new Rel());
        if (!rel.exists) {
            rel.pages.clear();
            rel.exists = true;
            rel.nblocks = 0;
        }
        rel.nblocks = Math.max(rel.nblocks, blkno + 1);
        return rel;
    }

    /** The page, or null where the block does not exist. */
    public static byte[] page(State s, RelTag tag, long blkno) {
        Rel rel = s.rels.get(tag);
        if (rel == null || !rel.exists || blkno >= rel.nblocks) {
            return null;
        }
        return rel.pages.getOrDefault(blkno, Page.zero());
    }

    public static Long nblocks(State s, RelTag tag) {
        Rel rel = s.rels.get(tag);
        return rel == null || !rel.exists ? null : rel.nblocks;
    }

    public static long dbSize(State s, long spc, long db) {
        return s.rels.entrySet().stream()
                .filter(e -> e.getKey().spcnode() == spc && e.getKey().dbnode() == db && e.getValue().exists)
                .mapToLong(e -> e.getValue().nblocks * Page.SIZE).sum();
    }

    public static long logicalSize(State s) {
        return s.rels.values().stream().filter(r -> r.exists).mapToLong(r -> r.nblocks * Page.SIZE).sum();
    }
}
