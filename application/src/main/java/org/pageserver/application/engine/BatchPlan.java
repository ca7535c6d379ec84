package org.pageserver.application.engine;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.pageserver.domain.lsn.Lsn;
import org.pageserver.domain.page.Key;
import org.pageserver.domain.page.RelSize;
import org.pageserver.domain.page.RelTag;
import org.pageserver.domain.page.Value;
import org.pageserver.domain.wal.WalRecord;

/**
 * The versions a batch's records put, worked out before any of them is written, by the rules of
 * docs/data-plane.md ("Batches"): a page write puts the block's version and, if it reaches past
 * the end, a new size; REL_SIZE and REL_DROP put sizes that carry the cut history; COMMIT puts a
 * timestamp on the commit key.
 *
 * <p>Planning first lets ingest know, and take, the memory the values need before the batch is
 * logged; {@link #applyTo} then has nothing left that can fail halfway through a batch.
 */
final class BatchPlan {
    /** A version to put: {@code value}, or for a page image the record itself, whose page is copied from the body. */
    private record Put(Key key, Lsn lsn, Value value, WalRecord.PageImage image) {
        Put(Key key, Lsn lsn, Value value) {
            this(key, lsn, value, null);
        }

        int encodedSize() {
            return image != null ? ValueArena.IMAGE_SIZE : value.encodedSize();
        }
    }

    private final RelSizes current;
    // The sizes the batch leaves, over the current ones; only applied with the puts.
    private final Map<RelTag, RelSize> sizes = new HashMap<>();
    /** The LSN of each relation's last size change in the batch. */
    private final Map<RelTag, Lsn> changedAt = new HashMap<>();
    private final List<Put> puts = new ArrayList<>();

    private BatchPlan(RelSizes current) {
        this.current = current;
    }

    static BatchPlan of(List<WalRecord> records, RelSizes current) {
        BatchPlan plan = new BatchPlan(current);
        for (WalRecord record : records) {
            plan.add(record);
        }
        return plan;
    }

    /** The encoded sizes of the values, in the order {@link #applyTo} puts them. */
    int[] encodedSizes() {
        int[] out = new int[puts.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = puts.get(i).encodedSize();
        }
        return out;
    }

    void applyTo(InMemoryLayer layer, RelSizes target) {
        for (Put put : puts) {
            if (put.image() != null) {
                layer.putImage(put.key(), put.lsn(), put.image());
            } else {
                layer.put(put.key(), put.lsn(), put.value());
            }
        }
        sizes.forEach((rel, size) -> target.put(rel, size, changedAt.get(rel)));
    }

    private void add(WalRecord record) {
        Lsn lsn = record.lsn();
        if (record instanceof WalRecord.PageImage image) {
            extendIfNeeded(image.rel(), image.blkno(), lsn);
            puts.add(new Put(Key.block(image.rel(), image.blkno()), lsn, null, image));
        } else if (record instanceof WalRecord.PageDelta delta) {
            extendIfNeeded(delta.rel(), delta.blkno(), lsn);
            puts.add(new Put(Key.block(delta.rel(), delta.blkno()), lsn, new Value.PageDelta(delta.patches())));
        } else if (record instanceof WalRecord.RelSize resize) {
            putSize(resize.rel(), lsn, size(resize.rel()).resizedAt(lsn.value(), resize.nblocks()));
        } else if (record instanceof WalRecord.RelDrop drop) {
            RelSize now = size(drop.rel());
            if (now.exists()) {
                putSize(drop.rel(), lsn, now.droppedAt(lsn.value()));
            }
        } else if (record instanceof WalRecord.Commit commit) {
            puts.add(new Put(Key.COMMIT, lsn, new Value.CommitTimestamp(commit.timestampMicros())));
        }
    }

    private RelSize size(RelTag rel) {
        RelSize planned = sizes.get(rel);
        return planned != null ? planned : current.get(rel);
    }

    /** A page write past the end extends the relation first (creating it if absent). */
    private void extendIfNeeded(RelTag rel, long blkno, Lsn lsn) {
        RelSize now = size(rel);
        if (!now.exists() || now.nblocks() <= blkno) {
            putSize(rel, lsn, now.extendedTo(Math.max(blkno + 1, now.exists() ? now.nblocks() : 0)));
        }
    }

    private void putSize(RelTag rel, Lsn lsn, RelSize size) {
        sizes.put(rel, size);
        changedAt.put(rel, lsn);
        puts.add(new Put(Key.relSize(rel), lsn, size));
    }
}
