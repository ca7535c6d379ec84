package org.pageserver.adapters.storage.metadata;

import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;
import java.util.List;

@JdbcRepository(dialect = Dialect.POSTGRES)
interface ConfigOverrideRepository extends GenericRepository<ConfigOverrideRow, ConfigOverrideKey> {

    /** Every tenant's overrides at once, so loading all tenants is two queries, not one per tenant. */
    List<ConfigOverrideRow> listOrderByIdTenantIdAscAndIdFieldAsc();

    List<ConfigOverrideRow> saveAll(Iterable<ConfigOverrideRow> rows);

    void deleteByIdTenantId(String tenantId);
}
