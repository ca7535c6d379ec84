package org.pageserver.bootstrap.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * PUT /v1/disk_usage_eviction/run on two tenants, one of six layers and one of two, with the
 * remote storage in a directory and in an S3 bucket (S3Proxy): the bytes the
 * answer says it freed are gone from the disk (measured on the file system), the big tenant gives up
 * three layers for the small one's one (relative recency), each keeps its most recent layer (its
 * reserve), and every page of both reads back byte for byte.
 */
class DiskUsageEvictionTest {
    @TempDir
    Path workdir;

    /** On the embedded local-path remote storage, and on an S3 bucket of S3Proxy. */
    @ParameterizedTest(name = "remote storage: {0}")
    @ValueSource(strings = {"local", "s3"})
    void theBytesItSaysItFreedAreGoneAndTheBigTenantGivesUpMore(String kind) throws Exception {
        try (SharedBucket bucket = SharedBucket.start(kind, workdir);
             EmbeddedServer server = ApplicationContext.run(EmbeddedServer.class, bucket.inJvm(
                     Map.of("pageserver.workdir", workdir.toString(), "micronaut.server.port", -1)))) {
            Api api = new Api(server);
            String config = "\"compaction_period\":\"0s\",\"gc_period\":\"0s\"";
            RoundsTimeline big = RoundsTimeline.create(api, workdir, config, 6);
            RoundsTimeline small = RoundsTimeline.create(api, workdir, config, 2);
            long before = big.layerBytes() + small.layerBytes();
            long layer = Files.size(big.layerFiles().get(0));
            // L0 layers of one timeline share their key range: by name, the newest is the last.
            Path bigNewest = big.layerFiles().stream().max(java.util.Comparator.naturalOrder()).orElseThrow();
            Path smallNewest = small.layerFiles().stream().max(java.util.Comparator.naturalOrder()).orElseThrow();

            Api.Response run = api.put("/v1/disk_usage_eviction/run", "{\"evict_bytes\":" + (layer * 7 / 2) + "}");
            assertEquals(200, run.status(), run.body());
            @SuppressWarnings("unchecked")
            Map<String, Object> finished = (Map<String, Object>) run.object().get("Finished");
            @SuppressWarnings("unchecked")
            Map<String, Object> after = (Map<String, Object>) ((Map<String, Object>) finished.get("assumed")).get("projected_after");
            long freed = ((Number) after.get("freed_bytes")).longValue();
            long gone = before - big.layerBytes() - small.layerBytes();
            assertEquals(gone, freed, "what it says it freed is gone from the disk: " + run.body());
            assertTrue(freed >= layer * 7 / 2, run.body());
            assertEquals(3, big.layerFiles().size(), "the big tenant gave up three of six");
            assertEquals(1, small.layerFiles().size(), "the small one one of two");
            assertTrue(run.body().contains("\"fallback_to_global_lru\":null"), "no reserve touched: " + run.body());
            assertTrue(Files.exists(bigNewest) && Files.exists(smallNewest), "each keeps its most recent layer");

            big.assertEveryRoundReads(api, 3);
            small.assertEveryRoundReads(api, 3);
            assertTrue(Files.isDirectory(bucket.root().resolve("tenants/" + big.tenant() + "/timelines/" + big.timeline())),
                    "the layers came from that bucket");
            assertEquals(400, api.put("/v1/disk_usage_eviction/run", "{\"evict_bytes\":-1}").status());
            assertEquals(400, api.put("/v1/disk_usage_eviction/run", "{}").status());
        }
    }
}
