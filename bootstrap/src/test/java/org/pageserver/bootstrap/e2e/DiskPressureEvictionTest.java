package org.pageserver.bootstrap.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The background disk-usage eviction under a threshold set for the test, with the remote storage
 * in a directory and in an S3 bucket (S3Proxy): min-avail-bytes far above
 * what any disk has, checked every second, so the disk is under pressure all the time. Every
 * uploaded layer file leaves the disk (the task evicts until none is left, reserves included, as
 * the pressure never ends), and every page still reads back, downloaded.
 */
class DiskPressureEvictionTest {
    @TempDir
    Path workdir;

    /** On the embedded local-path remote storage, and on an S3 bucket of S3Proxy. */
    @ParameterizedTest(name = "remote storage: {0}")
    @ValueSource(strings = {"local", "s3"})
    void underDiskPressureTheUploadedLayersLeaveTheDiskAndEveryPageReadsBack(String kind) throws Exception {
        try (SharedBucket bucket = SharedBucket.start(kind, workdir);
             EmbeddedServer server = ApplicationContext.run(EmbeddedServer.class, bucket.inJvm(Map.of(
                "pageserver.workdir", workdir.toString(), "micronaut.server.port", -1,
                "pageserver.disk-usage-based-eviction.min-avail-bytes", Long.MAX_VALUE / 4,
                "pageserver.disk-usage-based-eviction.period", "1s")))) {
            Api api = new Api(server);
            RoundsTimeline timeline = RoundsTimeline.create(api, workdir, "\"compaction_period\":\"0s\",\"gc_period\":\"0s\"", 3);
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (!timeline.layerFiles().isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertEquals(0, timeline.layerFiles().size(), "every uploaded layer left the disk");
            timeline.assertEveryRoundReads(api, 2);
            assertTrue(api.get("/metrics").body().contains("pageserver_evictions_total{cause=\"disk_usage_eviction\"}"),
                    "counted by cause");
        }
    }
}
