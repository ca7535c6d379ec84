package org.pageserver.bootstrap.hostile;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Arrays;
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
 * A timeline deleted and created again under the same id keeps only its new data across a
 * restart. Its files live under a directory named by tenant and timeline id alone: anything the
 * deleted incarnation left there, sealed into the new one at start-up, would bring deleted data
 * back and hide the new one's records at lower LSNs. (Found with the node-wide ingest log of
 * earlier versions, which keyed its records the same way.)
 */
class ReusedTimelineIdRestartTest {

    @TempDir
    Path workdir;

    @Test
    void aRecreatedTimelineReplaysOnlyItsOwnRecords() {
        String tenant = TenantId.generate().toString();
        String timeline = "/v1/tenant/" + tenant + "/timeline/" + TimelineId.generate();
        byte[] fresh = page(2);
        try (Node node = Node.start(workdir, Map.of())) {
            assertEquals(201, node.call("POST", "/v1/tenant", "{\"new_tenant_id\":\"" + tenant + "\"}").status());
            String create = "{\"new_timeline_id\":\"" + timeline.substring(timeline.lastIndexOf('/') + 1) + "\"}";
            assertEquals(201, node.call("POST", "/v1/tenant/" + tenant + "/timeline", create).status());
            assertEquals(200, node.binary(timeline + "/wal", frame(Lsn.INITDB.plus(500_000), page(1))).status());
            assertEquals(202, node.call("DELETE", timeline, null).status());
            node.await(timeline, r -> r.status() == 404);
            assertEquals(201, node.call("POST", "/v1/tenant/" + tenant + "/timeline", create).status());
            assertEquals(200, node.binary(timeline + "/wal", frame(Lsn.INITDB.plus(1000), fresh)).status());
            assertArrayEquals(fresh, node.call("GET", timeline + "/page?rel=" + Bystanders.REL + "&blkno=0", null).body());
        }
        try (Node node = Node.start(workdir, Map.of())) {
            node.await(timeline, r -> r.status() == 200);
            RawHttp.Response page = node.call("GET", timeline + "/page?rel=" + Bystanders.REL + "&blkno=0", null);
            assertArrayEquals(fresh, page.body(), () -> page.status() + " " + page.text());
            assertEquals(Lsn.INITDB.plus(1000).toString(), node.object(node.call("GET", timeline, null)).get("last_record_lsn"));
        }
    }

    private static byte[] frame(Lsn lsn, byte[] page) {
        return WalEncoder.encode(List.of(new WalRecord.PageImage(lsn, Bystanders.REL, 0, page)));
    }

    private static byte[] page(int fill) {
        byte[] page = new byte[8192];
        Arrays.fill(page, (byte) fill);
        return page;
    }
}
