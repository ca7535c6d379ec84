package org.pageserver.bootstrap.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pageserver.domain.id.TenantId;
import org.pageserver.domain.id.TimelineId;
import org.pageserver.domain.lsn.Lsn;

/**
 * The layer endpoints on a server with its embedded remote storage: every layer file listed, each
 * evicted (gone from the disk, measured on the file system), every page read back byte for byte
 * (downloaded on demand), one downloaded on request; reads go on correctly while their layers are
 * evicted under them.
 */
class LayerEvictionTest {
    @TempDir
    Path workdir;

    private EmbeddedServer server;
    private Api api;
    private final String tenant = TenantId.generate().toString();
    private final String timeline = TimelineId.generate().toString();
    private final String base = "/v1/tenant/" + tenant + "/timeline/" + timeline;
    private final PageRounds rounds = new PageRounds(base);
    private final List<Lsn> ends = new ArrayList<>();

    @BeforeEach
    void start() {
        startServer();
        assertEquals(201, api.post("/v1/tenant", "{\"new_tenant_id\":\"" + tenant + "\",\"compaction_period\":\"0s\","
                + "\"gc_period\":\"0s\"}").status());
        assertEquals(201, api.post("/v1/tenant/" + tenant + "/timeline", "{\"new_timeline_id\":\"" + timeline + "\"}").status());
        for (int r = 1; r <= 3; r++) {
            rounds.round(api, r);
            ends.add(rounds.last());
        }
        api.await(base, resp -> rounds.last().toString().equals(resp.object().get("remote_consistent_lsn")));
    }

    private void startServer() {
        // No page cache: these reads are here to meet the layer files, which it would answer for.
        server = ApplicationContext.run(EmbeddedServer.class, Map.of("pageserver.workdir", workdir.toString(),
                "micronaut.server.port", -1, "pageserver.page-cache-size", 0));
        api = new Api(server);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private Path file(String layer) {
        return workdir.resolve("tenants/" + tenant + "/timelines/" + timeline + "/" + layer);
    }

    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> historic() {
        Api.Response list = api.get(base + "/layer");
        assertEquals(200, list.status(), list.body());
        return (List<Map<String, Object>>) list.object().get("historic_layers");
    }

    private void assertEveryRoundReads() {
        for (int r = 1; r <= 3; r++) {
            for (long blkno = 0; blkno < 8; blkno++) {
                Api.Bytes page = api.getBytes(base + "/page?rel=" + PageRounds.REL + "&blkno=" + blkno + "&lsn=" + ends.get(r - 1));
                assertEquals(200, page.status(), page.text());
                assertArrayEquals(PageRounds.page(r), page.body(), "round " + r + ", block " + blkno);
            }
        }
    }

    @Test
    void everyLayerEvictedLeavesTheDiskAndEveryPageReadsBackDownloaded() throws Exception {
        List<Map<String, Object>> layers = historic();
        assertEquals(3, layers.size(), "one layer a round");
        long bytes = 0;
        for (Map<String, Object> layer : layers) {
            assertEquals(false, layer.get("remote"), layer.toString());
            assertEquals("Delta", layer.get("kind"));
            String name = (String) layer.get("layer_file_name");
            assertEquals(Files.size(file(name)), ((Number) layer.get("layer_file_size")).longValue());
            bytes += Files.size(file(name));
        }
        assertTrue(bytes > 3 * 8 * 8192, "three rounds of eight pages: " + bytes);

        for (Map<String, Object> layer : layers) {
            String name = (String) layer.get("layer_file_name");
            assertEquals(200, api.delete(base + "/layer/" + name).status());
            assertFalse(Files.exists(file(name)), "evicted: the file is gone from the disk");
            assertEquals(304, api.delete(base + "/layer/" + name).status(), "evicted already");
        }
        for (Map<String, Object> layer : historic()) {
            assertEquals(true, layer.get("remote"), layer.toString());
            assertTrue(layer.get("access_stats").toString().contains("Evicted"), layer.toString());
        }
        assertTrue(api.get("/metrics").body().contains("pageserver_resident_physical_size{tenant_id=\"" + tenant
                + "\",timeline_id=\"" + timeline + "\"} 0.0"), "nothing resident");

        assertEveryRoundReads();
        String metrics = api.get("/metrics").body();
        assertTrue(metrics.contains("pageserver_remote_ondemand_downloaded_layers_total 3.0"), "three layers downloaded");
        assertTrue(metrics.contains("pageserver_remote_ondemand_downloaded_bytes_total " + (double) bytes), "their bytes");
        for (Map<String, Object> layer : historic()) {
            assertEquals(false, layer.get("remote"), "read, so downloaded: " + layer);
            assertTrue(layer.get("access_stats").toString().contains("downloaded"), layer.toString());
            assertTrue(Files.exists(file((String) layer.get("layer_file_name"))));
        }

        String one = (String) layers.get(0).get("layer_file_name");
        assertEquals(200, api.delete(base + "/layer/" + one).status());
        assertEquals(200, api.get(base + "/layer/" + one).status(), "downloaded on request");
        assertTrue(Files.exists(file(one)));
        assertEquals(304, api.get(base + "/layer/" + one).status(), "resident already");

        String unknown = one.substring(0, one.indexOf("__")) + "__0000000000000001-0000000000000002";
        assertEquals(404, api.delete(base + "/layer/" + unknown).status(), "no such layer");
        assertEquals(404, api.get(base + "/layer/" + unknown).status(), "no such layer");
        assertEquals(400, api.delete(base + "/layer/not-a-layer").status());
    }

    /**
     * A fault in the download of an evicted layer (its object gone from the bucket): the read that
     * needs it answers 503 with the reason, the timeline stays Active and serves what it has, and
     * once the object is back the same read downloads the layer and succeeds.
     */
    @Test
    void aFailedDownloadOfAnEvictedLayerIsA503WithTheReasonAndTheNextReadSucceeds() throws Exception {
        String oldest = (String) historic().get(2).get("layer_file_name");
        assertEquals(200, api.delete(base + "/layer/" + oldest).status());
        Path object;
        try (var objects = Files.list(workdir.resolve("remote_storage/tenants/" + tenant + "/timelines/" + timeline))) {
            object = objects.filter(o -> o.getFileName().toString().startsWith(oldest)).findFirst().orElseThrow();
        }
        Path aside = workdir.resolve("object-set-aside");
        Files.move(object, aside);
        // Round 1's size of the relation is only in the oldest layer: every read needs it.
        String firstRound = base + "/page?rel=" + PageRounds.REL + "&blkno=0&lsn=" + ends.get(0);
        Api.Bytes failed = api.getBytes(firstRound);
        assertEquals(503, failed.status(), failed.text());
        assertTrue(failed.text().contains("could not be downloaded"), failed.text());
        assertTrue(api.get(base).body().contains("\"Active\""), "the timeline stays Active");

        Files.move(aside, object);
        Api.Bytes read = api.getBytes(firstRound);
        assertEquals(200, read.status(), read.text());
        assertArrayEquals(PageRounds.page(1), read.body());
        assertEveryRoundReads();
    }

    /** A start over evicted layers reads their metadata only: nothing is downloaded until a read needs it. */
    @Test
    void aRestartWithEvictedLayersDownloadsNothingUntilARead() {
        for (Map<String, Object> layer : historic()) {
            assertEquals(200, api.delete(base + "/layer/" + layer.get("layer_file_name")).status());
        }
        server.close();
        startServer();
        api.await("/v1/tenant/" + tenant, r -> r.status() == 200 && r.body().contains("\"Active\""));
        for (Map<String, Object> layer : historic()) {
            assertEquals(true, layer.get("remote"), "still evicted after the start: " + layer);
            assertFalse(Files.exists(file((String) layer.get("layer_file_name"))));
        }
        assertTrue(api.get("/metrics").body().contains("pageserver_remote_ondemand_downloaded_layers_total 0.0"),
                "the start downloaded nothing");
        // Its relation sizes are in the evicted layers: the timeline answers without a logical size
        // (as Neon's may), and the question starts working it out, which downloads them.
        Api.Response info = api.get(base);
        assertEquals(200, info.status(), info.body());
        assertEquals(null, info.object().get("current_logical_size"), info.body());
        api.await(base, r -> r.object().get("current_logical_size") != null);
        assertEquals(8L * 8192, ((Number) api.get(base).object().get("current_logical_size")).longValue());
        assertEveryRoundReads();
        assertTrue(api.get("/metrics").body().contains("pageserver_remote_ondemand_downloaded_layers_total 3.0"),
                "the reads downloaded the three layers");
    }

    /** Eight readers at once of every page of the three evicted layers: each layer downloaded once, every read right. */
    @Test
    void concurrentReadersOfAnEvictedLayerWaitForOneDownload() throws Exception {
        for (Map<String, Object> layer : historic()) {
            assertEquals(200, api.delete(base + "/layer/" + layer.get("layer_file_name")).status());
        }
        java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(8);
        Queue<String> wrong = new ConcurrentLinkedQueue<>();
        List<Thread> readers = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            Thread reader = new Thread(() -> {
                try {
                    start.await();
                } catch (Exception e) {
                    wrong.add("barrier: " + e);
                    return;
                }
                for (int r = 3; r >= 1; r--) {
                    Api.Bytes page = api.getBytes(base + "/page?rel=" + PageRounds.REL + "&blkno=0&lsn=" + ends.get(r - 1));
                    if (page.status() != 200 || !java.util.Arrays.equals(PageRounds.page(r), page.body())) {
                        wrong.add(page.status() + " " + (page.status() == 200 ? "wrong bytes" : page.text()));
                    }
                }
            });
            reader.start();
            readers.add(reader);
        }
        for (Thread reader : readers) {
            reader.join();
        }
        assertEquals(List.of(), List.copyOf(wrong));
        assertTrue(api.get("/metrics").body().contains("pageserver_remote_ondemand_downloaded_layers_total 3.0"),
                "three layers, three downloads");
    }

    /** Readers of every round's pages in a loop while another thread evicts their layers again and again. */
    @Test
    void readsStayCorrectWhileTheirLayersAreEvictedUnderThem() throws Exception {
        List<String> names = historic().stream().map(l -> (String) l.get("layer_file_name")).toList();
        AtomicBoolean running = new AtomicBoolean(true);
        Queue<String> wrong = new ConcurrentLinkedQueue<>();
        List<Thread> readers = new ArrayList<>();
        for (int t = 0; t < 3; t++) {
            int round = t + 1;
            Thread reader = new Thread(() -> {
                while (running.get()) {
                    Api.Bytes page = api.getBytes(base + "/page?rel=" + PageRounds.REL + "&blkno=" + round + "&lsn="
                            + ends.get(round - 1));
                    if (page.status() != 200 || !java.util.Arrays.equals(PageRounds.page(round), page.body())) {
                        wrong.add(page.status() + " " + (page.status() == 200 ? "wrong bytes" : page.text()));
                    }
                }
            });
            reader.start();
            readers.add(reader);
        }
        int evictions = 0;
        long deadline = System.nanoTime() + 3_000_000_000L;
        while (System.nanoTime() < deadline) {
            for (String name : names) {
                int status = api.delete(base + "/layer/" + name).status();
                assertTrue(status == 200 || status == 304, "evict: " + status);
                evictions += status == 200 ? 1 : 0;
            }
        }
        running.set(false);
        for (Thread reader : readers) {
            reader.join();
        }
        assertEquals(List.of(), List.copyOf(wrong));
        assertTrue(evictions > 10, "evicted again and again: " + evictions);
        System.out.println("LayerEvictionTest: " + evictions + " evictions under three readers, every read right");
        assertEveryRoundReads();
    }
}
