package org.pageserver.bootstrap.hostile;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pageserver.domain.id.TenantId;
import org.pageserver.domain.id.TimelineId;
import org.pageserver.domain.lsn.Lsn;
import org.pageserver.domain.page.RelTag;
import org.pageserver.domain.wal.WalEncoder;
import org.pageserver.domain.wal.WalRecord;

/**
 * Eight threads for a few seconds change the same few tenants and timelines at once (create,
 * delete, configure, branch, ingest, checkpoint, ignore, load, detach, attach). Every answer is a
 * documented status, never a 500;
 * once the background deletions are done, every tenant left is Active with working reads, every
 * timeline left takes and returns new data, a page written before the race is intact, and a
 * restart finds the same tenants and timelines. Replay with {@code -Dhostile.race.seed=<seed>}
 * (the interleaving differs between runs; the operations do not).
 */
class ConcurrentChangesTest {
    private static final long SEED = Long.getLong("hostile.race.seed", System.nanoTime());
    private static final int THREADS = 8;
    private static final Duration RACE = Duration.ofSeconds(4);
    /** Written after the race, to show each surviving timeline still takes and returns data. */
    private static final RelTag CHECK_REL = new RelTag(1663, 16384, 30000, 0);

    @TempDir
    Path workdir;

    @Test
    void concurrentChangesLeaveEveryTenantWholeAndReadable() throws Exception {
        System.out.println("ConcurrentChangesTest: seed " + SEED);
        String anchorTenant = TenantId.generate().toString();
        String anchorTimeline = TimelineId.generate().toString();
        String anchorPage = "/v1/tenant/" + anchorTenant + "/timeline/" + anchorTimeline + "/page?rel=" + Bystanders.REL + "&blkno=1";
        Map<String, List<String>> survivors;
        Set<String> deleted = ConcurrentHashMap.newKeySet();
        byte[] anchorBefore;
        try (Node node = Node.start(workdir, Map.of("pageserver.wait-lsn-timeout", "200ms"))) {
            assertEquals(201, node.call("POST", "/v1/tenant", "{\"new_tenant_id\":\"" + anchorTenant + "\"}").status());
            assertEquals(201, node.call("POST", "/v1/tenant/" + anchorTenant + "/timeline",
                    "{\"new_timeline_id\":\"" + anchorTimeline + "\"}").status());
            assertEquals(200, node.binary("/v1/tenant/" + anchorTenant + "/timeline/" + anchorTimeline + "/wal",
                    Bystanders.pages(Lsn.INITDB.plus(100), 42)).status());
            anchorBefore = node.call("GET", anchorPage, null).body();

            Queue<String> violations = new ConcurrentLinkedQueue<>();
            race(node, anchorTenant, anchorTimeline, violations, deleted);
            assertTrue(violations.isEmpty(), "seed " + SEED + ": undocumented answers during the race:\n"
                    + String.join("\n", violations.stream().limit(20).toList()));
            // Deleted ids come back in the race; the restart below must give each only its own data.
            assertFalse(deleted.isEmpty(), "seed " + SEED + ": the race deleted nothing");

            survivors = settle(node);
            assertTrue(survivors.containsKey(anchorTenant) && survivors.get(anchorTenant).contains(anchorTimeline));
            for (Map.Entry<String, List<String>> tenant : survivors.entrySet()) {
                assertEquals(200, node.call("GET", "/v1/tenant/" + tenant.getKey() + "/config", null).status());
                for (String timeline : tenant.getValue()) {
                    writeAndReadBack(node, "/v1/tenant/" + tenant.getKey() + "/timeline/" + timeline);
                }
            }
            assertArrayEquals(anchorBefore, node.call("GET", anchorPage, null).body(), "the page written before the race");
        }
        try (Node node = Node.start(workdir, Map.of())) {
            assertEquals(survivors, settle(node), "seed " + SEED + ": the tenants and timelines after a restart");
            assertArrayEquals(anchorBefore, node.call("GET", anchorPage, null).body());
            for (Map.Entry<String, List<String>> tenant : survivors.entrySet()) {
                for (String timeline : tenant.getValue()) {
                    RawHttp.Response page = node.call("GET", "/v1/tenant/" + tenant.getKey() + "/timeline/" + timeline
                            + "/page?rel=" + CHECK_REL + "&blkno=0", null);
                    assertArrayEquals(checkPage(timeline), page.body(), () -> "after the restart: " + tenant.getKey() + "/" + timeline
                            + ": " + page.status() + " " + page.text());
                }
            }
            System.out.printf("ConcurrentChangesTest: %d tenants, %d timelines survived, all read back after the restart%n",
                    survivors.size(), survivors.values().stream().mapToInt(List::size).sum());
        }
        assertEquals(List.of(), WorkdirLayout.strayPaths(workdir));
    }

    private static void race(Node node, String anchorTenant, String anchorTimeline, Queue<String> violations,
                             Set<String> deleted) throws InterruptedException {
        List<String> tenants = IntStream.range(0, 3).mapToObj(i -> TenantId.generate().toString()).toList();
        List<String> timelines = IntStream.range(0, 4).mapToObj(i -> TimelineId.generate().toString()).toList();
        AtomicLong nextLsn = new AtomicLong(100_000);
        long deadline = System.nanoTime() + RACE.toNanos();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            Thread thread = new Thread(new RaceWorker(node, SEED + t, deadline, tenants, timelines,
                    anchorTenant, anchorTimeline, nextLsn, violations, deleted), "race-" + t);
            thread.start();
            threads.add(thread);
        }
        for (Thread thread : threads) {
            thread.join();
        }
    }

    /**
     * Waits until no deletion runs any more (no tenant or timeline is Stopping), then answers every
     * tenant's timelines, checking on the way that each tenant is Active and each timeline readable.
     */
    private static Map<String, List<String>> settle(Node node) {
        node.await("/v1/tenant", r -> r.status() == 200 && !r.text().contains("Stopping") && !r.text().contains("Attaching")
                && !r.text().contains("Activating"));
        Map<String, List<String>> survivors = new TreeMap<>();
        for (Object entry : node.array(node.call("GET", "/v1/tenant", null))) {
            String tenant = (String) ((Map<?, ?>) entry).get("id");
            assertEquals("Active", ((Map<?, ?>) ((Map<?, ?>) entry).get("state")).get("slug"), tenant + ": " + entry);
            RawHttp.Response list = node.await("/v1/tenant/" + tenant + "/timeline",
                    r -> r.status() == 200 && !r.text().contains("Stopping"));
            List<String> timelines = new ArrayList<>();
            for (Object info : node.array(list)) {
                String timeline = (String) ((Map<?, ?>) info).get("timeline_id");
                RawHttp.Response one = node.call("GET", "/v1/tenant/" + tenant + "/timeline/" + timeline, null);
                assertEquals(200, one.status(), one.text());
                assertTrue(one.text().contains("\"Active\""), one.text());
                timelines.add(timeline);
            }
            survivors.put(tenant, timelines.stream().sorted().toList());
        }
        return survivors;
    }

    private static void writeAndReadBack(Node node, String timelinePath) {
        Map<String, Object> info = node.object(node.call("GET", timelinePath, null));
        Lsn next = Lsn.parse((String) info.get("last_record_lsn")).plus(1000);
        String timeline = timelinePath.substring(timelinePath.lastIndexOf('/') + 1);
        byte[] frames = WalEncoder.encode(List.of(new WalRecord.PageImage(next, CHECK_REL, 0, checkPage(timeline))));
        RawHttp.Response ingested = node.binary(timelinePath + "/wal", frames);
        assertEquals(200, ingested.status(), timelinePath + ": " + ingested.text());
        RawHttp.Response page = node.call("GET", timelinePath + "/page?rel=" + CHECK_REL + "&blkno=0", null);
        assertEquals(200, page.status(), page.text());
        assertArrayEquals(checkPage(timeline), page.body(), timelinePath);
    }

    /** A page that names its timeline, so that a page read from the wrong timeline shows. */
    private static byte[] checkPage(String timeline) {
        byte[] page = new byte[8192];
        byte[] name = timeline.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        for (int i = 0; i < page.length; i++) {
            page[i] = name[i % name.length];
        }
        return page;
    }
}
