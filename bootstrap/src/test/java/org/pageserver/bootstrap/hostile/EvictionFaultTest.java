package org.pageserver.bootstrap.hostile;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pageserver.application.port.out.LayerStore;
import org.pageserver.domain.id.TenantId;
import org.pageserver.domain.id.TimelineId;
import org.pageserver.domain.lsn.Lsn;
import org.pageserver.domain.page.RelTag;
import org.pageserver.domain.wal.WalEncoder;
import org.pageserver.domain.wal.WalRecord;

/**
 * A layer file that cannot be deleted, on the real engine with its embedded remote storage: the
 * eviction fails, nothing else does. The layer stays resident and readable, its last residence
 * change says why, the failure is counted by cause, the timeline stays Active, and the next
 * eviction of it succeeds. A disk-usage pass counts the failed layer as failed, not as freed, and
 * frees the others; a policy pass evicts the others and the failed one at its next turn.
 */
class EvictionFaultTest {
    private static final RelTag REL = new RelTag(1663, 16384, 16385, 0);

    @TempDir
    Path workdir;

    private final String tenant = TenantId.generate().toString();
    private final String timeline = TimelineId.generate().toString();
    private final String base = "/v1/tenant/" + tenant + "/timeline/" + timeline;

    @Test
    void aLayerThatCannotBeDeletedStaysResidentAndReadableAndTheNextEvictionTakesIt() {
        try (Node node = Node.start(workdir, Map.of(FaultyLayerStore.ENABLED, "true"))) {
            List<String> layers = fill(node, 1);
            String name = layers.get(0);
            store(node).failNext(FaultyLayerStore.Fault.DELETE, "Input/output error");

            RawHttp.Response failed = node.call("DELETE", base + "/layer/" + name, null);
            assertEquals(503, failed.status(), failed.text());
            assertTrue(failed.text().contains("layer " + name + " could not be evicted: IOException: Input/output error"),
                    failed.text());
            assertFalse(node.namesAPath(failed), failed.text());
            assertTrue(Files.exists(file(name)), "the file is still on disk");
            Map<String, Object> layer = layer(node, name);
            assertEquals(false, layer.get("remote"), layer.toString());
            assertTrue(layer.get("access_stats").toString().contains("reason=eviction failed: IOException: Input/output error"),
                    layer.toString());
            assertActiveAndReads(node, 1);
            assertTrue(node.call("GET", "/metrics", null).text().contains("\npageserver_eviction_failures_total{cause=\"manual\"} 1.0\n"));

            assertEquals(200, node.call("DELETE", base + "/layer/" + name, null).status(), "the disk is well again");
            assertFalse(Files.exists(file(name)));
            assertActiveAndReads(node, 1);
        }
    }

    @Test
    void aDiskUsagePassCountsTheLayerItCouldNotDeleteAsFailedAndFreesTheOthers() throws Exception {
        try (Node node = Node.start(workdir, Map.of(FaultyLayerStore.ENABLED, "true"))) {
            List<String> layers = fill(node, 3);
            long bytes = 0;
            for (String name : layers) {
                bytes += Files.size(file(name));
            }
            store(node).failNext(FaultyLayerStore.Fault.DELETE, "Input/output error");

            RawHttp.Response run = node.call("PUT", "/v1/disk_usage_eviction/run", "{\"evict_bytes\":" + (bytes * 10) + "}");
            assertEquals(200, run.status(), run.text());
            Map<?, ?> assumed = (Map<?, ?>) ((Map<?, ?>) node.object(run).get("Finished")).get("assumed");
            Map<?, ?> failed = (Map<?, ?>) assumed.get("failed");
            assertEquals(1, ((Number) failed.get("count")).intValue(), run.text());
            long stillOnDisk = 0;
            for (String name : layers) {
                stillOnDisk += Files.exists(file(name)) ? Files.size(file(name)) : 0;
            }
            assertEquals(((Number) failed.get("file_sizes")).longValue(), stillOnDisk, "the failed layer is the one left");
            assertEquals(bytes - stillOnDisk, ((Number) ((Map<?, ?>) assumed.get("projected_after")).get("freed_bytes")).longValue(),
                    "freed is what left the disk");
            assertTrue(node.call("GET", "/metrics", null).text()
                    .contains("\npageserver_eviction_failures_total{cause=\"disk_usage_eviction\"} 1.0\n"));
            assertActiveAndReads(node, 3);
        }
    }

    @Test
    void aPolicyPassEvictsTheOthersAndTheFailedLayerAtItsNextTurn() {
        try (Node node = Node.start(workdir, Map.of(FaultyLayerStore.ENABLED, "true"))) {
            List<String> layers = fill(node, 3);
            store(node).failNext(FaultyLayerStore.Fault.DELETE, "Input/output error");
            assertEquals(200, node.call("PUT", "/v1/tenant/config", "{\"tenant_id\":\"" + tenant + "\",\"eviction_policy\":"
                    + "{\"kind\":\"LayerAccessThreshold\",\"period\":\"1s\",\"threshold\":\"1s\"}}").status());

            node.await("/metrics", r -> r.text().contains("\npageserver_eviction_failures_total{cause=\"layer_access_threshold\"} 1.0\n"));
            // The count goes up just after a file goes: wait for the count, then look at the files.
            node.await("/metrics", r -> r.text().contains("\npageserver_evictions_total{cause=\"layer_access_threshold\"} 3.0\n"));
            assertTrue(layers.stream().noneMatch(name -> Files.exists(file(name))), "each layer evicted");
            assertActiveAndReads(node, 3);
        }
    }

    /** A tenant whose timeline has {@code rounds} layer files, each one page written and flushed, uploaded; their names. */
    private List<String> fill(Node node, int rounds) {
        assertEquals(201, node.call("POST", "/v1/tenant", "{\"new_tenant_id\":\"" + tenant + "\",\"compaction_period\":\"0s\","
                + "\"gc_period\":\"0s\"}").status());
        assertEquals(201, node.call("POST", "/v1/tenant/" + tenant + "/timeline", "{\"new_timeline_id\":\"" + timeline + "\"}").status());
        Lsn last = Lsn.INITDB;
        for (int r = 1; r <= rounds; r++) {
            last = Lsn.INITDB.plus(1000L * r);
            assertEquals(200, node.binary(base + "/wal", WalEncoder.encode(List.of(new WalRecord.PageImage(last, REL, r, filled(r)))))
                    .status());
            assertEquals(200, node.call("PUT", base + "/checkpoint", null).status());
        }
        String uploaded = "\"remote_consistent_lsn\":\"" + last + "\"";
        node.await(base, r -> r.text().contains(uploaded));
        List<String> names = new ArrayList<>();
        for (Object layer : (List<?>) node.object(node.call("GET", base + "/layer", null)).get("historic_layers")) {
            names.add((String) ((Map<?, ?>) layer).get("layer_file_name"));
        }
        assertEquals(rounds, names.size(), names.toString());
        return names;
    }

    private Map<String, Object> layer(Node node, String name) {
        RawHttp.Response listed = node.call("GET", base + "/layer", null);
        for (Object layer : (List<?>) node.object(listed).get("historic_layers")) {
            if (name.equals(((Map<?, ?>) layer).get("layer_file_name"))) {
                @SuppressWarnings("unchecked")
                Map<String, Object> found = (Map<String, Object>) layer;
                return found;
            }
        }
        throw new AssertionError(name + " not listed: " + listed.text());
    }

    /** The timeline is Active and every round's page reads back (downloaded where evicted). */
    private void assertActiveAndReads(Node node, int rounds) {
        RawHttp.Response info = node.call("GET", base, null);
        assertTrue(info.text().contains("\"state\":\"Active\""), info.text());
        for (int r = 1; r <= rounds; r++) {
            RawHttp.Response read = node.call("GET", base + "/page?rel=" + REL + "&blkno=" + r, null);
            assertEquals(200, read.status(), read.text());
            assertArrayEquals(filled(r), read.body(), "block " + r);
        }
    }

    private Path file(String layer) {
        return workdir.resolve("tenants/" + tenant + "/timelines/" + timeline + "/" + layer);
    }

    private static FaultyLayerStore store(Node node) {
        return (FaultyLayerStore) node.server.getApplicationContext().getBean(LayerStore.class);
    }

    private static byte[] filled(int fill) {
        byte[] page = new byte[8192];
        java.util.Arrays.fill(page, (byte) fill);
        return page;
    }
}
