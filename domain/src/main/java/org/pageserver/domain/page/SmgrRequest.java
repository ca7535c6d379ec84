package org.pageserver.domain.page;

import org.pageserver.domain.lsn.Lsn;

/**
 * A read of the page service (Neon's pagestream requests): at {@code lsn} exactly, or, with
 * {@code latest}, at the newest LSN that is at least {@code lsn} (Neon's "not modified since":
 * if it has arrived, the latest; else wait for it).
 */
public sealed interface SmgrRequest {
    boolean latest();

    Lsn lsn();

    /** Whether the relation exists. */
    record Exists(boolean latest, Lsn lsn, RelTag rel) implements SmgrRequest {
    }

    /** The relation's number of blocks. */
    record Nblocks(boolean latest, Lsn lsn, RelTag rel) implements SmgrRequest {
    }

    /** A block's page; a block past the end of the relation reads as zeros, as in Neon. */
    record GetPage(boolean latest, Lsn lsn, RelTag rel, long blkno) implements SmgrRequest {
    }

    /** The size in bytes of a database of the default tablespace. */
    record DbSize(boolean latest, Lsn lsn, long dbnode) implements SmgrRequest {
    }
}
