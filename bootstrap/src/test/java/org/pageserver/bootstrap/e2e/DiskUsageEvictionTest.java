package org.pageserver.bootstrap.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pageserver.domain.id.TenantId;
import org.pageserver.domain.id.TimelineId;
import org.pageserver.domain.lsn.Lsn;

/**
 * PUT /v1/disk_usage_eviction/run on two tenants, one of six layers and one of two: the bytes the
 * answer says it freed are gone from the disk (measured on the file system), the big tenant gives up
 * three layers for the small one's one (relative recency), each keeps its most recent layer (its
 * reserve), and every page of both reads back byte for byte.
 */
class DiskUsageEvictionTest {
    @TempDir
    Path workdir;

    private record Tenant(String id, String base, Path dir, List<Lsn> ends) {
    }

    private Tenant tenant(Api api, int rounds) {
        String id = TenantId.generate().toString();
        String timeline = TimelineId.generate().toString();
        String base = "/v1/tenant/" + id + "/timeline/" + timeline;
        assertEquals(201, api.post("/v1/tenant", "{\"new_tenant_id\":\"" + id + "\",\"compaction_period\":\"0s\","
                + "\"gc_period\":\"0s\"}").status());
        assertEquals(201, api.post("/v1/tenant/" + id + "/timeline", "{\"new_timeline_id\":\"" + timeline + "\"}").status());
        PageRounds pageRounds = new PageRounds(base);
        List<Lsn> ends = new ArrayList<>();
        for (int r = 1; r <= rounds; r++) {
            pageRounds.round(api, r);
            ends.add(pageRounds.last());
        }
        api.await(base, resp -> pageRounds.last().toString().equals(resp.object().get("remote_consistent_lsn")));
        return new Tenant(id, base, workdir.resolve("tenants/" + id + "/timelines/" + timeline), ends);
    }

    private static List<Path> layers(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().contains("__")).toList();
        }
    }

    private static long bytes(List<Path> files) throws IOException {
        long sum = 0;
        for (Path file : files) {
            sum += Files.size(file);
        }
        return sum;
    }

    private static void assertReads(Api api, Tenant tenant) {
        for (int r = 1; r <= tenant.ends().size(); r++) {
            Api.Bytes page = api.getBytes(tenant.base() + "/page?rel=" + PageRounds.REL + "&blkno=3&lsn=" + tenant.ends().get(r - 1));
            assertEquals(200, page.status(), page.text());
            assertArrayEquals(PageRounds.page(r), page.body(), tenant.id() + ", round " + r);
        }
    }

    @Test
    void theBytesItSaysItFreedAreGoneAndTheBigTenantGivesUpMore() throws Exception {
        try (EmbeddedServer server = ApplicationContext.run(EmbeddedServer.class,
                Map.of("pageserver.workdir", workdir.toString(), "micronaut.server.port", -1))) {
            Api api = new Api(server);
            Tenant big = tenant(api, 6);
            Tenant small = tenant(api, 2);
            long before = bytes(layers(big.dir())) + bytes(layers(small.dir()));
            long layer = Files.size(layers(big.dir()).get(0));
            // L0 layers of one timeline share their key range: by name, the newest is the last.
            Path bigNewest = layers(big.dir()).stream().max(java.util.Comparator.naturalOrder()).orElseThrow();
            Path smallNewest = layers(small.dir()).stream().max(java.util.Comparator.naturalOrder()).orElseThrow();

            Api.Response run = api.put("/v1/disk_usage_eviction/run", "{\"evict_bytes\":" + (layer * 7 / 2) + "}");
            assertEquals(200, run.status(), run.body());
            @SuppressWarnings("unchecked")
            Map<String, Object> finished = (Map<String, Object>) run.object().get("Finished");
            @SuppressWarnings("unchecked")
            Map<String, Object> after = (Map<String, Object>) ((Map<String, Object>) finished.get("assumed")).get("projected_after");
            long freed = ((Number) after.get("freed_bytes")).longValue();
            long gone = before - bytes(layers(big.dir())) - bytes(layers(small.dir()));
            assertEquals(gone, freed, "what it says it freed is gone from the disk: " + run.body());
            assertTrue(freed >= layer * 7 / 2, run.body());
            assertEquals(3, layers(big.dir()).size(), "the big tenant gave up three of six");
            assertEquals(1, layers(small.dir()).size(), "the small one one of two");
            assertTrue(run.body().contains("\"fallback_to_global_lru\":null"), "no reserve touched: " + run.body());
            assertTrue(Files.exists(bigNewest) && Files.exists(smallNewest), "each keeps its most recent layer");

            assertReads(api, big);
            assertReads(api, small);
            assertEquals(400, api.put("/v1/disk_usage_eviction/run", "{\"evict_bytes\":-1}").status());
            assertEquals(400, api.put("/v1/disk_usage_eviction/run", "{}").status());
        }
    }
}
