package org.pageserver.domain.wal;

import java.util.List;
import org.pageserver.domain.lsn.Lsn;
import org.pageserver.domain.page.Patch;
import org.pageserver.domain.page.RelTag;

/** One ingested record, as decoded from a frame of the data plane's binary format. */
public sealed interface WalRecord {

    Lsn lsn();

    /** Type 1: a whole page. */
    record PageImage(Lsn lsn, RelTag rel, long blkno, byte[] page) implements WalRecord {
    }

    /** Type 2: patches onto the page as of the previous LSN. */
    record PageDelta(Lsn lsn, RelTag rel, long blkno, List<Patch> patches) implements WalRecord {
    }

    /** Type 3: the relation truncated or extended to {@code nblocks} (created if absent). */
    record RelSize(Lsn lsn, RelTag rel, long nblocks) implements WalRecord {
    }

    /** Type 4: the relation no longer exists. */
    record RelDrop(Lsn lsn, RelTag rel) implements WalRecord {
    }

    /** Type 5: a transaction committed at this time (microseconds since 1970-01-01 UTC). */
    record Commit(Lsn lsn, long timestampMicros) implements WalRecord {
    }
}
