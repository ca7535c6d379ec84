package org.pageserver.application.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.pageserver.application.service.TestNode.fails;

import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.pageserver.application.port.in.CreateTenantUseCase.CreateTenantCommand;
import org.pageserver.application.port.in.TenantConfigView;
import org.pageserver.application.port.in.TenantInfo;
import org.pageserver.application.service.InMemoryMetadataStore.Gate;
import org.pageserver.application.service.InMemoryMetadataStore.Op;
import org.pageserver.domain.config.TenantConfOverrides;
import org.pageserver.domain.config.TenantConfig;
import org.pageserver.domain.config.TenantConfigField;
import org.pageserver.domain.error.ErrorKind;
import org.pageserver.domain.id.Generation;
import org.pageserver.domain.id.TenantId;
import org.pageserver.domain.id.TimelineId;
import org.pageserver.domain.tenant.TenantState;

class TenantManagerTest {
    private static final TenantId ID = TenantId.parse("0123456789abcdef0123456789abcdef");

    private TestNode node = new TestNode();

    @AfterEach
    void close() {
        node.close();
    }

    @Test
    void createWithoutIdGeneratesOneAndTheTenantIsActive() {
        TenantId id = node.createTenant();
        assertNotNull(id);
        TenantInfo info = node.tenants.getTenant(id);
        assertEquals(id, info.id());
        assertEquals(TenantState.ACTIVE, info.state());
        assertEquals(0L, info.currentPhysicalSize());
        assertTrue(node.store.tenant(id).isPresent(), "saved before it is visible");
    }

    @Test
    void createWithAnExplicitIdStoresOverridesAndGeneration() {
        TenantConfOverrides overrides = TenantConfOverrides.of(Map.of(TenantConfigField.GC_HORIZON, 1024L));
        TenantId id = node.tenants.createTenant(new CreateTenantCommand(ID, overrides, new Generation(7)));
        assertEquals(ID, id);
        var stored = node.store.tenant(ID).orElseThrow();
        assertEquals(overrides, stored.overrides());
        assertEquals(new Generation(7), stored.generation());
        assertFalse(stored.deleting());
    }

    @Test
    void createOfAnExistingTenantIsAConflict() {
        node.tenants.createTenant(new CreateTenantCommand(ID, null, null));
        var e = fails(ErrorKind.CONFLICT, () -> node.tenants.createTenant(new CreateTenantCommand(ID, null, null)));
        assertTrue(e.getMessage().contains("tenant " + ID + " already exists"), e.getMessage());
        assertTrue(e.getMessage().contains("state: Active"), e.getMessage());
    }

    @Test
    void aFailedCreateLeavesNoTenant() {
        node.store.failSaves(true);
        assertThrows(IllegalStateException.class, () -> node.tenants.createTenant(new CreateTenantCommand(ID, null, null)));
        assertTrue(node.tenants.listTenants().isEmpty());
        fails(ErrorKind.NOT_FOUND, () -> node.tenants.getTenant(ID));
        assertTrue(node.store.tenant(ID).isEmpty());

        node.store.failSaves(false);
        assertEquals(ID, node.tenants.createTenant(new CreateTenantCommand(ID, null, null)), "the id is free again");
    }

    @Test
    void getOfAnAbsentTenantIsNotFound() {
        var e = fails(ErrorKind.NOT_FOUND, () -> node.tenants.getTenant(ID));
        assertEquals("tenant " + ID, e.getMessage());
    }

    @Test
    void listIsSortedByIdWithoutSizes() {
        List<TenantId> created = List.of(node.createTenant(), node.createTenant(), node.createTenant(),
                node.createTenant());
        List<TenantInfo> listed = node.tenants.listTenants();
        assertEquals(created.stream().sorted().toList(), listed.stream().map(TenantInfo::id).toList());
        assertTrue(listed.stream().allMatch(t -> t.currentPhysicalSize() == null));
        assertTrue(listed.stream().allMatch(t -> t.state().isActive()));
        assertEquals(listed, listed.stream().sorted(Comparator.comparing(TenantInfo::id)).toList());
    }

    @Test
    void configShowsOverridesBesideEffectiveValuesWithServerDefaults() {
        node.close();
        TenantConfig serverDefaults = TenantConfig.builtInDefaults().with(TenantConfOverrides.of(Map.of(
                TenantConfigField.GC_PERIOD, Duration.ofMinutes(30),
                TenantConfigField.GC_HORIZON, 2048L)));
        node = new TestNode(new InMemoryMetadataStore(), serverDefaults, Duration.ofSeconds(1));
        TenantConfOverrides overrides = TenantConfOverrides.of(Map.of(TenantConfigField.GC_HORIZON, 1024L));
        node.tenants.createTenant(new CreateTenantCommand(ID, overrides, null));

        TenantConfigView view = node.tenants.getTenantConfig(ID);
        assertEquals(overrides, view.tenantSpecificOverrides());
        assertEquals(1024L, view.effectiveConfig().gcHorizon(), "override");
        assertEquals(Duration.ofMinutes(30), view.effectiveConfig().gcPeriod(), "server default");
        assertEquals(Duration.ofDays(7), view.effectiveConfig().pitrInterval(), "built-in");
        assertEquals(TenantConfigField.values().length, view.effectiveConfig().asMap().size());
    }

    @Test
    void configOfAnAbsentTenantIsNotFound() {
        fails(ErrorKind.NOT_FOUND, () -> node.tenants.getTenantConfig(ID));
        fails(ErrorKind.NOT_FOUND, () -> node.tenants.updateTenantConfig(ID, TenantConfOverrides.none()));
    }

    @Test
    void updateReplacesAllOverrides() {
        node.tenants.createTenant(new CreateTenantCommand(ID, TenantConfOverrides.of(Map.of(
                TenantConfigField.GC_HORIZON, 1024L, TenantConfigField.GC_FEEDBACK, true)), null));
        TenantConfOverrides replacement = TenantConfOverrides.of(Map.of(TenantConfigField.PITR_INTERVAL, Duration.ZERO));

        TenantInfo info = node.tenants.updateTenantConfig(ID, replacement);

        assertEquals(ID, info.id());
        assertEquals(TenantState.ACTIVE, info.state());
        TenantConfigView view = node.tenants.getTenantConfig(ID);
        assertEquals(replacement, view.tenantSpecificOverrides());
        assertEquals(67_108_864L, view.effectiveConfig().gcHorizon(), "left out, so back to the default");
        assertEquals(false, view.effectiveConfig().get(TenantConfigField.GC_FEEDBACK));
        assertEquals(Duration.ZERO, view.effectiveConfig().pitrInterval());
        assertEquals(replacement, node.store.tenant(ID).orElseThrow().overrides(), "persisted");
    }

    @Test
    void aFailedUpdateKeepsTheOldOverrides() {
        TenantConfOverrides original = TenantConfOverrides.of(Map.of(TenantConfigField.GC_HORIZON, 1024L));
        node.tenants.createTenant(new CreateTenantCommand(ID, original, null));
        node.store.failSaves(true);
        assertThrows(IllegalStateException.class, () -> node.tenants.updateTenantConfig(ID, TenantConfOverrides.none()));
        assertEquals(original, node.tenants.getTenantConfig(ID).tenantSpecificOverrides());
        assertEquals(original, node.store.tenant(ID).orElseThrow().overrides());
    }

    @Test
    void updateOfATenantThatIsNotActiveIsUnavailable() throws InterruptedException {
        node.tenants.createTenant(new CreateTenantCommand(ID, null, null));
        Gate gate = node.store.hold(Op.DELETE_TENANT, "bg: delete tenant");
        node.tenants.deleteTenant(ID);
        gate.awaitArrival();
        try {
            var e = fails(ErrorKind.UNAVAILABLE, () -> node.tenants.updateTenantConfig(ID, TenantConfOverrides.none()));
            assertTrue(e.getMessage().contains("Stopping"), e.getMessage());
            assertNotNull(node.tenants.getTenantConfig(ID), "config stays readable in any state");
        } finally {
            gate.release();
        }
    }

    @Test
    void deleteStopsTheTenantThenRemovesItWithItsTimelines() throws InterruptedException {
        node.tenants.createTenant(new CreateTenantCommand(ID, null, null));
        TimelineId root = TimelineId.generate();
        node.createRoot(ID, root);
        node.branch(ID, TimelineId.generate(), root, null);
        Gate gate = node.store.hold(Op.DELETE_TENANT, "bg: delete tenant");

        node.tenants.deleteTenant(ID);

        assertEquals(TenantState.STOPPING, node.tenants.getTenant(ID).state());
        assertTrue(node.store.tenant(ID).orElseThrow().deleting(), "marked durably before returning");
        gate.awaitArrival();
        var second = fails(ErrorKind.CONFLICT, () -> node.tenants.deleteTenant(ID));
        assertTrue(second.getMessage().contains("already in progress"), second.getMessage());
        gate.release();

        node.awaitTenantGone(ID);
        fails(ErrorKind.NOT_FOUND, () -> node.tenants.getTenant(ID));
        fails(ErrorKind.NOT_FOUND, () -> node.tenants.deleteTenant(ID));
        assertTrue(node.store.tenant(ID).isEmpty());
        assertTrue(node.store.timelineOwners().isEmpty(), "its timelines went with it");
        assertTrue(node.tenants.listTenants().isEmpty());
    }

    @Test
    void deleteOfAnAbsentTenantIsNotFound() {
        fails(ErrorKind.NOT_FOUND, () -> node.tenants.deleteTenant(ID));
    }

    @Test
    void aFailedDeletionMarkLeavesTheTenantActive() {
        node.tenants.createTenant(new CreateTenantCommand(ID, null, null));
        node.store.failSaves(true);
        assertThrows(IllegalStateException.class, () -> node.tenants.deleteTenant(ID));
        assertEquals(TenantState.ACTIVE, node.tenants.getTenant(ID).state());
        assertFalse(node.store.tenant(ID).orElseThrow().deleting());

        node.store.failSaves(false);
        node.tenants.deleteTenant(ID);
        node.awaitTenantGone(ID);
    }

    @Test
    void aFailedBackgroundDeletionBreaksTheTenantAndMayBeRetried() {
        node.tenants.createTenant(new CreateTenantCommand(ID, null, null));
        node.store.failDeletes(true);
        node.tenants.deleteTenant(ID);
        TestNode.await(() -> node.tenants.getTenant(ID).state() instanceof TenantState.Broken, "tenant Broken");
        TenantState.Broken broken = (TenantState.Broken) node.tenants.getTenant(ID).state();
        assertTrue(broken.reason().contains("deletion failed"), broken.reason());
        assertEquals("failed", broken.attachmentStatus().slug());

        node.store.failDeletes(false);
        node.tenants.deleteTenant(ID);
        node.awaitTenantGone(ID);
        assertTrue(node.store.tenant(ID).isEmpty());
    }

    @Test
    void aDeletedTenantCanBeCreatedAgain() {
        node.tenants.createTenant(new CreateTenantCommand(ID, null, null));
        node.tenants.deleteTenant(ID);
        node.awaitTenantGone(ID);
        node.tenants.createTenant(new CreateTenantCommand(ID, null, null));
        assertEquals(TenantState.ACTIVE, node.tenants.getTenant(ID).state());
        assertEquals(Optional.of(false), node.store.tenant(ID).map(t -> t.deleting()));
    }
}
