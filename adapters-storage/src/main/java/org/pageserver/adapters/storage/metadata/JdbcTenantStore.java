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
 * after its transaction committed durably: PostgreSQL with its default {@code synchronous_commit=on}
 * forces its commits; H2 needs {@code WRITE_DELAY=0} in its URL to write each commit to its file
 * before returning (a kill of this process loses nothing), and {@link ForcedCommits} forces the
 * file after it (an OS crash or power loss loses nothing either).
 */
@Singleton
public class JdbcTenantStore implements LoadTenantPort, SaveTenantPort {
    private final TenantRepository tenants;
    private final ConfigOverrideRepository overrides;
    private final ForcedCommits forced;

    JdbcTenantStore(TenantRepository tenants, ConfigOverrideRepository overrides, ForcedCommits forced) {
        this.tenants = tenants;
        this.overrides = overrides;
        this.forced = forced;
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
        forced.forceOnCommit();
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
        forced.forceOnCommit();
        tenants.deleteById(tenantId.hex());
    }
}
