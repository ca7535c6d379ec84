package org.pageserver.bootstrap.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pageserver.domain.id.TenantId;
import org.pageserver.domain.id.TimelineId;
import org.pageserver.domain.lsn.Lsn;
import org.pageserver.domain.page.RelTag;
import org.pageserver.domain.wal.WalEncoder;
import org.pageserver.domain.wal.WalRecord;

/**
 * GC through HTTP on the running application: the rewrite workload (the same pages written 20
 * times, each round flushed) holds 20 times its logical size on disk; compaction and
 * {@code do_gc} bring it within twice; the answer counts truthfully; reads and branches below the
 * cutoff are refused, reads above it agree, before and after a restart; and GC runs on its own
 * every gc_period.
 */
class GcThroughHttpTest {
    private static final RelTag REL = new RelTag(1663, 16384, 16385, 0);
    private static final int PAGES = 64;
    private static final int ROUNDS = 20;

    @TempDir
    Path workdir;

    private EmbeddedServer server;
    private Api api;

    private void start() {
        server = ApplicationContext.run(EmbeddedServer.class, Map.of("pageserver.workdir", workdir.toString(),
                "micronaut.server.port", -1));
        api = new Api(server);
    }

    private static byte[] page(int round, long blkno) {
        byte[] page = new byte[8192];
        Arrays.fill(page, (byte) (round * 7 + blkno));
        return page;
    }

    /** Writes the rounds, each flushed; returns each round's last LSN. */
    private List<Lsn> rewrite(String base, int rounds) {
        List<Lsn> ends = new ArrayList<>();
        Lsn last = Lsn.INITDB;
        for (int round = 0; round < rounds; round++) {
            List<WalRecord> records = new ArrayList<>();
            for (long blkno = 0; blkno < PAGES; blkno++) {
                last = last.plus(10_000);
                records.add(new WalRecord.PageImage(last, REL, blkno, page(round, blkno)));
            }
            assertEquals(200, api.postBinary(base + "/wal", WalEncoder.encode(records)).status());
            assertEquals(200, api.put(base + "/checkpoint", "").status());
            ends.add(last);
        }
        return ends;
    }

    private Map<String, Object> info(String base) {
        return api.get(base + "?include-non-incremental-logical-size=true").object();
    }

    private static long number(Map<String, Object> info, String field) {
        return ((Number) info.get(field)).longValue();
    }

    @Test
    void theRewriteWorkloadComesWithinTwiceItsLogicalSizeAndReadsAgree() {
        start();
        String tenant = TenantId.generate().toString();
        String timeline = TimelineId.generate().toString();
        String base = "/v1/tenant/" + tenant + "/timeline/" + timeline;
        try {
            // No GC or compaction of their own (periods 0s), no PITR: only what the test asks for.
            assertEquals(201, api.post("/v1/tenant", "{\"new_tenant_id\":\"" + tenant + "\",\"gc_period\":\"0s\","
                    + "\"compaction_period\":\"0s\",\"pitr_interval\":\"0s\"}").status());
            assertEquals(201, api.post("/v1/tenant/" + tenant + "/timeline", "{\"new_timeline_id\":\"" + timeline + "\"}")
                    .status());
            List<Lsn> ends = rewrite(base, ROUNDS);
            Map<String, Object> before = info(base);
            long logical = number(before, "current_logical_size");
            assertEquals(PAGES * 8192L, logical);
            assertTrue(number(before, "current_physical_size") > 15 * logical, "20 rounds on disk: " + before);

            Api.Response nothing = api.put(base + "/do_gc", "{\"gc_horizon\":0}");
            assertEquals(200, nothing.status(), nothing.body());
            assertEquals(0L, ((Number) nothing.object().get("layers_removed")).longValue(), "no image yet: " + nothing.body());
            assertEquals((long) ROUNDS - 1, ((Number) nothing.object().get("layers_not_updated")).longValue(), nothing.body());

            assertEquals(200, api.put(base + "/compact", "").status());
            List<WalRecord> more = List.of(new WalRecord.PageImage(ends.get(ROUNDS - 1).plus(10_000), REL, 0, page(99, 0)));
            assertEquals(200, api.postBinary(base + "/wal", WalEncoder.encode(more)).status());
            assertEquals(200, api.put(base + "/checkpoint", "").status());
            Api.Response gc = api.put(base + "/do_gc", "{\"gc_horizon\":0}");
            assertEquals(200, gc.status(), gc.body());
            Map<String, Object> result = gc.object();
            // Compaction merged the 20 L0 layers into one L1 layer and made an image at its top (20
            // deltas above no image); then the L1 layer, the image, the last flush's L0 layer.
            assertEquals(3L, ((Number) result.get("layers_total")).longValue(), gc.body());
            assertEquals(1L, ((Number) result.get("layers_removed")).longValue(), gc.body());
            assertEquals(1L, ((Number) result.get("layers_needed_by_cutoff")).longValue(), gc.body());
            assertEquals(1L, ((Number) result.get("layers_not_updated")).longValue(), "the image: " + gc.body());

            for (int restart = 0; restart < 2; restart++) {
                Map<String, Object> after = info(base);
                assertTrue(number(after, "current_physical_size") <= 2 * number(after, "current_logical_size"),
                        "within twice the logical size: " + after);
                Lsn cutoff = Lsn.parse((String) after.get("latest_gc_cutoff_lsn"));
                assertEquals(ends.get(ROUNDS - 1).plus(10_000), cutoff, "the cutoff is last_record_lsn - 0");
                Api.Bytes below = api.getBytes(base + "/page?rel=" + REL + "&blkno=1&lsn=" + ends.get(ROUNDS - 2));
                assertEquals(400, below.status(), below.text());
                assertEquals(406, api.post("/v1/tenant/" + tenant + "/timeline", "{\"new_timeline_id\":\""
                        + TimelineId.generate() + "\",\"ancestor_timeline_id\":\"" + timeline + "\",\"ancestor_start_lsn\":\""
                        + ends.get(ROUNDS - 2) + "\"}").status(), "no branch below the cutoff");
                for (long blkno = 0; blkno < PAGES; blkno++) {
                    Api.Bytes read = api.getBytes(base + "/page?rel=" + REL + "&blkno=" + blkno);
                    assertArrayEquals(page(blkno == 0 ? 99 : ROUNDS - 1, blkno), read.body(), "block " + blkno);
                }
                server.close();
                start();
                api.await("/v1/tenant/" + tenant, r -> r.status() == 200
                        && "Active".equals(((Map<?, ?>) r.object().get("state")).get("slug")));
            }
        } finally {
            server.close();
        }
    }

    @Test
    void gcRunsOnItsOwnEveryGcPeriod() {
        start();
        String tenant = TenantId.generate().toString();
        String timeline = TimelineId.generate().toString();
        String base = "/v1/tenant/" + tenant + "/timeline/" + timeline;
        try {
            assertEquals(201, api.post("/v1/tenant", "{\"new_tenant_id\":\"" + tenant + "\",\"gc_period\":\"1s\","
                    + "\"compaction_period\":\"1s\",\"pitr_interval\":\"0s\",\"gc_horizon\":0}").status());
            assertEquals(201, api.post("/v1/tenant/" + tenant + "/timeline", "{\"new_timeline_id\":\"" + timeline + "\"}")
                    .status());
            List<Lsn> ends = rewrite(base, 4);
            // The cutoff follows last_record_lsn; compaction makes an image of the 4 rounds.
            api.await(base, r -> Lsn.parse((String) r.object().get("latest_gc_cutoff_lsn")).equals(ends.get(3)));
            api.await(base, r -> number(r.object(), "current_physical_size") > 4L * PAGES * 8192 + PAGES * 8192);
            long before = number(info(base), "current_physical_size");
            // GC removes only when the cutoff moves: one more round moves it, and the 4 rounds under the image go.
            List<WalRecord> more = List.of(new WalRecord.PageImage(ends.get(3).plus(10_000), REL, 0, page(50, 0)));
            assertEquals(200, api.postBinary(base + "/wal", WalEncoder.encode(more)).status());
            assertEquals(200, api.put(base + "/checkpoint", "").status());
            api.await(base, r -> number(r.object(), "current_physical_size") < before / 2);
            assertEquals(ends.get(3).plus(10_000).toString(), info(base).get("latest_gc_cutoff_lsn"));
        } finally {
            server.close();
        }
    }
}
