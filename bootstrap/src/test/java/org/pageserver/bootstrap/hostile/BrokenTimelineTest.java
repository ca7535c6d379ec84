package org.pageserver.bootstrap.hostile;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.pageserver.application.engine.EngineContext;
import org.pageserver.application.port.out.LayerStore;
import org.pageserver.domain.id.TenantId;
import org.pageserver.domain.id.TimelineId;
import org.pageserver.domain.lsn.Lsn;
import org.pageserver.domain.page.RelTag;
import org.pageserver.domain.wal.WalEncoder;
import org.pageserver.domain.wal.WalRecord;

/**
 * A real node whose disk fails under one timeline (a write-and-force, a seal, a rename or a read of
 * a layer file, in ingest, a flush, a read or a compaction, injected under the real engine and files): that timeline and its tenant turn Broken
 * with the reason, every request of the tenant answers 503 naming it, the timeline's memory goes
 * back, another tenant goes on as if nothing happened, and a restart brings everything that was
 * acknowledged back.
 */
class BrokenTimelineTest {
    private static final RelTag REL = new RelTag(1663, 16384, 16385, 0);

    @TempDir
    Path workdir;

    private final String tenant = TenantId.generate().toString();
    private final String victim = TimelineId.generate().toString();
    private final String sibling = TimelineId.generate().toString();
    private final String bystanderTenant = TenantId.generate().toString();
    private final String bystander = TimelineId.generate().toString();

    @Test
    void aFailedForceBreaksTheTimelineAndItsTenantFreesItsMemoryAndARestartRecoversIt() throws Exception {
        try (Node node = start()) {
            FaultyLayerStore store = setUp(node);
            long held = memoryUsed(node);
            store.failNext(FaultyLayerStore.Fault.DURABILITY, "Input/output error");
            RawHttp.Response failed = node.binary(path(tenant, victim) + "/wal", page(2, 1, 20));
            assertRefusedNaming(node, failed, "could not be made durable: IOException: Input/output error");

            assertBrokenEverywhere(node, "could not be made durable: IOException: Input/output error");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (memoryUsed(node) >= held) {
                assertTrue(System.nanoTime() < deadline, "the broken timeline's memory was never freed: " + memoryUsed(node));
                Thread.sleep(10);
            }
            assertBystanderWorks(node);
        }
        assertEverythingAcknowledgedIsBack();
    }

    @ParameterizedTest
    @EnumSource(value = FaultyLayerStore.Fault.class, names = {"SEAL", "PUBLISH"})
    void aFailedFlushBreaksTheTimelineAndARestartRecoversIt(FaultyLayerStore.Fault fault) throws Exception {
        try (Node node = start()) {
            FaultyLayerStore store = setUp(node);
            store.failNext(fault, "No space left on device");
            RawHttp.Response failed = node.call("PUT", path(tenant, victim) + "/checkpoint", null);
            assertRefusedNaming(node, failed, "a flush failed: IOException: No space left on device");
            assertBrokenEverywhere(node, "a flush failed");
            assertBystanderWorks(node);
        }
        assertEverythingAcknowledgedIsBack();
    }

    /**
     * Compaction, whose work is all in the background but for this route: a failed write, finish
     * or rename of an L1 layer file, or a failed read of an L0 one, breaks the timeline with the
     * reason, and what it wrote is gone; a restart finds the L0 layers as they were.
     */
    @ParameterizedTest
    @EnumSource(value = FaultyLayerStore.Fault.class, names = {"WRITE", "SEAL", "PUBLISH", "READ"})
    void aFailedCompactionBreaksTheTimelineAndARestartRecoversIt(FaultyLayerStore.Fault fault) throws Exception {
        try (Node node = start()) {
            FaultyLayerStore store = setUp(node);
            // compaction_threshold L0 layers (10 by default): block 1 written once in each.
            for (int step = 2; step < 12; step++) {
                assertEquals(200, node.binary(path(tenant, victim) + "/wal", page(step, 1, 40 + step)).status());
                assertEquals(200, node.call("PUT", path(tenant, victim) + "/checkpoint", null).status());
            }
            String reason = fault == FaultyLayerStore.Fault.READ ? "Input/output error" : "No space left on device";
            store.failNext(fault, reason);
            RawHttp.Response failed = node.call("PUT", path(tenant, victim) + "/compact", null);
            assertRefusedNaming(node, failed, "L0 compaction failed: IOException: " + reason);
            assertBrokenEverywhere(node, "L0 compaction failed");
            assertBystanderWorks(node);
        }
        assertEverythingAcknowledgedIsBack();
        try (Node node = Node.start(workdir, Map.of())) {
            node.await("/v1/tenant/" + tenant, r -> r.status() == 200 && r.text().contains("\"Active\""));
            RawHttp.Response read = node.call("GET", path(tenant, victim) + "/page?rel=" + REL + "&blkno=1", null);
            assertArrayEquals(filled(51), read.body(), "the last of the L0 layers' pages");
            assertEquals(200, node.call("PUT", path(tenant, victim) + "/compact", null).status(), "and compaction runs again");
            assertArrayEquals(filled(51), node.call("GET", path(tenant, victim) + "/page?rel=" + REL + "&blkno=1", null).body());
        }
    }

    @Test
    void aLayerFileThatCannotBeReadBreaksTheTimeline() throws Exception {
        try (Node node = start()) {
            FaultyLayerStore store = setUp(node);
            assertEquals(200, node.call("PUT", path(tenant, victim) + "/checkpoint", null).status());
            store.failNext(FaultyLayerStore.Fault.READ, "Input/output error");
            RawHttp.Response failed = node.call("GET", path(tenant, victim) + "/page?rel=" + REL + "&blkno=0", null);
            assertRefusedNaming(node, failed, "a layer file could not be read: IOException: Input/output error");
            assertBrokenEverywhere(node, "a layer file could not be read");
            assertBystanderWorks(node);
        }
        assertEverythingAcknowledgedIsBack();
    }

    private Node start() {
        return Node.start(workdir, Map.of(FaultyLayerStore.ENABLED, "true"));
    }

    /** Two tenants: ours with the victim and its sibling, another with one timeline; a page on each. */
    private FaultyLayerStore setUp(Node node) {
        for (String[] t : List.of(new String[] {tenant, victim, sibling}, new String[] {bystanderTenant, bystander})) {
            assertEquals(201, node.call("POST", "/v1/tenant", "{\"new_tenant_id\":\"" + t[0] + "\"}").status());
            for (int i = 1; i < t.length; i++) {
                assertEquals(201, node.call("POST", "/v1/tenant/" + t[0] + "/timeline",
                        "{\"new_timeline_id\":\"" + t[i] + "\"}").status());
                assertEquals(200, node.binary(path(t[0], t[i]) + "/wal", page(1, 0, 10 + i)).status());
            }
        }
        return (FaultyLayerStore) node.server.getApplicationContext().getBean(LayerStore.class);
    }

    private static void assertRefusedNaming(Node node, RawHttp.Response answer, String reason) {
        assertEquals(503, answer.status(), answer.text());
        assertTrue(answer.text().contains("is broken: ") && answer.text().contains(reason), answer.text());
        assertFalse(node.namesAPath(answer), answer.text());
    }

    /** The tenant is Broken with the reason; each of its requests answers 503 naming it. */
    private void assertBrokenEverywhere(Node node, String reason) {
        Map<String, Object> info = node.object(node.call("GET", "/v1/tenant/" + tenant, null));
        Map<?, ?> state = (Map<?, ?>) info.get("state");
        assertEquals("Broken", state.get("slug"), info.toString());
        String shown = (String) ((Map<?, ?>) state.get("data")).get("reason");
        assertTrue(shown.contains("timeline " + victim + " is broken: ") && shown.contains(reason), shown);
        String metrics = node.call("GET", "/metrics", null).text();
        assertTrue(metrics.contains("\npageserver_broken_tenants_count 1.0\n"), "the broken tenant counted in /metrics");
        assertTrue(metrics.contains("\npageserver_tenant_states_count{state=\"Broken\"} 1.0\n"));
        for (RawHttp.Response refused : List.of(
                node.call("GET", path(tenant, victim) + "/page?rel=" + REL + "&blkno=0", null),
                node.binary(path(tenant, victim) + "/wal", page(3, 2, 30)),
                node.call("GET", path(tenant, sibling) + "/page?rel=" + REL + "&blkno=0", null))) {
            assertEquals(503, refused.status(), refused.text());
            assertTrue(refused.text().contains(reason), refused.text());
        }
    }

    private void assertBystanderWorks(Node node) {
        assertEquals(200, node.binary(path(bystanderTenant, bystander) + "/wal", page(2, 1, 40)).status());
        RawHttp.Response read = node.call("GET", path(bystanderTenant, bystander) + "/page?rel=" + REL + "&blkno=1", null);
        assertEquals(200, read.status(), read.text());
        assertArrayEquals(filled(40), read.body());
    }

    /** A restart without faults: both tenants Active, every page acknowledged before the failure reads back. */
    private void assertEverythingAcknowledgedIsBack() {
        try (Node node = Node.start(workdir, Map.of())) {
            node.await("/v1/tenant/" + tenant, r -> r.status() == 200 && r.text().contains("\"Active\""));
            for (String[] expected : List.of(new String[] {tenant, victim, "11"}, new String[] {tenant, sibling, "12"},
                    new String[] {bystanderTenant, bystander, "11"})) {
                RawHttp.Response read = node.call("GET", path(expected[0], expected[1]) + "/page?rel=" + REL + "&blkno=0", null);
                assertEquals(200, read.status(), read.text());
                assertArrayEquals(filled(Integer.parseInt(expected[2])), read.body(), expected[1]);
            }
        }
    }

    private long memoryUsed(Node node) {
        return node.server.getApplicationContext().getBean(EngineContext.class).memoryBudget().used();
    }

    private static String path(String tenant, String timeline) {
        return "/v1/tenant/" + tenant + "/timeline/" + timeline;
    }

    private static byte[] page(int step, int block, int fill) {
        return WalEncoder.encode(List.of(new WalRecord.PageImage(Lsn.INITDB.plus(1000L * step), REL, block, filled(fill))));
    }

    private static byte[] filled(int fill) {
        byte[] page = new byte[8192];
        Arrays.fill(page, (byte) fill);
        return page;
    }
}
