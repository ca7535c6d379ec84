package org.pageserver.bench;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
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
 * <p>The server is measured in steady state: a warm-up of mixed work on scratch timelines runs first
 * (so that the JIT has compiled the hot paths), and every ingest row deletes its timelines when it is
 * done (so that a row does not measure the memory that earlier rows left behind). With the server's
 * pid, a second table says where each ingest row spent CPU, by server thread group.
 *
 * <p>Usage: {@code Bench <server url> <directory on the server's disk> [seconds per ingest run]
 * [warm-up seconds, or - for $BENCH_WARMUP_SECONDS or 60] [server pid]}. With
 * {@code BENCH_ROWS=reads} only the read rows run, {@code BENCH_READ_ROUNDS} times (3).
 */
public final class Bench {
    private static final RelTag REL = new RelTag(1663, 16384, 16385, 0);
    private static final int BLOCKS = 4096;
    /** Timelines of the many-writers row: each forces its own ingest file, so this is its cost. */
    private static final int MANY_TIMELINES = 16;
    /**
     * On the 2-core VM this was written on, the JIT still took 20 to 50% of the server's CPU in the
     * rounds of a 20 s warm-up (and in the rows after it), and 2 to 5% after 60 s.
     */
    private static final int DEFAULT_WARMUP_SECONDS = 60;

    private final PageserverApi api;
    private final Path diskDir;
    private final int seconds;
    private final int warmupSeconds;
    /** The server process, when its pid is known and readable: else no server CPU figures. */
    private final ProcessCpu serverCpu;
    private final Table rows = new Table("measurement", "result", "note");
    private final List<CpuRow> cpuRows = new ArrayList<>();

    private Bench(URI server, Path diskDir, int seconds, int warmupSeconds, ProcessCpu serverCpu) {
        this.api = new PageserverApi(server);
        this.diskDir = diskDir;
        this.seconds = seconds;
        this.warmupSeconds = warmupSeconds;
        this.serverCpu = serverCpu;
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: Bench <server url> <directory on the server's disk> [seconds per ingest run]"
                    + " [warm-up seconds, or - for $BENCH_WARMUP_SECONDS or 60] [server pid]");
            System.exit(2);
        }
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 10;
        String warmup = args.length > 3 && !args[3].equals("-") ? args[3] : System.getenv("BENCH_WARMUP_SECONDS");
        int warmupSeconds = warmup == null || warmup.isBlank() ? DEFAULT_WARMUP_SECONDS
                : Integer.parseInt(warmup.trim());
        ProcessCpu serverCpu = null;
        if (args.length > 4) {
            serverCpu = new ProcessCpu(Long.parseLong(args[4]));
            if (!serverCpu.readable()) {
                System.err.println("cannot read /proc/" + args[4] + ": no server CPU figures");
                serverCpu = null;
            }
        }
        new Bench(URI.create(args[0]), Path.of(args[1]), seconds, warmupSeconds, serverCpu).run();
    }

    private RawHttp connect() throws IOException {
        return api.connect();
    }

    private void run() throws Exception {
        if ("reads".equals(System.getenv("BENCH_ROWS"))) {
            runReads(Integer.parseInt(System.getenv().getOrDefault("BENCH_READ_ROUNDS", "3")));
            return;
        }
        double dd = ddMegabytesPerSecond("bs=1M", "count=512", "conv=fdatasync");
        row("dd sequential write, 512 MiB in 1 MiB blocks, one fdatasync at the end (baseline)", "%.1f MB/s", dd, "");
        double ddSync1m = ddMegabytesPerSecond("bs=1M", "count=256", "oflag=dsync");
        row("dd sequential write, 1 MiB blocks, each synced (oflag=dsync)", "%.1f MB/s", ddSync1m,
                "what durable 1 MiB batches can reach");
        double ddSync256k = ddMegabytesPerSecond("bs=256k", "count=1024", "oflag=dsync");
        row("dd sequential write, 256 KiB blocks, each synced (oflag=dsync)", "%.1f MB/s", ddSync256k,
                "what durable 256 KiB batches can reach");
        double four = ddFourStreamsMegabytesPerSecond();
        row("dd, four direct streams at once, 1 MiB blocks each synced (sum)", "%.1f MB/s", four,
                "what 4 durable writers can reach");
        loopbackRow();

        String tenant = createTenant();
        warmUp(tenant);

        // The first row's timeline stays: the GetPage rows read it. Every other row deletes its own.
        String images = createTimeline(tenant);
        IngestRun first = ingestReadTimeline(tenant, images);
        double imageRate = first.megabytesPerSecond();
        row("durable ingest, 8 KiB page images, 1 writer, 32 pages (256 KiB) a batch", "%.1f MB/s", imageRate,
                shares(imageRate, dd, four));
        String big = createTimeline(tenant);
        double bigRate = measureIngest("page images, 1 writer, 1 MiB batches", tenant, List.of(big), true,
                () -> ingestImages(tenant, big, 2, 128, seconds, true)).megabytesPerSecond();
        row("durable ingest, 8 KiB page images, 1 writer, 128 pages (1 MiB) a batch", "%.1f MB/s", bigRate,
                shares(bigRate, dd, four));
        for (int pages : new int[] {32, 128}) {
            List<String> parallel = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                parallel.add(createTimeline(tenant));
            }
            String what = "page images, 4 writers, " + (pages == 32 ? "256 KiB" : "1 MiB") + " batches";
            double parallelRate = measureIngest(what, tenant, parallel, true,
                    () -> ingestImagesParallel(tenant, parallel, pages, seconds, true)).megabytesPerSecond();
            row("durable ingest, 8 KiB page images, 4 writers on 4 timelines, " + pages + " pages a batch", "%.1f MB/s",
                    parallelRate, shares(parallelRate, dd, four));
        }
        String deltas = createTimeline(tenant);
        IngestRun deltaRun = measureIngest("small deltas, 1 writer, 256 a batch (frame bytes)", tenant,
                List.of(deltas), true, () -> ingestDeltas(tenant, deltas, seconds));
        row("durable ingest, small deltas (one 32-byte patch), 1 writer, 256 a batch", "%.1f MB/s, %.0f records/s",
                deltaRun.megabytesPerSecond(), deltaRun.recordsPerSecond(), "MB/s of frame bytes");
        List<String> many = new ArrayList<>();
        for (int i = 0; i < MANY_TIMELINES; i++) {
            many.add(createTimeline(tenant));
        }
        IngestRun manyRun = measureIngest("small deltas, " + MANY_TIMELINES + " writers on " + MANY_TIMELINES
                + " timelines", tenant, many, true, () -> ingestDeltasParallel(tenant, many, seconds));
        row("durable ingest, small deltas, " + MANY_TIMELINES + " writers on " + MANY_TIMELINES + " timelines, 256 a batch",
                "%.1f MB/s, %.0f records/s", manyRun.megabytesPerSecond(), manyRun.recordsPerSecond(),
                "one fsync per timeline");

        Lsn middle = first.everyBlockWritten();
        Percentiles latest = getPages(tenant, images, null, 20_000, Long.MAX_VALUE);
        row("GetPage at the latest LSN, 1 client, p50 / p99", "%.0f / %.0f us", latest.micros(50), latest.micros(99),
                "target p50 <= 300 us");
        Percentiles past = getPages(tenant, images, middle, 20_000, Long.MAX_VALUE);
        row("GetPage at a past LSN (" + middle + "), 1 client, p50 / p99", "%.0f / %.0f us", past.micros(50),
                past.micros(99), "");
        double batched = batchedPages(tenant, images, 64, seconds);
        row("batched GetPage (POST .../pages, 64 a request), 1 client", "%.0f pages/s", batched, "target >= 30,000");
        deleteTimelines(tenant, List.of(images));

        printRows();
        printCpuTable();
    }

    /** An ingest rate as a share of the dd baseline (target >= 40%) and of four synced dd streams. */
    private static String shares(double rate, double dd, double four) {
        return String.format("%.0f%% of dd, %.0f%% of 4 streams", 100 * rate / dd, 100 * rate / four);
    }

    /**
     * Only the read rows, {@code rounds} times over one timeline of page images, after the warm-up
     * and the loopback baseline: for comparing two servers' read paths, where the full table takes
     * minutes and the read rows of one run are too few to tell a few microseconds apart.
     */
    private void runReads(int rounds) throws Exception {
        loopbackRow();
        String tenant = createTenant();
        warmUp(tenant);
        String images = createTimeline(tenant);
        IngestRun written = ingestReadTimeline(tenant, images);
        Lsn middle = written.everyBlockWritten();
        for (int round = 1; round <= rounds; round++) {
            Percentiles latest = getPages(tenant, images, null, 20_000, Long.MAX_VALUE);
            row("round " + round + ": GetPage at the latest LSN, 1 client, p50 / p99", "%.0f / %.0f us",
                    latest.micros(50), latest.micros(99), "");
            Percentiles past = getPages(tenant, images, middle, 20_000, Long.MAX_VALUE);
            row("round " + round + ": GetPage at a past LSN, 1 client, p50 / p99", "%.0f / %.0f us", past.micros(50),
                    past.micros(99), "");
            row("round " + round + ": batched GetPage (64 a request), 1 client", "%.0f pages/s",
                    batchedPages(tenant, images, 64, seconds), "");
        }
        deleteTimelines(tenant, List.of(images));
        printRows();
    }

    private void loopbackRow() throws Exception {
        Percentiles loopback = loopbackRoundTrips(20_000);
        row("bare loopback HTTP round trip (baseline), p50 / p99", "%.0f / %.0f us", loopback.micros(50),
                loopback.micros(99), "");
    }

    /** Page images from one writer in 256 KiB batches for the run's seconds: the timeline the read rows read. */
    private IngestRun ingestReadTimeline(String tenant, String images) throws Exception {
        return measureIngest("page images, 1 writer, 256 KiB batches", tenant, List.of(images), false,
                () -> ingestImages(tenant, images, 1, 32, seconds, true));
    }

    private void printRows() {
        rows.print();
    }

    private void row(String what, String format, Object... values) {
        Object[] numbers = java.util.Arrays.copyOf(values, values.length - 1);
        rows.add(what, String.format(format, numbers), (String) values[values.length - 1]);
    }

    // ---- baselines ----

    /** Runs dd with these block size, count and sync options on the server's disk; MB/s of what it wrote. */
    private double ddMegabytesPerSecond(String blockSize, String count, String sync) throws Exception {
        return ddAtOnce(List.of(blockSize, count, sync));
    }

    /**
     * The disk's rate for what four durable writers on four timelines make it do: each ingested byte
     * is written once, to its timeline's ingest file, in direct writes each forced before the batch
     * is acknowledged. Four dd processes do the same, 128 MiB each, into four growing files.
     */
    private double ddFourStreamsMegabytesPerSecond() throws Exception {
        List<String> stream = List.of("bs=1M", "count=128", "oflag=direct,dsync");
        return ddAtOnce(stream, stream, stream, stream);
    }

    @SafeVarargs
    private double ddAtOnce(List<String>... arguments) throws Exception {
        return Dd.megabytesPerSecond(diskDir, arguments);
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
        return api.createTenant("");
    }

    private String createTimeline(String tenant) throws IOException {
        return api.createTimeline(tenant);
    }

    // ---- ingest ----

    /**
     * What an ingest run wrote.
     *
     * @param megabytesPerSecond the rate (for several writers, the sum of their rates)
     * @param everyBlockWritten  the first LSN at which every block of the relation exists, with later
     *                           versions above it: the "past LSN" of the read benchmark (null for deltas;
     *                           for several writers, the first writer's)
     */
    private record IngestRun(double megabytesPerSecond, double recordsPerSecond, long bytes, Lsn everyBlockWritten) {
        double megabytes() {
            return bytes / 1e6;
        }
    }

    /**
     * One writer for {@code secs} seconds, and (with {@code everyBlock}) at least until every block of
     * the relation has been written once.
     */
    private IngestRun ingestImages(String tenant, String timeline, int writerIndex, int pagesPerBatch, double secs,
                                   boolean everyBlock) throws IOException {
        ImageBatches batches = new ImageBatches(REL, pagesPerBatch, writerIndex, Lsn.INITDB);
        long bytes = 0;
        long records = 0;
        long start = System.nanoTime();
        long end = start + (long) (secs * 1e9);
        Lsn halfway = null;
        String path = "/v1/tenant/" + tenant + "/timeline/" + timeline + "/wal";
        try (RawHttp http = connect()) {
            for (long blk = 0; blk == 0 || System.nanoTime() < end || everyBlock && blk < BLOCKS;
                 blk += pagesPerBatch) {
                http.send("POST", path, "application/octet-stream", batches.next(blk, BLOCKS)).expect(200);
                bytes += batches.pageBytes();
                records += pagesPerBatch;
                if (halfway == null && blk + pagesPerBatch >= BLOCKS) {
                    halfway = batches.lastLsn();
                }
            }
        }
        double took = (System.nanoTime() - start) / 1e9;
        return new IngestRun(bytes / took / 1e6, records / took, bytes, halfway);
    }

    private IngestRun ingestImagesParallel(String tenant, List<String> timelines, int pagesPerBatch, double secs,
                                           boolean everyBlock) throws Exception {
        return inParallel(timelines, (timeline, i) -> ingestImages(tenant, timeline, i + 10, pagesPerBatch, secs,
                everyBlock));
    }

    /** Small deltas from one writer per timeline at once: as many files to force as timelines. */
    private IngestRun ingestDeltasParallel(String tenant, List<String> timelines, double secs) throws Exception {
        return inParallel(timelines, (timeline, i) -> ingestDeltas(tenant, timeline, secs, i));
    }

    private interface Writer {
        IngestRun run(String timeline, int index) throws Exception;
    }

    /** One writer per timeline, all at once; the rates summed, the first writer's halfway LSN. */
    private static IngestRun inParallel(List<String> timelines, Writer writer) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(timelines.size());
        try {
            List<Future<IngestRun>> runs = new ArrayList<>();
            for (int i = 0; i < timelines.size(); i++) {
                String timeline = timelines.get(i);
                int index = i;
                runs.add(pool.submit(() -> writer.run(timeline, index)));
            }
            double rate = 0;
            double recordRate = 0;
            long bytes = 0;
            for (Future<IngestRun> run : runs) {
                rate += run.get().megabytesPerSecond();
                recordRate += run.get().recordsPerSecond();
                bytes += run.get().bytes();
            }
            return new IngestRun(rate, recordRate, bytes, runs.get(0).get().everyBlockWritten());
        } finally {
            pool.shutdown();
        }
    }

    private IngestRun ingestDeltas(String tenant, String timeline, double secs) throws IOException {
        return ingestDeltas(tenant, timeline, secs, 7);
    }

    private IngestRun ingestDeltas(String tenant, String timeline, double secs, long seed) throws IOException {
        Random random = new Random(seed);
        long bytes = 0;
        long records = 0;
        Lsn lsn = Lsn.INITDB;
        long start = System.nanoTime();
        long end = start + (long) (secs * 1e9);
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
                http.send("POST", "/v1/tenant/" + tenant + "/timeline/" + timeline + "/wal",
                        "application/octet-stream", body).expect(200);
                bytes += body.length;
                records += batch.size();
            }
        }
        double took = (System.nanoTime() - start) / 1e9;
        return new IngestRun(bytes / took / 1e6, records / took, bytes, null);
    }

    // ---- steady state: warm-up, clean-up, CPU accounting ----

    private interface IngestWork {
        IngestRun run() throws Exception;
    }

    /** One ingest row's CPU: the server's by thread group (null without its pid), and this client's. */
    private record CpuRow(String what, IngestRun run, double wallSeconds, ProcessCpu.Usage server,
                          double clientSeconds, double machineSeconds, double cleanupSeconds, double quietSeconds) {
    }

    /**
     * Runs one ingest row, measures the CPU that the server and this client spent while it ran, then
     * (with {@code cleanUp}) deletes its timelines and waits until they are gone and the server is quiet,
     * so that the next row starts from the same state as this one did.
     */
    private IngestRun measureIngest(String what, String tenant, List<String> timelines, boolean cleanUp,
                                    IngestWork work) throws Exception {
        ProcessCpu.PhaseClock clock = ProcessCpu.startPhase(serverCpu);
        IngestRun run = work.run();
        ProcessCpu.Phase phase = clock.stop();
        double cleanup = cleanUp ? deleteTimelines(tenant, timelines) : Double.NaN;
        double quiet = waitUntilQuiet();
        cpuRows.add(new CpuRow(what, run, phase.wall(), phase.server(), phase.clientSeconds(), phase.machineSeconds(),
                cleanup, quiet));
        return run;
    }

    /**
     * Mixed work against scratch timelines, before any measurement, so that the rows measure compiled
     * code: rounds of (at most) 5 s, each of which does what every row does, in the rows' shapes: 4
     * writers ingesting 1 MiB batches (three tenths of the round), 1 writer in 256 KiB and in 1 MiB
     * batches, 4 writers in 256 KiB batches, small deltas, GetPage at the latest and at a past LSN,
     * and batched GetPage (a tenth each), then deletes the round's timelines and waits until they are
     * gone. A single pass would not do: C2 recompiles what a later kind of work deoptimizes.
     */
    private void warmUp(String tenant) throws Exception {
        if (warmupSeconds <= 0) {
            System.out.println("warm-up: none, the server is measured cold");
            return;
        }
        long start = System.nanoTime();
        long end = start + warmupSeconds * 1_000_000_000L;
        double round = Math.min(5.0, warmupSeconds);
        ProcessCpu.Snapshot before = serverCpu == null ? null : serverCpu.snapshot();
        List<String> jitByRound = new ArrayList<>();
        int rounds = 0;
        double rate = 0;
        double deleting = 0;
        do {
            ProcessCpu.Snapshot roundStart = serverCpu == null ? null : serverCpu.snapshot();
            List<String> scratch = new ArrayList<>();
            for (int i = 0; i < 11; i++) {
                scratch.add(createTimeline(tenant));
            }
            IngestRun big = ingestImagesParallel(tenant, scratch.subList(0, 4), 128, round * 0.3, true);
            rate = big.megabytesPerSecond();
            ingestImages(tenant, scratch.get(4), 1, 32, round * 0.1, false);
            ingestImages(tenant, scratch.get(5), 2, 128, round * 0.1, false);
            ingestImagesParallel(tenant, scratch.subList(6, 10), 32, round * 0.1, false);
            ingestDeltas(tenant, scratch.get(10), round * 0.1);
            getPages(tenant, scratch.get(0), null, Integer.MAX_VALUE, System.nanoTime() + (long) (round * 0.1e9));
            getPages(tenant, scratch.get(0), big.everyBlockWritten(), Integer.MAX_VALUE,
                    System.nanoTime() + (long) (round * 0.1e9));
            batchedPages(tenant, scratch.get(0), 64, round * 0.1);
            deleting += deleteTimelines(tenant, scratch);
            rounds++;
            if (serverCpu != null) {
                ProcessCpu.Usage usage = ProcessCpu.between(roundStart, serverCpu.snapshot());
                jitByRound.add(String.format("%.0f%%", 100 * jitSeconds(usage) / Math.max(0.01, usage.seconds())));
            }
        } while (System.nanoTime() < end);
        waitUntilQuiet();
        double took = (System.nanoTime() - start) / 1e9;
        String cpu = "";
        if (serverCpu != null) {
            ProcessCpu.Usage usage = ProcessCpu.between(before, serverCpu.snapshot());
            cpu = String.format("%n         server CPU %.1f s, of which JIT (C1 + C2) %.1f s; JIT's share of the"
                    + " server's CPU by round: %s", usage.seconds(), jitSeconds(usage), String.join(" ", jitByRound));
        }
        System.out.printf("warm-up: %.1f s, %d rounds of every row's work on 11 scratch timelines (4 writers in 1 MiB"
                + " batches at %.0f MB/s in the last), deleting them took %.1f s in all%s%n", took, rounds, rate,
                deleting, cpu);
    }

    private static double jitSeconds(ProcessCpu.Usage usage) {
        return usage.seconds("C1 CompilerThread") + usage.seconds("C2 CompilerThread");
    }

    /**
     * Deletes these timelines and waits until each is gone (GET answers 404): deletion is
     * asynchronous, and a timeline's memory is only free once it is. Returns the seconds it took.
     */
    private double deleteTimelines(String tenant, List<String> timelines) throws Exception {
        long start = System.nanoTime();
        try (RawHttp http = connect()) {
            for (String timeline : timelines) {
                RawHttp.Response r = http.send("DELETE", "/v1/tenant/" + tenant + "/timeline/" + timeline, null, null);
                if (r.status() != 202 && r.status() != 200) {
                    throw new IllegalStateException("deleting timeline " + timeline + ": " + r.status() + " "
                            + r.text());
                }
            }
            long deadline = start + 300_000_000_000L;
            for (String timeline : timelines) {
                while (true) {
                    RawHttp.Response r = http.get("/v1/tenant/" + tenant + "/timeline/" + timeline);
                    if (r.status() == 404) {
                        break;
                    }
                    if (r.status() != 200 || System.nanoTime() > deadline) {
                        throw new IllegalStateException("timeline " + timeline + " still there after deletion: "
                                + r.status() + " " + r.text());
                    }
                    Thread.sleep(20);
                }
            }
        }
        return (System.nanoTime() - start) / 1e9;
    }

    /**
     * With the server's pid: waits (at most 10 s) until the server spends less than a tenth of a core
     * over 300 ms, so that a row does not pay for the background work of the one before. Returns the
     * seconds it waited; 0 without the pid.
     */
    private double waitUntilQuiet() throws Exception {
        if (serverCpu == null) {
            return 0;
        }
        long start = System.nanoTime();
        ProcessCpu.Snapshot last = serverCpu.snapshot();
        while (System.nanoTime() - start < 10_000_000_000L) {
            Thread.sleep(300);
            ProcessCpu.Snapshot now = serverCpu.snapshot();
            long ticks = now.totalTicks() - last.totalTicks();
            last = now;
            if (ticks * ProcessCpu.SECONDS_PER_TICK < 0.03) {
                break;
            }
        }
        return (System.nanoTime() - start) / 1e9;
    }

    private void printCpuTable() {
        String format = "| %-50s | %6s | %10s | %10s | %-18s | %-110s | %-13s |%n";
        System.out.println();
        System.out.printf(format, "ingest row: CPU while it ran", "MB/s", "server CPU", "client CPU",
                "cores busy: server", "server CPU by thread group (share of the server's)", "then");
        System.out.printf(format, "", "", "ms/MB", "ms/MB", "+ client + others", "", "delete/quiet");
        System.out.printf("|%s|%s|%s|%s|%s|%s|%s|%n", "-".repeat(52), "-".repeat(8), "-".repeat(12), "-".repeat(12),
                "-".repeat(20), "-".repeat(112), "-".repeat(15));
        for (CpuRow r : cpuRows) {
            double mb = r.run().megabytes();
            double wall = r.wallSeconds();
            String serverMs = "n/a";
            String cores;
            StringBuilder groups = new StringBuilder();
            if (r.server() == null) {
                cores = String.format("n/a + %.2f + n/a", r.clientSeconds() / wall);
                groups.append("n/a (no server pid)");
            } else {
                serverMs = String.format("%.1f", r.server().seconds() * 1000 / mb);
                double others = r.machineSeconds() - r.server().seconds() - r.clientSeconds();
                cores = String.format("%.2f + %.2f + %s", r.server().seconds() / wall, r.clientSeconds() / wall,
                        Double.isNaN(others) ? "n/a" : String.format("%.2f", Math.max(0, others) / wall));
                int shown = 0;
                for (Map.Entry<String, Long> g : r.server().byGroup().entrySet()) {
                    double share = (double) g.getValue() / r.server().totalTicks();
                    if (shown == 5 || share < 0.02) {
                        break;
                    }
                    groups.append(shown++ == 0 ? "" : ", ").append(g.getKey()).append(' ')
                            .append(String.format("%.0f%%", 100 * share));
                }
            }
            String then = (Double.isNaN(r.cleanupSeconds()) ? "kept" : String.format("%.1f s", r.cleanupSeconds()))
                    + String.format(" / %.1f s", r.quietSeconds());
            System.out.printf(format, r.what(), String.format("%.1f", r.run().megabytesPerSecond()), serverMs,
                    String.format("%.1f", r.clientSeconds() * 1000 / mb), cores, groups, then);
        }
        System.out.printf("Server CPU: utime+stime of /proc/<pid>/task/*/stat (10 ms ticks) over each row; groups"
                + " are thread names without trailing digits, shares of 2%% or more. Client CPU: this JVM's process"
                + " CPU time. Cores busy: CPU seconds / wall seconds, on %d cores; others: the rest of the machine's"
                + " busy time (/proc/stat): other processes, and kernel work charged to none, which slow the rows"
                + " down. Then: deleting the row's timelines until GET answers 404 (the first row's is kept for the"
                + " GetPage rows), then waiting until the server spends < 0.1 core (at most 10 s).%n",
                Runtime.getRuntime().availableProcessors());
    }

    // ---- reads ----

    /**
     * {@code n} GetPage requests, or fewer when the {@code deadline} (of System.nanoTime()) comes first;
     * the first tenth is not counted.
     */
    private Percentiles getPages(String tenant, String timeline, Lsn lsn, int n, long deadline) throws IOException {
        Random random = new Random(3);
        Percentiles p = new Percentiles();
        String suffix = lsn == null ? "" : "&lsn=" + lsn;
        String base = "/v1/tenant/" + tenant + "/timeline/" + timeline + "/page?rel=" + REL + "&blkno=";
        try (RawHttp http = connect()) {
            for (int i = 0; i < n && System.nanoTime() < deadline; i++) {
                String path = base + random.nextInt(BLOCKS) + suffix;
                long t = System.nanoTime();
                RawHttp.Response r = http.get(path);
                long took = System.nanoTime() - t;
                r.expect(200);
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

    private double batchedPages(String tenant, String timeline, int perRequest, double secs) throws IOException {
        Random random = new Random(5);
        long pages = 0;
        long start = System.nanoTime();
        long end = start + (long) (secs * 1e9);
        try (RawHttp http = connect()) {
            while (System.nanoTime() < end) {
                List<PageRequest> requests = new ArrayList<>(perRequest);
                for (int i = 0; i < perRequest; i++) {
                    requests.add(new PageRequest(REL, random.nextInt(BLOCKS), null));
                }
                RawHttp.Response r = http.send("POST", "/v1/tenant/" + tenant + "/timeline/" + timeline + "/pages",
                        "application/octet-stream", PageRequest.encodeAll(requests)).expect(200);
                if (r.body().length != perRequest * Page.SIZE) {
                    throw new IllegalStateException("expected " + perRequest + " pages, got " + r.body().length + " bytes");
                }
                pages += perRequest;
            }
        }
        return pages / ((System.nanoTime() - start) / 1e9);
    }
}
