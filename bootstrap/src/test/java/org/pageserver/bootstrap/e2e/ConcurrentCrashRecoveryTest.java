package org.pageserver.bootstrap.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micronaut.json.JsonMapper;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pageserver.domain.id.TenantId;
import org.pageserver.domain.id.TimelineId;
import org.pageserver.domain.lsn.Lsn;
import org.pageserver.domain.page.RelTag;
import org.pageserver.domain.wal.WalEncoder;
import org.pageserver.domain.wal.WalRecord;

/**
 * A real server process is killed with SIGKILL while writers are still sending: two per timeline
 * on three timelines, so that batches of one timeline wait for the same fsync and layers freeze
 * and are sealed under them (a small checkpoint_distance). After the restart every batch that was
 * acknowledged before the kill reads back at its own LSN; batches in flight may or may not be there.
 */
class ConcurrentCrashRecoveryTest {
    private static final RelTag REL = new RelTag(1663, 16384, 16385, 0);
    private static final int TIMELINES = 3;
    private static final int WRITERS_PER_TIMELINE = 2;
    private static final long STEP = 0x10000;

    @TempDir
    Path workdir;

    record Acked(String timeline, Lsn lsn, long blkno, byte[] page) {
    }

    @Test
    void everyBatchAcknowledgedBeforeAKillInTheMiddleOfWritingSurvives() throws Exception {
        String tenant = TenantId.generate().toString();
        JsonMapper json = JsonMapper.createDefault();
        Path log = workdir.resolve("server.log");
        ServerProcess server = ServerProcess.start(workdir.resolve("data"), log);
        try {
            Api api = new Api(server.uri(), json);
            assertEquals(201, api.post("/v1/tenant", "{\"new_tenant_id\":\"" + tenant
                    + "\",\"checkpoint_distance\":300000}").status());
            List<String> timelines = new ArrayList<>();
            for (int t = 0; t < TIMELINES; t++) {
                String timeline = TimelineId.generate().toString();
                assertEquals(201, api.post("/v1/tenant/" + tenant + "/timeline",
                        "{\"new_timeline_id\":\"" + timeline + "\"}").status());
                timelines.add(timeline);
            }
            Queue<Acked> acked = new ConcurrentLinkedQueue<>();
            AtomicBoolean stop = new AtomicBoolean();
            List<Thread> writers = new ArrayList<>();
            for (String timeline : timelines) {
                // The writers of a timeline draw LSNs from one counter and send without waiting for
                // each other: a batch that arrives after a later one is refused (400), which is fine.
                AtomicLong next = new AtomicLong(Lsn.INITDB.value());
                for (int w = 0; w < WRITERS_PER_TIMELINE; w++) {
                    Api writerApi = new Api(server.uri(), json);
                    Thread writer = new Thread(() -> write(writerApi, tenant, timeline, next, stop, acked));
                    writer.start();
                    writers.add(writer);
                }
            }
            while (acked.size() < 300) {
                Thread.sleep(10);
            }
            // Killed while the writers are still sending.
            server.kill();
            stop.set(true);
            for (Thread writer : writers) {
                writer.join();
            }
            List<Acked> before = new ArrayList<>(acked);

            server = ServerProcess.start(workdir.resolve("data"), log);
            api = new Api(server.uri(), json);
            api.await("/v1/tenant/" + tenant, r -> r.status() == 200
                    && "Active".equals(((Map<?, ?>) r.object().get("state")).get("slug")));
            for (String timeline : timelines) {
                String base = "/v1/tenant/" + tenant + "/timeline/" + timeline;
                Lsn last = Lsn.parse((String) api.get(base).object().get("last_record_lsn"));
                for (Acked a : before) {
                    if (a.timeline().equals(timeline)) {
                        assertTrue(!a.lsn().isAfter(last), a.lsn() + " was acknowledged, last_record_lsn is " + last);
                        Api.Bytes page = api.getBytes(base + "/page?rel=" + REL + "&blkno=" + a.blkno() + "&lsn=" + a.lsn());
                        assertEquals(200, page.status(), page.text());
                        assertArrayEquals(a.page(), page.body(), timeline + " block " + a.blkno() + " at " + a.lsn());
                    }
                }
            }
            assertTrue(before.stream().map(Acked::timeline).distinct().count() == TIMELINES, "every timeline was written");
        } finally {
            server.close();
        }
    }

    /** Sends batches of two page images (blocks of their own, filled from their LSN) until stopped. */
    private static void write(Api api, String tenant, String timeline, AtomicLong next, AtomicBoolean stop,
                              Queue<Acked> acked) {
        String path = "/v1/tenant/" + tenant + "/timeline/" + timeline + "/wal";
        while (!stop.get()) {
            long first = next.addAndGet(STEP);
            List<WalRecord> records = new ArrayList<>();
            List<Acked> batch = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                Lsn lsn = Lsn.of(first + i * 0x100);
                long blkno = (first / STEP * 2 + i) % 64;
                byte[] page = new byte[8192];
                Arrays.fill(page, (byte) (lsn.value() / 0x100));
                records.add(new WalRecord.PageImage(lsn, REL, blkno, page));
                batch.add(new Acked(timeline, lsn, blkno, page));
            }
            try {
                Api.Response response = api.postBinary(path, WalEncoder.encode(records));
                if (response.status() == 200) {
                    acked.addAll(batch);
                }
            } catch (UncheckedIOException | IllegalStateException e) {
                return;
            }
        }
    }
}
