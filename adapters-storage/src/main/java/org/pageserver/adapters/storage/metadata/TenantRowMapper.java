package org.pageserver.adapters.storage.metadata;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.pageserver.domain.config.TenantConfOverrides;
import org.pageserver.domain.config.TenantConfigField;
import org.pageserver.domain.error.ErrorKind;
import org.pageserver.domain.error.PageserverException;
import org.pageserver.domain.id.Generation;
import org.pageserver.domain.id.TenantId;
import org.pageserver.domain.tenant.TenantMetadata;

/** Tenant metadata to rows and back; overrides travel as {@link TenantConfigField} key and text. */
final class TenantRowMapper {

    private TenantRowMapper() {
    }

    static TenantRow toRow(TenantMetadata tenant) {
        Generation generation = tenant.generation();
        return new TenantRow(tenant.id().hex(), generation == null ? null : generation.value(), tenant.deleting(),
                tenant.ignored(), tenant.attaching());
    }

    static List<ConfigOverrideRow> toOverrideRows(TenantMetadata tenant) {
        return tenant.overrides().asMap().entrySet().stream()
                .map(e -> new ConfigOverrideRow(new ConfigOverrideKey(tenant.id().hex(), e.getKey().key()),
                        e.getKey().toText(e.getValue())))
                .toList();
    }

    /**
     * @throws PageserverException INTERNAL naming the tenant and the field where a stored setting is
     *         unknown to this version or its value no longer parses: dropping it would silently
     *         change the tenant's configuration at the next save
     */
    static TenantMetadata toDomain(TenantRow row, List<ConfigOverrideRow> overrideRows) {
        Map<TenantConfigField, Object> overrides = new EnumMap<>(TenantConfigField.class);
        for (ConfigOverrideRow override : overrideRows) {
            String key = override.id().field();
            TenantConfigField field = TenantConfigField.byKey(key).orElseThrow(() -> unreadable(row, key,
                    "this version does not know that setting", null));
            try {
                overrides.put(field, field.parseText(override.valueText()));
            } catch (IllegalArgumentException e) {
                throw unreadable(row, key, "stored value \"" + override.valueText() + "\" is invalid: " + e.getMessage(), e);
            }
        }
        Generation generation = row.generation() == null ? null : new Generation(row.generation());
        return new TenantMetadata(new TenantId(row.tenantId()), TenantConfOverrides.of(overrides), generation,
                row.deleting(), row.ignored(), row.attaching());
    }

    private static PageserverException unreadable(TenantRow row, String key, String reason, Throwable cause) {
        return new PageserverException(ErrorKind.INTERNAL,
                "tenant " + row.tenantId() + ": cannot load stored setting `" + key + "`: " + reason, cause);
    }
}
