package org.pageserver.bootstrap.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pageserver.adapters.http.PageController;
import org.pageserver.domain.lsn.Lsn;
import org.pageserver.domain.page.Page;
import org.pageserver.domain.page.PageRequest;
import org.pageserver.domain.wal.WalEncoder;
import org.pageserver.domain.wal.WalRecord;

/**
 * Where the HTTP data plane's reads run, counted by the blocking pool's completed tasks: a read
 * whose LSN has arrived and whose layer is open, or a short batch of them, runs on the event loop
 * that received it (no task); a long batch, and a read that waits for its LSN, run on the pool.
 */
class HttpReadThreadTest {
    private static final String POOL_TASKS = "executor_completed_tasks_total{name=\"blocking\"}";

    @TempDir
    Path workdir;

    private EmbeddedServer server;
    private Api api;

    @BeforeEach
    void start() {
        server = ApplicationContext.run(EmbeddedServer.class,
                Map.of("pageserver.workdir", workdir.toString(), "micronaut.server.port", -1));
        api = new Api(server);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void readsThatNeedNotWaitTakeNoPoolThreadAndOneThatWaitsDoes() throws Exception {
        RoundsTimeline timeline = RoundsTimeline.create(api, workdir, "", 2);
        String page = timeline.base() + "/page?rel=" + PageRounds.REL + "&blkno=";
        // The first read opens the newest layer file, which reads its index: on the pool.
        assertEquals(200, api.getBytes(page + 0).status());

        double before = poolTasks();
        for (int i = 0; i < 50; i++) {
            Api.Bytes answer = api.getBytes(page + (i % 8));
            assertEquals(200, answer.status(), answer.text());
            assertArrayEquals(PageRounds.page(2), answer.body());
            assertEquals(200, api.get(timeline.base() + "/rel_size?rel=" + PageRounds.REL).status());
        }
        for (int i = 0; i < 10; i++) {
            Api.Bytes batch = api.postBytes(timeline.base() + "/pages", pages(64));
            assertEquals(200, batch.status(), new String(batch.body()));
            assertEquals(64 * Page.SIZE, batch.body().length);
            assertArrayEquals(PageRounds.page(2), Arrays.copyOfRange(batch.body(), 63 * Page.SIZE, 64 * Page.SIZE));
        }
        double onThePool = poolTasks() - before;
        assertTrue(onThePool <= 2, "110 reads that need not wait, " + onThePool + " tasks on the pool");

        // A long batch would hold the event loop up for its other connections: it goes to the pool.
        Api.Bytes longBatch = api.postBytes(timeline.base() + "/pages", pages(PageController.EVENT_LOOP_BATCH + 1));
        assertEquals(200, longBatch.status(), new String(longBatch.body()));
        assertEquals((PageController.EVENT_LOOP_BATCH + 1) * Page.SIZE, longBatch.body().length);
        assertTrue(poolTasks() - before - onThePool >= 1, "the long batch ran on the pool");
        onThePool = poolTasks() - before;

        Lsn next = timeline.ends().get(1).plus(10_000);
        CompletableFuture<Api.Bytes> waiting = CompletableFuture.supplyAsync(() -> api.getBytes(page + "3&lsn=" + next));
        Thread.sleep(200);
        byte[] fresh = PageRounds.page(7);
        assertEquals(200, api.postBinary(timeline.base() + "/wal",
                WalEncoder.encode(List.of(new WalRecord.PageImage(next, PageRounds.REL, 3, fresh)))).status());
        Api.Bytes answer = waiting.get();
        assertEquals(200, answer.status(), answer.text());
        assertArrayEquals(fresh, answer.body(), "the read waited for its LSN, then read the page written there");
        assertTrue(poolTasks() - before - onThePool >= 1, "the waiting read ran on the pool");
    }

    /** A batch of {@code n} requests for the first 8 blocks, at the latest LSN. */
    private static byte[] pages(int n) {
        List<PageRequest> requests = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            requests.add(new PageRequest(PageRounds.REL, i % 8, null));
        }
        return PageRequest.encodeAll(requests);
    }

    private double poolTasks() {
        String metrics = api.get("/metrics").body();
        Matcher m = Pattern.compile("^" + Pattern.quote(POOL_TASKS) + " (\\S+)$", Pattern.MULTILINE).matcher(metrics);
        assertTrue(m.find(), "the blocking pool's meters");
        return Double.parseDouble(m.group(1));
    }
}
