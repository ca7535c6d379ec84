package org.pageserver.application.port.in;

import org.pageserver.domain.id.TenantId;
import org.pageserver.domain.id.TimelineId;
import org.pageserver.domain.lsn.Lsn;

/** Ingests one batch of records into a timeline (docs/data-plane.md, "Batches"). */
public interface IngestWalUseCase {

    /**
     * Validates the whole batch, applies it, and returns only once it is durable.
     *
     * @param body the frames, as sent
     * @return the timeline's new last_record_lsn
     * @throws org.pageserver.domain.error.PageserverException BAD_REQUEST naming the first bad frame,
     *         with nothing of the batch applied
     */
    Lsn ingest(TenantId tenantId, TimelineId timelineId, byte[] body);
}
