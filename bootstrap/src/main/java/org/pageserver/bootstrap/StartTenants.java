package org.pageserver.bootstrap;

import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.runtime.server.event.ServerStartupEvent;
import jakarta.inject.Singleton;
import org.pageserver.application.service.TenantManager;

/**
 * Spawns the stored tenants once the server listens, so that clients asking for a tenant that is
 * still attaching get a 503 to retry rather than a refused connection.
 */
@Singleton
class StartTenants implements ApplicationEventListener<ServerStartupEvent> {
    private final TenantManager tenants;

    StartTenants(TenantManager tenants) {
        this.tenants = tenants;
    }

    @Override
    public void onApplicationEvent(ServerStartupEvent event) {
        tenants.start();
    }
}
