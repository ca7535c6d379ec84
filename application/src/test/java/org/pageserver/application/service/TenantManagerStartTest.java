package org.pageserver.application.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.pageserver.application.service.TestNode.fails;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.pageserver.application.engine.MemoryLayerStore;
import org.pageserver.application.port.in.CreateTenantUseCase.CreateTenantCommand;
import org.pageserver.application.port.in.TimelineInfo;
import org.pageserver.application.service.InMemoryMetadataStore.Gate;
import org.pageserver.application.service.InMemoryMetadataStore.Op;
import org.pageserver.domain.config.TenantConfOverrides;
import org.pageserver.domain.config.TenantConfig;
import org.pageserver.domain.config.TenantConfigField;
import org.pageserver.domain.error.ErrorKind;
import org.pageserver.domain.id.TenantId;
import org.pageserver.domain.id.TimelineId;
import org.pageserver.domain.tenant.TenantState;
import org.pageserver.domain.timeline.TimelineState;

/** What a node finds at start-up: the tenants and timelines a previous process saved. */
class TenantManagerStartTest {
    private static final TenantId ID = TenantId.parse("0123456789abcdef0123456789abcdef");
    private static final TimelineId ROOT = TimelineId.parse("11111111111111111111111111111111");
    private static final TimelineId CHILD = TimelineId.parse("22222222222222222222222222222222");

    private TestNode node = new TestNode();

    @AfterEach
    void close() {
        node.close();
    }

    @Test
    void restartLoadsTenantsAndTimelines() {
        TenantConfOverrides overrides = TenantConfOverrides.of(Map.of(TenantConfigField.GC_HORIZON, 1L));
        node.tenants.createTenant(new CreateTenantCommand(ID, overrides, null));
        TenantId other = node.createTenant();
        TimelineInfo root = node.createRoot(ID, ROOT);
        TimelineInfo child = node.branch(ID, CHILD, ROOT, null);

        node = node.restart();
        node.awaitTenantActive(ID);
        node.awaitTenantActive(other);

        assertEquals(List.of(ID, other).stream().sorted().toList(),
                node.tenants.listTenants().stream().map(t -> t.id()).toList());
        assertEquals(overrides, node.tenants.getTenantConfig(ID).tenantSpecificOverrides());
        List<TimelineInfo> timelines = node.timelines.listTimelines(ID, false);
        assertEquals(List.of(root.metadata(), child.metadata()), timelines.stream().map(TimelineInfo::metadata).toList());
        assertTrue(timelines.stream().allMatch(t -> t.state() instanceof TimelineState.Active));
        assertTrue(node.timelines.listTimelines(other, false).isEmpty());
    }

    @Test
    void aTenantIsAttachingAndUnavailableUntilActivated() throws InterruptedException {
        node.tenants.createTenant(new CreateTenantCommand(ID, null, null));
        node.createRoot(ID, ROOT);
        node.close();
        node = TestNode.unstarted(node.store, TenantConfig.builtInDefaults(), Duration.ofSeconds(1));
        Gate gate = node.store.hold(Op.LOAD_TIMELINES, "bg: start tenants");
        node.tenants.start();
        gate.awaitArrival();
        try {
            assertEquals(TenantState.ATTACHING, node.tenants.getTenant(ID).state());
            assertEquals("maybe", node.tenants.getTenant(ID).state().attachmentStatus().slug());
            assertTrue(node.tenants.getTenantConfig(ID).tenantSpecificOverrides().isEmpty(), "config is readable");
            fails(ErrorKind.UNAVAILABLE, () -> node.timelines.listTimelines(ID, false));
            fails(ErrorKind.UNAVAILABLE, () -> node.timelines.getTimeline(ID, ROOT, false));
            fails(ErrorKind.UNAVAILABLE, () -> node.createRoot(ID, CHILD));
            fails(ErrorKind.UNAVAILABLE, () -> node.timelines.deleteTimeline(ID, ROOT));
            fails(ErrorKind.UNAVAILABLE, () -> node.tenants.updateTenantConfig(ID, TenantConfOverrides.none()));
            var delete = fails(ErrorKind.PRECONDITION_FAILED, () -> node.tenants.deleteTenant(ID));
            assertTrue(delete.getMessage().contains("Invalid state Attaching"), delete.getMessage());
            fails(ErrorKind.CONFLICT, () -> node.tenants.createTenant(new CreateTenantCommand(ID, null, null)));
        } finally {
            gate.release();
        }
        node.awaitTenantActive(ID);
        assertEquals("attached", node.tenants.getTenant(ID).state().attachmentStatus().slug());
        assertEquals(ROOT, node.timelines.getTimeline(ID, ROOT, false).metadata().timelineId());
    }

    @Test
    void eachTenantIsActiveAsSoonAsItIsReadyNotWhenAllAre() throws InterruptedException {
        TenantId other = node.createTenant();
        node.tenants.createTenant(new CreateTenantCommand(ID, null, null));
        node.createRoot(ID, ROOT);
        node.createRoot(other, CHILD);
        node.close();
        node = TestNode.unstarted(node.store, TenantConfig.builtInDefaults(), Duration.ofSeconds(1));
        MemoryLayerStore.Hold slow = node.layerFiles.holdNextListing();
        node.tenants.start(2);
        slow.awaitEntered();
        try {
            // One tenant is held in its load; the other's start goes on beside it.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (activeCount(ID, other) == 0) {
                assertTrue(System.nanoTime() < deadline, "no tenant became Active while the other was held");
                Thread.sleep(5);
            }
            assertEquals(1, activeCount(ID, other));
            assertFalse(node.tenants.isStarted(), "the start is not over while a tenant is still loading");
        } finally {
            slow.release();
        }
        node.awaitTenantActive(ID);
        node.awaitTenantActive(other);
    }

    private long activeCount(TenantId... ids) {
        return Arrays.stream(ids).filter(id -> node.tenants.getTenant(id).state().isActive()).count();
    }

    @Test
    void aTenantMarkedDeletingResumesItsDeletion() {
        node.tenants.createTenant(new CreateTenantCommand(ID, null, null));
        node.createRoot(ID, ROOT);
        node.branch(ID, CHILD, ROOT, null);
        // The process stopped right after the mark was saved.
        node.store.putTenant(node.store.tenant(ID).orElseThrow().markedDeleting());

        node = node.restart();

        node.awaitTenantGone(ID);
        assertTrue(node.store.tenant(ID).isEmpty());
        assertTrue(node.store.timelineOwners().isEmpty());
        fails(ErrorKind.NOT_FOUND, () -> node.tenants.getTenant(ID));
    }

    @Test
    void aTimelineMarkedDeletingResumesItsDeletion() {
        node.tenants.createTenant(new CreateTenantCommand(ID, null, null));
        node.createRoot(ID, ROOT);
        TimelineInfo child = node.branch(ID, CHILD, ROOT, null);
        node.store.putTimeline(child.metadata().markedDeleting());

        node = node.restart();
        node.awaitTenantActive(ID);

        fails(ErrorKind.NOT_FOUND, () -> node.timelines.getTimeline(ID, CHILD, false));
        assertTrue(node.store.timeline(ID, CHILD).isEmpty());
        assertEquals(List.of(ROOT), node.timelines.listTimelines(ID, false).stream()
                .map(t -> t.metadata().timelineId()).toList());
        node.timelines.deleteTimeline(ID, ROOT);
        node.awaitTimelineGone(ID, ROOT);
    }

    @Test
    void anUnreadableIngestFileLeavesItsTenantBrokenAndTheOthersActive() {
        node.tenants.createTenant(new CreateTenantCommand(ID, null, null));
        node.createRoot(ID, ROOT);
        TenantId other = node.createTenant();
        node.layerFiles.failLeftovers(ID, new IllegalStateException("not an ingest file: bad magic"));
        node = node.restart();
        TestNode.await(() -> node.tenants.getTenant(ID).state() instanceof TenantState.Broken, "tenant Broken");
        TenantState.Broken broken = (TenantState.Broken) node.tenants.getTenant(ID).state();
        assertTrue(broken.reason().contains("not an ingest file: bad magic"), broken.reason());
        TestNode.await(() -> node.tenants.getTenant(other).state() == TenantState.ACTIVE, "the other tenant Active");
    }

    @Test
    void startWithAnEmptyStoreHoldsNothing() {
        node = node.restart();
        assertTrue(node.tenants.listTenants().isEmpty());
    }

    @Test
    void aTenantWhoseTimelinesCannotBeLoadedIsBrokenAndCanBeDeleted() {
        node.tenants.createTenant(new CreateTenantCommand(ID, null, null));
        node.store.failTimelineLoads(true);

        node = node.restart();
        TestNode.await(() -> node.tenants.getTenant(ID).state() instanceof TenantState.Broken, "tenant Broken");

        TenantState.Broken broken = (TenantState.Broken) node.tenants.getTenant(ID).state();
        assertTrue(broken.reason().contains("loading failed"), broken.reason());
        assertEquals("failed", broken.attachmentStatus().slug());
        fails(ErrorKind.UNAVAILABLE, () -> node.timelines.listTimelines(ID, false));
        node.tenants.deleteTenant(ID);
        node.awaitTenantGone(ID);
        assertTrue(node.store.tenant(ID).isEmpty());
    }
}
