package org.pageserver.application.port.in;

import java.util.List;
import org.pageserver.domain.id.TenantId;
import org.pageserver.domain.size.SizeInputs;
import org.pageserver.domain.size.SizeModel;

/** The tenant's synthetic size (Neon's {@code synthetic_size} and {@code size}). */
public interface GetTenantSizeUseCase {

    /**
     * @param size         null when only the inputs were asked for
     * @param segmentSizes each segment's chosen method and cost; null likewise
     */
    record TenantSize(TenantId id, Long size, List<SizeModel.SegmentSize> segmentSizes, SizeInputs inputs) {
    }

    /**
     * @param inputsOnly      gather the inputs, skip the model
     * @param retentionPeriod bytes of WAL to keep instead of what GC would keep, where that is less; null: as GC
     */
    TenantSize tenantSize(TenantId tenantId, boolean inputsOnly, Long retentionPeriod);
}
