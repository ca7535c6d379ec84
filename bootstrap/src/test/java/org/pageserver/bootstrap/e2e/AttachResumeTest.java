package org.pageserver.bootstrap.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micronaut.json.JsonMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pageserver.domain.id.TenantId;
import org.pageserver.domain.id.TimelineId;
import org.pageserver.domain.lsn.Lsn;

/**
 * An attach that does not finish, because an index is damaged or the server is killed in the middle
 * of it, is never left half done: the tenant is Broken with the reason (absent if the kill came
 * before the attach recorded anything), and the next start takes the attach up again from the start
 * and ends with every timeline, every page intact.
 */
class AttachResumeTest {
    private static final int TIMELINES = 12;

    @TempDir
    Path workdir;

    private final JsonMapper json = JsonMapper.createDefault();
    private final String tenant = TenantId.generate().toString();
    private final String tenantPath = "/v1/tenant/" + tenant;
    private final List<String> timelines = new ArrayList<>();
    private final List<Lsn> ends = new ArrayList<>();
    private SharedBucket bucket;

    @BeforeEach
    void startBucket() throws Exception {
        bucket = SharedBucket.start("local", workdir);
    }

    @AfterEach
    void stopBucket() throws Exception {
        bucket.close();
    }

    private ServerProcess node(String name) {
        return ServerProcess.start(workdir.resolve(name), workdir.resolve(name + ".log"), bucket.settings());
    }

    /** Node "a" makes the tenant, TIMELINES timelines of one round each (round i: page i), all uploaded, then detaches. */
    private void makeTenantInTheBucket() {
        try (ServerProcess a = node("a")) {
            Api api = new Api(a.uri(), json);
            assertEquals(201, api.post("/v1/tenant", "{\"new_tenant_id\":\"" + tenant + "\",\"generation\":1}").status());
            for (int i = 1; i <= TIMELINES; i++) {
                String timeline = TimelineId.generate().toString();
                timelines.add(timeline);
                assertEquals(201, api.post(tenantPath + "/timeline", "{\"new_timeline_id\":\"" + timeline + "\"}").status());
                PageRounds rounds = new PageRounds(tenantPath + "/timeline/" + timeline);
                rounds.round(api, i);
                ends.add(rounds.last());
            }
            assertEquals(200, api.post(tenantPath + "/detach", "").status());
        }
    }

    private void assertWhole(Api api) {
        Api.Response list = api.get(tenantPath + "/timeline");
        assertEquals(200, list.status(), list.body());
        for (int i = 1; i <= TIMELINES; i++) {
            String base = tenantPath + "/timeline/" + timelines.get(i - 1);
            assertTrue(list.body().contains(timelines.get(i - 1)), "timeline " + i + " is there");
            assertEquals(ends.get(i - 1).toString(), api.get(base).object().get("last_record_lsn"));
            Api.Bytes page = api.getBytes(base + "/page?rel=" + PageRounds.REL + "&blkno=" + (i % 8));
            assertEquals(200, page.status(), page.text());
            assertArrayEquals(PageRounds.page(i), page.body(), "timeline " + i);
        }
    }

    private Path index(int timeline) {
        return bucket.root().resolve("tenants/" + tenant + "/timelines/" + timelines.get(timeline - 1)
                + "/index_part.json-00000001");
    }

    @Test
    void anAttachThatFailedOnADamagedIndexIsTakenUpAgainByTheNextStart() throws Exception {
        makeTenantInTheBucket();
        Path damaged = index(TIMELINES / 2);
        byte[] good = Files.readAllBytes(damaged);
        Files.writeString(damaged, "{\"version\":7,");
        try (ServerProcess b = node("b")) {
            Api api = new Api(b.uri(), json);
            assertEquals(202, api.post(tenantPath + "/attach", "{\"generation\":2}").status());
            Api.Response broken = api.await(tenantPath, r -> r.status() == 200 && r.body().contains("\"Broken\""));
            assertTrue(broken.body().contains("is damaged"), broken.body());
            b.kill();
        }
        Files.write(damaged, good);
        try (ServerProcess b = node("b")) {
            Api api = new Api(b.uri(), json);
            Api.Response active = api.await(tenantPath, r -> r.status() == 200 && !r.body().contains("Attaching")
                    && !r.body().contains("Activating"));
            assertTrue(active.body().contains("\"Active\""), active.body());
            // Present at all shows the resume: the failed attach had recorded no timeline, only its mark.
            assertWhole(api);
        }
    }

    /**
     * SIGKILL at several moments of an attach: at the next start the tenant is absent (the attach had
     * recorded nothing; attaching it again works) or whole, never partial.
     */
    @Test
    void aKillDuringAnAttachLeavesTheTenantAbsentOrWholeAfterTheRestart() throws Exception {
        makeTenantInTheBucket();
        int present = 0;
        int generation = 2;
        for (long delayMillis : new long[] {5, 20, 60}) {
            Path dir = workdir.resolve("b" + delayMillis);
            try (ServerProcess b = ServerProcess.start(dir, workdir.resolve("b" + delayMillis + ".log"), bucket.settings())) {
                Api api = new Api(b.uri(), json);
                assertEquals(202, api.post(tenantPath + "/attach", "{\"generation\":" + generation++ + "}").status());
                Thread.sleep(delayMillis);
                b.kill();
            }
            try (ServerProcess b = ServerProcess.start(dir, workdir.resolve("b" + delayMillis + ".log"), bucket.settings())) {
                Api api = new Api(b.uri(), json);
                api.await("/v1/tenant", r -> r.status() == 200 && !r.body().contains("Attaching")
                        && !r.body().contains("Activating"));
                if (api.get(tenantPath).status() == 404) {
                    assertEquals(202, api.post(tenantPath + "/attach", "{\"generation\":" + generation++ + "}").status());
                    api.await(tenantPath, r -> r.status() == 200 && r.body().contains("\"Active\""));
                } else {
                    present++;
                }
                assertTrue(api.get(tenantPath).body().contains("\"Active\""), api.get(tenantPath).body());
                assertWhole(api);
                assertEquals(200, api.post(tenantPath + "/detach", "").status());
            }
        }
        System.out.println("AttachResumeTest: after " + present + " of 3 kills the tenant was there at the restart");
    }
}
