package org.pageserver.bench;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.pageserver.domain.id.TenantId;
import org.pageserver.domain.id.TimelineId;
import org.pageserver.domain.lsn.Lsn;
import org.pageserver.domain.page.RelTag;

/** One writer ingesting page images for a while: for profiling the server's ingest path alone. */
public final class IngestOnly {
    public static void main(String[] args) throws Exception {
        URI server = URI.create(args[0]);
        int pages = Integer.parseInt(args[1]);
        int seconds = Integer.parseInt(args[2]);
        String tenant = TenantId.generate().toString();
        String timeline = TimelineId.generate().toString();
        try (RawHttp http = new RawHttp(server.getHost(), server.getPort())) {
            http.send("POST", "/v1/tenant", "application/json",
                    ("{\"new_tenant_id\":\"" + tenant + "\"}").getBytes(StandardCharsets.UTF_8));
            http.send("POST", "/v1/tenant/" + tenant + "/timeline", "application/json",
                    ("{\"new_timeline_id\":\"" + timeline + "\"}").getBytes(StandardCharsets.UTF_8));
            ImageBatches batches = new ImageBatches(new RelTag(1663, 1, 2, 0), pages, 1, Lsn.INITDB);
            String path = "/v1/tenant/" + tenant + "/timeline/" + timeline + "/wal";
            Percentiles latency = new Percentiles();
            long end = System.nanoTime() + seconds * 1_000_000_000L;
            long start = System.nanoTime();
            long bytes = 0;
            for (long blk = 0; System.nanoTime() < end; blk += pages) {
                long t = System.nanoTime();
                RawHttp.Response r = http.send("POST", path, "application/octet-stream", batches.next(blk, 4096));
                latency.add(System.nanoTime() - t);
                if (r.status() != 200) {
                    throw new IllegalStateException(r.text());
                }
                bytes += batches.pageBytes();
            }
            System.out.printf("%.1f MB/s, request p50 %.0f us p99 %.0f us%n",
                    bytes / ((System.nanoTime() - start) / 1e9) / 1e6, latency.micros(50), latency.micros(99));
        }
    }
}
