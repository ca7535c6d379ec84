package org.pageserver.adapters.http.support;

import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Primary;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.Map;
import org.pageserver.application.engine.EngineContext;
import org.pageserver.application.engine.InMemoryBudget;
import org.pageserver.application.engine.MemoryLayerMetadata;
import org.pageserver.application.engine.MemoryLayerStore;
import org.pageserver.application.service.BackgroundTasks;
import org.pageserver.application.service.TenantManager;
import org.pageserver.application.service.TimelineService;
import org.pageserver.application.service.TimelineStorage;
import org.pageserver.domain.config.TenantConfOverrides;
import org.pageserver.domain.config.TenantConfig;
import org.pageserver.domain.config.TenantConfigField;

/**
 * The real management use cases over in-memory storage, as bootstrap wires them over the database,
 * beside a fake data plane.
 */
@Factory
public class TestWiring {
    /** A server default that differs from Neon's built-in one, to see which one a response shows. */
    public static final long SERVER_GC_HORIZON = 1_000_000L;
    /** Short, so that a branch at a future LSN fails fast. */
    public static final Duration WAIT_LSN_TIMEOUT = Duration.ofMillis(300);

    @Singleton
    InMemoryStore store() {
        return new InMemoryStore();
    }

    @Singleton
    @Bean(preDestroy = "close")
    BackgroundTasks backgroundTasks() {
        return new BackgroundTasks();
    }

    @Singleton
    TimelineStorage timelineStorage(InMemoryStore store, BackgroundTasks background) {
        MemoryLayerMetadata layers = new MemoryLayerMetadata();
        EngineContext engine = new EngineContext(new MemoryLayerStore(), layers, layers,
                flush -> background.run("flush", flush), InMemoryBudget.unlimited());
        return new TimelineStorage(store, engine);
    }

    @Singleton
    TenantManager tenantManager(InMemoryStore store, TimelineStorage storage, BackgroundTasks background) {
        TenantConfig serverDefaults = TenantConfig.builtInDefaults()
                .with(TenantConfOverrides.of(Map.of(TenantConfigField.GC_HORIZON, SERVER_GC_HORIZON)));
        TenantManager manager = new TenantManager(store, store, store, storage, background, serverDefaults);
        manager.start();
        // Tests create tenants at once; a node refuses that (503) until its start has loaded the stored tenants.
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!manager.isStarted() && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        return manager;
    }

    /**
     * The data-plane use cases, faked: these tests are about HTTP, not about pages. Primary, so that
     * it still wins once the application's services implement these ports as well.
     */
    @Singleton
    @Primary
    FakeDataPlane dataPlane() {
        return new FakeDataPlane();
    }

    @Singleton
    TimelineService timelineService(TenantManager tenants, InMemoryStore store, TimelineStorage storage,
                                    BackgroundTasks background) {
        return new TimelineService(tenants, store, storage, background, WAIT_LSN_TIMEOUT);
    }
}
