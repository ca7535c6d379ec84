package org.pageserver.bootstrap.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pageserver.domain.id.TenantId;
import org.pageserver.domain.id.TimelineId;
import org.pageserver.domain.lsn.Lsn;

/**
 * A tenant with eviction_policy LayerAccessThreshold (period 1s, threshold 2s): while one page is
 * read again and again, the layers no read takes a value from leave the disk and the one the read
 * uses stays; every evicted page reads back byte for byte; the evictions are counted.
 */
class EvictionPolicyTest {
    @TempDir
    Path workdir;

    @Test
    void layersNotReadForTheThresholdAreEvictedAndTheReadOneStays() throws Exception {
        String tenant = TenantId.generate().toString();
        String timeline = TimelineId.generate().toString();
        String base = "/v1/tenant/" + tenant + "/timeline/" + timeline;
        Path dir = workdir.resolve("tenants/" + tenant + "/timelines/" + timeline);
        try (EmbeddedServer server = ApplicationContext.run(EmbeddedServer.class,
                Map.of("pageserver.workdir", workdir.toString(), "micronaut.server.port", -1))) {
            Api api = new Api(server);
            assertEquals(201, api.post("/v1/tenant", "{\"new_tenant_id\":\"" + tenant + "\",\"compaction_period\":\"0s\","
                    + "\"gc_period\":\"0s\",\"eviction_policy\":{\"kind\":\"LayerAccessThreshold\",\"period\":\"1s\","
                    + "\"threshold\":\"2s\"}}").status());
            assertEquals(201, api.post("/v1/tenant/" + tenant + "/timeline", "{\"new_timeline_id\":\"" + timeline + "\"}")
                    .status());
            PageRounds rounds = new PageRounds(base);
            List<Lsn> ends = new ArrayList<>();
            for (int r = 1; r <= 3; r++) {
                rounds.round(api, r);
                ends.add(rounds.last());
            }
            api.await(base, resp -> rounds.last().toString().equals(resp.object().get("remote_consistent_lsn")));
            // Read at round 1's LSN: a read there passes the newer layers by without opening them
            // (at the newest LSN it would open round 2's, an L0 named for every key, to look for the
            // relation's size, which only round 1's holds: eviction and download would take turns).
            String hot = base + "/page?rel=" + PageRounds.REL + "&blkno=0&lsn=" + ends.get(0);
            long deadline = System.nanoTime() + 20_000_000_000L;
            long resident;
            do {
                assertArrayEquals(PageRounds.page(1), api.getBytes(hot).body());
                Thread.sleep(100);
                resident = layerFiles(dir);
            } while (resident > 1 && System.nanoTime() < deadline);
            assertEquals(1, resident, "rounds 2 and 3's layers left the disk, round 1's, which the read uses, stayed");
            long readOn = System.nanoTime() + 3_000_000_000L;
            while (System.nanoTime() < readOn) {
                assertArrayEquals(PageRounds.page(1), api.getBytes(hot).body());
                assertEquals(1, layerFiles(dir), "as long as the read goes on, it keeps its layer");
                Thread.sleep(100);
            }

            for (int r = 1; r <= 3; r++) {
                Api.Bytes page = api.getBytes(base + "/page?rel=" + PageRounds.REL + "&blkno=5&lsn=" + ends.get(r - 1));
                assertEquals(200, page.status(), page.text());
                assertArrayEquals(PageRounds.page(r), page.body(), "round " + r);
            }
            String metrics = api.get("/metrics").body();
            assertTrue(metric(metrics, "pageserver_evictions_total{cause=\"layer_access_threshold\"}") >= 2, metrics);
            assertTrue(metric(metrics, "pageserver_evictions_with_low_residence_duration_total{tenant_id=\"" + tenant
                    + "\",timeline_id=\"" + timeline + "\"}") >= 2, "resident less than the default 1 day");
        }
    }

    private static long layerFiles(Path dir) throws java.io.IOException {
        try (var files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().contains("__")).count();
        }
    }

    private static double metric(String metrics, String series) {
        for (String line : metrics.split("\n")) {
            if (line.startsWith(series + " ")) {
                return Double.parseDouble(line.substring(series.length() + 1));
            }
        }
        return -1;
    }
}
