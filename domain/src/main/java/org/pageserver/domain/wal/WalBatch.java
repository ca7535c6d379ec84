package org.pageserver.domain.wal;

import java.util.List;
import org.pageserver.domain.lsn.Lsn;

/**
 * A decoded, validated ingest batch: its records in strictly increasing LSN order. Page images
 * are views of the bytes the batch came from ({@link WalRecord.PageImage}).
 */
public record WalBatch(List<WalRecord> records) {

    public WalBatch {
        if (records.isEmpty()) {
            throw new IllegalArgumentException("a batch holds at least one record");
        }
        records = List.copyOf(records);
    }

    public Lsn firstLsn() {
        return records.get(0).lsn();
    }

    public Lsn lastLsn() {
        return records.get(records.size() - 1).lsn();
    }

    /** The LSN of the record before the last one, or {@code fallback} for a one-record batch. */
    public Lsn prevLsn(Lsn fallback) {
        return records.size() > 1 ? records.get(records.size() - 2).lsn() : fallback;
    }
}
