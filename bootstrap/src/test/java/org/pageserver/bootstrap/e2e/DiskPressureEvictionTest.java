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
 * The background disk-usage eviction under a threshold set for the test: min-avail-bytes far above
 * what any disk has, checked every second, so the disk is under pressure all the time. Every
 * uploaded layer file leaves the disk (the task evicts until none is left, reserves included, as
 * the pressure never ends), and every page still reads back, downloaded.
 */
class DiskPressureEvictionTest {
    @TempDir
    Path workdir;

    private static long layerFiles(Path dir) throws java.io.IOException {
        try (var files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().contains("__")).count();
        }
    }

    @Test
    void underDiskPressureTheUploadedLayersLeaveTheDiskAndEveryPageReadsBack() throws Exception {
        String tenant = TenantId.generate().toString();
        String timeline = TimelineId.generate().toString();
        String base = "/v1/tenant/" + tenant + "/timeline/" + timeline;
        Path dir = workdir.resolve("tenants/" + tenant + "/timelines/" + timeline);
        try (EmbeddedServer server = ApplicationContext.run(EmbeddedServer.class, Map.of(
                "pageserver.workdir", workdir.toString(), "micronaut.server.port", -1,
                "pageserver.disk-usage-based-eviction.min-avail-bytes", Long.MAX_VALUE / 4,
                "pageserver.disk-usage-based-eviction.period", "1s"))) {
            Api api = new Api(server);
            assertEquals(201, api.post("/v1/tenant", "{\"new_tenant_id\":\"" + tenant + "\",\"compaction_period\":\"0s\","
                    + "\"gc_period\":\"0s\"}").status());
            assertEquals(201, api.post("/v1/tenant/" + tenant + "/timeline", "{\"new_timeline_id\":\"" + timeline + "\"}")
                    .status());
            PageRounds rounds = new PageRounds(base);
            List<Lsn> ends = new ArrayList<>();
            for (int r = 1; r <= 3; r++) {
                rounds.round(api, r);
                ends.add(rounds.last());
            }
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (layerFiles(dir) > 0 && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertEquals(0, layerFiles(dir), "every uploaded layer left the disk");
            for (int r = 1; r <= 3; r++) {
                Api.Bytes page = api.getBytes(base + "/page?rel=" + PageRounds.REL + "&blkno=2&lsn=" + ends.get(r - 1));
                assertEquals(200, page.status(), page.text());
                assertArrayEquals(PageRounds.page(r), page.body(), "round " + r);
            }
            assertTrue(api.get("/metrics").body().contains("pageserver_evictions_total{cause=\"disk_usage_eviction\"}"),
                    "counted by cause");
        }
    }
}
