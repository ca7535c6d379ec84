package org.pageserver.bootstrap.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pageserver.adapters.http.pageservice.PageService;
import org.pageserver.domain.id.TenantId;
import org.pageserver.domain.id.TimelineId;
import org.pageserver.domain.lsn.Lsn;
import org.pageserver.domain.page.RelTag;

/**
 * The page service through the running server, byte for byte: the start-up as Neon's (an
 * SSLRequest refused, the messages after the StartupMessage), pagestream's four requests and
 * their answers beside the HTTP API's, Neon's meaning of {@code latest} and of a block past the
 * end, errors that end a request and errors that end the stream, 1,000 requests pipelined on one
 * connection, a read that waits for its LSN holding back the answers after it, and the limits.
 */
class PageServiceTest {
    private static final RelTag REL = PageRounds.REL;
    private static final HexFormat HEX = HexFormat.of();

    @TempDir
    Path workdir;

    private EmbeddedServer server;
    private Api api;

    private void start(Map<String, Object> settings) {
        Map<String, Object> all = new HashMap<>(Map.of("pageserver.workdir", workdir.toString(), "micronaut.server.port", -1));
        all.putAll(settings);
        server = ApplicationContext.run(EmbeddedServer.class, all);
        api = new Api(server);
    }

    /** A connection to the running server with a pagestream open on the timeline. */
    private PageServiceClient stream(RoundsTimeline timeline) {
        PageServiceClient client = new PageServiceClient(port());
        client.connect();
        assertTrue(client.pagestream(timeline.tenant(), timeline.timeline()));
        return client;
    }

    private int port() {
        return server.getApplicationContext().getBean(PageService.class).port();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void theStartUpIsNeonsByteForByte() {
        start(Map.of());
        try (PageServiceClient client = new PageServiceClient(port())) {
            assertEquals('N', client.sslRequest(), "no TLS");
            client.startup(Map.of("user", "no_user", "database", "no_user"));
            StringBuilder seen = new StringBuilder();
            PageServiceClient.Message message;
            do {
                message = client.read();
                seen.append(message.type()).append(HEX.formatHex(message.body())).append(' ');
            } while (message.type() != 'Z');
            assertEquals("R00000000 " + status("client_encoding", "UTF8") + status("integer_datetimes", "on")
                    + status("server_version", "14.1") + "Z49 ", seen.toString());
        }
    }

    private static String status(String name, String value) {
        return "S" + HEX.formatHex((name + "\0" + value + "\0").getBytes(StandardCharsets.UTF_8)) + " ";
    }

    @Test
    void theFourRequestsAnswerAsTheHttpApiDoes() {
        start(Map.of());
        RoundsTimeline timeline = RoundsTimeline.create(api, workdir, "", 3);
        try (PageServiceClient client = new PageServiceClient(port())) {
            client.connect();
            client.query("pagestream " + timeline.tenant() + " " + timeline.timeline());
            PageServiceClient.Message copyBoth = client.read();
            assertEquals('W', copyBoth.type());
            assertEquals("000000", HEX.formatHex(copyBoth.body()), "text format, no columns");

            Lsn last = timeline.ends().get(2);
            for (int round = 1; round <= 3; round++) {
                Lsn at = timeline.ends().get(round - 1);
                for (long blkno = 0; blkno < 8; blkno++) {
                    client.copyData(PageServiceClient.getPage(false, at, REL, blkno));
                    byte[] answer = client.answer();
                    assertEquals(102, answer[0] & 0xFF);
                    byte[] http = api.getBytes(timeline.base() + "/page?rel=" + REL + "&blkno=" + blkno + "&lsn=" + at).body();
                    assertArrayEquals(http, Arrays.copyOfRange(answer, 1, answer.length), "round " + round + " block " + blkno);
                    assertArrayEquals(PageRounds.page(round), http);
                }
            }
            client.copyData(PageServiceClient.exists(true, Lsn.INVALID, REL));
            assertEquals("6401", HEX.formatHex(client.answer()), "exists");
            client.copyData(PageServiceClient.exists(true, Lsn.INVALID, new RelTag(1663, 16384, 99999, 0)));
            assertEquals("6400", HEX.formatHex(client.answer()), "does not exist");
            client.copyData(PageServiceClient.nblocks(true, Lsn.INVALID, REL));
            assertEquals("6500000008", HEX.formatHex(client.answer()), "8 blocks");
            client.copyData(PageServiceClient.nblocks(true, Lsn.INVALID, new RelTag(1663, 16384, 16385, 1)));
            assertEquals("6500000000", HEX.formatHex(client.answer()), "a free space map that does not exist has no blocks");
            client.copyData(PageServiceClient.dbSize(true, Lsn.INVALID, 16384));
            assertEquals("68" + String.format("%016x", 8L * 8192), HEX.formatHex(client.answer()), "8 pages of 8 KiB");
            assertEquals(8L * 8192, ((Number) api.get(timeline.base() + "/db_size?spcnode=1663&dbnode=16384").object().get("bytes"))
                    .longValue());

            // latest with an LSN that has arrived reads the newest; a block past the end reads as zeros.
            client.copyData(PageServiceClient.getPage(true, timeline.ends().get(0), REL, 3));
            assertArrayEquals(PageRounds.page(3), Arrays.copyOfRange(client.answer(), 1, 8193), "latest: round 3's page");
            client.copyData(PageServiceClient.getPage(true, last, REL, 100));
            assertArrayEquals(new byte[8193 - 1], Arrays.copyOfRange(client.answer(), 1, 8193), "past the end: zeros");

            // Errors end their request only.
            assertError(client, PageServiceClient.getPage(false, Lsn.INVALID, REL, 0), "invalid LSN(0) in request");
            assertError(client, PageServiceClient.getPage(true, last, new RelTag(1663, 16384, 0, 0), 0), "invalid relnode");
            assertError(client, PageServiceClient.nblocks(true, last, new RelTag(1663, 16384, 99999, 0)),
                    "relation 1663/16384/99999/0 does not exist at LSN " + last);
            client.copyData(PageServiceClient.nblocks(false, last, REL));
            assertEquals("6500000008", HEX.formatHex(client.answer()), "the stream goes on");
        }
        String metrics = api.get("/metrics").body();
        assertTrue(metrics.contains("pageserver_smgr_query_seconds_count{smgr_query_type=\"get_page_at_lsn\",tenant_id=\""
                + timeline.tenant()), "page service reads counted as Neon's smgr queries");
    }

    private static void assertError(PageServiceClient client, byte[] request, String message) {
        client.copyData(request);
        byte[] answer = client.answer();
        assertEquals(103, answer[0] & 0xFF, new String(answer, StandardCharsets.UTF_8));
        assertEquals(0, answer[answer.length - 1], "NUL-terminated");
        assertEquals(message, new String(answer, 1, answer.length - 2, StandardCharsets.UTF_8));
    }

    @Test
    void errorsBeforeTheStreamAndMalformedRequestsAnswerAnErrorResponseAndTheConnectionGoesOn() {
        start(Map.of());
        RoundsTimeline timeline = RoundsTimeline.create(api, workdir, "", 1);
        String unknownTenant = TenantId.generate().toString();
        try (PageServiceClient client = new PageServiceClient(port())) {
            client.connect();
            assertErrorResponse(client, "pagestream " + unknownTenant + " " + timeline.timeline(),
                    "Tenant " + unknownTenant + " not found");
            String unknownTimeline = TimelineId.generate().toString();
            assertErrorResponse(client, "pagestream " + timeline.tenant() + " " + unknownTimeline,
                    "Timeline " + timeline.tenant() + "/" + unknownTimeline + " was not found");
            assertErrorResponse(client, "pagestream " + timeline.tenant(), "invalid param number for pagestream command");
            assertErrorResponse(client, "basebackup " + timeline.tenant(), "unknown command basebackup " + timeline.tenant());

            assertTrue(client.pagestream(timeline.tenant(), timeline.timeline()));
            client.copyData(new byte[] {9, 0});
            PageServiceClient.Message error = client.read();
            assertEquals('E', error.type());
            assertEquals("unknown smgr message tag: 9", error.field('M'));
            assertEquals('Z', client.read().type());
            assertTrue(client.pagestream(timeline.tenant(), timeline.timeline()), "a new stream on the same connection");
            client.copyData(new byte[] {2, 0, 0});
            assertEquals("failed to fill whole buffer", client.read().field('M'));
            assertEquals('Z', client.read().type());
            assertTrue(client.pagestream(timeline.tenant(), timeline.timeline()));
            client.message('c', new byte[0]);
            assertEquals("unexpected message: CopyDone during COPY", client.read().field('M'));
            assertEquals('Z', client.read().type());
        }
        try (PageServiceClient client = new PageServiceClient(port())) {
            client.connect();
            client.raw(new byte[] {'Q', 0, 0, 0, 1});
            PageServiceClient.Message error = client.read();
            assertEquals("08006", error.field('C'));
            assertEquals("Protocol error: invalid message length 1", error.field('M'));
            assertTrue(client.closedByServer(), "a framing error ends the connection");
        }
    }

    private static void assertErrorResponse(PageServiceClient client, String query, String message) {
        client.query(query);
        PageServiceClient.Message error = client.read();
        assertEquals('E', error.type(), error.text());
        assertEquals("ERROR", error.field('S'));
        assertEquals("XX000", error.field('C'));
        assertEquals(message, error.field('M'));
        assertEquals('Z', client.read().type(), "ReadyForQuery after the error");
    }

    @Test
    void aThousandPipelinedRequestsAreAnsweredInOrder() {
        start(Map.of());
        RoundsTimeline timeline = RoundsTimeline.create(api, workdir, "", 3);
        try (PageServiceClient client = stream(timeline)) {
            List<Integer> rounds = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                int round = 1 + (i * 7) % 3;
                rounds.add(round);
                client.queue('d', PageServiceClient.getPage(false, timeline.ends().get(round - 1), REL, i % 8));
            }
            client.flush();
            for (int i = 0; i < 1000; i++) {
                byte[] answer = client.answer();
                assertEquals(102, answer[0] & 0xFF);
                assertEquals(rounds.get(i).byteValue(), answer[1 + (i % 8000)], "answer " + i + " is request " + i + "'s");
                assertArrayEquals(PageRounds.page(rounds.get(i)), Arrays.copyOfRange(answer, 1, 8193));
            }
        }
    }

    @Test
    void aReadWaitingForItsLsnHoldsBackTheAnswersAfterItUntilItIsAnswered() throws Exception {
        start(Map.of());
        RoundsTimeline timeline = RoundsTimeline.create(api, workdir, "", 3);
        Lsn last = timeline.ends().get(2);
        Lsn coming = last.plus(10_000);
        try (PageServiceClient client = stream(timeline)) {
            client.queue('d', PageServiceClient.getPage(false, coming, REL, 0));
            client.queue('d', PageServiceClient.getPage(false, timeline.ends().get(0), REL, 1));
            client.queue('d', PageServiceClient.exists(true, Lsn.INVALID, REL));
            client.flush();
            Thread.sleep(300);
            assertEquals(0, client.available(), "no answer before the first one");
            // Block 0 written at exactly the LSN the first request waits for.
            assertEquals(200, api.postBinary(timeline.base() + "/wal", org.pageserver.domain.wal.WalEncoder.encode(List.of(
                    new org.pageserver.domain.wal.WalRecord.PageImage(coming, REL, 0, PageRounds.page(4))))).status());
            assertArrayEquals(PageRounds.page(4), Arrays.copyOfRange(client.answer(), 1, 8193), "first: the read that waited");
            assertArrayEquals(PageRounds.page(1), Arrays.copyOfRange(client.answer(), 1, 8193), "then the fast one after it");
            assertEquals("6401", HEX.formatHex(client.answer()));
        }
    }

    /**
     * A client that sends and never reads: the server stops reading its requests once the socket
     * takes no more answers, so the answers it holds stay few (without that, the 170,000 requests
     * sent in 3 s left 406 MiB of answers in direct memory). The client's writes then block; the
     * answers it finally reads are right, and the server serves others meanwhile.
     */
    @Test
    void aClientThatNeverReadsCannotMakeTheServerHoldItsAnswers() throws Exception {
        start(Map.of());
        RoundsTimeline timeline = RoundsTimeline.create(api, workdir, "", 1);
        byte[] request = PageServiceClient.getPage(true, Lsn.INVALID, REL, 0);
        try (PageServiceClient greedy = stream(timeline)) {
            java.util.concurrent.atomic.AtomicInteger sent = new java.util.concurrent.atomic.AtomicInteger();
            Thread writer = new Thread(() -> {
                try {
                    for (int i = 0; i < 200_000; i++) {
                        greedy.queue('d', request);
                        sent.incrementAndGet();
                    }
                    greedy.flush();
                } catch (RuntimeException e) {
                    // The socket closed under the writer at the end of the test.
                }
            });
            writer.setDaemon(true);
            writer.start();
            Thread.sleep(3000);
            assertTrue(writer.isAlive() && sent.get() < 200_000, "the client's writes block: the server stopped reading"
                    + " (sent " + sent.get() + ")");
            System.out.println("PageServiceTest: a client that never reads sent " + sent.get() + " requests in 3 s");
            long held = ((io.netty.buffer.ByteBufAllocatorMetricProvider) io.netty.buffer.ByteBufAllocator.DEFAULT).metric()
                    .usedDirectMemory();
            assertTrue(held < 256L << 20, "the server holds " + (held >> 20) + " MiB of direct memory for "
                    + sent.get() + " requests");
            try (PageServiceClient other = stream(timeline)) {
                other.copyData(request);
                assertArrayEquals(PageRounds.page(1), Arrays.copyOfRange(other.answer(), 1, 8193), "others are served");
            }
            for (int i = 0; i < 1000; i++) {
                assertArrayEquals(PageRounds.page(1), Arrays.copyOfRange(greedy.answer(), 1, 8193), "answer " + i);
            }
        }
    }

    @Test
    void readsOfEvictedLayersDownloadThemOffTheEventLoopAndAnswerInOrder() {
        start(Map.of());
        RoundsTimeline timeline = RoundsTimeline.create(api, workdir, "\"compaction_period\":\"0s\",\"gc_period\":\"0s\"", 3);
        for (Object layer : (List<?>) api.get(timeline.base() + "/layer").object().get("historic_layers")) {
            assertEquals(200, api.delete(timeline.base() + "/layer/" + ((Map<?, ?>) layer).get("layer_file_name")).status());
        }
        assertTrue(timeline.layerFiles().isEmpty());
        try (PageServiceClient client = stream(timeline)) {
            for (int i = 0; i < 48; i++) {
                client.queue('d', PageServiceClient.getPage(false, timeline.ends().get(i % 3), REL, i % 8));
            }
            client.flush();
            for (int i = 0; i < 48; i++) {
                assertArrayEquals(PageRounds.page(1 + i % 3), Arrays.copyOfRange(client.answer(), 1, 8193), "answer " + i);
            }
        }
        assertEquals(3, timeline.layerFiles().size(), "the reads downloaded the three layers");
        String metrics = api.get("/metrics").body();
        assertTrue(metrics.contains("pageserver_remote_ondemand_downloaded_layers_total 3.0"));
        assertTrue(metric(metrics, "pageserver_page_service_requests_total{answered=\"pool\"}") >= 1,
                "a read that needed a download went to the pool");
    }

    /**
     * A request whose LSN has arrived and whose layers are local and open is answered without a
     * thread hop. Opening a layer file reads and checks its index, a wait: the first read of the
     * newest layer, over HTTP here, opens it on the pool.
     */
    @Test
    void readsThatNeedNotWaitAreAnsweredOnTheEventLoop() {
        start(Map.of());
        RoundsTimeline timeline = RoundsTimeline.create(api, workdir, "", 2);
        assertEquals(200, api.getBytes(timeline.base() + "/page?rel=" + REL + "&blkno=0").status());
        try (PageServiceClient client = stream(timeline)) {
            for (int i = 0; i < 100; i++) {
                client.copyData(PageServiceClient.getPage(true, Lsn.INVALID, REL, i % 8));
                assertArrayEquals(PageRounds.page(2), Arrays.copyOfRange(client.answer(), 1, 8193));
            }
        }
        String metrics = api.get("/metrics").body();
        assertEquals(100, metric(metrics, "pageserver_page_service_requests_total{answered=\"event_loop\"}"), metrics);
        assertEquals(0, metric(metrics, "pageserver_page_service_requests_total{answered=\"pool\"}"));
    }

    private static double metric(String metrics, String series) {
        return metrics.lines().filter(l -> l.startsWith(series + " ")).mapToDouble(l -> Double.parseDouble(l.substring(series.length() + 1)))
                .findFirst().orElseThrow(() -> new AssertionError(series + " not in /metrics"));
    }

    @Test
    void connectionsAreLimitedAndIdleOnesClosed() throws Exception {
        start(Map.of("pageserver.page-service.max-connections", 2, "pageserver.page-service.idle-timeout", "1s"));
        try (PageServiceClient first = new PageServiceClient(port()); PageServiceClient second = new PageServiceClient(port())) {
            first.connect();
            second.connect();
            try (PageServiceClient third = new PageServiceClient(port())) {
                PageServiceClient.Message refused = third.read();
                assertEquals("53300", refused.field('C'));
                assertTrue(refused.field('M').startsWith("sorry, too many clients already"), refused.text());
                assertTrue(third.closedByServer());
            }
            assertTrue(api.get("/metrics").body().contains(
                    "pageserver_live_connections{pageserver_connection_kind=\"page_service\"} 2.0"));
            PageServiceClient.Message idle = first.read();
            assertEquals("08006", idle.field('C'));
            assertEquals("the connection was idle for 1 s", idle.field('M'));
            assertTrue(first.closedByServer());
        }
    }

    @Test
    void aDeletedTimelineEndsItsStreams() {
        start(Map.of());
        RoundsTimeline timeline = RoundsTimeline.create(api, workdir, "", 1);
        try (PageServiceClient client = stream(timeline)) {
            assertEquals(202, api.delete(timeline.base()).status());
            api.await(timeline.base(), r -> r.status() == 404);
            client.copyData(PageServiceClient.getPage(true, Lsn.INVALID, REL, 0));
            byte[] answer = client.answer();
            assertEquals(103, answer[0] & 0xFF, "an error for the request");
            assertTrue(client.closedByServer(), "then the connection ends, as Neon's, so that the compute connects anew");
        }
    }
}
