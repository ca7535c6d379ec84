package org.pageserver.adapters.storage.metadata;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;
import java.time.Instant;
import java.util.List;

@JdbcRepository(dialect = Dialect.POSTGRES)
interface LayerRepository extends GenericRepository<LayerRow, LayerKey> {

    /** A plain INSERT: recording a layer twice fails on the primary key instead of replacing the row. */
    LayerRow save(LayerRow row);

    @Query("UPDATE layer SET last_access = :lastAccess WHERE tenant_id = :tenantId AND timeline_id = :timelineId"
            + " AND file_name = :fileName")
    void updateLastAccess(String tenantId, String timelineId, String fileName, Instant lastAccess);

    @Query("UPDATE layer SET resident = :resident WHERE tenant_id = :tenantId AND timeline_id = :timelineId"
            + " AND file_name = :fileName")
    void updateResident(String tenantId, String timelineId, String fileName, boolean resident);

    @Query("DELETE FROM layer WHERE tenant_id = :tenantId AND timeline_id = :timelineId AND file_name = :fileName")
    void deleteLayer(String tenantId, String timelineId, String fileName);

    /** Unordered: the LSN columns are signed, so the order is made in Java. */
    List<LayerRow> findByIdTenantIdAndIdTimelineId(String tenantId, String timelineId);

    /** Every row, unordered. */
    List<LayerRow> findAll();
}
