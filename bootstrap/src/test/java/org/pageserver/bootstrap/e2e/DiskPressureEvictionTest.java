package org.pageserver.bootstrap.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The background disk-usage eviction under a threshold set for the test: min-avail-bytes far above
 * what any disk has, checked every second, so the disk is under pressure all the time. Every
 * uploaded layer file leaves the disk (the task evicts until none is left, reserves included, as
 * the pressure never ends), and every page still reads back, downloaded.
 */
class DiskPressureEvictionTest {
    @TempDir
    Path workdir;

    @Test
    void underDiskPressureTheUploadedLayersLeaveTheDiskAndEveryPageReadsBack() throws Exception {
        try (EmbeddedServer server = ApplicationContext.run(EmbeddedServer.class, Map.of(
                "pageserver.workdir", workdir.toString(), "micronaut.server.port", -1,
                "pageserver.disk-usage-based-eviction.min-avail-bytes", Long.MAX_VALUE / 4,
                "pageserver.disk-usage-based-eviction.period", "1s"))) {
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
