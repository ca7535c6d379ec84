package org.pageserver.application.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.pageserver.application.service.TestNode.fails;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.pageserver.application.port.in.CreateTenantUseCase.CreateTenantCommand;
import org.pageserver.application.port.in.CreateTimelineUseCase.CreateTimelineCommand;
import org.pageserver.application.port.in.TimelineInfo;
import org.pageserver.application.service.InMemoryMetadataStore.Gate;
import org.pageserver.application.service.InMemoryMetadataStore.Op;
import org.pageserver.domain.config.TenantConfig;
import org.pageserver.domain.error.ErrorKind;
import org.pageserver.domain.id.TenantId;
import org.pageserver.domain.id.TimelineId;
import org.pageserver.domain.lsn.Lsn;
import org.pageserver.domain.timeline.TimelineMetadata;
import org.pageserver.domain.timeline.TimelineState;

class TimelineServiceTest {
    private static final Duration WAIT_LSN_TIMEOUT = Duration.ofMillis(200);
    private static final TenantId TENANT = TenantId.parse("0123456789abcdef0123456789abcdef");
    private static final TimelineId ROOT = TimelineId.parse("11111111111111111111111111111111");
    private static final TimelineId CHILD = TimelineId.parse("22222222222222222222222222222222");
    private static final TimelineId GRANDCHILD = TimelineId.parse("33333333333333333333333333333333");

    private final TestNode node = new TestNode(new InMemoryMetadataStore(), TenantConfig.builtInDefaults(),
            WAIT_LSN_TIMEOUT);

    TimelineServiceTest() {
        node.tenants.createTenant(new CreateTenantCommand(TENANT, null, null));
    }

    @AfterEach
    void close() {
        node.close();
    }

    /** Moves the timeline's last_record_lsn forward, as ingest would. */
    private void advance(TimelineId id, Lsn last) {
        Timeline timeline = node.tenants.find(TENANT).orElseThrow().timeline(id).orElseThrow();
        Engines.ingestUpTo(timeline, last);
    }

    @Test
    void createsARootTimeline() {
        TimelineInfo info = node.createRoot(TENANT, ROOT);
        assertEquals(ROOT, info.metadata().timelineId());
        assertEquals(TENANT, info.metadata().tenantId());
        assertNull(info.metadata().ancestorTimelineId());
        assertEquals(Lsn.INITDB, info.metadata().lastRecordLsn());
        assertEquals(TimelineMetadata.DEFAULT_PG_VERSION, info.metadata().pgVersion());
        assertEquals(TimelineState.ACTIVE, info.state());
        assertNull(info.nonIncrementalLogicalSize());
        assertEquals(info.metadata(), node.store.timeline(TENANT, ROOT).orElseThrow());
    }

    @Test
    void generatesAnIdAndHonoursTheVersion() {
        TimelineInfo info = node.timelines.createTimeline(new CreateTimelineCommand(TENANT, null, null, null, 14));
        assertNotNull(info.metadata().timelineId());
        assertEquals(14, info.metadata().pgVersion());
        fails(ErrorKind.BAD_REQUEST,
                () -> node.timelines.createTimeline(new CreateTimelineCommand(TENANT, ROOT, null, null, 13)));
        assertTrue(node.store.timeline(TENANT, ROOT).isEmpty());
    }

    @Test
    void aBranchStartsAtItsAncestorsLastRecordLsnByDefault() {
        node.createRoot(TENANT, ROOT);
        advance(ROOT, Lsn.parse("0/2000000"));

        TimelineInfo child = node.branch(TENANT, CHILD, ROOT, null);

        assertEquals(ROOT, child.metadata().ancestorTimelineId());
        assertEquals(Lsn.parse("0/2000000"), child.metadata().ancestorLsn());
        assertEquals(Lsn.parse("0/2000000"), child.metadata().lastRecordLsn());
        assertEquals(Lsn.INITDB, child.metadata().prevRecordLsn(), "branched at the end: prev carried over");
        assertEquals(child.metadata(), node.store.timeline(TENANT, CHILD).orElseThrow());
    }

    @Test
    void aBranchAtAnExplicitLsn() {
        node.createRoot(TENANT, ROOT);
        advance(ROOT, Lsn.parse("0/2000000"));
        TimelineInfo child = node.branch(TENANT, CHILD, ROOT, Lsn.parse("0/1800000"));
        assertEquals(Lsn.parse("0/1800000"), child.metadata().ancestorLsn());
        assertEquals(Lsn.INITDB, child.metadata().latestGcCutoffLsn(), "inherited from the ancestor");
    }

    @Test
    void aDuplicateIsAConflict() {
        node.createRoot(TENANT, ROOT);
        var e = fails(ErrorKind.CONFLICT, () -> node.createRoot(TENANT, ROOT));
        assertTrue(e.getMessage().contains("already exists"), e.getMessage());
        fails(ErrorKind.CONFLICT, () -> node.branch(TENANT, ROOT, ROOT, null));
    }

    @Test
    void aMissingAncestorIsNotFoundNamingIt() {
        var e = fails(ErrorKind.NOT_FOUND, () -> node.branch(TENANT, CHILD, ROOT, null));
        assertTrue(e.getMessage().contains(ROOT.toString()), e.getMessage());
        assertTrue(node.store.timeline(TENANT, CHILD).isEmpty());
    }

    @Test
    void aMissingTenantIsNotFound() {
        TenantId absent = TenantId.generate();
        var e = fails(ErrorKind.NOT_FOUND, () -> node.createRoot(absent, ROOT));
        assertEquals("tenant " + absent, e.getMessage());
        fails(ErrorKind.NOT_FOUND, () -> node.timelines.listTimelines(absent, false));
        fails(ErrorKind.NOT_FOUND, () -> node.timelines.getTimeline(absent, ROOT, false));
    }

    @Test
    void aBranchOfABranchBelowItsAncestorLsnIsNotAcceptable() {
        node.createRoot(TENANT, ROOT);
        advance(ROOT, Lsn.parse("0/3000000"));
        node.branch(TENANT, CHILD, ROOT, Lsn.parse("0/2000000"));
        var e = fails(ErrorKind.NOT_ACCEPTABLE, () -> node.branch(TENANT, GRANDCHILD, CHILD, Lsn.parse("0/1FFFFFF")));
        assertTrue(e.getMessage().contains("less than timeline ancestor lsn"), e.getMessage());
        assertTrue(node.store.timeline(TENANT, GRANDCHILD).isEmpty());
    }

    @Test
    void aBranchBelowTheGcCutoffIsNotAcceptable() {
        node.createRoot(TENANT, ROOT);
        var e = fails(ErrorKind.NOT_ACCEPTABLE, () -> node.branch(TENANT, CHILD, ROOT, Lsn.parse("0/10")));
        assertTrue(e.getMessage().contains("invalid branch start lsn"), e.getMessage());
    }

    @Test
    void aBranchAboveLastRecordLsnTimesOutUnavailable() {
        node.createRoot(TENANT, ROOT);
        long started = System.nanoTime();
        var e = fails(ErrorKind.UNAVAILABLE, () -> node.branch(TENANT, CHILD, ROOT, Lsn.parse("0/2000000")));
        Duration waited = Duration.ofNanos(System.nanoTime() - started);
        assertTrue(waited.compareTo(WAIT_LSN_TIMEOUT) >= 0, "gave up after " + waited);
        assertTrue(waited.compareTo(Duration.ofSeconds(5)) < 0, "gave up after " + waited);
        assertTrue(e.getMessage().contains("0/2000000"), e.getMessage());
        fails(ErrorKind.NOT_FOUND, () -> node.timelines.getTimeline(TENANT, CHILD, false));
        assertTrue(node.store.timeline(TENANT, CHILD).isEmpty());
    }

    @Test
    void aBranchAboveLastRecordLsnProceedsOnceTheLsnArrives() throws InterruptedException {
        node.close();
        try (TestNode patient = new TestNode(new InMemoryMetadataStore(), TenantConfig.builtInDefaults(),
                Duration.ofSeconds(10))) {
            patient.tenants.createTenant(new CreateTenantCommand(TENANT, null, null));
            patient.createRoot(TENANT, ROOT);
            Timeline root = patient.tenants.find(TENANT).orElseThrow().timeline(ROOT).orElseThrow();
            Thread ingest = new Thread(() -> {
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
                Engines.ingestUpTo(root, Lsn.parse("0/2000008"));
            });
            ingest.start();
            TimelineInfo child = patient.branch(TENANT, CHILD, ROOT, Lsn.parse("0/2000000"));
            ingest.join();
            assertEquals(Lsn.parse("0/2000000"), child.metadata().ancestorLsn());
        }
    }

    @Test
    void getAndListShowTimelinesInIdOrder() {
        node.createRoot(TENANT, GRANDCHILD);
        node.createRoot(TENANT, ROOT);
        node.branch(TENANT, CHILD, ROOT, null);
        assertEquals(List.of(ROOT, CHILD, GRANDCHILD), node.timelines.listTimelines(TENANT, false).stream()
                .map(t -> t.metadata().timelineId()).toList());
        TimelineInfo detail = node.timelines.getTimeline(TENANT, CHILD, true);
        assertEquals(ROOT, detail.metadata().ancestorTimelineId());
        assertEquals(0L, detail.nonIncrementalLogicalSize());
        var e = fails(ErrorKind.NOT_FOUND, () -> node.timelines.getTimeline(TENANT, TimelineId.generate(), false));
        assertTrue(e.getMessage().startsWith("Timeline " + TENANT + "/"), e.getMessage());
    }

    @Test
    void aFailedSaveLeavesNoTimeline() {
        node.createRoot(TENANT, ROOT);
        node.store.failSaves(true);
        assertThrows(IllegalStateException.class, () -> node.createRoot(TENANT, CHILD));
        assertThrows(IllegalStateException.class, () -> node.branch(TENANT, GRANDCHILD, ROOT, null));
        node.store.failSaves(false);
        fails(ErrorKind.NOT_FOUND, () -> node.timelines.getTimeline(TENANT, CHILD, false));
        fails(ErrorKind.NOT_FOUND, () -> node.timelines.getTimeline(TENANT, GRANDCHILD, false));
        assertEquals(1, node.timelines.listTimelines(TENANT, false).size());
        node.timelines.deleteTimeline(TENANT, ROOT);
        node.awaitTimelineGone(TENANT, ROOT);
    }

    @Test
    void deleteStopsTheTimelineThenRemovesIt() throws InterruptedException {
        node.createRoot(TENANT, ROOT);
        Gate gate = node.store.hold(Op.DELETE_TIMELINE, "bg: delete timeline");

        node.timelines.deleteTimeline(TENANT, ROOT);

        assertEquals(TimelineState.STOPPING, node.timelines.getTimeline(TENANT, ROOT, false).state());
        assertTrue(node.store.timeline(TENANT, ROOT).orElseThrow().deleting(), "marked durably before returning");
        gate.awaitArrival();
        var e = fails(ErrorKind.CONFLICT, () -> node.timelines.deleteTimeline(TENANT, ROOT));
        assertTrue(e.getMessage().contains("Timeline deletion is already in progress"), e.getMessage());
        fails(ErrorKind.CONFLICT, () -> node.createRoot(TENANT, ROOT));
        fails(ErrorKind.UNAVAILABLE, () -> node.branch(TENANT, CHILD, ROOT, null));
        gate.release();

        node.awaitTimelineGone(TENANT, ROOT);
        fails(ErrorKind.NOT_FOUND, () -> node.timelines.getTimeline(TENANT, ROOT, false));
        fails(ErrorKind.NOT_FOUND, () -> node.timelines.deleteTimeline(TENANT, ROOT));
        assertTrue(node.store.timeline(TENANT, ROOT).isEmpty());
        node.createRoot(TENANT, ROOT);
    }

    @Test
    void deleteWithChildrenIsAFailedPreconditionListingThem() {
        node.createRoot(TENANT, ROOT);
        node.branch(TENANT, CHILD, ROOT, null);
        node.branch(TENANT, GRANDCHILD, ROOT, null);
        var e = fails(ErrorKind.PRECONDITION_FAILED, () -> node.timelines.deleteTimeline(TENANT, ROOT));
        assertTrue(e.getMessage().contains("Cannot delete timeline which has child timelines"), e.getMessage());
        assertTrue(e.getMessage().contains(CHILD.toString()), e.getMessage());
        assertTrue(e.getMessage().contains(GRANDCHILD.toString()), e.getMessage());
        assertEquals(TimelineState.ACTIVE, node.timelines.getTimeline(TENANT, ROOT, false).state());
    }

    @Test
    void deleteInAMissingTenantIsAFailedPrecondition() {
        var e = fails(ErrorKind.PRECONDITION_FAILED,
                () -> node.timelines.deleteTimeline(TenantId.generate(), ROOT));
        assertEquals("Requested tenant is missing", e.getMessage());
    }

    @Test
    void deleteOfAMissingTimelineIsNotFound() {
        var e = fails(ErrorKind.NOT_FOUND, () -> node.timelines.deleteTimeline(TENANT, ROOT));
        assertEquals("Timeline " + TENANT + "/" + ROOT + " was not found", e.getMessage());
    }

    @Test
    void aFailedDeletionMarkLeavesTheTimelineActive() {
        node.createRoot(TENANT, ROOT);
        node.store.failSaves(true);
        assertThrows(IllegalStateException.class, () -> node.timelines.deleteTimeline(TENANT, ROOT));
        node.store.failSaves(false);
        assertEquals(TimelineState.ACTIVE, node.timelines.getTimeline(TENANT, ROOT, false).state());
        assertTrue(!node.store.timeline(TENANT, ROOT).orElseThrow().deleting());
    }

    @Test
    void aFailedBackgroundDeletionBreaksTheTimelineAndMayBeRetried() {
        node.createRoot(TENANT, ROOT);
        node.store.failDeletes(true);
        node.timelines.deleteTimeline(TENANT, ROOT);
        TestNode.await(() -> node.timelines.getTimeline(TENANT, ROOT, false).state() instanceof TimelineState.Broken,
                "timeline Broken");
        node.store.failDeletes(false);
        node.timelines.deleteTimeline(TENANT, ROOT);
        node.awaitTimelineGone(TENANT, ROOT);
        assertTrue(node.store.timeline(TENANT, ROOT).isEmpty());
    }

    @Test
    void timelinesOfATenantBeingDeletedAreUnavailable() throws InterruptedException {
        node.createRoot(TENANT, ROOT);
        Gate gate = node.store.hold(Op.DELETE_TENANT, "bg: delete tenant");
        node.tenants.deleteTenant(TENANT);
        gate.awaitArrival();
        try {
            fails(ErrorKind.UNAVAILABLE, () -> node.createRoot(TENANT, CHILD));
            fails(ErrorKind.UNAVAILABLE, () -> node.timelines.deleteTimeline(TENANT, ROOT));
            fails(ErrorKind.UNAVAILABLE, () -> node.timelines.listTimelines(TENANT, false));
        } finally {
            gate.release();
        }
        node.awaitTenantGone(TENANT);
        fails(ErrorKind.PRECONDITION_FAILED, () -> node.timelines.deleteTimeline(TENANT, ROOT));
    }
}
