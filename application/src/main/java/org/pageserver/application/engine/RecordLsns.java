package org.pageserver.application.engine;

import org.pageserver.domain.lsn.Lsn;

/** The last and second-to-last durable records, published together so no reader sees a mix. */
record RecordLsns(Lsn last, Lsn prev) {
}
