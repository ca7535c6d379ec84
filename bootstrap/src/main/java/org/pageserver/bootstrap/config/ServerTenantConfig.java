package org.pageserver.bootstrap.config;

import io.micronaut.context.env.Environment;
import io.micronaut.context.exceptions.ConfigurationException;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import org.pageserver.domain.config.TenantConfOverrides;
import org.pageserver.domain.config.TenantConfig;
import org.pageserver.domain.config.TenantConfigField;

/**
 * Reads the server-wide defaults of the per-tenant settings: {@code pageserver.tenant-config.<name>}
 * with Neon's field name in kebab case ({@code pageserver.tenant-config.gc-horizon},
 * {@code PAGESERVER_TENANT_CONFIG_GC_HORIZON}). Values are text in each field's form (integers,
 * humantime durations, {@code true}/{@code false}, {@code NoEviction} or
 * {@code LayerAccessThreshold;<period>;<threshold>}). A bad value stops the start with a message
 * naming the setting: a server must not run on a configuration it misread.
 */
public final class ServerTenantConfig {
    public static final String PREFIX = "pageserver.tenant-config.";

    private ServerTenantConfig() {
    }

    public static TenantConfig read(Environment environment) {
        Map<TenantConfigField, Object> values = new EnumMap<>(TenantConfigField.class);
        for (TenantConfigField field : TenantConfigField.values()) {
            String property = propertyName(field);
            Optional<String> text = environment.getProperty(property, String.class);
            if (text.isPresent()) {
                try {
                    values.put(field, field.parseText(text.get()));
                } catch (IllegalArgumentException e) {
                    throw new ConfigurationException("invalid " + property + ": " + e.getMessage());
                }
            }
        }
        return TenantConfig.builtInDefaults().with(TenantConfOverrides.of(values));
    }

    public static String propertyName(TenantConfigField field) {
        return PREFIX + field.key().replace('_', '-');
    }
}
