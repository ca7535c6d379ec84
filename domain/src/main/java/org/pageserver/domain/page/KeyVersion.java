package org.pageserver.domain.page;

import java.util.Comparator;
import org.pageserver.domain.lsn.Lsn;

/** A version together with its key: the unit layers are written in, sorted by key then LSN. */
public record KeyVersion(Key key, Lsn lsn, Value value) {
    public static final Comparator<KeyVersion> ORDER =
            Comparator.comparing(KeyVersion::key).thenComparing(KeyVersion::lsn);
}
