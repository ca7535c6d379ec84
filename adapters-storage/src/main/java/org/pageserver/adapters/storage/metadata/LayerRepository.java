package org.pageserver.adapters.storage.metadata;

import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;
import java.util.List;

@JdbcRepository(dialect = Dialect.POSTGRES)
interface LayerRepository extends GenericRepository<LayerRow, LayerKey> {

    /** A plain INSERT: recording a layer twice fails on the primary key instead of replacing the row. */
    LayerRow save(LayerRow row);

    /** Unordered: the LSN columns are signed, so the order is made in Java. */
    List<LayerRow> findByIdTenantIdAndIdTimelineId(String tenantId, String timelineId);
}
