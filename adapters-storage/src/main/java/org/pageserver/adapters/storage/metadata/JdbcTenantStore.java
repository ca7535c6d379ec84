package org.pageserver.adapters.storage.metadata;

import io.micronaut.transaction.TransactionDefinition;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.pageserver.application.port.out.LoadTenantPort;
import org.pageserver.application.port.out.SaveTenantPort;
import org.pageserver.domain.id.TenantId;
import org.pageserver.domain.tenant.TenantMetadata;

/**
 * Tenants and their overrides in {@code tenant} and {@code tenant_config_override}. A save returns
 * after its transaction committed. That is durable only as the database is configured: PostgreSQL
 * with its default {@code synchronous_commit=on} survives a crash of any kind; H2 needs
 * {@code WRITE_DELAY=0} in its URL to survive a kill of this process (it writes each commit to the
 * file before returning but does not fsync it, so an OS crash or power loss may still lose it).
 */
@Singleton
public class JdbcTenantStore implements LoadTenantPort, SaveTenantPort {
    private final TenantRepository tenants;
    private final ConfigOverrideRepository overrides;

    JdbcTenantStore(TenantRepository tenants, ConfigOverrideRepository overrides) {
        this.tenants = tenants;
        this.overrides = overrides;
    }

    /** Repeatable read: the two queries must see the same tenants, or a concurrent save could mix them. */
    @Override
    @Transactional(readOnly = true, isolation = TransactionDefinition.Isolation.REPEATABLE_READ)
    public List<TenantMetadata> loadTenants() {
        List<TenantRow> rows = tenants.listOrderByTenantId();
        Map<String, List<ConfigOverrideRow>> overridesByTenant = overrides.listOrderByIdTenantIdAscAndIdFieldAsc()
                .stream().collect(Collectors.groupingBy(o -> o.id().tenantId()));
        return rows.stream()
                .map(row -> TenantRowMapper.toDomain(row, overridesByTenant.getOrDefault(row.tenantId(), List.of())))
                .toList();
    }

    /**
     * Update-or-insert, then the overrides replaced wholesale so that a removed setting loses its row.
     * Two first saves of one tenant racing would make one fail on the primary key rather than lose
     * data; the application serializes changes per tenant, so that does not happen.
     */
    @Override
    @Transactional
    public void saveTenant(TenantMetadata tenant) {
        TenantRow row = TenantRowMapper.toRow(tenant);
        if (tenants.existsById(row.tenantId())) {
            tenants.update(row);
        } else {
            tenants.save(row);
        }
        overrides.deleteByIdTenantId(row.tenantId());
        overrides.saveAll(TenantRowMapper.toOverrideRows(tenant));
    }

    /** Overrides and timelines go with the tenant row through the schema's ON DELETE CASCADE. */
    @Override
    @Transactional
    public void deleteTenant(TenantId tenantId) {
        tenants.deleteById(tenantId.hex());
    }
}
