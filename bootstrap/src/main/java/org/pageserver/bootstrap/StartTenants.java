package org.pageserver.bootstrap;

import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.runtime.server.event.ServerStartupEvent;
import jakarta.inject.Singleton;
import org.pageserver.application.service.TenantManager;
import org.pageserver.bootstrap.config.PageserverConfiguration;

/**
 * Spawns the stored tenants once the server listens, so that clients asking for a tenant that is
 * still attaching get a 503 to retry rather than a refused connection.
 */
@Singleton
class StartTenants implements ApplicationEventListener<ServerStartupEvent> {
    private final TenantManager tenants;
    private final PageserverConfiguration configuration;

    StartTenants(TenantManager tenants, PageserverConfiguration configuration) {
        this.tenants = tenants;
        this.configuration = configuration;
    }

    @Override
    public void onApplicationEvent(ServerStartupEvent event) {
        tenants.start(configuration.getStartupConcurrency());
    }
}
