package org.pageserver.bootstrap.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pageserver.domain.id.TenantId;
import org.pageserver.domain.id.TimelineId;
import org.pageserver.domain.lsn.Lsn;
import org.pageserver.domain.page.Patch;
import org.pageserver.domain.page.RelTag;
import org.pageserver.domain.wal.WalEncoder;
import org.pageserver.domain.wal.WalRecord;

/**
 * {@code GET /metrics} on a running node: Neon's names and labels, values that follow the requests
 * made, the JVM's, the process's and the HTTP server's meters beside them, and a timeline's series
 * gone once the timeline is.
 */
class MetricsTest {
    private static final RelTag REL = new RelTag(1663, 16384, 16385, 0);

    @TempDir
    Path workdir;

    private EmbeddedServer server;
    private Api api;
    private final String tenant = TenantId.generate().toString();
    private final String timeline = TimelineId.generate().toString();

    @BeforeEach
    void start() {
        server = ApplicationContext.run(EmbeddedServer.class,
                Map.of("pageserver.workdir", workdir.toString(), "micronaut.server.port", -1));
        api = new Api(server);
        assertEquals(201, api.post("/v1/tenant", "{\"new_tenant_id\":\"" + tenant + "\"}").status());
        assertEquals(201, api.post("/v1/tenant/" + tenant + "/timeline", "{\"new_timeline_id\":\"" + timeline + "\"}").status());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void neonsMetricsFollowTheRequests() {
        String labels = "tenant_id=\"" + tenant + "\",timeline_id=\"" + timeline + "\"";
        String pages = "pageserver_smgr_query_seconds_count{smgr_query_type=\"get_page_at_lsn\"," + labels + "}";
        String sizes = "pageserver_smgr_query_seconds_count{smgr_query_type=\"get_rel_size\"," + labels + "}";
        String before = scrape();
        assertEquals(0, value(before, pages));
        assertEquals(1, value(before, "pageserver_tenant_states_count{state=\"Active\"}"));
        assertEquals(0, value(before, "pageserver_broken_tenants_count"));
        assertTrue(value(before, "pageserver_startup_duration_seconds{phase=\"complete\"}") > 0);

        Lsn lsn = Lsn.INITDB.plus(1000);
        // Block 1 is an image and a delta on it: a page built from more than one value, which the
        // page cache keeps (a page that is one image it does not).
        byte[] frames = WalEncoder.encode(List.of(new WalRecord.PageImage(lsn, REL, 0, new byte[8192]),
                new WalRecord.PageImage(lsn.plus(50), REL, 1, new byte[8192]),
                new WalRecord.PageDelta(lsn.plus(100), REL, 1, List.of(new Patch(10, new byte[] {7})))));
        String path = "/v1/tenant/" + tenant + "/timeline/" + timeline;
        assertEquals(200, api.postBinary(path + "/wal", frames).status());
        for (int i = 0; i < 3; i++) {
            assertEquals(200, api.getBytes(path + "/page?rel=" + REL + "&blkno=1").status());
        }
        assertEquals(200, api.get(path + "/rel_size?rel=" + REL + "&lsn=" + lsn).status());
        assertEquals(200, api.put(path + "/checkpoint", "").status());

        String after = scrape();
        assertEquals(3, value(after, pages));
        assertEquals(1, value(after, sizes));
        assertEquals(3, value(after, "pageserver_smgr_query_seconds_bucket{smgr_query_type=\"get_page_at_lsn\"," + labels
                + ",le=\"10.0\"}"), "the histogram has buckets");
        assertEquals(1, value(after, "pageserver_wait_lsn_seconds_count"), "the one read that named its LSN");
        assertEquals(lsn.plus(100).value(), value(after, "pageserver_last_record_lsn{" + labels + "}"));
        assertEquals(2 * 8192, value(after, "pageserver_current_logical_size{" + labels + "}"));
        double physical = value(after, "pageserver_resident_physical_size{" + labels + "}");
        assertTrue(physical > 2 * 8192, "the flushed layer file: " + physical);
        assertEquals(frames.length, value(after, "pageserver_wal_ingest_bytes_received_total"));
        assertEquals(3, value(after, "pageserver_wal_ingest_records_received_total"));
        assertEquals(1, value(after, "pageserver_storage_operations_seconds_count{operation=\"flush\"}"));
        assertEquals(physical, value(after, "pageserver_written_persistent_bytes_total"));
        assertEquals(3, value(after, "http_server_requests_seconds_count{exception=\"none\",method=\"GET\",status=\"200\","
                + "uri=\"/v1/tenant/{tenant_id}/timeline/{timeline_id}/page\"}"), "requests by route and status");
        // The three reads of one page at one LSN: the first rebuilds it, the two after take it from the page cache.
        assertEquals(3, value(after, "pageserver_page_cache_read_accesses_total{key_kind=\"materialized_page\"}"));
        assertEquals(2, value(after, "pageserver_page_cache_read_hits_total{hit_kind=\"exact\",key_kind=\"materialized_page\"}"));
        assertEquals(0, value(after, "pageserver_page_cache_read_hits_total{hit_kind=\"older_lsn\",key_kind=\"materialized_page\"}"));
        assertEquals(8192, value(after, "pageserver_page_cache_size_current_bytes"));
        assertEquals(8192L * 8192, value(after, "pageserver_page_cache_size_max_bytes"), "8,192 pages by default");
        assertTrue(after.contains("jvm_memory_used_bytes{"), "the JVM's meters");
        assertTrue(after.contains("process_cpu_usage"), "the process's meters");
    }

    @Test
    void aTimelinesSeriesGoWithIt() {
        assertTrue(scrape().contains("timeline_id=\"" + timeline + "\""));
        assertEquals(202, api.delete("/v1/tenant/" + tenant + "/timeline/" + timeline).status());
        api.await("/v1/tenant/" + tenant + "/timeline/" + timeline, r -> r.status() == 404);
        assertFalse(scrape().contains(timeline), "no series names the deleted timeline");
    }

    private String scrape() {
        Api.Bytes metrics = api.getBytes("/metrics");
        assertEquals(200, metrics.status());
        return metrics.text();
    }

    /** The value of one series, given exactly as the scrape writes its name and labels; 0 if absent. */
    private static double value(String scrape, String series) {
        Matcher m = Pattern.compile("^" + Pattern.quote(series) + " (\\S+)$", Pattern.MULTILINE).matcher(scrape);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }
}
