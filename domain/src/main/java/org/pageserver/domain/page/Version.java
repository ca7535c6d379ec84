package org.pageserver.domain.page;

import org.pageserver.domain.lsn.Lsn;

/** What one key holds from one LSN on. */
public record Version(Lsn lsn, Value value) {
}
