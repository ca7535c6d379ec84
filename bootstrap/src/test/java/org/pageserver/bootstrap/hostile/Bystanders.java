package org.pageserver.bootstrap.hostile;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.pageserver.domain.id.TenantId;
import org.pageserver.domain.id.TimelineId;
import org.pageserver.domain.lsn.Lsn;
import org.pageserver.domain.page.RelTag;
import org.pageserver.domain.wal.WalEncoder;
import org.pageserver.domain.wal.WalRecord;

/**
 * Tenants that a hostile run never names: each has its own settings, a root timeline with pages
 * and a branch with pages of its own, all flushed to layer files. What every read of them answers
 * is recorded before the run, so that afterwards any change, however it came about, shows.
 */
final class Bystanders {
    static final RelTag REL = new RelTag(1663, 16384, 16385, 0);

    private final List<String> reads = new ArrayList<>();

    static Bystanders create(Node node, int count) {
        Bystanders bystanders = new Bystanders();
        for (int i = 0; i < count; i++) {
            bystanders.createOne(node, i);
        }
        return bystanders;
    }

    private void createOne(Node node, int index) {
        String tenant = TenantId.generate().toString();
        String root = TimelineId.generate().toString();
        String branch = TimelineId.generate().toString();
        expect(201, node.call("POST", "/v1/tenant", "{\"new_tenant_id\":\"" + tenant + "\",\"gc_horizon\":" + (1000 + index)
                + ",\"pitr_interval\":\"" + (index + 1) + "days\"}"));
        String timelines = "/v1/tenant/" + tenant + "/timeline";
        expect(201, node.call("POST", timelines, "{\"new_timeline_id\":\"" + root + "\"}"));
        expect(200, node.binary(timelines + "/" + root + "/wal", pages(Lsn.INITDB.plus(100), 1 + index)));
        expect(201, node.call("POST", timelines, "{\"new_timeline_id\":\"" + branch + "\",\"ancestor_timeline_id\":\""
                + root + "\"}"));
        expect(200, node.binary(timelines + "/" + branch + "/wal", pages(Lsn.INITDB.plus(10_000), 101 + index)));
        for (String timeline : List.of(root, branch)) {
            expect(200, node.call("PUT", timelines + "/" + timeline + "/checkpoint", null));
            // A checkpoint returns once the layer files are written; their upload, which moves
            // remote_consistent_lsn, goes on in the background and must be over before a snapshot.
            node.await(timelines + "/" + timeline, r -> {
                Map<String, Object> info = node.object(r);
                return info.get("remote_consistent_lsn").equals(info.get("disk_consistent_lsn"));
            });
            for (int blkno = 0; blkno < 3; blkno++) {
                reads.add(timelines + "/" + timeline + "/page?rel=" + REL + "&blkno=" + blkno);
            }
            reads.add(timelines + "/" + timeline);
        }
        reads.add("/v1/tenant/" + tenant);
        reads.add("/v1/tenant/" + tenant + "/config");
        reads.add(timelines);
    }

    /** Three pages of the test relation, each filled with its own byte, at LSNs from {@code first}. */
    static byte[] pages(Lsn first, int fill) {
        List<WalRecord> records = new ArrayList<>();
        for (int blkno = 0; blkno < 3; blkno++) {
            byte[] page = new byte[8192];
            Arrays.fill(page, (byte) (fill + blkno));
            records.add(new WalRecord.PageImage(first.plus(100L * blkno), REL, blkno, page));
        }
        return WalEncoder.encode(records);
    }

    /** Every read's status and body, keyed by path. */
    Map<String, String> snapshot(Node node) {
        Map<String, String> answers = new LinkedHashMap<>();
        for (String path : reads) {
            RawHttp.Response response = node.call("GET", path, null);
            answers.put(path, response.status() + " " + (path.contains("/page?")
                    ? Arrays.hashCode(response.body()) + "/" + response.body().length : response.text()));
        }
        return answers;
    }

    /**
     * Fails, naming each read whose answer differs from {@code before} with both answers in full
     * (the whole maps in one message are too long to show the difference).
     */
    void assertUnchanged(Map<String, String> before, Node node, String message) {
        Map<String, String> now = snapshot(node);
        List<String> changed = new ArrayList<>();
        before.forEach((path, answer) -> {
            if (!answer.equals(now.get(path))) {
                changed.add(path + "\n    before: " + answer + "\n    now:    " + now.get(path));
            }
        });
        assertEquals(List.of(), changed, message);
    }

    private static void expect(int status, RawHttp.Response response) {
        assertEquals(status, response.status(), response.text());
    }
}
