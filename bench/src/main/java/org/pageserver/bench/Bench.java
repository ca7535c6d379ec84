package org.pageserver.bench;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.pageserver.domain.id.TenantId;
import org.pageserver.domain.id.TimelineId;
import org.pageserver.domain.lsn.Lsn;
import org.pageserver.domain.page.Page;
import org.pageserver.domain.page.PageRequest;
import org.pageserver.domain.page.Patch;
import org.pageserver.domain.page.RelTag;
import org.pageserver.domain.wal.WalEncoder;
import org.pageserver.domain.wal.WalRecord;

/**
 * Measures a running pageserver and prints one table: durable ingest of 8 KiB page images and of
 * small deltas, GetPage latency at the latest and at a past LSN with one client, and batched
 * GetPage throughput; beside a bare {@code dd} sequential write (with fdatasync) on the server's
 * disk and a bare loopback HTTP round trip made with the same client.
 *
 * <p>Usage: {@code Bench <server url> <directory on the server's disk> [seconds per ingest run]}.
 */
public final class Bench {
    private static final RelTag REL = new RelTag(1663, 16384, 16385, 0);
    private static final int BLOCKS = 4096;

    private final URI server;
    private final Path diskDir;
    private final int seconds;
    private final List<String[]> rows = new ArrayList<>();

    private Bench(URI server, Path diskDir, int seconds) {
        this.server = server;
        this.diskDir = diskDir;
        this.seconds = seconds;
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: Bench <server url> <directory on the server's disk> [seconds per ingest run]");
            System.exit(2);
        }
        new Bench(URI.create(args[0]), Path.of(args[1]), args.length > 2 ? Integer.parseInt(args[2]) : 10).run();
    }

    private RawHttp connect() throws IOException {
        return new RawHttp(server.getHost(), server.getPort());
    }

    private void run() throws Exception {
        double dd = ddMegabytesPerSecond("bs=1M", "count=512", "conv=fdatasync");
        row("dd sequential write, 512 MiB in 1 MiB blocks, one fdatasync at the end (baseline)", "%.1f MB/s", dd, "");
        double ddSync1m = ddMegabytesPerSecond("bs=1M", "count=256", "oflag=dsync");
        row("dd sequential write, 1 MiB blocks, each synced (oflag=dsync)", "%.1f MB/s", ddSync1m,
                "what durable 1 MiB batches can reach");
        double ddSync256k = ddMegabytesPerSecond("bs=256k", "count=1024", "oflag=dsync");
        row("dd sequential write, 256 KiB blocks, each synced (oflag=dsync)", "%.1f MB/s", ddSync256k,
                "what durable 256 KiB batches can reach");
        Percentiles loopback = loopbackRoundTrips(20_000);
        row("bare loopback HTTP round trip (baseline), p50 / p99", "%.0f / %.0f us", loopback.micros(50),
                loopback.micros(99), "");

        String tenant = createTenant();
        String images = createTimeline(tenant);
        IngestRun first = ingestImages(tenant, images, 1, 32);
        double imageRate = first.megabytesPerSecond();
        row("durable ingest, 8 KiB page images, 1 writer, 32 pages (256 KiB) a batch", "%.1f MB/s", imageRate,
                String.format("%.0f%% of dd (target >= 40%%)", 100 * imageRate / dd));
        double bigRate = ingestImages(tenant, createTimeline(tenant), 2, 128).megabytesPerSecond();
        row("durable ingest, 8 KiB page images, 1 writer, 128 pages (1 MiB) a batch", "%.1f MB/s", bigRate,
                String.format("%.0f%% of dd", 100 * bigRate / dd));
        for (int pages : new int[] {32, 128}) {
            List<String> parallel = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                parallel.add(createTimeline(tenant));
            }
            double parallelRate = ingestImagesParallel(tenant, parallel, pages);
            row("durable ingest, 8 KiB page images, 4 writers on 4 timelines, " + pages + " pages a batch", "%.1f MB/s",
                    parallelRate, String.format("%.0f%% of dd", 100 * parallelRate / dd));
        }
        String deltas = createTimeline(tenant);
        double[] deltaRate = ingestDeltas(tenant, deltas);
        row("durable ingest, small deltas (one 32-byte patch), 1 writer, 256 a batch", "%.1f MB/s, %.0f records/s",
                deltaRate[0], deltaRate[1], "MB/s of frame bytes");

        Lsn middle = first.everyBlockWritten();
        Percentiles latest = getPages(tenant, images, null, 20_000);
        row("GetPage at the latest LSN, 1 client, p50 / p99", "%.0f / %.0f us", latest.micros(50), latest.micros(99),
                "target p50 <= 300 us");
        Percentiles past = getPages(tenant, images, middle, 20_000);
        row("GetPage at a past LSN (" + middle + "), 1 client, p50 / p99", "%.0f / %.0f us", past.micros(50),
                past.micros(99), "");
        double batched = batchedPages(tenant, images, 64);
        row("batched GetPage (POST .../pages, 64 a request), 1 client", "%.0f pages/s", batched, "target >= 30,000");

        System.out.println();
        System.out.printf("| %-78s | %-26s | %-26s |%n", "measurement", "result", "note");
        System.out.printf("|%s|%s|%s|%n", "-".repeat(80), "-".repeat(28), "-".repeat(28));
        for (String[] r : rows) {
            System.out.printf("| %-78s | %-26s | %-26s |%n", r[0], r[1], r[2]);
        }
    }

    private void row(String what, String format, Object... values) {
        Object[] numbers = java.util.Arrays.copyOf(values, values.length - 1);
        rows.add(new String[] {what, String.format(format, numbers), (String) values[values.length - 1]});
    }

    // ---- baselines ----

    /** Runs dd with these block size, count and sync options on the server's disk; MB/s of what it wrote. */
    private double ddMegabytesPerSecond(String blockSize, String count, String sync) throws Exception {
        Files.createDirectories(diskDir);
        Path target = diskDir.resolve("dd.bench");
        long start = System.nanoTime();
        Process dd = new ProcessBuilder("dd", "if=/dev/zero", "of=" + target, blockSize, count, sync)
                .redirectErrorStream(true).start();
        dd.getInputStream().readAllBytes();
        if (dd.waitFor() != 0) {
            throw new IllegalStateException("dd failed");
        }
        double secs = (System.nanoTime() - start) / 1e9;
        long bytes = Files.size(target);
        Files.deleteIfExists(target);
        return bytes / secs / 1e6;
    }

    private Percentiles loopbackRoundTrips(int n) throws IOException {
        Percentiles p = new Percentiles();
        try (BareHttpServer bare = new BareHttpServer(); RawHttp http = new RawHttp("127.0.0.1", bare.port())) {
            for (int i = 0; i < n; i++) {
                long t = System.nanoTime();
                http.get("/x");
                if (i >= n / 10) {
                    p.add(System.nanoTime() - t);
                }
            }
        }
        return p;
    }

    // ---- set-up ----

    private String createTenant() throws IOException {
        String id = TenantId.generate().toString();
        try (RawHttp http = connect()) {
            check(http.send("POST", "/v1/tenant", "application/json",
                    ("{\"new_tenant_id\":\"" + id + "\"}").getBytes(StandardCharsets.UTF_8)), 201);
        }
        return id;
    }

    private String createTimeline(String tenant) throws IOException {
        String id = TimelineId.generate().toString();
        try (RawHttp http = connect()) {
            check(http.send("POST", "/v1/tenant/" + tenant + "/timeline", "application/json",
                    ("{\"new_timeline_id\":\"" + id + "\"}").getBytes(StandardCharsets.UTF_8)), 201);
        }
        return id;
    }

    private static RawHttp.Response check(RawHttp.Response r, int status) {
        if (r.status() != status) {
            throw new IllegalStateException("expected " + status + ", got " + r.status() + ": " + r.text());
        }
        return r;
    }

    // ---- ingest ----

    /**
     * @param everyBlockWritten the first LSN at which every block of the relation exists, with later
     *                          versions above it: the "past LSN" of the read benchmark
     */
    private record IngestRun(double megabytesPerSecond, Lsn everyBlockWritten) {
    }

    private IngestRun ingestImages(String tenant, String timeline, int writerIndex, int pagesPerBatch) throws IOException {
        ImageBatches batches = new ImageBatches(REL, pagesPerBatch, writerIndex, Lsn.INITDB);
        long bytes = 0;
        long start = System.nanoTime();
        long end = start + seconds * 1_000_000_000L;
        Lsn halfway = null;
        String path = "/v1/tenant/" + tenant + "/timeline/" + timeline + "/wal";
        try (RawHttp http = connect()) {
            for (long blk = 0; System.nanoTime() < end || blk < BLOCKS; blk += pagesPerBatch) {
                check(http.send("POST", path, "application/octet-stream", batches.next(blk, BLOCKS)), 200);
                bytes += batches.pageBytes();
                if (halfway == null && blk + pagesPerBatch >= BLOCKS) {
                    halfway = batches.lastLsn();
                }
            }
        }
        return new IngestRun(bytes / ((System.nanoTime() - start) / 1e9) / 1e6, halfway);
    }

    private double ingestImagesParallel(String tenant, List<String> timelines, int pagesPerBatch) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(timelines.size());
        List<Future<IngestRun>> runs = new ArrayList<>();
        for (int i = 0; i < timelines.size(); i++) {
            int index = i + 10;
            String timeline = timelines.get(i);
            runs.add(pool.submit(() -> ingestImages(tenant, timeline, index, pagesPerBatch)));
        }
        double sum = 0;
        for (Future<IngestRun> run : runs) {
            sum += run.get().megabytesPerSecond();
        }
        pool.shutdown();
        return sum;
    }

    private double[] ingestDeltas(String tenant, String timeline) throws IOException {
        Random random = new Random(7);
        long bytes = 0;
        long records = 0;
        Lsn lsn = Lsn.INITDB;
        long start = System.nanoTime();
        long end = start + seconds * 1_000_000_000L;
        try (RawHttp http = connect()) {
            while (System.nanoTime() < end) {
                List<WalRecord> batch = new ArrayList<>(256);
                for (int i = 0; i < 256; i++) {
                    byte[] patch = new byte[32];
                    random.nextBytes(patch);
                    WalRecord r = new WalRecord.PageDelta(lsn, REL, random.nextInt(BLOCKS),
                            List.of(new Patch(random.nextInt(Page.SIZE - 32), patch)));
                    lsn = lsn.plus(WalEncoder.frameSize(r));
                    WalRecord.PageDelta d = (WalRecord.PageDelta) r;
                    batch.add(new WalRecord.PageDelta(lsn, REL, d.blkno(), d.patches()));
                }
                byte[] body = WalEncoder.encode(batch);
                check(http.send("POST", "/v1/tenant/" + tenant + "/timeline/" + timeline + "/wal",
                        "application/octet-stream", body), 200);
                bytes += body.length;
                records += batch.size();
            }
        }
        double secs = (System.nanoTime() - start) / 1e9;
        return new double[] {bytes / secs / 1e6, records / secs};
    }

    // ---- reads ----

    private Percentiles getPages(String tenant, String timeline, Lsn lsn, int n) throws IOException {
        Random random = new Random(3);
        Percentiles p = new Percentiles();
        String suffix = lsn == null ? "" : "&lsn=" + lsn;
        String base = "/v1/tenant/" + tenant + "/timeline/" + timeline + "/page?rel=" + REL + "&blkno=";
        try (RawHttp http = connect()) {
            for (int i = 0; i < n; i++) {
                String path = base + random.nextInt(BLOCKS) + suffix;
                long t = System.nanoTime();
                RawHttp.Response r = http.get(path);
                long took = System.nanoTime() - t;
                check(r, 200);
                if (r.body().length != Page.SIZE) {
                    throw new IllegalStateException("a page of " + r.body().length + " bytes");
                }
                if (i >= n / 10) {
                    p.add(took);
                }
            }
        }
        return p;
    }

    private double batchedPages(String tenant, String timeline, int perRequest) throws IOException {
        Random random = new Random(5);
        long pages = 0;
        long start = System.nanoTime();
        long end = start + seconds * 1_000_000_000L;
        try (RawHttp http = connect()) {
            while (System.nanoTime() < end) {
                List<PageRequest> requests = new ArrayList<>(perRequest);
                for (int i = 0; i < perRequest; i++) {
                    requests.add(new PageRequest(REL, random.nextInt(BLOCKS), null));
                }
                RawHttp.Response r = check(http.send("POST", "/v1/tenant/" + tenant + "/timeline/" + timeline + "/pages",
                        "application/octet-stream", PageRequest.encodeAll(requests)), 200);
                if (r.body().length != perRequest * Page.SIZE) {
                    throw new IllegalStateException("expected " + perRequest + " pages, got " + r.body().length + " bytes");
                }
                pages += perRequest;
            }
        }
        return pages / ((System.nanoTime() - start) / 1e9);
    }
}
