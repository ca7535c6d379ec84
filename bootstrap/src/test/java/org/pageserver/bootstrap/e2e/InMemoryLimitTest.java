package org.pageserver.bootstrap.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.pageserver.application.engine.EngineContext;
import org.pageserver.domain.id.TenantId;
import org.pageserver.domain.id.TimelineId;
import org.pageserver.domain.lsn.Lsn;
import org.pageserver.domain.page.RelTag;
import org.pageserver.domain.wal.WalEncoder;
import org.pageserver.domain.wal.WalRecord;

/**
 * The node-wide limit on in-memory layers, through HTTP: many timelines ingesting more than the
 * limit together (far below their checkpoint_distance each) freeze and flush early, every batch is
 * taken, memory stays near the limit, and deleting timelines gives their memory back.
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class InMemoryLimitTest implements TestPropertyProvider {
    private static final long LIMIT = 8L << 20;
    private static final RelTag REL = new RelTag(1663, 16384, 16385, 0);
    private static final int TIMELINES = 6;
    private static final int BATCHES = 12;
    private static final int PAGES = 32;

    @Inject
    EmbeddedServer server;

    @Inject
    EngineContext engine;

    @Override
    public Map<String, String> getProperties() {
        try {
            return Map.of("pageserver.workdir", Files.createTempDirectory("pageserver-memory").toString(),
                    "micronaut.server.port", "-1", "pageserver.in-memory-limit", Long.toString(LIMIT));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] page(int timeline, long blkno) {
        byte[] page = new byte[8192];
        Arrays.fill(page, (byte) (timeline * 31 + blkno));
        return page;
    }

    private static Lsn lsn(int batch, int record) {
        return Lsn.INITDB.plus(0x10000L * (batch + 1) + 0x100L * (record + 1));
    }

    @Test
    void timelinesTogetherOverTheLimitFlushEarlyAndLoseNothing() throws InterruptedException {
        Api api = new Api(server);
        String tenant = TenantId.generate().toString();
        assertEquals(201, api.post("/v1/tenant", "{\"new_tenant_id\":\"" + tenant + "\"}").status());
        List<String> bases = new ArrayList<>();
        for (int t = 0; t < TIMELINES; t++) {
            String timeline = TimelineId.generate().toString();
            assertEquals(201, api.post("/v1/tenant/" + tenant + "/timeline",
                    "{\"new_timeline_id\":\"" + timeline + "\"}").status());
            bases.add("/v1/tenant/" + tenant + "/timeline/" + timeline);
        }

        // 6 timelines x 12 batches x 256 KiB = 18 MiB of pages, interleaved, against an 8 MiB limit.
        long most = 0;
        for (int b = 0; b < BATCHES; b++) {
            for (int t = 0; t < TIMELINES; t++) {
                List<WalRecord> batch = new ArrayList<>();
                for (int r = 0; r < PAGES; r++) {
                    long blkno = (long) b * PAGES + r;
                    batch.add(new WalRecord.PageImage(lsn(b, r), REL, blkno, page(t, blkno)));
                }
                Api.Response answer = api.postBinary(bases.get(t) + "/wal", WalEncoder.encode(batch));
                assertEquals(200, answer.status(), answer.body());
                most = Math.max(most, engine.memoryBudget().used());
            }
        }
        // A batch is let in below the limit and may take a chunk or two beyond it.
        assertTrue(most <= LIMIT + (2 << 20), "in-memory layers held " + most + " bytes at most");

        for (int t = 0; t < TIMELINES; t++) {
            Map<String, Object> info = api.get(bases.get(t)).object();
            assertTrue(Lsn.parse((String) info.get("disk_consistent_lsn")).value() > Lsn.INITDB.value(),
                    "timeline " + t + " flushed early, far below its checkpoint_distance: " + info);
            for (long blkno = 0; blkno < (long) BATCHES * PAGES; blkno += 37) {
                assertArrayEquals(page(t, blkno), api.getBytes(bases.get(t) + "/page?rel=" + REL + "&blkno=" + blkno).body(),
                        "timeline " + t + " block " + blkno);
            }
        }

        for (String base : bases) {
            assertEquals(202, api.delete(base).status());
        }
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (engine.memoryBudget().used() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(0, engine.memoryBudget().used(), "deleted timelines gave their memory back");
    }
}
