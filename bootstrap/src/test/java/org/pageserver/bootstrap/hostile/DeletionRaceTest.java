package org.pageserver.bootstrap.hostile;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pageserver.application.port.out.LayerStore;
import org.pageserver.domain.id.TenantId;
import org.pageserver.domain.id.TimelineId;
import org.pageserver.domain.lsn.Lsn;
import org.pageserver.domain.page.RelTag;
import org.pageserver.domain.wal.WalEncoder;
import org.pageserver.domain.wal.WalRecord;

/**
 * The interleavings behind the one-in-three CI failure, made to happen every time: a real node
 * pauses an ingest between its write to the ingest file and the file's force, or a read inside a
 * layer file, and a client deletes the timeline or its tenant meanwhile. The operation in progress
 * must end whole (200, the data read or made durable), the deletion must wait for it before it
 * closes or deletes a file, no answer may show a path of the node, and afterwards the timeline is
 * gone, on disk too, while its sibling keeps its data across a restart.
 */
class DeletionRaceTest {
    private static final RelTag REL = new RelTag(1663, 16384, 16385, 0);
    /**
     * How long a deletion gets to do harm while the operation is paused. Without the wait for
     * operations in progress it closes the file within milliseconds; with it, it waits however long.
     */
    private static final Duration HARM_WINDOW = Duration.ofSeconds(1);

    @TempDir
    Path workdir;

    private final String tenant = TenantId.generate().toString();
    private final String timeline = TimelineId.generate().toString();
    private final String sibling = TimelineId.generate().toString();

    @Test
    void anIngestBetweenWriteAndForceOutlivesItsTimelinesDeletion() throws Exception {
        ingestDuringDeletion("/v1/tenant/" + tenant + "/timeline/" + timeline);
    }

    @Test
    void anIngestBetweenWriteAndForceOutlivesItsTenantsDeletion() throws Exception {
        ingestDuringDeletion("/v1/tenant/" + tenant);
    }

    @Test
    void aReadInsideALayerFileOutlivesItsTimelinesDeletion() throws Exception {
        try (Node node = start()) {
            FaultyLayerStore store = setUp(node);
            expect(200, node.binary(timelinePath(timeline) + "/wal", page(Lsn.INITDB.plus(1000), 5)));
            expect(200, node.call("PUT", timelinePath(timeline) + "/checkpoint", null));

            FaultyLayerStore.Hold slowRead = store.holdNextRead();
            CompletableFuture<RawHttp.Response> read = CompletableFuture.supplyAsync(
                    () -> node.call("GET", timelinePath(timeline) + "/page?rel=" + REL + "&blkno=0", null));
            slowRead.awaitEntered();
            expect(202, node.call("DELETE", timelinePath(timeline), null));
            awaitViolationOrWindow(store);
            boolean filesKept = Files.exists(timelineDir(timeline));

            slowRead.release();
            RawHttp.Response answer = read.get(20, TimeUnit.SECONDS);
            assertNoPath(node, answer);
            assertEquals(200, answer.status(), answer.text());
            assertArrayEquals(filled(5), answer.body(), "the read in progress reads the file whole");
            assertEquals(List.of(), store.violations());
            assertTrue(filesKept, "the timeline's files stay until the read in progress is done");
            awaitGone(node, timelinePath(timeline));
        }
        assertSiblingSurvivesRestart();
    }

    private void ingestDuringDeletion(String deleted) throws Exception {
        boolean tenantGoes = !deleted.contains("/timeline/");
        try (Node node = start()) {
            FaultyLayerStore store = setUp(node);
            expect(200, node.binary(timelinePath(timeline) + "/wal", page(Lsn.INITDB.plus(1000), 1)));

            FaultyLayerStore.Hold slowDisk = store.holdNextDurabilityWait();
            CompletableFuture<RawHttp.Response> ingest = CompletableFuture.supplyAsync(
                    () -> node.binary(timelinePath(timeline) + "/wal", page(Lsn.INITDB.plus(2000), 2)));
            slowDisk.awaitEntered();
            expect(202, node.call("DELETE", deleted, null));
            awaitViolationOrWindow(store);
            boolean fileKept = ingestFileExists(timeline);

            slowDisk.release();
            RawHttp.Response answer = ingest.get(20, TimeUnit.SECONDS);
            assertNoPath(node, answer);
            assertEquals(200, answer.status(), "the batch in progress is acknowledged whole: " + answer.text());
            assertEquals(List.of(), store.violations());
            assertTrue(fileKept, "the ingest file stays until the ingest in progress is done");
            awaitGone(node, deleted);
            assertFalse(Files.exists(timelineDir(timeline)), "the deleted timeline's files are gone");
        }
        if (tenantGoes) {
            assertFalse(Files.exists(workdir.resolve("tenants").resolve(tenant)), "the deleted tenant's directory is gone");
            try (Node node = start()) {
                expect(404, node.call("GET", "/v1/tenant/" + tenant, null));
            }
        } else {
            assertSiblingSurvivesRestart();
        }
    }

    private Node start() {
        return Node.start(workdir, Map.of(FaultyLayerStore.ENABLED, "true"));
    }

    /** A tenant with the timeline under test and a sibling holding one page; returns the node's store. */
    private FaultyLayerStore setUp(Node node) {
        expect(201, node.call("POST", "/v1/tenant", "{\"new_tenant_id\":\"" + tenant + "\"}"));
        for (String id : List.of(timeline, sibling)) {
            expect(201, node.call("POST", "/v1/tenant/" + tenant + "/timeline", "{\"new_timeline_id\":\"" + id + "\"}"));
        }
        expect(200, node.binary(timelinePath(sibling) + "/wal", page(Lsn.INITDB.plus(1000), 9)));
        return (FaultyLayerStore) node.server.getApplicationContext().getBean(LayerStore.class);
    }

    /** Gives the deletion {@link #HARM_WINDOW} to close a file under the paused operation; returns early if it does. */
    private static void awaitViolationOrWindow(FaultyLayerStore store) throws InterruptedException {
        long deadline = System.nanoTime() + HARM_WINDOW.toNanos();
        while (store.violations().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
    }

    private void assertSiblingSurvivesRestart() {
        try (Node node = start()) {
            expect(404, node.call("GET", timelinePath(timeline), null));
            RawHttp.Response page = node.call("GET", timelinePath(sibling) + "/page?rel=" + REL + "&blkno=0", null);
            assertEquals(200, page.status(), page.text());
            assertArrayEquals(filled(9), page.body());
        }
    }

    private static void awaitGone(Node node, String path) {
        node.await(path, r -> r.status() == 404);
    }

    private static void assertNoPath(Node node, RawHttp.Response answer) {
        assertFalse(node.namesAPath(answer), "an answer names a path of the node: " + answer.text());
    }

    private String timelinePath(String id) {
        return "/v1/tenant/" + tenant + "/timeline/" + id;
    }

    private Path timelineDir(String id) {
        return workdir.resolve("tenants").resolve(tenant).resolve("timelines").resolve(id);
    }

    private boolean ingestFileExists(String id) throws java.io.IOException {
        Path dir = timelineDir(id);
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (var files = Files.list(dir)) {
            return files.anyMatch(f -> f.getFileName().toString().endsWith(".ingest"));
        }
    }

    private static byte[] page(Lsn lsn, int fill) {
        return WalEncoder.encode(List.of(new WalRecord.PageImage(lsn, REL, 0, filled(fill))));
    }

    private static byte[] filled(int fill) {
        byte[] page = new byte[8192];
        java.util.Arrays.fill(page, (byte) fill);
        return page;
    }

    private static void expect(int status, RawHttp.Response response) {
        assertEquals(status, response.status(), response.text());
    }
}
