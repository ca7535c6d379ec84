package org.pageserver.application.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.pageserver.application.port.in.CreateTenantUseCase.CreateTenantCommand;
import org.pageserver.application.service.InMemoryMetadataStore.Gate;
import org.pageserver.application.service.InMemoryMetadataStore.Op;
import org.pageserver.domain.error.ErrorKind;
import org.pageserver.domain.error.PageserverException;
import org.pageserver.domain.id.TenantId;
import org.pageserver.domain.id.TimelineId;
import org.pageserver.domain.tenant.TenantState;
import org.pageserver.domain.timeline.TimelineMetadata;
import org.pageserver.domain.timeline.TimelineState;

/** Many callers on the same tenants and timelines: afterwards memory and the store must agree. */
class ConcurrencyTest {
    private static final Set<ErrorKind> EXPECTED_REFUSALS = Set.of(ErrorKind.CONFLICT, ErrorKind.NOT_FOUND,
            ErrorKind.UNAVAILABLE, ErrorKind.PRECONDITION_FAILED);

    private final TestNode node = new TestNode();

    @AfterEach
    void close() {
        node.close();
    }

    @Test
    void manyThreadsCreatingAndDeletingTheSameTenantsAndTimelines() throws Exception {
        List<TenantId> tenantIds = List.of(TenantId.parse("a".repeat(32)), TenantId.parse("b".repeat(32)),
                TenantId.parse("c".repeat(32)));
        List<TimelineId> timelineIds = List.of(TimelineId.parse("1".repeat(32)), TimelineId.parse("2".repeat(32)),
                TimelineId.parse("3".repeat(32)), TimelineId.parse("4".repeat(32)));
        ConcurrentLinkedQueue<Throwable> unexpected = new ConcurrentLinkedQueue<>();
        AtomicIntegerArray succeeded = new AtomicIntegerArray(5);
        int threads = 12;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Random random = new Random(1000L + t);
            done.add(pool.submit(() -> {
                start.await();
                for (int i = 0; i < 400; i++) {
                    TenantId tenant = tenantIds.get(random.nextInt(tenantIds.size()));
                    TimelineId timeline = timelineIds.get(random.nextInt(timelineIds.size()));
                    TimelineId other = timelineIds.get(random.nextInt(timelineIds.size()));
                    int roll = random.nextInt(20);   // tenant deletions rare enough for timelines to live a while
                    int op = roll < 2 ? 0 : roll < 3 ? 1 : roll < 9 ? 2 : roll < 15 ? 3 : 4;
                    try {
                        switch (op) {
                            case 0 -> node.tenants.createTenant(new CreateTenantCommand(tenant, null, null));
                            case 1 -> node.tenants.deleteTenant(tenant);
                            case 2 -> node.createRoot(tenant, timeline);
                            case 3 -> node.branch(tenant, timeline, other, null);
                            default -> node.timelines.deleteTimeline(tenant, timeline);
                        }
                        succeeded.incrementAndGet(op);
                    } catch (PageserverException e) {
                        if (!EXPECTED_REFUSALS.contains(e.kind())) {
                            unexpected.add(e);
                        }
                    } catch (RuntimeException e) {
                        unexpected.add(e);
                    }
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> f : done) {
            f.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();
        assertTrue(unexpected.isEmpty(), () -> "unexpected failures: " + unexpected);
        for (int op = 0; op < succeeded.length(); op++) {
            assertTrue(succeeded.get(op) > 0, "operation " + op + " never succeeded: " + succeeded);
        }

        awaitQuiet(tenantIds);
        assertMemoryAgreesWithStore();
        try (TestNode restarted = node.restart()) {
            restarted.store.tenantIds().forEach(restarted::awaitTenantActive);
            assertMemoryAgreesWithStore(restarted);
        }
    }

    /**
     * A timeline deletion still running in the background when its tenant is deleted and re-created
     * must not remove the new tenant's timeline of the same id from the store.
     */
    @Test
    void aStaleTimelineDeletionDoesNotRemoveARecreatedTimeline() throws Exception {
        TenantId tenant = TenantId.parse("a".repeat(32));
        TimelineId timeline = TimelineId.parse("1".repeat(32));
        node.tenants.createTenant(new CreateTenantCommand(tenant, null, null));
        node.createRoot(tenant, timeline);
        Gate staleDeletion = node.store.hold(Op.DELETE_TIMELINE, "bg: delete timeline");
        node.timelines.deleteTimeline(tenant, timeline);
        staleDeletion.awaitArrival();

        // Meanwhile: delete the tenant and make it again with a timeline of the same id.
        Thread recreate = new Thread(() -> {
            node.tenants.deleteTenant(tenant);
            node.awaitTenantGone(tenant);
            node.tenants.createTenant(new CreateTenantCommand(tenant, null, null));
            node.createRoot(tenant, timeline);
        });
        recreate.start();
        recreate.join(1_000);   // finishes here unless the stale deletion holds the tenant's deletion back
        staleDeletion.release();
        staleDeletion.awaitFinished();
        recreate.join(10_000);
        assertFalse(recreate.isAlive());
        node.background.close();   // let every background task end

        assertTrue(node.tenants.find(tenant).flatMap(t -> t.timeline(timeline)).isPresent());
        assertTrue(node.store.timeline(tenant, timeline).isPresent(), "the new timeline's record was deleted");
        assertMemoryAgreesWithStore();
    }

    private void awaitQuiet(List<TenantId> tenantIds) {
        TestNode.await(() -> tenantIds.stream().map(node.tenants::find).flatMap(Optional::stream).allMatch(t ->
                        t.state() instanceof TenantState.Active
                                && t.timelines().stream().allMatch(tl -> tl.state() instanceof TimelineState.Active)),
                "every deletion to finish");
    }

    private void assertMemoryAgreesWithStore() {
        assertMemoryAgreesWithStore(node);
    }

    private static void assertMemoryAgreesWithStore(TestNode node) {
        List<TenantId> inMemory = node.tenants.listTenants().stream().map(t -> t.id()).toList();
        assertEquals(node.store.tenantIds(), inMemory, "tenants");
        assertTrue(inMemory.containsAll(node.store.timelineOwners()), "timelines stored for a tenant that is gone");
        for (TenantId id : inMemory) {
            Tenant tenant = node.tenants.find(id).orElseThrow();
            assertEquals(node.store.tenant(id).orElseThrow(), tenant.metadata(), "tenant " + id);
            Map<TimelineId, TimelineMetadata> memory = tenant.timelines().stream()
                    .collect(Collectors.toMap(t -> t.metadata().timelineId(), Timeline::metadata));
            Map<TimelineId, TimelineMetadata> stored = node.store.loadTimelines(id).stream()
                    .collect(Collectors.toMap(TimelineMetadata::timelineId, m -> m));
            assertEquals(stored, memory, "timelines of " + id);
            for (TimelineMetadata m : memory.values()) {
                if (m.ancestorTimelineId() != null) {
                    assertTrue(memory.containsKey(m.ancestorTimelineId()), "ancestor of " + m.timelineId());
                }
            }
        }
    }
}
