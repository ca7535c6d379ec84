package org.pageserver.bootstrap.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pageserver.domain.id.TenantId;
import org.pageserver.domain.id.TimelineId;
import org.pageserver.domain.lsn.Lsn;
import org.pageserver.domain.page.RelTag;
import org.pageserver.domain.size.SizeModel;
import org.pageserver.domain.wal.WalEncoder;
import org.pageserver.domain.wal.WalRecord;

/**
 * The synthetic size through HTTP, against a tenant whose history the test knows: a main timeline
 * of 96 pages written one per 10,000 bytes of WAL, a branch after the 32nd with 16 pages of its
 * own, gc_horizon 100,000 and no PITR. The inputs name the real branch point, cutoffs and ends,
 * with the logical sizes the data has there; the size is the model's answer for them, and /size
 * agrees.
 */
class SyntheticSizeTest {
    private static final RelTag MAIN_REL = new RelTag(1663, 16384, 16385, 0);
    private static final RelTag CHILD_REL = new RelTag(1663, 16384, 16386, 0);
    private static final long STEP = 10_000;

    @TempDir
    Path workdir;

    private final String tenant = TenantId.generate().toString();
    private final String main = TimelineId.generate().toString();
    private final String child = TimelineId.generate().toString();

    private static Lsn write(Api api, String base, RelTag rel, Lsn after, long fromBlock, int pages) {
        List<WalRecord> records = new ArrayList<>();
        Lsn lsn = after;
        for (long blk = fromBlock; blk < fromBlock + pages; blk++) {
            lsn = lsn.plus(STEP);
            records.add(new WalRecord.PageImage(lsn, rel, blk, new byte[8192]));
        }
        assertEquals(200, api.postBinary(base + "/wal", WalEncoder.encode(records)).status());
        return lsn;
    }

    @Test
    void theInputsAreTheTenantsRealHistoryAndTheSizeIsTheModelsAnswer() {
        EmbeddedServer server = ApplicationContext.run(EmbeddedServer.class, Map.of("pageserver.workdir", workdir.toString(),
                "micronaut.server.port", -1));
        try {
            Api api = new Api(server);
            assertEquals(201, api.post("/v1/tenant", "{\"new_tenant_id\":\"" + tenant + "\",\"gc_horizon\":100000,"
                    + "\"pitr_interval\":\"0s\",\"gc_period\":\"0s\",\"compaction_period\":\"0s\"}").status());
            assertEquals(201, api.post("/v1/tenant/" + tenant + "/timeline", "{\"new_timeline_id\":\"" + main + "\"}").status());
            String mainBase = "/v1/tenant/" + tenant + "/timeline/" + main;
            String childBase = "/v1/tenant/" + tenant + "/timeline/" + child;
            Lsn branchPoint = write(api, mainBase, MAIN_REL, Lsn.INITDB, 0, 32);
            assertEquals(201, api.post("/v1/tenant/" + tenant + "/timeline", "{\"new_timeline_id\":\"" + child
                    + "\",\"ancestor_timeline_id\":\"" + main + "\",\"ancestor_start_lsn\":\"" + branchPoint + "\"}").status());
            Lsn mainLast = write(api, mainBase, MAIN_REL, branchPoint, 32, 64);
            Lsn childLast = write(api, childBase, CHILD_REL, branchPoint, 0, 16);
            assertEquals(200, api.put(mainBase + "/checkpoint", "").status());

            Map<String, Object> answer = api.get("/v1/tenant/" + tenant + "/synthetic_size").object();
            Lsn mainCutoff = Lsn.of(mainLast.value() - 100_000);
            Lsn childCutoff = Lsn.of(childLast.value() - 100_000);
            List<SizeModel.Segment> expected = List.of(
                    new SizeModel.Segment(null, Lsn.INITDB.value(), null, false),
                    new SizeModel.Segment(0, branchPoint.value(), 32 * 8192L, false),
                    new SizeModel.Segment(1, mainCutoff.value(), 86 * 8192L, false),
                    new SizeModel.Segment(2, mainLast.value(), null, true),
                    new SizeModel.Segment(1, branchPoint.value(), null, false),
                    new SizeModel.Segment(4, childCutoff.value(), (32 + 6) * 8192L, false),
                    new SizeModel.Segment(5, childLast.value(), null, true));
            @SuppressWarnings("unchecked")
            Map<String, Object> inputs = (Map<String, Object>) answer.get("inputs");
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> segments = (List<Map<String, Object>>) inputs.get("segments");
            List<SizeModel.Segment> served = new ArrayList<>();
            List<String> kinds = new ArrayList<>();
            for (Map<String, Object> s : segments) {
                @SuppressWarnings("unchecked")
                Map<String, Object> segment = (Map<String, Object>) s.get("segment");
                served.add(new SizeModel.Segment(segment.get("parent") == null ? null : ((Number) segment.get("parent")).intValue(),
                        ((Number) segment.get("lsn")).longValue(),
                        segment.get("size") == null ? null : ((Number) segment.get("size")).longValue(),
                        (Boolean) segment.get("needed")));
                kinds.add(s.get("timeline_id") + "/" + s.get("kind"));
            }
            assertEquals(expected, served);
            assertEquals(List.of(main + "/BranchStart", main + "/BranchPoint", main + "/GcCutOff", main + "/BranchEnd",
                    child + "/BranchStart", child + "/GcCutOff", child + "/BranchEnd"), kinds);
            long size = SizeModel.calculate(expected).size();
            assertEquals(size, ((Number) answer.get("size")).longValue());
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> timelines = (List<Map<String, Object>>) inputs.get("timeline_inputs");
            assertEquals(mainCutoff.toString(), timelines.get(0).get("next_gc_cutoff"));
            assertEquals(main, timelines.get(1).get("ancestor_id"));

            assertEquals(Map.of("id", tenant, "size", size), normalize(api.get("/v1/tenant/" + tenant + "/size").object()));
            Map<String, Object> only = api.get("/v1/tenant/" + tenant + "/synthetic_size?inputs_only=true").object();
            assertNull(only.get("size"));
            assertEquals(inputs, only.get("inputs"));
            // A retention period shorter than GC's history: the cutoffs move up to last - 10,000.
            Map<String, Object> shorter = api.get("/v1/tenant/" + tenant + "/synthetic_size?retention_period=10000").object();
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> shorterInputs = (List<Map<String, Object>>) ((Map<String, Object>) shorter.get("inputs"))
                    .get("timeline_inputs");
            assertEquals(Lsn.of(mainLast.value() - 10_000).toString(), shorterInputs.get(0).get("next_gc_cutoff"));
            assertEquals(400, api.get("/v1/tenant/" + tenant + "/size?retention_period=-1").status());
            assertEquals(404, api.get("/v1/tenant/" + TenantId.generate() + "/synthetic_size").status());
        } finally {
            server.close();
        }
    }

    private static Map<String, Object> normalize(Map<String, Object> answer) {
        return Map.of("id", answer.get("id"), "size", ((Number) answer.get("size")).longValue());
    }
}
