package org.pageserver.bootstrap.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micronaut.json.JsonMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pageserver.domain.id.TenantId;
import org.pageserver.domain.id.TimelineId;
import org.pageserver.domain.lsn.Lsn;
import org.pageserver.domain.wal.WalEncoder;
import org.pageserver.domain.wal.WalRecord;

/**
 * Ignore and load through a server process: an ignored tenant is gone from the API but not from
 * the disk, stays ignored across a SIGKILL and restart, and comes back whole with a load, in the
 * generation asked for or one above the newest known, its unflushed writes too; its id is not free
 * for a create or attach meanwhile; a detach with detach_ignored removes it locally and leaves the
 * bucket alone.
 */
class IgnoreLoadTest {
    @TempDir
    Path workdir;

    private final JsonMapper json = JsonMapper.createDefault();
    private final String tenant = TenantId.generate().toString();
    private final String timeline = TimelineId.generate().toString();
    private final String tenantPath = "/v1/tenant/" + tenant;
    private final String base = tenantPath + "/timeline/" + timeline;
    private SharedBucket bucket;

    @BeforeEach
    void startBucket() throws Exception {
        bucket = SharedBucket.start("local", workdir);
    }

    @AfterEach
    void stopBucket() throws Exception {
        bucket.close();
    }

    private ServerProcess node() {
        return ServerProcess.start(workdir.resolve("node"), workdir.resolve("node.log"), bucket.settings());
    }

    private Path index(int generation) {
        return bucket.root().resolve("tenants/" + tenant + "/timelines/" + timeline + "/index_part.json-"
                + String.format("%08x", generation));
    }

    private void assertReads(Api api, int round, Lsn lsn, long blocks) {
        for (long blkno = 0; blkno < blocks; blkno++) {
            Api.Bytes page = api.getBytes(base + "/page?rel=" + PageRounds.REL + "&blkno=" + blkno + "&lsn=" + lsn);
            assertEquals(200, page.status(), page.text());
            assertArrayEquals(PageRounds.page(round), page.body(), "round " + round + ", block " + blkno);
        }
    }

    private static Api.Response awaitActive(Api api, String path) {
        return api.await(path, r -> r.status() == 200 && r.body().contains("\"Active\""));
    }

    @Test
    void anIgnoredTenantKeepsItsDataAcrossARestartAndALoadBringsItBack() throws Exception {
        PageRounds rounds = new PageRounds(base);
        Lsn flushed;
        Lsn unflushed;
        try (ServerProcess node = node()) {
            Api api = new Api(node.uri(), json);
            assertEquals(201, api.post("/v1/tenant", "{\"new_tenant_id\":\"" + tenant + "\",\"generation\":1}").status());
            assertEquals(201, api.post(tenantPath + "/timeline", "{\"new_timeline_id\":\"" + timeline + "\"}").status());
            rounds.round(api, 1);
            rounds.round(api, 2);
            flushed = rounds.last();
            // Written but not flushed: only the ingest file holds it when the tenant is ignored.
            unflushed = flushed.plus(10_000);
            assertEquals(200, api.postBinary(base + "/wal", WalEncoder.encode(List.of(
                    new WalRecord.PageImage(unflushed, PageRounds.REL, 0, PageRounds.page(3))))).status());

            assertEquals(200, api.post(tenantPath + "/ignore", "").status());
            assertEquals(404, api.get(tenantPath).status());
            assertFalse(api.get("/v1/tenant").body().contains(tenant), "not listed");
            assertEquals(404, api.getBytes(base + "/page?rel=" + PageRounds.REL + "&blkno=0").status());
            assertEquals(404, api.post(tenantPath + "/ignore", "").status(), "ignored already");
            Api.Response create = api.post("/v1/tenant", "{\"new_tenant_id\":\"" + tenant + "\"}");
            assertEquals(409, create.status(), create.body());
            assertTrue(create.body().contains("ignored"), create.body());
            assertEquals(409, api.post(tenantPath + "/attach", "").status());
            assertEquals(404, api.post(tenantPath + "/detach", "").status(), "ignored, and no detach_ignored");
            assertEquals(400, api.post(tenantPath + "/load", "{\"generation\":2,\"extra\":1}").status());
            assertTrue(Files.exists(workdir.resolve("node/tenants/" + tenant)), "the local data stays");
            node.kill();
        }
        try (ServerProcess node = node()) {
            Api api = new Api(node.uri(), json);
            api.await("/v1/status", r -> r.status() == 200);
            assertEquals(404, api.get(tenantPath).status(), "a start does not load an ignored tenant");

            Api.Response load = api.post(tenantPath + "/load", "{\"generation\":5}");
            assertEquals(202, load.status(), load.body());
            assertEquals("null", load.body());
            awaitActive(api, tenantPath);
            assertEquals(409, api.post(tenantPath + "/load", "").status(), "loaded already");
            assertEquals(unflushed.toString(), api.get(base).object().get("last_record_lsn"));
            assertReads(api, 2, flushed, 8);
            assertReads(api, 3, unflushed, 1);
            rounds.from(unflushed).round(api, 4);
            api.await(base, r -> rounds.last().toString().equals(r.object().get("remote_consistent_lsn")));
            assertTrue(Files.exists(index(5)), "uploads go on in the generation of the load");

            // Without a generation: one above the newest known (5), after a restart while ignored.
            assertEquals(200, api.post(tenantPath + "/ignore", "").status());
            node.kill();
        }
        try (ServerProcess node = node()) {
            Api api = new Api(node.uri(), json);
            assertEquals(202, api.post(tenantPath + "/load", "").status());
            awaitActive(api, tenantPath);
            assertReads(api, 4, rounds.last(), 8);
            rounds.round(api, 5);
            api.await(base, r -> rounds.last().toString().equals(r.object().get("remote_consistent_lsn")));
            assertTrue(Files.exists(index(6)), "generation 6");

            assertEquals(200, api.post(tenantPath + "/ignore", "").status());
            assertEquals(200, api.post(tenantPath + "/detach?detach_ignored=true", "").status());
            assertEquals(404, api.get(tenantPath).status());
            assertEquals(404, api.post(tenantPath + "/load", "").status(), "nothing left to load");
            assertFalse(Files.exists(workdir.resolve("node/tenants/" + tenant)), "the local data is gone");
            assertTrue(Files.exists(index(6)), "the bucket is untouched");
            // And the id is free again: an attach brings the tenant back from the bucket.
            assertEquals(202, api.post(tenantPath + "/attach", "").status());
            awaitActive(api, tenantPath);
            assertReads(api, 5, rounds.last(), 8);
        }
    }
}
