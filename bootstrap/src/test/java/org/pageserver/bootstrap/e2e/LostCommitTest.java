package org.pageserver.bootstrap.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.micronaut.context.ApplicationContext;
import io.micronaut.transaction.TransactionOperations;
import io.micronaut.runtime.server.EmbeddedServer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pageserver.application.port.out.LoadLayersPort;
import org.pageserver.application.port.out.LoadTimelinePort;
import org.pageserver.application.port.out.SaveTimelinePort;
import org.pageserver.domain.id.TenantId;
import org.pageserver.domain.id.TimelineId;
import org.pageserver.domain.lsn.Lsn;
import org.pageserver.domain.page.RelTag;
import org.pageserver.domain.timeline.TimelineMetadata;
import org.pageserver.domain.wal.WalEncoder;
import org.pageserver.domain.wal.WalRecord;

/**
 * The state an OS crash leaves when the metadata database loses commits that the file system
 * kept the effects of: a flush recorded its layer (a commit the crash lost) and renamed the file
 * (which it forced). Two flushes' commits are lost here, the timeline's row is back to what it was
 * before them, and a batch acknowledged after them is still in its ingest file. After the restart
 * every acknowledged record reads back: the files are recorded again, the ingest file after them.
 */
class LostCommitTest {
    private static final RelTag REL = new RelTag(1663, 16384, 16385, 0);

    @TempDir
    Path workdir;

    private EmbeddedServer start() {
        return ApplicationContext.run(EmbeddedServer.class,
                Map.of("pageserver.workdir", workdir.toString(), "micronaut.server.port", -1));
    }

    @Test
    void layerFilesWhoseRecordingWasLostAreRecordedAgainAtTheStart() throws Exception {
        String tenant = TenantId.generate().toString();
        String timeline = TimelineId.generate().toString();
        String path = "/v1/tenant/" + tenant + "/timeline/" + timeline;
        try (EmbeddedServer server = start()) {
            Api api = new Api(server);
            assertEquals(201, api.post("/v1/tenant", "{\"new_tenant_id\":\"" + tenant + "\"}").status());
            assertEquals(201, api.post("/v1/tenant/" + tenant + "/timeline", "{\"new_timeline_id\":\"" + timeline + "\"}").status());
            TimelineMetadata beforeFlushes = server.getApplicationContext().getBean(LoadTimelinePort.class)
                    .loadTimelines(TenantId.parse(tenant)).get(0);
            for (int block = 0; block < 3; block++) {
                assertEquals(200, api.postBinary(path + "/wal", page(Lsn.INITDB.plus(1000L * (block + 1)), block)).status());
                if (block < 2) {
                    assertEquals(200, api.put(path + "/checkpoint", "").status());
                }
            }
            // What the lost commits leave: no layer rows, the timeline row as before the flushes.
            @SuppressWarnings("unchecked")
            TransactionOperations<Connection> transactions = server.getApplicationContext().getBean(TransactionOperations.class);
            int deleted = transactions.executeWrite(status -> {
                try (PreparedStatement delete = status.getConnection().prepareStatement(
                        "DELETE FROM layer WHERE tenant_id = ? AND timeline_id = ?")) {
                    delete.setString(1, tenant);
                    delete.setString(2, timeline);
                    return delete.executeUpdate();
                }
            });
            assertEquals(2, deleted);
            server.getApplicationContext().getBean(SaveTimelinePort.class).saveTimeline(beforeFlushes);
        }
        try (EmbeddedServer server = start()) {
            Api api = new Api(server);
            api.await("/v1/tenant/" + tenant, r -> r.status() == 200
                    && "Active".equals(((Map<?, ?>) r.object().get("state")).get("slug")));
            Map<String, Object> info = api.get(path).object();
            assertEquals(Lsn.INITDB.plus(3000).toString(), info.get("last_record_lsn"));
            assertEquals(Lsn.INITDB.plus(3000).toString(), info.get("disk_consistent_lsn"));
            for (int block = 0; block < 3; block++) {
                Api.Bytes read = api.getBytes(path + "/page?rel=" + REL + "&blkno=" + block);
                assertEquals(200, read.status(), read.text());
                assertArrayEquals(filled(block), read.body(), "block " + block);
            }
            assertEquals(3, server.getApplicationContext().getBean(LoadLayersPort.class)
                    .loadLayers(TenantId.parse(tenant), TimelineId.parse(timeline)).size());
        }
    }

    private static byte[] page(Lsn lsn, int block) {
        return WalEncoder.encode(List.of(new WalRecord.PageImage(lsn, REL, block, filled(block))));
    }

    private static byte[] filled(int block) {
        byte[] page = new byte[8192];
        Arrays.fill(page, (byte) (block + 1));
        return page;
    }
}
