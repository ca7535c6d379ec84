package org.pageserver.bootstrap.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micronaut.json.JsonMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;
import org.pageserver.domain.id.TenantId;
import org.pageserver.domain.id.TimelineId;
import org.pageserver.domain.layer.LayerName;
import org.pageserver.domain.lsn.Lsn;
import org.pageserver.domain.remote.IndexPart;
import org.pageserver.domain.remote.IndexPartJson;

/**
 * Two server processes, each with its own work directory and metadata database, on one remote
 * storage: a shared directory (local-path), or an S3 bucket of S3Proxy. Node A creates a tenant (generation 1) with a branch and writes to
 * both; node B attaches it in generation 2 and reads every page of both timelines back, each layer
 * downloaded at its first read; node A, still holding generation 1 and not told, goes on writing,
 * compacts and collects garbage, and deletes nothing B needs; then A detaches, which leaves the
 * bucket as it was.
 */
class AttachTest {
    @TempDir
    Path workdir;

    private final JsonMapper json = JsonMapper.createDefault();
    private final String tenant = TenantId.generate().toString();
    private final String main = TimelineId.generate().toString();
    private final String branch = TimelineId.generate().toString();

    private String base(String timeline) {
        return "/v1/tenant/" + tenant + "/timeline/" + timeline;
    }

    private SharedBucket bucket;

    @AfterEach
    void stopBucket() throws Exception {
        if (bucket != null) {
            bucket.close();
        }
    }

    private ServerProcess node(String name) {
        return ServerProcess.start(workdir.resolve(name), workdir.resolve(name + ".log"), bucket.settings());
    }

    private static void awaitRemoteConsistent(Api api, String path, Lsn last) {
        api.await(path, r -> r.status() == 200 && last.toString().equals(r.object().get("remote_consistent_lsn")));
    }

    private void assertPages(Api api, List<Lsn> mainEnds, Lsn branchEnd) {
        for (int r = 1; r <= mainEnds.size(); r++) {
            Api.Bytes page = api.getBytes(base(main) + "/page?rel=" + PageRounds.REL + "&blkno=5&lsn=" + mainEnds.get(r - 1));
            assertEquals(200, page.status(), page.text());
            assertArrayEquals(PageRounds.page(r), page.body(), "main, round " + r);
        }
        for (long blkno = 0; blkno < 8; blkno++) {
            Api.Bytes page = api.getBytes(base(branch) + "/page?rel=" + PageRounds.REL + "&blkno=" + blkno + "&lsn=" + branchEnd);
            assertEquals(200, page.status(), page.text());
            assertArrayEquals(PageRounds.page(10), page.body(), "branch, block " + blkno);
        }
    }

    /** Every layer object the index names is in the bucket. */
    private static void assertObjectsOfIndexThere(Path indexFile) throws java.io.IOException {
        IndexPart index = IndexPartJson.read(Files.readAllBytes(indexFile));
        assertFalse(index.layers().isEmpty());
        for (LayerName name : index.layers().keySet()) {
            Path object = indexFile.resolveSibling(name.fileName() + "-" + index.layers().get(name).generation().suffix());
            assertTrue(Files.exists(object), "an object B's index names: " + object.getFileName());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "s3"})
    void aTenantMovesToAnotherNodeThroughTheBucketAndTheStaleNodeDestroysNothing(String kind) throws Exception {
        bucket = SharedBucket.start(kind, workdir);
        PageRounds mainRounds = new PageRounds(base(main));
        List<Lsn> mainEnds = new ArrayList<>();
        Lsn branchEnd;
        try (ServerProcess a = node("a")) {
            Api api = new Api(a.uri(), json);
            assertEquals(201, api.post("/v1/tenant", "{\"new_tenant_id\":\"" + tenant + "\",\"generation\":1,"
                    + "\"compaction_threshold\":2,\"compaction_period\":\"0s\",\"gc_period\":\"0s\",\"pitr_interval\":\"0s\"}")
                    .status());
            assertEquals(201, api.post("/v1/tenant/" + tenant + "/timeline", "{\"new_timeline_id\":\"" + main + "\"}").status());
            for (int r = 1; r <= 2; r++) {
                mainRounds.round(api, r);
                mainEnds.add(mainRounds.last());
            }
            assertEquals(201, api.post("/v1/tenant/" + tenant + "/timeline", "{\"new_timeline_id\":\"" + branch
                    + "\",\"ancestor_timeline_id\":\"" + main + "\",\"ancestor_start_lsn\":\"" + mainEnds.get(1) + "\"}").status());
            PageRounds branchRounds = new PageRounds(base(branch)).from(mainEnds.get(1));
            branchRounds.round(api, 10);
            branchEnd = branchRounds.last();
            mainRounds.round(api, 3);
            mainEnds.add(mainRounds.last());
            awaitRemoteConsistent(api, base(main), mainRounds.last());
            awaitRemoteConsistent(api, base(branch), branchEnd);

            try (ServerProcess b = node("b")) {
                Api bApi = new Api(b.uri(), json);
                Api.Response attach = bApi.post("/v1/tenant/" + tenant + "/attach", "{\"generation\":2}");
                assertEquals(202, attach.status(), attach.body());
                bApi.await("/v1/tenant/" + tenant, r -> r.status() == 200 && r.body().contains("\"Active\""));
                assertEquals(mainRounds.last().toString(), bApi.get(base(main)).object().get("last_record_lsn"));
                assertPages(bApi, mainEnds, branchEnd);
                Path bIndex = bucket.root().resolve("tenants/" + tenant + "/timelines/" + main + "/index_part.json-00000002");
                api.await(base(main), r -> Files.exists(bIndex));

                // Node A was not told: it writes, compacts and collects garbage in generation 1.
                mainRounds.round(api, 4);
                assertEquals(200, api.put(base(main) + "/compact", "").status());
                assertEquals(200, api.put(base(main) + "/do_gc", "{\"gc_horizon\":0}").status());
                awaitRemoteConsistent(api, base(main), mainRounds.last());
                assertObjectsOfIndexThere(bIndex);
                assertPages(bApi, mainEnds, branchEnd);

                // A detaches: its local data goes, the bucket stays as B needs it.
                assertEquals(200, api.post("/v1/tenant/" + tenant + "/detach", "").status());
                assertEquals(404, api.get("/v1/tenant/" + tenant).status());
                assertFalse(Files.exists(workdir.resolve("a/tenants/" + tenant)), "A's local data is gone");
                assertObjectsOfIndexThere(bIndex);
                assertPages(bApi, mainEnds, branchEnd);
            }
        }
    }

    /**
     * A damaged index in the bucket: the attach leaves that tenant Broken, naming the object and
     * what is wrong with it, and the node's other tenants serve as before.
     */
    @ParameterizedTest
    @ValueSource(strings = {"local", "s3"})
    void aDamagedIndexLeavesThatTenantBrokenWithTheReasonAndTheOthersServe(String kind) throws Exception {
        bucket = SharedBucket.start(kind, workdir);
        String other = TenantId.generate().toString();
        String otherTimeline = TimelineId.generate().toString();
        try (ServerProcess a = node("a")) {
            Api api = new Api(a.uri(), json);
            assertEquals(201, api.post("/v1/tenant", "{\"new_tenant_id\":\"" + tenant + "\",\"generation\":1}").status());
            assertEquals(201, api.post("/v1/tenant/" + tenant + "/timeline", "{\"new_timeline_id\":\"" + main + "\"}").status());
            PageRounds rounds = new PageRounds(base(main));
            rounds.round(api, 1);
            awaitRemoteConsistent(api, base(main), rounds.last());
            assertEquals(200, api.post("/v1/tenant/" + tenant + "/detach", "").status());
        }
        Path index = bucket.root().resolve("tenants/" + tenant + "/timelines/" + main + "/index_part.json-00000001");
        Files.writeString(index, Files.readString(index).replace("\"version\":7", "\"version\":70"));
        try (ServerProcess b = node("b")) {
            Api api = new Api(b.uri(), json);
            assertEquals(201, api.post("/v1/tenant", "{\"new_tenant_id\":\"" + other + "\"}").status());
            assertEquals(201, api.post("/v1/tenant/" + other + "/timeline", "{\"new_timeline_id\":\"" + otherTimeline + "\"}")
                    .status());
            assertEquals(202, api.post("/v1/tenant/" + tenant + "/attach", "null").status());
            Api.Response broken = api.await("/v1/tenant/" + tenant, r -> r.status() == 200 && r.body().contains("\"Broken\""));
            assertTrue(broken.body().contains("index_part.json-00000001 is damaged") && broken.body().contains("version 70"),
                    broken.body());
            assertTrue(broken.body().contains("\"failed\""), "attachment_status failed: " + broken.body());
            PageRounds rounds = new PageRounds("/v1/tenant/" + other + "/timeline/" + otherTimeline);
            rounds.round(api, 3);
            assertArrayEquals(PageRounds.page(3), api.getBytes("/v1/tenant/" + other + "/timeline/" + otherTimeline
                    + "/page?rel=" + PageRounds.REL + "&blkno=1").body(), "the other tenant serves");
        }
    }

    /** A branch whose ancestor has no index in the bucket: the attach leaves the tenant Broken, naming both. */
    @org.junit.jupiter.api.Test
    void aMissingAncestorIndexLeavesTheTenantBrokenWithTheReason() throws Exception {
        bucket = SharedBucket.start("local", workdir);
        try (ServerProcess a = node("a")) {
            Api api = new Api(a.uri(), json);
            assertEquals(201, api.post("/v1/tenant", "{\"new_tenant_id\":\"" + tenant + "\",\"generation\":1}").status());
            assertEquals(201, api.post("/v1/tenant/" + tenant + "/timeline", "{\"new_timeline_id\":\"" + main + "\"}").status());
            PageRounds rounds = new PageRounds(base(main));
            rounds.round(api, 1);
            assertEquals(201, api.post("/v1/tenant/" + tenant + "/timeline", "{\"new_timeline_id\":\"" + branch
                    + "\",\"ancestor_timeline_id\":\"" + main + "\"}").status());
            new PageRounds(base(branch)).from(rounds.last()).round(api, 2);
            assertEquals(200, api.post("/v1/tenant/" + tenant + "/detach", "").status());
        }
        Files.delete(bucket.root().resolve("tenants/" + tenant + "/timelines/" + main + "/index_part.json-00000001"));
        try (ServerProcess b = node("b")) {
            Api api = new Api(b.uri(), json);
            assertEquals(202, api.post("/v1/tenant/" + tenant + "/attach", "").status());
            Api.Response broken = api.await("/v1/tenant/" + tenant, r -> r.status() == 200 && r.body().contains("\"Broken\""));
            assertTrue(broken.body().contains("timeline " + branch + " branches from " + main
                    + ", which has no index in remote storage"), broken.body());
        }
    }
}
