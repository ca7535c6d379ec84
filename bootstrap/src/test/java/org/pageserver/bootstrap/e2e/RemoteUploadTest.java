package org.pageserver.bootstrap.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micronaut.json.JsonMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pageserver.domain.id.TenantId;
import org.pageserver.domain.id.TimelineId;
import org.pageserver.domain.layer.LayerName;
import org.pageserver.domain.lsn.Lsn;
import org.pageserver.domain.page.RelTag;
import org.pageserver.domain.remote.IndexPart;
import org.pageserver.domain.remote.IndexPartJson;

/**
 * The upload queue of a real server process on its embedded remote storage (a directory under its
 * work directory): what a flush leaves in the bucket and what the timeline reports; a kill while
 * uploads cannot proceed, after which the restarted server catches the bucket up; a timeline's
 * deletion, which takes its objects with it.
 */
class RemoteUploadTest {
    private static final RelTag REL = PageRounds.REL;

    @TempDir
    Path workdir;

    private final String tenant = TenantId.generate().toString();
    private final String timeline = TimelineId.generate().toString();
    private final String base = "/v1/tenant/" + tenant + "/timeline/" + timeline;
    private final JsonMapper json = JsonMapper.createDefault();
    private final PageRounds rounds = new PageRounds(base);

    private Path data() {
        return workdir.resolve("data");
    }

    private Path remoteTenant() {
        return data().resolve("remote_storage").resolve("tenants").resolve(tenant);
    }

    private Path remoteTimeline() {
        return remoteTenant().resolve("timelines").resolve(timeline);
    }

    private Path localTimeline() {
        return data().resolve("tenants").resolve(tenant).resolve("timelines").resolve(timeline);
    }



    private void awaitRemoteConsistent(Api api) {
        api.await(base, r -> r.status() == 200 && rounds.last().toString().equals(r.object().get("remote_consistent_lsn")));
    }

    private static List<String> names(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The bucket holds an index of generation 3 naming exactly the local layer files, each there at its size. */
    private void assertBucketHoldsTheLocalLayers() throws IOException {
        IndexPart index = IndexPartJson.read(Files.readAllBytes(remoteTimeline().resolve("index_part.json-00000003")));
        assertEquals(rounds.last(), index.diskConsistentLsn());
        TreeSet<String> local = new TreeSet<>(names(localTimeline()));
        assertEquals(local, new TreeSet<>(index.layers().keySet().stream().map(LayerName::fileName).toList()));
        for (String name : local) {
            Path object = remoteTimeline().resolve(name + "-00000003");
            assertTrue(Files.exists(object), name);
            assertEquals(Files.size(localTimeline().resolve(name)), Files.size(object), name);
            assertEquals(Files.size(object), index.layers().get(LayerName.parse(name)).fileSize());
        }
    }

    @Test
    void flushesReachTheBucketAndTheTimelineReportsItsRemoteConsistentLsn() throws Exception {
        try (ServerProcess server = ServerProcess.start(data(), workdir.resolve("server.log"))) {
            Api api = new Api(server.uri(), json);
            assertEquals(201, api.post("/v1/tenant", "{\"new_tenant_id\":\"" + tenant + "\",\"generation\":3}").status());
            assertEquals(201, api.post("/v1/tenant/" + tenant + "/timeline", "{\"new_timeline_id\":\"" + timeline + "\"}").status());
            for (int r = 1; r <= 3; r++) {
                rounds.round(api, r);
            }
            awaitRemoteConsistent(api);
            Map<String, Object> info = api.get(base).object();
            assertEquals(rounds.last().toString(), info.get("remote_consistent_lsn_visible"));
            assertBucketHoldsTheLocalLayers();
            String metrics = api.get("/metrics").body();
            assertTrue(metrics.contains("pageserver_remote_operation_seconds_count{file_kind=\"layer\",op_kind=\"upload\","
                    + "status=\"success\",tenant_id=\"" + tenant + "\",timeline_id=\"" + timeline + "\"} 3"), metrics);
            assertTrue(metrics.contains("pageserver_remote_physical_size{tenant_id=\"" + tenant + "\",timeline_id=\"" + timeline
                    + "\"}"), metrics);

            assertEquals(202, api.delete(base).status());
            api.await(base, r -> r.status() == 404);
            assertTrue(!Files.exists(remoteTimeline()) || names(remoteTimeline()).isEmpty(),
                    "a deleted timeline's objects go with it");
        }
    }

    @Test
    void aKillWithUploadsUndoneLosesNothingAndTheRestartedServerCatchesTheBucketUp() throws Exception {
        Path log = workdir.resolve("server.log");
        ServerProcess server = ServerProcess.start(data(), log);
        try {
            Api api = new Api(server.uri(), json);
            // A file where the tenant's remote directory would go: every upload fails until it is gone.
            Files.createDirectories(remoteTenant().getParent());
            Files.writeString(remoteTenant(), "in the way");
            assertEquals(201, api.post("/v1/tenant", "{\"new_tenant_id\":\"" + tenant + "\",\"generation\":3}").status());
            assertEquals(201, api.post("/v1/tenant/" + tenant + "/timeline", "{\"new_timeline_id\":\"" + timeline + "\"}").status());
            for (int r = 1; r <= 4; r++) {
                rounds.round(api, r);
            }
            Thread.sleep(500);
            assertEquals("0/0", api.get(base).object().get("remote_consistent_lsn"), "nothing could be uploaded");
            assertArrayEquals(PageRounds.page(4), api.getBytes(base + "/page?rel=" + REL + "&blkno=0").body(), "reads see no error");
            server.kill();

            Files.delete(remoteTenant());
            server = ServerProcess.start(data(), log);
            api = new Api(server.uri(), json);
            awaitRemoteConsistent(api);
            assertBucketHoldsTheLocalLayers();
        } finally {
            server.close();
        }
    }

    /**
     * The local disk loses the layer files (the metadata stays): after a restart every read is
     * served, each layer downloaded at its first read and checked, its file back on local disk;
     * a layer whose object is gone too fails the reads that need it with 503 and the reason, and the
     * timeline stays Active for every other read.
     */
    @Test
    void layerFilesLostFromLocalDiskAreDownloadedAtTheirFirstRead() throws Exception {
        Path log = workdir.resolve("server.log");
        List<Lsn> roundEnds = new ArrayList<>();
        try (ServerProcess server = ServerProcess.start(data(), log)) {
            Api api = new Api(server.uri(), json);
            assertEquals(201, api.post("/v1/tenant", "{\"new_tenant_id\":\"" + tenant + "\",\"generation\":3}").status());
            assertEquals(201, api.post("/v1/tenant/" + tenant + "/timeline", "{\"new_timeline_id\":\"" + timeline + "\"}").status());
            for (int r = 1; r <= 3; r++) {
                rounds.round(api, r);
                roundEnds.add(rounds.last());
            }
            awaitRemoteConsistent(api);
        }
        List<String> layers = names(localTimeline());
        for (String name : layers) {
            Files.delete(localTimeline().resolve(name));
        }
        try (ServerProcess server = ServerProcess.start(data(), log)) {
            Api api = new Api(server.uri(), json);
            api.await("/v1/tenant/" + tenant, r -> r.status() == 200 && r.body().contains("\"Active\""));
            for (int r = 3; r >= 1; r--) {
                Api.Bytes page = api.getBytes(base + "/page?rel=" + PageRounds.REL + "&blkno=5&lsn=" + roundEnds.get(r - 1));
                assertEquals(200, page.status(), page.text());
                assertArrayEquals(PageRounds.page(r), page.body(), "round " + r);
            }
            assertEquals(layers, names(localTimeline()), "every layer read is back on local disk");
            assertTrue(api.get("/metrics").body().contains("pageserver_remote_operation_seconds_count{file_kind=\"layer\","
                    + "op_kind=\"download\",status=\"success\",tenant_id=\"" + tenant + "\",timeline_id=\"" + timeline
                    + "\"} 3"));
        }
        // The newest layer lost locally and remotely: reads that need it fail, the others go on.
        String newest = layers.get(layers.size() - 1);
        Files.delete(localTimeline().resolve(newest));
        Files.delete(remoteTimeline().resolve(newest + "-00000003"));
        try (ServerProcess server = ServerProcess.start(data(), log)) {
            Api api = new Api(server.uri(), json);
            api.await("/v1/tenant/" + tenant, r -> r.status() == 200 && r.body().contains("\"Active\""));
            Api.Bytes lost = api.getBytes(base + "/page?rel=" + PageRounds.REL + "&blkno=5");
            assertEquals(503, lost.status(), lost.text());
            assertTrue(lost.text().contains("could not be downloaded"), lost.text());
            Api.Bytes older = api.getBytes(base + "/page?rel=" + PageRounds.REL + "&blkno=5&lsn=" + roundEnds.get(0));
            assertEquals(200, older.status(), older.text());
            assertArrayEquals(PageRounds.page(1), older.body());
            assertEquals("Active", ((Map<?, ?>) api.get("/v1/tenant/" + tenant).object().get("state")).get("slug"),
                    "a layer that cannot be downloaded breaks nothing");
        }
    }
}
