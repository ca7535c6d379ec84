package org.pageserver.bootstrap.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pageserver.domain.id.TenantId;
import org.pageserver.domain.id.TimelineId;
import org.pageserver.domain.lsn.Lsn;
import org.pageserver.domain.wal.WalEncoder;
import org.pageserver.domain.wal.WalRecord;

/**
 * A detach right after writes that were acknowledged but neither flushed nor uploaded: the detach
 * flushes them and waits for the upload before it lets the local data go, so the attach that
 * follows (here on the same node, from the bucket alone) reads every one of them.
 */
class DetachUploadsFirstTest {
    @TempDir
    Path workdir;

    @Test
    void aDetachRightAfterWritesLosesNoneOfThem() {
        String tenant = TenantId.generate().toString();
        String timeline = TimelineId.generate().toString();
        String tenantPath = "/v1/tenant/" + tenant;
        String base = tenantPath + "/timeline/" + timeline;
        try (EmbeddedServer server = ApplicationContext.run(EmbeddedServer.class,
                Map.of("pageserver.workdir", workdir.toString(), "micronaut.server.port", -1))) {
            Api api = new Api(server);
            assertEquals(201, api.post("/v1/tenant", "{\"new_tenant_id\":\"" + tenant + "\"}").status());
            assertEquals(201, api.post(tenantPath + "/timeline", "{\"new_timeline_id\":\"" + timeline + "\"}").status());
            PageRounds rounds = new PageRounds(base);
            rounds.round(api, 1);
            Lsn lsn = rounds.last();
            for (int i = 2; i <= 20; i++) {
                lsn = lsn.plus(10_000);
                assertEquals(200, api.postBinary(base + "/wal", WalEncoder.encode(List.of(
                        new WalRecord.PageImage(lsn, PageRounds.REL, i % 8, PageRounds.page(i))))).status());
            }
            Lsn last = lsn;

            Api.Response detach = api.post(tenantPath + "/detach", "");
            assertEquals(200, detach.status(), detach.body());
            assertEquals(404, api.get(tenantPath).status());

            assertEquals(202, api.post(tenantPath + "/attach", "").status());
            api.await(tenantPath, r -> r.status() == 200 && r.body().contains("\"Active\""));
            assertEquals(last.toString(), api.get(base).object().get("last_record_lsn"));
            for (int i = 13; i <= 20; i++) {
                Api.Bytes page = api.getBytes(base + "/page?rel=" + PageRounds.REL + "&blkno=" + (i % 8) + "&lsn=" + last);
                assertEquals(200, page.status(), page.text());
                assertArrayEquals(PageRounds.page(i), page.body(), "the write of step " + i);
            }
        }
    }
}
