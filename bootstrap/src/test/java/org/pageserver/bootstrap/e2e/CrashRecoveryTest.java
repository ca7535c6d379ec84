package org.pageserver.bootstrap.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micronaut.json.JsonMapper;
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
 * A real server process is killed with SIGKILL right after batches were acknowledged, twice, and
 * started again: every acknowledged record reads back at its own LSN. Part of the data is in
 * sealed layer files by then (a small checkpoint_distance), the rest comes back from the ingest
 * files the kill left unsealed.
 */
class CrashRecoveryTest {
    private static final RelTag REL = new RelTag(1663, 16384, 16385, 0);

    @TempDir
    Path workdir;

    record Acked(Lsn lsn, long blkno, byte[] page) {
    }

    @Test
    void everyAcknowledgedRecordSurvivesAKill() throws Exception {
        String tenant = TenantId.generate().toString();
        String timeline = TimelineId.generate().toString();
        String base = "/v1/tenant/" + tenant + "/timeline/" + timeline;
        JsonMapper json = JsonMapper.createDefault();
        Path log = workdir.resolve("server.log");
        List<Acked> acked = new ArrayList<>();
        Lsn last = Lsn.INITDB;
        ServerProcess server = ServerProcess.start(workdir.resolve("data"), log);
        try {
            Api api = new Api(server.uri(), json);
            assertEquals(201, api.post("/v1/tenant", "{\"new_tenant_id\":\"" + tenant
                    + "\",\"checkpoint_distance\":200000}").status());
            assertEquals(201, api.post("/v1/tenant/" + tenant + "/timeline", "{\"new_timeline_id\":\"" + timeline + "\"}").status());
            for (int round = 0; round < 3; round++) {
                for (int batch = 0; batch < 40; batch++) {
                    List<WalRecord> records = new ArrayList<>();
                    List<Acked> pending = new ArrayList<>();
                    for (int i = 0; i < 4; i++) {
                        long blkno = (acked.size() + pending.size()) % 16;
                        byte[] page = new byte[8192];
                        Arrays.fill(page, (byte) (acked.size() + pending.size()));
                        WalRecord r = new WalRecord.PageImage(Lsn.INITDB, REL, blkno, page);
                        last = last.plus(WalEncoder.frameSize(r));
                        records.add(new WalRecord.PageImage(last, REL, blkno, page));
                        pending.add(new Acked(last, blkno, page));
                    }
                    Api.Response ack = api.postBinary(base + "/wal", WalEncoder.encode(records));
                    assertEquals(200, ack.status(), ack.body());
                    acked.addAll(pending);
                }
                // Killed the moment the last batch was acknowledged.
                server.kill();
                server = ServerProcess.start(workdir.resolve("data"), log);
                api = new Api(server.uri(), json);
                api.await("/v1/tenant/" + tenant, r -> r.status() == 200
                        && "Active".equals(((Map<?, ?>) r.object().get("state")).get("slug")));
                Map<String, Object> info = api.get(base).object();
                assertEquals(last.toString(), info.get("last_record_lsn"), "round " + round);
                for (Acked a : acked) {
                    Api.Bytes page = api.getBytes(base + "/page?rel=" + REL + "&blkno=" + a.blkno() + "&lsn=" + a.lsn());
                    assertEquals(200, page.status(), page.text());
                    assertArrayEquals(a.page(), page.body(), "block " + a.blkno() + " at " + a.lsn());
                }
            }
            Map<String, Object> info = new Api(server.uri(), json).get(base).object();
            assertTrue(Lsn.parse((String) info.get("disk_consistent_lsn")).isAfter(Lsn.INITDB),
                    "some of the data went to layer files before the kills");
        } finally {
            server.close();
        }
    }
}
