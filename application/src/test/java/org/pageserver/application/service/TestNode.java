package org.pageserver.application.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.function.Executable;
import org.pageserver.application.engine.MemoryLayerStore;
import org.pageserver.application.port.in.CreateTenantUseCase.CreateTenantCommand;
import org.pageserver.application.port.in.CreateTimelineUseCase.CreateTimelineCommand;
import org.pageserver.application.port.in.TimelineInfo;
import org.pageserver.domain.config.TenantConfig;
import org.pageserver.domain.error.ErrorKind;
import org.pageserver.domain.error.PageserverException;
import org.pageserver.domain.id.TenantId;
import org.pageserver.domain.id.TimelineId;
import org.pageserver.domain.lsn.Lsn;

/**
 * One pageserver's use cases wired over a metadata store, as the application would wire them.
 * {@link #restart()} gives a new node over the same store, as a process restart would.
 */
final class TestNode implements AutoCloseable {
    static final Duration DEADLINE = Duration.ofSeconds(10);

    final InMemoryMetadataStore store;
    final BackgroundTasks background = new BackgroundTasks();
    final MemoryLayerStore layerFiles;
    final TenantManager tenants;
    final TimelineService timelines;

    TestNode() {
        this(new InMemoryMetadataStore(), TenantConfig.builtInDefaults(), Duration.ofSeconds(5));
    }

    /** A node over the store, started (its stored tenants opened). */
    TestNode(InMemoryMetadataStore store, TenantConfig serverDefaults, Duration waitLsnTimeout) {
        this(store, new MemoryLayerStore(), serverDefaults, waitLsnTimeout);
        startAndWait();
    }

    /** A node over the store that the test starts itself, e.g. after setting a gate. */
    static TestNode unstarted(InMemoryMetadataStore store, TenantConfig serverDefaults, Duration waitLsnTimeout) {
        return new TestNode(store, new MemoryLayerStore(), serverDefaults, waitLsnTimeout);
    }

    /** A node over this one's store and files, not started; this one is closed. */
    TestNode restartUnstarted() {
        close();
        return new TestNode(store, layerFiles, TenantConfig.builtInDefaults(), Duration.ofSeconds(5));
    }

    void startAndWait() {
        tenants.start();
        await(tenants::isStarted, "the node to start");
    }

    private TestNode(InMemoryMetadataStore store, MemoryLayerStore layerFiles,
                     TenantConfig serverDefaults, Duration waitLsnTimeout) {
        this.store = store;
        this.layerFiles = layerFiles;
        TimelineStorage storage = new TimelineStorage(store, Engines.context(store, layerFiles, background));
        this.tenants = new TenantManager(store, store, store, storage, background, serverDefaults);
        this.timelines = new TimelineService(tenants, store, storage, background, waitLsnTimeout);
    }

    /** A new node over the same store, started; this one is closed. */
    TestNode restart() {
        close();
        TestNode next = new TestNode(store, layerFiles, TenantConfig.builtInDefaults(), Duration.ofSeconds(5));
        next.startAndWait();
        return next;
    }

    TenantId createTenant() {
        return tenants.createTenant(new CreateTenantCommand(null, null, null));
    }

    TimelineInfo createRoot(TenantId tenant, TimelineId id) {
        return timelines.createTimeline(new CreateTimelineCommand(tenant, id, null, null, null));
    }

    TimelineInfo branch(TenantId tenant, TimelineId id, TimelineId ancestor, Lsn start) {
        return timelines.createTimeline(new CreateTimelineCommand(tenant, id, ancestor, start, null));
    }

    void awaitTenantGone(TenantId id) {
        await(() -> tenants.find(id).isEmpty(), "tenant " + id + " to disappear");
    }

    void awaitTenantActive(TenantId id) {
        await(() -> tenants.find(id).map(t -> t.state().isActive()).orElse(false), "tenant " + id + " to be Active");
    }

    void awaitTimelineGone(TenantId tenant, TimelineId timeline) {
        await(() -> tenants.find(tenant).flatMap(t -> t.timeline(timeline)).isEmpty(),
                "timeline " + tenant + "/" + timeline + " to disappear");
    }

    static void await(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out waiting for " + what);
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted waiting for " + what);
            }
        }
    }

    /** Asserts that the call fails with the given kind and returns the failure for further checks. */
    static PageserverException fails(ErrorKind kind, Executable call) {
        PageserverException e = assertThrows(PageserverException.class, call);
        assertEquals(kind, e.kind(), e.getMessage());
        return e;
    }

    @Override
    public void close() {
        background.close();
    }
}
