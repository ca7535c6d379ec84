package org.pageserver.application.engine;

import java.util.List;
import java.util.function.Consumer;
import org.pageserver.domain.lsn.Lsn;
import org.pageserver.domain.page.Key;
import org.pageserver.domain.page.Version;

/**
 * A layer as the read path sees it, in memory or on disk: the versions of keys written in an LSN
 * range. A timeline's layers never overlap in LSN, so reading them newest first yields a key's
 * versions newest first.
 */
interface ReadableLayer {

    /**
     * The layer left the timeline since the reader's snapshot was taken (an in-memory layer freed
     * after its flush, a layer file removed by GC): the read starts again from a fresh snapshot.
     */
    final class Gone extends RuntimeException {
        Gone(String what) {
            super(what, null, false, false);
        }
    }

    /** The lowest LSN this layer can hold. */
    Lsn lsnStart();

    /** As {@link org.pageserver.application.port.out.LayerReader#versions}. */
    List<Version> versions(Key key, Lsn maxLsn);

    /** As {@link org.pageserver.application.port.out.LayerReader#keys}. */
    void keys(Key from, Key to, Lsn maxLsn, Consumer<Key> sink);
}
