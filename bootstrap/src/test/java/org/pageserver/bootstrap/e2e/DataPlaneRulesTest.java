package org.pageserver.bootstrap.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.pageserver.domain.id.TenantId;
import org.pageserver.domain.id.TimelineId;
import org.pageserver.domain.lsn.Lsn;
import org.pageserver.domain.page.RelTag;
import org.pageserver.domain.wal.WalEncoder;
import org.pageserver.domain.wal.WalRecord;

/** The data plane's rules, each shown through HTTP against the running application. */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DataPlaneRulesTest implements TestPropertyProvider {
    private static final RelTag REL = new RelTag(1663, 16384, 16385, 0);

    @Inject
    EmbeddedServer server;

    Api api;
    Path workdir;
    String tenant;
    String timeline;

    @Override
    public Map<String, String> getProperties() {
        try {
            workdir = Files.createTempDirectory("pageserver-rules");
            return Map.of("pageserver.workdir", workdir.toString(), "micronaut.server.port", "-1",
                    "pageserver.wait-lsn-timeout", "1s");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @BeforeEach
    void timeline() {
        api = new Api(server);
        tenant = TenantId.generate().toString();
        timeline = TimelineId.generate().toString();
        assertEquals(201, api.post("/v1/tenant", "{\"new_tenant_id\":\"" + tenant + "\"}").status());
        assertEquals(201, api.post("/v1/tenant/" + tenant + "/timeline", "{\"new_timeline_id\":\"" + timeline + "\"}").status());
    }

    private String base() {
        return "/v1/tenant/" + tenant + "/timeline/" + timeline;
    }

    private static byte[] page(int fill) {
        byte[] page = new byte[8192];
        Arrays.fill(page, (byte) fill);
        return page;
    }

    private Api.Response ingest(WalRecord... records) {
        return api.postBinary(base() + "/wal", WalEncoder.encode(List.of(records)));
    }

    private static Lsn lsn(long offset) {
        return Lsn.INITDB.plus(offset);
    }

    @Test
    void aBadFrameRejectsTheWholeBatchAndAppliesNothing() {
        byte[] good = WalEncoder.frame(new WalRecord.PageImage(lsn(100), REL, 0, page(1)));
        byte[] bad = WalEncoder.frame(new WalRecord.RelSize(lsn(200), REL, 5));
        ByteBuffer.wrap(bad).put(12, (byte) 9);  // an unknown record type
        byte[] body = ByteBuffer.allocate(good.length + bad.length).put(good).put(bad).array();
        Api.Response rejected = api.postBinary(base() + "/wal", body);
        assertEquals(400, rejected.status(), rejected.body());
        assertTrue(rejected.msg().contains("frame 1"), rejected.msg());
        assertEquals(Lsn.INITDB.toString(), api.get(base()).object().get("last_record_lsn"));
        assertEquals(false, api.get(base() + "/rel_exists?rel=" + REL).object().get("exists"));
    }

    @Test
    void lsnsMustGrow() {
        assertEquals(200, ingest(new WalRecord.PageImage(lsn(100), REL, 0, page(1))).status());
        Api.Response same = ingest(new WalRecord.PageImage(lsn(100), REL, 1, page(2)));
        assertEquals(400, same.status());
        assertTrue(same.msg().contains("not above"), same.msg());
        Api.Response inside = ingest(new WalRecord.PageImage(lsn(300), REL, 1, page(2)),
                new WalRecord.PageImage(lsn(200), REL, 2, page(3)));
        assertEquals(400, inside.status());
        assertEquals(1L, ((Number) api.get(base() + "/rel_size?rel=" + REL).object().get("nblocks")).longValue());
    }

    @Test
    void readsOfWhatDoesNotExist() {
        assertEquals(404, api.get(base() + "/rel_size?rel=" + REL).status());
        assertEquals(false, api.get(base() + "/rel_exists?rel=" + REL).object().get("exists"));
        assertEquals(0, ((Number) api.get(base() + "/db_size?spcnode=1663&dbnode=16384").object().get("bytes")).intValue());
        assertEquals(404, api.getBytes(base() + "/page?rel=" + REL + "&blkno=0").status());
        assertEquals(200, ingest(new WalRecord.PageImage(lsn(100), REL, 2, page(7))).status());
        assertArrayEquals(page(0), api.getBytes(base() + "/page?rel=" + REL + "&blkno=1").body(), "never written: zeros");
        Api.Bytes beyond = api.getBytes(base() + "/page?rel=" + REL + "&blkno=3");
        assertEquals(404, beyond.status());
        assertTrue(beyond.text().contains("3 blocks"), beyond.text());
        assertEquals(200, ingest(new WalRecord.RelDrop(lsn(200), REL)).status());
        assertEquals(404, api.getBytes(base() + "/page?rel=" + REL + "&blkno=2").status());
        assertArrayEquals(page(7), api.getBytes(base() + "/page?rel=" + REL + "&blkno=2&lsn=" + lsn(100)).body(),
                "the past is still readable");
    }

    @Test
    void aFutureLsnWaitsThenTimesOut() throws Exception {
        Api.Response late = api.get(base() + "/rel_exists?rel=" + REL + "&lsn=" + lsn(1000));
        assertEquals(503, late.status());
        assertTrue(late.msg().contains("Timed out while waiting"), late.msg());

        CompletableFuture<Api.Bytes> waiting = CompletableFuture.supplyAsync(
                () -> api.getBytes(base() + "/page?rel=" + REL + "&blkno=0&lsn=" + lsn(500)));
        Thread.sleep(200);
        assertEquals(200, ingest(new WalRecord.PageImage(lsn(500), REL, 0, page(5))).status());
        Api.Bytes arrived = waiting.get(5, TimeUnit.SECONDS);
        assertEquals(200, arrived.status(), arrived.text());
        assertArrayEquals(page(5), arrived.body());
    }

    @Test
    void aBranchAtAnLsnNotYetIngestedWaitsForIt() throws Exception {
        String branch = TimelineId.generate().toString();
        CompletableFuture<Api.Response> creating = CompletableFuture.supplyAsync(() -> api.post("/v1/tenant/" + tenant
                + "/timeline", "{\"new_timeline_id\":\"" + branch + "\",\"ancestor_timeline_id\":\"" + timeline
                + "\",\"ancestor_start_lsn\":\"" + lsn(100) + "\"}"));
        Thread.sleep(200);
        assertEquals(200, ingest(new WalRecord.PageImage(lsn(100), REL, 0, page(1)),
                new WalRecord.PageImage(lsn(200), REL, 0, page(2))).status());
        Api.Response created = creating.get(5, TimeUnit.SECONDS);
        assertEquals(201, created.status(), created.body());
        String branchBase = "/v1/tenant/" + tenant + "/timeline/" + branch;
        assertArrayEquals(page(1), api.getBytes(branchBase + "/page?rel=" + REL + "&blkno=0").body(),
                "the branch sees its ancestor up to the branch point only");
    }

    @Test
    void layerFilesAppearWithACheckpointAndGoWithTheTimeline() throws IOException {
        assertEquals(200, ingest(new WalRecord.PageImage(lsn(100), REL, 0, page(1))).status());
        assertEquals(200, api.put(base() + "/checkpoint", "").status());
        Map<String, Object> info = api.get(base()).object();
        assertEquals(lsn(100).toString(), info.get("disk_consistent_lsn"));
        long physical = ((Number) info.get("current_physical_size")).longValue();
        assertTrue(physical > 8192, "a layer file holds the page: " + physical);
        assertEquals(physical, ((Number) api.get("/v1/tenant/" + tenant).object().get("current_physical_size")).longValue());
        Path dir = workdir.resolve("tenants").resolve(tenant).resolve("timelines").resolve(timeline);
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(physical, files.mapToLong(p -> p.toFile().length()).sum(), "the sizes are the files'");
        }
        assertEquals(202, api.delete(base()).status());
        api.await(base(), r -> r.status() == 404);
        assertFalse(Files.exists(dir), "deleting a timeline removes its layer files");
    }
}
