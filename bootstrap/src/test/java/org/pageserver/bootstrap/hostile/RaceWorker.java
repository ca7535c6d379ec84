package org.pageserver.bootstrap.hostile;

import java.util.List;
import java.util.Queue;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.pageserver.domain.lsn.Lsn;
import org.pageserver.domain.page.RelTag;
import org.pageserver.domain.wal.WalEncoder;
import org.pageserver.domain.wal.WalRecord;

/**
 * One of the threads of the race: until its deadline, random changes of a few shared tenants and
 * timelines (create, delete, configure, branch, ingest, checkpoint, and the tenants' moves: ignore,
 * load, detach, attach) and reads of them. Any answer
 * outside the documented statuses, or naming a path of the node, is recorded, never thrown, so that
 * every thread runs its course.
 * Accepted deletions are recorded too ({@code tenant} or {@code tenant/timeline}): their ids may be reused.
 */
final class RaceWorker implements Runnable {
    static final Set<Integer> DOCUMENTED = Set.of(200, 201, 202, 400, 404, 409, 412, 503);
    /** The race writes here; the checks after it write elsewhere, so that neither hides the other. */
    static final RelTag RACE_REL = new RelTag(1663, 16384, 20000, 0);
    private static final List<String> PERIODS = List.of("1h", "30m", "10s", "1day");

    private final Node node;
    private final Random random;
    private final long deadline;
    private final List<String> tenants;
    private final List<String> timelines;
    private final String anchorTenant;
    private final String anchorTimeline;
    private final AtomicLong nextLsn;
    private final Queue<String> violations;
    private final Set<String> deleted;

    RaceWorker(Node node, long seed, long deadline, List<String> tenants, List<String> timelines, String anchorTenant,
               String anchorTimeline,
               AtomicLong nextLsn, Queue<String> violations, Set<String> deleted) {
        this.node = node;
        this.random = new Random(seed);
        this.deadline = deadline;
        this.tenants = tenants;
        this.timelines = timelines;
        this.anchorTenant = anchorTenant;
        this.anchorTimeline = anchorTimeline;
        this.nextLsn = nextLsn;
        this.violations = violations;
        this.deleted = deleted;
    }

    @Override
    public void run() {
        while (System.nanoTime() < deadline) {
            int op = random.nextInt(11);
            // The anchor tenant is changed in every way but deletion, and its anchor timeline is never deleted.
            String tenant = op > 1 && random.nextInt(3) == 0 ? anchorTenant : pick(tenants);
            String base = "/v1/tenant/" + tenant;
            String timeline = pick(timelines);
            String timelinePath = base + "/timeline/" + timeline;
            switch (op) {
                case 0 -> call("POST", "/v1/tenant", "{\"new_tenant_id\":\"" + tenant + "\",\"gc_period\":\"" + pick(PERIODS) + "\"}");
                case 1 -> {
                    if (call("DELETE", base, null) == 202) {
                        deleted.add(tenant);
                    }
                }
                case 2 -> call("PUT", "/v1/tenant/config", "{\"tenant_id\":\"" + tenant + "\",\"pitr_interval\":\""
                        + pick(PERIODS) + "\",\"gc_horizon\":" + random.nextInt(1 << 20) + "}");
                case 3 -> call("POST", base + "/timeline", "{\"new_timeline_id\":\"" + timeline + "\"}");
                case 4 -> {
                    String ancestor = random.nextBoolean() ? anchorTimeline : pick(timelines);
                    call("POST", base + "/timeline", "{\"new_timeline_id\":\"" + timeline + "\",\"ancestor_timeline_id\":\""
                            + ancestor + "\"}");
                }
                case 5 -> {
                    if (call("DELETE", timelinePath, null) == 202) {
                        deleted.add(tenant + "/" + timeline);
                    }
                }
                case 6, 7 -> ingest(random.nextBoolean() ? base + "/timeline/" + anchorTimeline : timelinePath);
                case 8 -> call("PUT", timelinePath + "/checkpoint", null);
                case 9 -> lifecycle("/v1/tenant/" + pick(tenants));
                default -> call("GET", random.nextBoolean() ? base + "/timeline" : timelinePath, null);
            }
        }
    }

    /** A move of a tenant other than the anchor, which must stay: ignore, load, detach or attach. */
    private void lifecycle(String tenantPath) {
        switch (random.nextInt(4)) {
            case 0 -> call("POST", tenantPath + "/ignore", null);
            case 1 -> call("POST", tenantPath + "/load", null);
            case 2 -> call("POST", tenantPath + "/detach" + (random.nextBoolean() ? "?detach_ignored=true" : ""), null);
            default -> call("POST", tenantPath + "/attach", null);
        }
    }

    private void ingest(String timelinePath) {
        Lsn lsn = Lsn.INITDB.plus(nextLsn.addAndGet(1000));
        byte[] page = new byte[8192];
        page[random.nextInt(page.length)] = (byte) random.nextInt();
        byte[] body = WalEncoder.encode(List.of(new WalRecord.PageImage(lsn, RACE_REL, random.nextInt(4), page),
                new WalRecord.Commit(lsn.plus(100), 1_700_000_000_000_000L + lsn.value())));
        check("POST " + timelinePath + "/wal", node.binary(timelinePath + "/wal", body));
    }

    private int call(String method, String path, String body) {
        RawHttp.Response response = node.call(method, path, body);
        check(method + " " + path + (body == null ? "" : " " + body), response);
        return response.status();
    }

    private void check(String request, RawHttp.Response response) {
        boolean documented = DOCUMENTED.contains(response.status());
        boolean hasMsg = response.status() < 400 || response.text().contains("\"msg\"");
        if (!documented || !hasMsg || node.namesAPath(response)) {
            violations.add(request + " -> " + response.status() + " " + response.text());
        }
    }

    private String pick(List<String> values) {
        return values.get(random.nextInt(values.size()));
    }
}
