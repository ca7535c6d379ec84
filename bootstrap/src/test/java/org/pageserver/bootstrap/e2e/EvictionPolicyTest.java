package org.pageserver.bootstrap.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.pageserver.domain.lsn.Lsn;

/**
 * A tenant with eviction_policy LayerAccessThreshold (period 1s, threshold 2s), with the remote
 * storage in a directory and in an S3 bucket (S3Proxy): while one page is
 * read again and again, the layers no read takes a value from leave the disk and the one the read
 * uses stays; every evicted page reads back byte for byte; the evictions are counted.
 */
class EvictionPolicyTest {
    @TempDir
    Path workdir;

    /** On the embedded local-path remote storage, and on an S3 bucket of S3Proxy. */
    @ParameterizedTest(name = "remote storage: {0}")
    @ValueSource(strings = {"local", "s3"})
    void layersNotReadForTheThresholdAreEvictedAndTheReadOneStays(String kind) throws Exception {
        try (SharedBucket bucket = SharedBucket.start(kind, workdir);
             EmbeddedServer server = ApplicationContext.run(EmbeddedServer.class, bucket.inJvm(
                     // No page cache: it would answer the hot read without the layer, which would then look unread.
                     Map.of("pageserver.workdir", workdir.toString(), "micronaut.server.port", -1,
                             "pageserver.page-cache-size", 0)))) {
            Api api = new Api(server);
            RoundsTimeline timeline = RoundsTimeline.create(api, workdir, "\"compaction_period\":\"0s\",\"gc_period\":\"0s\","
                    + "\"eviction_policy\":{\"kind\":\"LayerAccessThreshold\",\"period\":\"1s\",\"threshold\":\"2s\"}", 3);
            String base = timeline.base();
            List<Lsn> ends = timeline.ends();
            // Read at round 1's LSN: a read there passes the newer layers by without opening them
            // (at the newest LSN it would open round 2's, an L0 named for every key, to look for the
            // relation's size, which only round 1's holds: eviction and download would take turns).
            String hot = base + "/page?rel=" + PageRounds.REL + "&blkno=0&lsn=" + ends.get(0);
            long deadline = System.nanoTime() + 20_000_000_000L;
            long resident;
            do {
                assertArrayEquals(PageRounds.page(1), api.getBytes(hot).body());
                Thread.sleep(100);
                resident = timeline.layerFiles().size();
            } while (resident > 1 && System.nanoTime() < deadline);
            assertEquals(1, resident, "rounds 2 and 3's layers left the disk, round 1's, which the read uses, stayed");
            long readOn = System.nanoTime() + 3_000_000_000L;
            while (System.nanoTime() < readOn) {
                assertArrayEquals(PageRounds.page(1), api.getBytes(hot).body());
                assertEquals(1, timeline.layerFiles().size(), "as long as the read goes on, it keeps its layer");
                Thread.sleep(100);
            }

            timeline.assertEveryRoundReads(api, 5);
            String metrics = api.get("/metrics").body();
            assertTrue(metric(metrics, "pageserver_evictions_total{cause=\"layer_access_threshold\"}") >= 2, metrics);
            assertTrue(metric(metrics, "pageserver_evictions_with_low_residence_duration_total{tenant_id=\"" + timeline.tenant()
                    + "\",timeline_id=\"" + timeline.timeline() + "\"}") >= 2, "resident less than the default 1 day");
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
