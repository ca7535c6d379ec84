package org.pageserver.application.engine;

import org.pageserver.domain.lsn.Lsn;
import org.pageserver.domain.page.Key;
import org.pageserver.domain.page.RelSize;
import org.pageserver.domain.page.RelTag;
import org.pageserver.domain.page.Value;
import org.pageserver.domain.wal.WalRecord;

/**
 * Turns records into versions of keys, as data-plane.md defines them: a page write puts the
 * block's version and, if it reaches past the end, a new size; REL_SIZE and REL_DROP put sizes
 * that carry the cut history; COMMIT puts a timestamp on the commit key.
 */
final class RecordApplier {
    private final InMemoryLayer layer;
    private final RelSizes sizes;

    RecordApplier(InMemoryLayer layer, RelSizes sizes) {
        this.layer = layer;
        this.sizes = sizes;
    }

    void apply(WalRecord record) {
        Lsn lsn = record.lsn();
        if (record instanceof WalRecord.PageImage image) {
            writeBlock(image.rel(), image.blkno(), lsn, new Value.PageImage(image.page()));
        } else if (record instanceof WalRecord.PageDelta delta) {
            writeBlock(delta.rel(), delta.blkno(), lsn, new Value.PageDelta(delta.patches()));
        } else if (record instanceof WalRecord.RelSize resize) {
            putSize(resize.rel(), lsn, sizes.get(resize.rel()).resizedAt(lsn.value(), resize.nblocks()));
        } else if (record instanceof WalRecord.RelDrop drop) {
            RelSize current = sizes.get(drop.rel());
            if (current.exists()) {
                putSize(drop.rel(), lsn, current.droppedAt(lsn.value()));
            }
        } else if (record instanceof WalRecord.Commit commit) {
            layer.put(Key.COMMIT, lsn, new Value.CommitTimestamp(commit.timestampMicros()));
        }
    }

    private void writeBlock(RelTag rel, long blkno, Lsn lsn, Value value) {
        RelSize current = sizes.get(rel);
        if (!current.exists() || current.nblocks() <= blkno) {
            putSize(rel, lsn, current.extendedTo(Math.max(blkno + 1, current.exists() ? current.nblocks() : 0)));
        }
        layer.put(Key.block(rel, blkno), lsn, value);
    }

    private void putSize(RelTag rel, Lsn lsn, RelSize size) {
        sizes.put(rel, size);
        layer.put(Key.relSize(rel), lsn, size);
    }
}
