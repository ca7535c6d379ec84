package org.pageserver.adapters.storage.metadata;

import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;
import java.util.List;

@JdbcRepository(dialect = Dialect.POSTGRES)
interface TimelineRepository extends CrudRepository<TimelineRow, TimelineKey> {

    List<TimelineRow> findByIdTenantIdOrderByIdTimelineId(String tenantId);
}
