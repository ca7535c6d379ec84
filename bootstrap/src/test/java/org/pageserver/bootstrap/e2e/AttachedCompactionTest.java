package org.pageserver.bootstrap.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pageserver.domain.id.TenantId;
import org.pageserver.domain.id.TimelineId;
import org.pageserver.domain.lsn.Lsn;
import org.pageserver.domain.page.RelTag;
import org.pageserver.domain.remote.IndexPart;
import org.pageserver.domain.remote.IndexPartJson;
import org.pageserver.domain.wal.WalEncoder;
import org.pageserver.domain.wal.WalRecord;

/**
 * A timeline attached from remote storage, its layers all remote, takes writes to one relation
 * and is compacted: the compaction downloads only the layers that hold what it works on (the
 * relation sizes, the partitions with new deltas), not every layer of the timeline, as it would
 * if it listed the keys of every layer to cut the key space.
 */
class AttachedCompactionTest {
    private static final int RELATIONS = 8;
    private static final int BLOCKS = 64;
    /** Small L1 layers, and compaction only when asked for. */
    private static final String CONFIG = "\"compaction_threshold\":2,\"compaction_target_size\":131072,"
            + "\"compaction_period\":\"0s\",\"gc_period\":\"0s\"";

    @TempDir
    Path workdir;

    private static RelTag rel(int i) {
        return new RelTag(1663, 16384, 40000 + i, 0);
    }

    private static byte[] page(int rel, long blkno, int round) {
        byte[] page = new byte[8192];
        java.util.Arrays.fill(page, (byte) (rel * 31 + blkno * 7 + round));
        return page;
    }

    private static long layerFiles(Path timelineDir) throws IOException {
        if (!Files.isDirectory(timelineDir)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(timelineDir)) {
            return files.filter(f -> f.getFileName().toString().contains("__")).count();
        }
    }

    private static long localBytes(Path timelineDir) throws IOException {
        try (Stream<Path> files = Files.list(timelineDir)) {
            return files.filter(f -> f.getFileName().toString().contains("__")).mapToLong(f -> f.toFile().length()).sum();
        }
    }

    /** The timeline's pageserver_resident_physical_size in /metrics. */
    private static long residentBytes(Api api, String tenant, String timeline) {
        String prefix = "pageserver_resident_physical_size{";
        for (String line : api.get("/metrics").body().split("\n")) {
            if (line.startsWith(prefix) && line.contains(tenant) && line.contains(timeline)) {
                return (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        throw new AssertionError("no pageserver_resident_physical_size for " + tenant + "/" + timeline);
    }

    @Test
    void theFirstCompactionOfAnAttachedTimelineDownloadsOnlyWhatItWorksOn() throws Exception {
        String tenant = TenantId.generate().toString();
        String timeline = TimelineId.generate().toString();
        String tenantPath = "/v1/tenant/" + tenant;
        String base = tenantPath + "/timeline/" + timeline;
        Path timelineDir = workdir.resolve("tenants/" + tenant + "/timelines/" + timeline);
        try (EmbeddedServer server = ApplicationContext.run(EmbeddedServer.class,
                Map.of("pageserver.workdir", workdir.toString(), "micronaut.server.port", -1))) {
            Api api = new Api(server);
            assertEquals(201, api.post("/v1/tenant", "{\"new_tenant_id\":\"" + tenant + "\"," + CONFIG + "}").status());
            assertEquals(201, api.post(tenantPath + "/timeline", "{\"new_timeline_id\":\"" + timeline + "\"}").status());
            Lsn lsn = Lsn.INITDB;
            for (int round = 1; round <= 3; round++) {
                List<WalRecord> records = new ArrayList<>();
                for (int r = 0; r < RELATIONS; r++) {
                    for (long blkno = 0; blkno < BLOCKS; blkno++) {
                        lsn = lsn.plus(100);
                        records.add(new WalRecord.PageImage(lsn, rel(r), blkno, page(r, blkno, round)));
                    }
                }
                assertEquals(200, api.postBinary(base + "/wal", WalEncoder.encode(records)).status());
                assertEquals(200, api.put(base + "/checkpoint", "").status());
            }
            assertEquals(200, api.put(base + "/compact", "").status());
            Lsn written = lsn;
            api.await(base, r -> written.toString().equals(r.object().get("remote_consistent_lsn")));
            assertEquals(200, api.post(tenantPath + "/detach", "").status());

            assertEquals(202, api.post(tenantPath + "/attach", "{\"config\":{" + CONFIG + "}}").status());
            api.await(tenantPath, r -> r.status() == 200 && r.body().contains("\"Active\""));
            // The attach's generation is one above the bucket's newest (1): its first round uploads index 2.
            Path index = workdir.resolve("remote_storage/tenants/" + tenant + "/timelines/" + timeline
                    + "/index_part.json-00000002");
            api.await(tenantPath, r -> Files.exists(index));
            int remoteLayers = IndexPartJson.read(Files.readAllBytes(index)).layers().size();
            assertEquals(0, layerFiles(timelineDir), "an attach downloads no layer");
            assertEquals(0, residentBytes(api, tenant, timeline), "pageserver_resident_physical_size counts no remote layer");

            // Writes to one relation, flushed, then the compaction: the L0s merge, and the
            // partitions with new deltas may get images; the other relations' layers stay remote.
            for (int round = 4; round <= 6; round++) {
                lsn = lsn.plus(100);
                assertEquals(200, api.postBinary(base + "/wal", WalEncoder.encode(List.of(
                        new WalRecord.PageImage(lsn, rel(0), 0, page(0, 0, round))))).status());
                assertEquals(200, api.put(base + "/checkpoint", "").status());
            }
            assertEquals(200, api.put(base + "/compact", "").status());
            long downloaded = layerFiles(timelineDir);
            System.out.printf("AttachedCompactionTest: %d layers in the index, %d layer files local after the compaction%n",
                    remoteLayers, downloaded);
            assertTrue(remoteLayers >= RELATIONS, "the key space is cut into several L1s: " + remoteLayers);
            IndexPart after = IndexPartJson.read(Files.readAllBytes(index));
            assertTrue(downloaded < remoteLayers, downloaded + " of " + remoteLayers + " (index now " + after.layers().size() + ")");

            assertEquals(localBytes(timelineDir), residentBytes(api, tenant, timeline), "resident: the local layer files");

            Lsn last = lsn;
            for (int r = 0; r < RELATIONS; r++) {
                byte[] expected = r == 0 ? page(0, 0, 6) : page(r, 0, 3);
                Api.Bytes read = api.getBytes(base + "/page?rel=" + rel(r) + "&blkno=0&lsn=" + last);
                assertEquals(200, read.status(), read.text());
                assertArrayEquals(expected, read.body(), "relation " + r);
            }
        }
    }
}
