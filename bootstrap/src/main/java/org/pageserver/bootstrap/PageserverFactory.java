package org.pageserver.bootstrap;

import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.env.Environment;
import jakarta.inject.Singleton;
import org.pageserver.application.engine.EngineContext;
import org.pageserver.application.engine.InMemoryBudget;
import org.pageserver.application.engine.PageCache;
import org.pageserver.application.port.out.DiskSpace;
import org.pageserver.application.port.out.LayerStore;
import org.pageserver.application.port.out.LoadLayersPort;
import org.pageserver.application.port.out.LoadTenantPort;
import org.pageserver.application.port.out.SaveLayersPort;
import org.pageserver.application.port.out.LoadTimelinePort;
import org.pageserver.application.port.out.Metrics;
import org.pageserver.application.port.out.RemoteStorage;
import org.pageserver.application.port.out.SaveTenantPort;
import org.pageserver.application.port.out.SaveTimelinePort;
import org.pageserver.application.remote.RemoteSync;
import org.pageserver.application.service.BackgroundTasks;
import org.pageserver.application.service.DataPlaneService;
import org.pageserver.application.service.GcService;
import org.pageserver.application.service.SizeService;
import org.pageserver.application.service.DiskPressureEviction;
import org.pageserver.application.service.DiskUsageEviction;
import org.pageserver.application.service.EvictionService;
import org.pageserver.application.service.LayerService;
import org.pageserver.application.service.PageStreamService;
import org.pageserver.application.service.TenantManager;
import org.pageserver.application.service.TimelineService;
import org.pageserver.application.service.TimelineStorage;
import org.pageserver.bootstrap.config.DiskUsageEvictionConfiguration;
import org.pageserver.bootstrap.config.PageserverConfiguration;
import org.pageserver.bootstrap.config.RemoteStorageConfiguration;
import org.pageserver.bootstrap.config.ServerTenantConfig;
import org.pageserver.domain.page.Page;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the use cases, which know nothing of Micronaut, over the ports the adapters provide.
 * The controllers find them by their use-case interfaces.
 */
@Factory
class PageserverFactory {
    private static final Logger LOG = LoggerFactory.getLogger(PageserverFactory.class);

    @Singleton
    @Bean(preDestroy = "close")
    BackgroundTasks backgroundTasks() {
        return new BackgroundTasks();
    }

    @Singleton
    EngineContext engineContext(LayerStore layerStore, LoadLayersPort loadLayers, SaveLayersPort saveLayers,
                                BackgroundTasks background, PageserverConfiguration configuration, Metrics metrics) {
        // An ingest waits for memory as long as a read waits for its LSN.
        InMemoryBudget memory = new InMemoryBudget(configuration.getInMemoryLimit(), configuration.getWaitLsnTimeout());
        LOG.info("in-memory layers may hold {} MiB in all (pageserver.in-memory-limit)", memory.limit() >> 20);
        PageCache pageCache = configuration.isReadCaches() ? new PageCache(configuration.getPageCacheSize()) : PageCache.NONE;
        metrics.pageCache(pageCache);
        LOG.info("the page cache holds up to {} pages of 8 KiB (pageserver.page-cache-size)", pageCache.maxBytes() / Page.SIZE);
        return new EngineContext(layerStore, loadLayers, saveLayers, flush -> background.run("flush", flush),
                memory, metrics, configuration.isReadCaches(), pageCache);
    }

    /** Eight layer uploads at once for the node: a flush of many timelines does not flood the remote server. */
    @Singleton
    @Bean(preDestroy = "close")
    RemoteSync remoteSync(RemoteStorage remoteStorage, LayerStore layerStore) {
        return RemoteSync.start(remoteStorage, layerStore, 8);
    }

    @Singleton
    TimelineStorage timelineStorage(SaveTimelinePort saveTimelines, EngineContext engine, RemoteSync remote,
                                    RemoteStorageConfiguration remoteConfiguration) {
        return new TimelineStorage(saveTimelines, engine, remote, remoteConfiguration.getDetachUploadWait());
    }

    @Singleton
    TenantManager tenantManager(LoadTenantPort loadTenants, SaveTenantPort saveTenants, LoadTimelinePort loadTimelines,
                                TimelineStorage timelineStorage, BackgroundTasks background, Environment environment,
                                Metrics metrics) {
        return new TenantManager(loadTenants, saveTenants, loadTimelines, timelineStorage, background,
                ServerTenantConfig.read(environment), metrics);
    }

    @Singleton
    DataPlaneService dataPlaneService(TenantManager tenants, PageserverConfiguration configuration) {
        return new DataPlaneService(tenants, configuration.getWaitLsnTimeout());
    }

    @Singleton
    PageStreamService pageStreamService(TenantManager tenants, PageserverConfiguration configuration) {
        return new PageStreamService(tenants, configuration.getWaitLsnTimeout());
    }

    @Singleton
    LayerService layerService(TenantManager tenants, TimelineStorage storage) {
        return new LayerService(tenants, storage);
    }

    @Singleton
    DiskUsageEviction diskUsageEviction(TenantManager tenants, TimelineStorage storage) {
        return new DiskUsageEviction(tenants, storage);
    }

    /** Created with the context: it watches the disk with no request asking for it. */
    @io.micronaut.context.annotation.Context
    DiskPressureEviction diskPressureEviction(DiskSpace disk, DiskUsageEvictionConfiguration configuration,
                                              DiskUsageEviction eviction, BackgroundTasks background) {
        return new DiskPressureEviction(disk, configuration.pressure(), configuration.getPeriod(), eviction, background);
    }

    /** Created with the context: its eviction passes run with no request asking for them. */
    @io.micronaut.context.annotation.Context
    EvictionService evictionService(TenantManager tenants, TimelineStorage storage, BackgroundTasks background) {
        return new EvictionService(tenants, storage, background);
    }

    /** Created with the context, not on first use: its periodic GC must run with no request asking for it. */
    @io.micronaut.context.annotation.Context
    GcService gcService(TenantManager tenants, BackgroundTasks background) {
        return new GcService(tenants, background, java.time.Clock.systemUTC());
    }

    @Singleton
    SizeService sizeService(TenantManager tenants) {
        return new SizeService(tenants, java.time.Clock.systemUTC());
    }

    @Singleton
    TimelineService timelineService(TenantManager tenants, SaveTimelinePort saveTimelines, TimelineStorage storage,
                                    BackgroundTasks background, PageserverConfiguration configuration) {
        return new TimelineService(tenants, saveTimelines, storage, background, configuration.getWaitLsnTimeout());
    }
}
