package org.pageserver.bootstrap.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.pageserver.adapters.http.pageservice.PageService;
import org.pageserver.application.engine.RandomWorkload;
import org.pageserver.application.engine.ReferenceModel;
import org.pageserver.domain.id.TenantId;
import org.pageserver.domain.id.TimelineId;
import org.pageserver.domain.layer.LayerName;
import org.pageserver.domain.lsn.Lsn;
import org.pageserver.domain.page.PageRequest;
import org.pageserver.domain.page.RelTag;
import org.pageserver.domain.wal.WalEncoder;
import org.pageserver.domain.wal.WalRecord;

/**
 * The data plane through HTTP against a reference model: a seeded random workload of images,
 * deltas, size changes, drops and commits over several relations and two databases; a branch at
 * a random past LSN with writes of its own; flushes to layer files as it goes (a small
 * checkpoint_distance); compaction on demand and every second (L0 layers merged into L1 layers of
 * 64 KiB at compaction_threshold 3, image layers at image_creation_threshold 2); GC every second
 * (gc_horizon 40,000) and do_gc with random horizons at random points, on both timelines, the
 * branch point kept for the branch; evictions of uploaded layer files at random points (single
 * layers and disk-usage passes of random sizes, with the eviction policy at 1 s running beside
 * them), so that reads download what they need (seeds 11 and 12: 38 and 110 evictions, 8 and 67
 * downloads after the restart); a restart of the server in the middle; and all five read forms, plus
 * the LSN/time lookups, compared byte for byte with the model at random LSNs at or above the GC
 * cutoff, over HTTP and through the page service; with the read caches on and off.
 */
class DataPlaneModelTest {
    private static final int GC_HORIZON = 40_000;
    @TempDir
    Path workdir;

    private EmbeddedServer server;
    private Api api;
    private final String tenant = TenantId.generate().toString();
    private final String main = TimelineId.generate().toString();
    private final String branch = TimelineId.generate().toString();

    private boolean readCaches;

    private void start() {
        server = ApplicationContext.run(EmbeddedServer.class, Map.of("pageserver.workdir", workdir.toString(),
                "micronaut.server.port", -1, "pageserver.wait-lsn-timeout", "2s", "pageserver.read-caches", readCaches));
        api = new Api(server);
        api.await("/v1/tenant/" + tenant, r -> r.status() == 404 || (r.status() == 200
                && "Active".equals(((Map<?, ?>) r.object().get("state")).get("slug"))));
    }

    private String timeline(String id) {
        return "/v1/tenant/" + tenant + "/timeline/" + id;
    }

    /** The layer files of a timeline on disk of one kind. */
    private long layers(String id, java.util.function.Predicate<LayerName> kind) {
        try (var files = java.nio.file.Files.list(workdir.resolve("tenants").resolve(tenant).resolve("timelines").resolve(id))) {
            return files.map(f -> f.getFileName().toString()).filter(n -> n.contains("__"))
                    .map(LayerName::parse).filter(kind).count();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @ParameterizedTest(name = "seed {0}, read caches {1}")
    @CsvSource({"11, true", "12, true", "11, false"})
    void readsAgreeWithTheModel(long seed, boolean caches) {
        readCaches = caches;
        start();
        try {
            assertEquals(201, api.post("/v1/tenant", "{\"new_tenant_id\":\"" + tenant
                    + "\",\"checkpoint_distance\":40000,\"image_creation_threshold\":2,\"compaction_period\":\"1s\","
                    + "\"compaction_threshold\":3,\"compaction_target_size\":65536,\"gc_period\":\"1s\",\"gc_horizon\":"
                    + GC_HORIZON + ",\"pitr_interval\":\"0s\",\"eviction_policy\":{\"kind\":\"LayerAccessThreshold\","
                    + "\"period\":\"1s\",\"threshold\":\"1s\"}}").status());
            assertEquals(201, api.post("/v1/tenant/" + tenant + "/timeline", "{\"new_timeline_id\":\"" + main + "\"}").status());
            RandomWorkload workload = new RandomWorkload(seed);
            Random random = workload.random();
            ReferenceModel.Branch mainModel = new ReferenceModel.Branch(null, null);
            ReferenceModel.Branch branchModel = null;
            Lsn mainLast = Lsn.INITDB;
            Lsn branchLast = null;
            long removed = 0;
            long evicted = 0;
            for (int step = 0; step < 120; step++) {
                boolean onBranch = branchModel != null && random.nextBoolean();
                List<WalRecord> batch = workload.batch(onBranch ? branchLast : mainLast, 6);
                Api.Response ack = api.postBinary(timeline(onBranch ? branch : main) + "/wal", WalEncoder.encode(batch));
                assertEquals(200, ack.status(), ack.body());
                Lsn last = batch.get(batch.size() - 1).lsn();
                assertEquals(last.toString(), ack.object().get("last_record_lsn"));
                (onBranch ? branchModel : mainModel).records.addAll(batch);
                if (onBranch) {
                    branchLast = last;
                } else {
                    mainLast = last;
                }
                if (step == 40) {
                    // At or above main's GC cutoff and the cutoff its GC plans (a branch below is refused).
                    Lsn low = lowestReadable(main, mainLast);
                    Lsn start = Lsn.of(low.value() + (long) (random.nextDouble() * mainLast.distanceFrom(low)));
                    Api.Response created = api.post("/v1/tenant/" + tenant + "/timeline", "{\"new_timeline_id\":\"" + branch
                            + "\",\"ancestor_timeline_id\":\"" + main + "\",\"ancestor_start_lsn\":\"" + start + "\"}");
                    assertEquals(201, created.status(), created.body());
                    branchModel = new ReferenceModel.Branch(mainModel, start);
                    branchLast = start;
                }
                if (step == 80) {
                    server.close();
                    start();
                }
                if (random.nextInt(10) == 0) {
                    // Compaction on demand as well as every second: L1 and image layers at random points.
                    assertEquals(200, api.put(timeline(onBranch ? branch : main) + "/compact", "").status());
                }
                if (random.nextInt(8) == 0) {
                    // GC on demand as well as every second, with a horizon of its own.
                    Api.Response gc = api.put(timeline(onBranch ? branch : main) + "/do_gc",
                            "{\"gc_horizon\":" + random.nextInt(GC_HORIZON) + "}");
                    assertEquals(200, gc.status(), gc.body());
                    removed += ((Number) gc.object().get("layers_removed")).longValue();
                }
                if (random.nextInt(6) == 0) {
                    evicted += evictSome(onBranch ? branch : main, random);
                }
                if (random.nextInt(15) == 0) {
                    Api.Response run = api.put("/v1/disk_usage_eviction/run", "{\"evict_bytes\":" + random.nextInt(300_000) + "}");
                    assertEquals(200, run.status(), run.body());
                    evicted += run.body().contains("\"freed_bytes\":0,") ? 0 : 1;
                }
                if (step % 20 == 19) {
                    checkReads(main, mainModel, mainLast, random);
                    if (branchModel != null) {
                        checkReads(branch, branchModel, branchLast, random);
                    }
                }
            }
            assertEquals(200, api.put(timeline(main) + "/checkpoint", "").status());
            Map<String, Object> info = api.get(timeline(main) + "?include-non-incremental-logical-size=true").object();
            assertEquals(info.get("last_record_lsn"), info.get("disk_consistent_lsn"), "a checkpoint flushes everything");
            assertTrue(((Number) info.get("current_physical_size")).longValue() > 0, "layer files exist");
            assertTrue(layers(main, LayerName::image) + layers(branch, LayerName::image) > 0, "compaction made image layers");
            assertTrue(layers(main, n -> !n.image() && !n.isL0()) + layers(branch, n -> !n.image() && !n.isL0()) > 0,
                    "compaction merged L0 layers into L1 layers");
            // And once more at the end (the GC every second may have taken all there was before).
            assertEquals(200, api.put(timeline(main) + "/compact", "").status());
            Api.Response lastGc = api.put(timeline(main) + "/do_gc", "{\"gc_horizon\":0}");
            assertEquals(200, lastGc.status(), lastGc.body());
            removed += ((Number) lastGc.object().get("layers_removed")).longValue();
            assertTrue(removed > 0, "do_gc removed layers");
            assertTrue(evicted > 0, "layer files were evicted on request");
            assertTrue(Double.parseDouble(metric("pageserver_remote_ondemand_downloaded_layers_total")) > 0,
                    "reads downloaded evicted layers (since the restart)");
            checkReads(main, mainModel, mainLast, random);
            // More of the workload until commits lie above where GC may have moved the cutoff.
            for (int more = 0; more < 50 && commitsAbove(mainModel, mainLast).size() < 3; more++) {
                List<WalRecord> batch = workload.batch(mainLast, 6);
                assertEquals(200, api.postBinary(timeline(main) + "/wal", WalEncoder.encode(batch)).status());
                mainModel.records.addAll(batch);
                mainLast = batch.get(batch.size() - 1).lsn();
            }
            checkCommitLookups(mainModel, mainLast);
        } finally {
            server.close();
        }
    }

    /**
     * Evicts each resident layer file of the timeline with odd chances. One may be not uploaded yet
     * (409) or just removed by compaction or GC (404); returns how many went.
     */
    private int evictSome(String id, Random random) {
        int evicted = 0;
        for (Object layer : (List<?>) api.get(timeline(id) + "/layer").object().get("historic_layers")) {
            Map<?, ?> listed = (Map<?, ?>) layer;
            if (Boolean.FALSE.equals(listed.get("remote")) && random.nextBoolean()) {
                Api.Response evict = api.delete(timeline(id) + "/layer/" + listed.get("layer_file_name"));
                assertTrue(List.of(200, 304, 404, 409).contains(evict.status()), evict.status() + " " + evict.body());
                evicted += evict.status() == 200 ? 1 : 0;
            }
        }
        return evicted;
    }

    private String metric(String name) {
        return api.get("/metrics").body().lines().filter(l -> l.startsWith(name + " ")).findFirst()
                .orElseThrow(() -> new AssertionError(name + " not in /metrics")).substring(name.length() + 1);
    }

    /**
     * The lowest LSN a read is sure to be served at: the GC cutoff, and where the periodic GC may
     * move it meanwhile (nothing is ingested while the test reads).
     */
    private Lsn lowestReadable(String id, Lsn last) {
        Lsn cutoff = Lsn.parse((String) api.get(timeline(id)).object().get("latest_gc_cutoff_lsn"));
        Lsn planned = last.distanceFrom(Lsn.INITDB) > GC_HORIZON ? Lsn.of(last.value() - GC_HORIZON) : Lsn.INITDB;
        return Lsn.max(Lsn.max(Lsn.INITDB, cutoff), planned);
    }

    private void checkReads(String id, ReferenceModel.Branch model, Lsn last, Random random) {
        Map<String, Object> info = api.get(timeline(id) + "?include-non-incremental-logical-size=true").object();
        ReferenceModel.State latest = ReferenceModel.stateAt(model, last);
        assertEquals(last.toString(), info.get("last_record_lsn"));
        assertEquals(ReferenceModel.logicalSize(latest), ((Number) info.get("current_logical_size")).longValue());
        assertEquals(ReferenceModel.logicalSize(latest),
                ((Number) info.get("current_logical_size_non_incremental")).longValue());
        // On a branch, LSNs below the branch point read the ancestor's data.
        Lsn low = lowestReadable(id, last);
        for (int i = 0; i < 2; i++) {
            Lsn at = i == 0 ? last : Lsn.of(low.value() + (long) (random.nextDouble() * last.distanceFrom(low)));
            String lsnParam = i == 0 ? "" : "&lsn=" + at;
            ReferenceModel.State state = ReferenceModel.stateAt(model, at);
            List<PageRequest> batch = new ArrayList<>();
            List<byte[]> expectedBatch = new ArrayList<>();
            for (RelTag rel : RandomWorkload.RELS) {
                Long nblocks = ReferenceModel.nblocks(state, rel);
                Api.Response size = api.get(timeline(id) + "/rel_size?rel=" + rel + lsnParam);
                Api.Response exists = api.get(timeline(id) + "/rel_exists?rel=" + rel + lsnParam);
                assertEquals(nblocks != null, exists.object().get("exists"), rel + " at " + at);
                if (nblocks == null) {
                    assertEquals(404, size.status(), size.body());
                } else {
                    assertEquals(nblocks.longValue(), ((Number) size.object().get("nblocks")).longValue(), rel + " at " + at);
                }
                for (long blk = 0; blk <= RandomWorkload.MAX_BLOCKS; blk++) {
                    byte[] expected = ReferenceModel.page(state, rel, blk);
                    Api.Bytes page = api.getBytes(timeline(id) + "/page?rel=" + rel + "&blkno=" + blk + lsnParam);
                    if (expected == null) {
                        assertEquals(404, page.status(), page.text());
                    } else {
                        assertEquals(200, page.status(), page.text());
                        assertArrayEquals(expected, page.body(), id + " " + rel + " block " + blk + " at " + at);
                        batch.add(new PageRequest(rel, blk, i == 0 ? null : at));
                        expectedBatch.add(expected);
                    }
                }
            }
            for (long[] db : new long[][] {{1663, 16384}, {1664, 16390}, {1, 1}}) {
                Api.Response size = api.get(timeline(id) + "/db_size?spcnode=" + db[0] + "&dbnode=" + db[1] + lsnParam);
                assertEquals(ReferenceModel.dbSize(state, db[0], db[1]), ((Number) size.object().get("bytes")).longValue());
            }
            checkPageService(id, state, i == 0 ? null : at);
            if (!batch.isEmpty()) {
                Api.Bytes pages = api.postBytes(timeline(id) + "/pages", PageRequest.encodeAll(batch));
                assertEquals(200, pages.status(), pages.text());
                byte[] all = new byte[expectedBatch.size() * 8192];
                for (int k = 0; k < expectedBatch.size(); k++) {
                    System.arraycopy(expectedBatch.get(k), 0, all, k * 8192, 8192);
                }
                assertArrayEquals(all, pages.body(), "batched pages at " + at);
            }
        }
    }

    /**
     * The same reads through the page service, pipelined on one connection: at {@code at} exactly,
     * or (null) with {@code latest} and LSN 0, the newest. Neon's meaning: a block past the end
     * reads as zeros, a missing free space map has 0 blocks, a missing relation is an error.
     */
    private void checkPageService(String id, ReferenceModel.State state, Lsn at) {
        int port = server.getApplicationContext().getBean(PageService.class).port();
        boolean latest = at == null;
        Lsn lsn = latest ? Lsn.INVALID : at;
        try (PageServiceClient client = new PageServiceClient(port)) {
            client.connect();
            assertTrue(client.pagestream(tenant, id));
            List<String> expected = new ArrayList<>();
            for (RelTag rel : RandomWorkload.RELS) {
                Long nblocks = ReferenceModel.nblocks(state, rel);
                client.queue('d', PageServiceClient.exists(latest, lsn, rel));
                expected.add("exists " + rel + " " + (nblocks != null));
                client.queue('d', PageServiceClient.nblocks(latest, lsn, rel));
                expected.add("nblocks " + rel + " " + (nblocks != null ? nblocks : rel.forknum() == 1 ? 0 : "error"));
                for (long blk = 0; blk <= RandomWorkload.MAX_BLOCKS; blk++) {
                    client.queue('d', PageServiceClient.getPage(latest, lsn, rel, blk));
                    byte[] page = nblocks == null ? null
                            : blk >= nblocks ? new byte[8192] : ReferenceModel.page(state, rel, blk);
                    expected.add("page " + rel + " " + blk + " " + (page == null ? "error" : java.util.HexFormat.of().formatHex(page)));
                }
            }
            for (long db : new long[] {16384, 16390}) {
                client.queue('d', PageServiceClient.dbSize(latest, lsn, db));
                expected.add("db " + db + " " + ReferenceModel.dbSize(state, 1663, db));
            }
            client.flush();
            for (String want : expected) {
                byte[] answer = client.answer();
                String[] parts = want.split(" ");
                String got = switch (answer[0]) {
                    case 100 -> "exists " + parts[1] + " " + (answer[1] == 1);
                    case 101 -> "nblocks " + parts[1] + " " + java.nio.ByteBuffer.wrap(answer, 1, 4).getInt();
                    case 102 -> "page " + parts[1] + " " + parts[2] + " "
                            + java.util.HexFormat.of().formatHex(answer, 1, answer.length);
                    case 104 -> "db " + parts[1] + " " + java.nio.ByteBuffer.wrap(answer, 1, 8).getLong();
                    default -> want.substring(0, want.lastIndexOf(' ')) + " error";
                };
                assertEquals(want, got, id + " at " + (latest ? "latest" : at.toString()));
            }
        }
    }

    /** The commits (LSN, time) above the lowest readable LSN: lookups below the GC cutoff are refused. */
    private List<Map.Entry<Long, Long>> commitsAbove(ReferenceModel.Branch model, Lsn last) {
        long low = lowestReadable(main, last).value();
        return ReferenceModel.stateAt(model, last).commits.entrySet().stream()
                .filter(c -> Long.compareUnsigned(c.getKey(), low) > 0).toList();
    }

    private void checkCommitLookups(ReferenceModel.Branch model, Lsn last) {
        ReferenceModel.State state = ReferenceModel.stateAt(model, last);
        List<Map.Entry<Long, Long>> all = new ArrayList<>(state.commits.entrySet());
        List<Map.Entry<Long, Long>> commits = commitsAbove(model, last);
        assertTrue(commits.size() > 2, "the workload commits above the GC cutoff");
        Map.Entry<Long, Long> middle = commits.get(commits.size() / 2);
        Map.Entry<Long, Long> before = commits.get(commits.size() / 2 - 1);
        // The time of an LSN is the time of the newest commit at or below it.
        Api.Response ts = api.get(timeline(main) + "/get_timestamp_of_lsn?lsn=" + Lsn.of(middle.getKey()));
        assertEquals(200, ts.status(), ts.body());
        assertEquals(Instant.EPOCH.plusNanos(middle.getValue() * 1000), Instant.parse((String) ts.json()));
        // The LSN for the middle commit's time: just below it, where the commit before it is visible.
        String time = Instant.EPOCH.plusNanos(middle.getValue() * 1000).toString();
        Map<String, Object> present = api.get(timeline(main) + "/get_lsn_by_timestamp?timestamp=" + time + "&version=2").object();
        assertEquals("present", present.get("kind"));
        Lsn found = Lsn.parse((String) present.get("lsn"));
        assertTrue(found.compareTo(Lsn.of(before.getKey())) >= 0 && found.isBefore(Lsn.of(middle.getKey())), found.toString());
        String early = Instant.EPOCH.plusNanos((all.get(0).getValue() - 1) * 1000).toString();
        assertEquals("past", api.get(timeline(main) + "/get_lsn_by_timestamp?timestamp=" + early + "&version=2")
                .object().get("kind"));
        String late = Instant.EPOCH.plusNanos((commits.get(commits.size() - 1).getValue() + 1) * 1000).toString();
        assertEquals("future", api.get(timeline(main) + "/get_lsn_by_timestamp?timestamp=" + late + "&version=2")
                .object().get("kind"));
    }
}
