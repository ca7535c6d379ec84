package org.pageserver.adapters.storage.metadata;

import io.micronaut.context.ApplicationContext;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.pageserver.application.port.out.SaveTenantPort;
import org.pageserver.domain.config.TenantConfOverrides;
import org.pageserver.domain.id.TenantId;
import org.pageserver.domain.tenant.TenantMetadata;

/**
 * The child JVM of {@link H2KillDurabilityTest}: saves new tenants into the H2 database at
 * {@code args[0]} one after another and prints {@code saved <id>} as soon as each save returned,
 * until it is killed.
 */
final class SaveUntilKilled {
    static final String SAVED = "saved ";

    private SaveUntilKilled() {
    }

    public static void main(String[] args) {
        Map<String, Object> properties = new HashMap<>(H2Database.datasourceProperties(Path.of(args[0])));
        properties.put("flyway.datasources.default.enabled", true);
        try (ApplicationContext context = ApplicationContext.run(properties)) {
            SaveTenantPort tenants = context.getBean(SaveTenantPort.class);
            while (true) {
                TenantId id = TenantId.generate();
                tenants.saveTenant(TenantMetadata.created(id, TenantConfOverrides.none(), null));
                System.out.println(SAVED + id);
                System.out.flush();
            }
        }
    }
}
