package org.pageserver.bench;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.pageserver.domain.lsn.Lsn;
import org.pageserver.domain.page.Page;
import org.pageserver.domain.page.Patch;
import org.pageserver.domain.page.RelTag;
import org.pageserver.domain.wal.WalEncoder;
import org.pageserver.domain.wal.WalRecord;

/**
 * The page service (Neon's libpq pagestream) against a bare loopback baseline and the HTTP read
 * path, on a running server: a data set of {@value #BLOCKS} distinct 8 KiB pages of one relation
 * (160 MiB, in layer files after a checkpoint, small enough for the OS page cache) is ingested
 * over HTTP, then
 * <ol>
 *   <li>a bare loopback TCP round trip from the same client code: a thread of this JVM reads a
 *   32-byte message (a GetPage request's size) and answers 8198 bytes (a page's answer), one
 *   request in flight;</li>
 *   <li>GetPage over the page service, one request in flight, random pages, latest = 1, lsn = 0;</li>
 *   <li>pipelined GetPage: 1, 2 and 4 connections, each with D requests in flight (one thread a
 *   connection: D requests, then as many new requests as answers were read, whenever the answers
 *   received are all read); beside the bare server pipelined the same way, 1 and 2 connections of
 *   32, the machine's ceiling for these bytes;</li>
 *   <li>GetPage over HTTP ({@code GET .../page}), one request in flight;</li>
 *   <li>2 and 3 again while a thread ingests 1 MiB batches of page images into another timeline
 *   of the tenant, as fast as the server takes them (each batch durable before the next).</li>
 * </ol>
 * Each phase reports the server's CPU (with its pid), this client's, and the rest of the machine's.
 *
 * <p>Usage: {@code PageServiceBench <server url> <page service port> [server pid]}. Environment:
 * {@code BENCH_DELTAS} (0: rounds of one small delta on every page after its image, so that a
 * read rebuilds its page), {@code BENCH_REQUESTS} (50,000 a latency row), {@code BENCH_SECONDS} (5 a throughput row),
 * {@code BENCH_WARMUP_SECONDS} (20), {@code BENCH_JFR} (a file: after the pipelined rows, a JFR
 * recording of the server during {@code BENCH_PROFILE_SECONDS} (15) of one-in-flight GetPage, not
 * counted in any row, and its top frames), {@code BENCH_PERF} (a file: {@code perf record} of the
 * server during the same seconds), {@code BENCH_PROFILE_PIPELINED} ({@code <connections>x<depth>}:
 * profile pipelined GetPage instead).
 */
public final class PageServiceBench {
    private static final RelTag REL = new RelTag(1663, 16384, 16400, 0);
    /** The read data set: 160 batches of 128 pages, 160 MiB. */
    private static final int BLOCKS = 20_480;
    private static final int BATCH = 128;
    /** Blocks of the relation the ingest beside the reads writes over and over. */
    private static final int INGEST_BLOCKS = 4096;
    private static final int[] CONNECTIONS = {1, 2, 4};
    private static final int[] DEPTHS = {32, 128};

    private final PageserverApi api;
    private final int port;
    private final ProcessCpu serverCpu;
    private final long serverPid;
    private final int requests = envInt("BENCH_REQUESTS", 50_000);
    private final double seconds = envInt("BENCH_SECONDS", 5);
    private final int warmupSeconds = envInt("BENCH_WARMUP_SECONDS", 20);
    private final Table rows = new Table("measurement", "result", "note");
    private final List<String[]> cpuRows = new ArrayList<>();
    private String tenant;
    private String timeline;

    private PageServiceBench(URI server, int port, long serverPid) {
        this.api = new PageserverApi(server);
        this.port = port;
        this.serverPid = serverPid;
        ProcessCpu cpu = serverPid > 0 ? new ProcessCpu(serverPid) : null;
        if (cpu != null && !cpu.readable()) {
            System.err.println("cannot read /proc/" + serverPid + ": no server CPU figures");
            cpu = null;
        }
        this.serverCpu = cpu;
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: PageServiceBench <server url> <page service port> [server pid]");
            System.exit(2);
        }
        new PageServiceBench(URI.create(args[0]), Integer.parseInt(args[1]),
                args.length > 2 ? Long.parseLong(args[2]) : -1).run();
    }

    private static int envInt(String name, int otherwise) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? otherwise : Integer.parseInt(v.trim());
    }

    private void run() throws Exception {
        setUp();
        warmUp();
        try (BareTcpServer bare = new BareTcpServer()) {
            Percentiles baseline = measure("bare loopback TCP, 32 B request / 8198 B answer, 1 in flight",
                    () -> oneInFlight(new PagestreamClient(bare.port(), REL), requests));
            latencyRow("bare loopback TCP round trip, 32 B / 8198 B (baseline), 1 in flight", baseline, null);
            Percentiles pages = measure("page service GetPage, 1 in flight",
                    () -> oneInFlight(PagestreamClient.open(port, REL, tenant, timeline), requests));
            latencyRow("page service GetPage, 1 in flight", pages, baseline);
            for (int connections : new int[] {1, 2}) {
                String what = "bare loopback TCP (ceiling), " + connections + " conn x 32 in flight";
                double rate = measure(what, () -> pipelined(() -> new PagestreamClient(bare.port(), REL), connections, 32,
                        seconds));
                row(what, "%,.0f answers/s", rate, "one write() per answer");
            }
            for (int connections : CONNECTIONS) {
                for (int depth : DEPTHS) {
                    String what = "page service GetPage, " + connections + " conn x " + depth + " in flight";
                    double rate = measure(what, () -> pipelined(connections, depth, seconds));
                    row(what, "%,.0f pages/s", rate, "target >= 150,000");
                }
            }
            String jfr = System.getenv("BENCH_JFR");
            String perf = System.getenv("BENCH_PERF");
            if (serverPid > 0 && (jfr != null && !jfr.isBlank() || perf != null && !perf.isBlank())) {
                // Here, where the JIT has compiled the reads and nothing else runs: after the ingest
                // beside, C2 still compiled its code (a quarter of the samples in a first try).
                profile(jfr, perf, envInt("BENCH_PROFILE_SECONDS", 15));
            }
            Percentiles http = measure("HTTP GetPage, 1 in flight", () -> httpOneInFlight(requests));
            latencyRow("HTTP GetPage (GET .../page), 1 in flight", http, baseline);

            String ingestTimeline = api.createTimeline(tenant);
            try (IngestBeside ingest = new IngestBeside(ingestTimeline)) {
                long before = ingest.bytes();
                long start = System.nanoTime();
                Percentiles busy = measure("+ ingest: page service GetPage, 1 in flight",
                        () -> oneInFlight(PagestreamClient.open(port, REL, tenant, timeline), requests));
                latencyRow("with ingest beside: page service GetPage, 1 in flight", busy, baseline);
                ingestRow(ingest, before, start);
                for (int connections : CONNECTIONS) {
                    for (int depth : DEPTHS) {
                        String what = "with ingest beside: page service GetPage, " + connections + " conn x " + depth
                                + " in flight";
                        before = ingest.bytes();
                        start = System.nanoTime();
                        double rate = measure("+ ingest: " + connections + " conn x " + depth,
                                () -> pipelined(connections, depth, seconds));
                        row(what, "%,.0f pages/s", rate, "target >= 150,000");
                        ingestRow(ingest, before, start);
                    }
                }
            }
        }
        printRows();
        printCpuRows();
    }

    // ---- set-up and warm-up ----

    /** The tenant, the timeline of the data set, its pages ingested and checkpointed; checks a sample of reads. */
    private void setUp() throws Exception {
        tenant = api.createTenant("");
        timeline = api.createTimeline(tenant);
        long start = System.nanoTime();
        ImageBatches batches = new ImageBatches(REL, BATCH, 1, Lsn.INITDB);
        String path = "/v1/tenant/" + tenant + "/timeline/" + timeline + "/wal";
        try (RawHttp http = api.connect()) {
            for (int blk = 0; blk < BLOCKS; blk += BATCH) {
                http.send("POST", path, "application/octet-stream", batches.next(blk, BLOCKS)).expect(200);
            }
        }
        int deltas = envInt("BENCH_DELTAS", 0);
        ingestDeltas(path, batches.lastLsn(), deltas);
        double ingested = (System.nanoTime() - start) / 1e9;
        start = System.nanoTime();
        api.checkpoint(tenant, timeline);
        double checkpointed = (System.nanoTime() - start) / 1e9;
        Lsn last = api.lastRecordLsn(tenant, timeline);
        System.out.printf("data set: %,d pages (%d MiB) of relation %s, each an image%s, ingested over HTTP in %.1f s,"
                + " checkpointed in %.1f s; last_record_lsn %s%n", BLOCKS, BLOCKS * Page.SIZE >> 20, REL,
                deltas == 0 ? "" : " and " + deltas + " deltas on it", ingested, checkpointed, last);
        int checked = agreeWithHttp(500);
        System.out.printf("check: %d random pages read over the page service equal the HTTP API's%n", checked);
    }

    /**
     * {@code rounds} rounds of one small delta (8 bytes) on every block after {@code after}: a read
     * then rebuilds its page from the image and the deltas, the work the page cache saves.
     */
    private void ingestDeltas(String path, Lsn after, int rounds) throws IOException {
        Random random = new Random(5);
        Lsn lsn = after;
        try (RawHttp http = api.connect()) {
            for (int round = 1; round <= rounds; round++) {
                List<WalRecord> records = new ArrayList<>();
                for (int blk = 0; blk < BLOCKS; blk++) {
                    byte[] patch = new byte[8];
                    random.nextBytes(patch);
                    lsn = lsn.plus(64);
                    records.add(new WalRecord.PageDelta(lsn, REL, blk, List.of(new Patch(round * 64 % Page.SIZE, patch))));
                    if (records.size() == 1024 || blk == BLOCKS - 1) {
                        http.send("POST", path, "application/octet-stream", WalEncoder.encode(records)).expect(200);
                        records.clear();
                    }
                }
            }
        }
    }

    /** Reads {@code n} random pages both ways and fails unless they are equal and nonzero; returns n. */
    private int agreeWithHttp(int n) throws IOException {
        Random random = new Random(11);
        try (PagestreamClient ps = PagestreamClient.open(port, REL, tenant, timeline); RawHttp http = api.connect()) {
            for (int i = 0; i < n; i++) {
                int blk = random.nextInt(BLOCKS);
                ps.getPage(blk);
                ps.flush();
                ps.readPage();
                byte[] viaHttp = http.get(pagePath() + blk).expect(200).body();
                byte[] viaPs = Arrays.copyOfRange(ps.buffer(), ps.page(), ps.page() + Page.SIZE);
                if (!Arrays.equals(viaHttp, viaPs) || Arrays.equals(viaPs, new byte[Page.SIZE])) {
                    throw new IllegalStateException("block " + blk + ": the page service's page differs from HTTP's");
                }
            }
        }
        return n;
    }

    /**
     * Rounds of every row's kind of work for the warm-up's seconds, so that the rows measure compiled
     * code: the baseline, one in flight, pipelined on 2 connections, HTTP.
     */
    private void warmUp() throws Exception {
        initializeJfr();
        long start = System.nanoTime();
        long end = start + warmupSeconds * 1_000_000_000L;
        ProcessCpu.Snapshot before = serverCpu == null ? null : serverCpu.snapshot();
        List<String> jit = new ArrayList<>();
        int rounds = 0;
        try (BareTcpServer bare = new BareTcpServer()) {
            while (System.nanoTime() < end) {
                ProcessCpu.Snapshot round = serverCpu == null ? null : serverCpu.snapshot();
                oneInFlight(new PagestreamClient(bare.port(), REL), 5_000);
                pipelined(() -> new PagestreamClient(bare.port(), REL), 2, 32, 0.5);
                oneInFlight(PagestreamClient.open(port, REL, tenant, timeline), 5_000);
                pipelined(2, 32, 1);
                pipelined(1, 128, 1);
                httpOneInFlight(2_000);
                rounds++;
                if (serverCpu != null) {
                    ProcessCpu.Usage u = ProcessCpu.between(round, serverCpu.snapshot());
                    jit.add(String.format("%.0f%%", 100 * jitSeconds(u) / Math.max(0.01, u.seconds())));
                }
            }
        }
        String cpu = "";
        if (serverCpu != null) {
            ProcessCpu.Usage u = ProcessCpu.between(before, serverCpu.snapshot());
            cpu = String.format("; server CPU %.1f s, JIT's share by round: %s", u.seconds(), String.join(" ", jit));
        }
        System.out.printf("warm-up: %.1f s, %d rounds%s%n", (System.nanoTime() - start) / 1e9, rounds, cpu);
    }

    private static double jitSeconds(ProcessCpu.Usage usage) {
        return usage.seconds("C1 CompilerThread") + usage.seconds("C2 CompilerThread");
    }

    // ---- the measurements ----

    /** {@code n} GetPage requests one at a time after n / 10 not counted; closes the connection. */
    private static Percentiles oneInFlight(PagestreamClient client, int n) throws IOException {
        Random random = new Random(3);
        Percentiles p = new Percentiles();
        try (client) {
            int warm = n / 10;
            for (int i = 0; i < warm + n; i++) {
                int blk = random.nextInt(BLOCKS);
                long t = System.nanoTime();
                client.getPage(blk);
                client.flush();
                client.readPage();
                long took = System.nanoTime() - t;
                if (i >= warm) {
                    p.add(took);
                }
            }
        }
        return p;
    }

    /**
     * {@code connections} connections at once, each with {@code depth} requests in flight, for
     * {@code secs}: pages per second answered in that time, over all connections.
     */
    private double pipelined(int connections, int depth, double secs) throws Exception {
        return pipelined(() -> PagestreamClient.open(port, REL, tenant, timeline), connections, depth, secs);
    }

    private interface Connect {
        PagestreamClient open() throws IOException;
    }

    private static double pipelined(Connect connect, int connections, int depth, double secs) throws Exception {
        List<PagestreamClient> clients = new ArrayList<>();
        for (int i = 0; i < connections; i++) {
            clients.add(connect.open());
        }
        ExecutorService pool = Executors.newFixedThreadPool(connections);
        CyclicBarrier go = new CyclicBarrier(connections + 1);
        long[] window = new long[2];
        try {
            List<Future<Long>> counts = new ArrayList<>();
            for (int i = 0; i < connections; i++) {
                PagestreamClient c = clients.get(i);
                long seed = 100 + i;
                counts.add(pool.submit(() -> {
                    go.await();
                    return keepInFlight(c, depth, window[1], seed);
                }));
            }
            window[0] = System.nanoTime();
            window[1] = window[0] + (long) (secs * 1e9);
            go.await();
            long pages = 0;
            for (Future<Long> f : counts) {
                pages += f.get();
            }
            return pages / ((window[1] - window[0]) / 1e9);
        } finally {
            pool.shutdown();
            for (PagestreamClient c : clients) {
                c.close();
            }
        }
    }

    /**
     * One connection: {@code depth} requests, then, whenever every answer received so far is read,
     * as many new ones as answers were read, until {@code end}; the answers received before it.
     * Then reads the answers still owed, so that the server is idle when the next row starts.
     */
    private static long keepInFlight(PagestreamClient c, int depth, long end, long seed) throws IOException {
        Random random = new Random(seed);
        for (int i = 0; i < depth; i++) {
            c.getPage(random.nextInt(BLOCKS));
        }
        c.flush();
        long pages = 0;
        int owed = depth;
        int read = 0;
        boolean sending = true;
        while (owed > 0) {
            c.readPage();
            owed--;
            if (!sending) {
                continue;
            }
            pages++;
            read++;
            if (System.nanoTime() >= end) {
                sending = false;
                continue;
            }
            if (c.buffered() < PagestreamClient.ANSWER_SIZE) {
                for (int i = 0; i < read; i++) {
                    c.getPage(random.nextInt(BLOCKS));
                }
                c.flush();
                owed += read;
                read = 0;
            }
        }
        return pages;
    }

    private String pagePath() {
        return "/v1/tenant/" + tenant + "/timeline/" + timeline + "/page?rel=" + REL + "&blkno=";
    }

    /** {@code n} HTTP GetPage requests at the latest LSN, one at a time, after n / 10 not counted. */
    private Percentiles httpOneInFlight(int n) throws IOException {
        Random random = new Random(3);
        Percentiles p = new Percentiles();
        String base = pagePath();
        try (RawHttp http = api.connect()) {
            int warm = n / 10;
            for (int i = 0; i < warm + n; i++) {
                String path = base + random.nextInt(BLOCKS);
                long t = System.nanoTime();
                RawHttp.Response r = http.get(path);
                long took = System.nanoTime() - t;
                if (r.status() != 200 || r.body().length != Page.SIZE) {
                    throw new IllegalStateException("GET page: " + r.status() + ", " + r.body().length + " bytes");
                }
                if (i >= warm) {
                    p.add(took);
                }
            }
        }
        return p;
    }

    /** Page images into another timeline, 1 MiB batches, one after another, until closed. */
    private final class IngestBeside implements AutoCloseable {
        private final AtomicLong bytes = new AtomicLong();
        private final Thread thread;
        private volatile boolean stop;
        private volatile Exception failed;

        IngestBeside(String ingestTimeline) {
            thread = new Thread(() -> {
                ImageBatches batches = new ImageBatches(REL, BATCH, 2, Lsn.INITDB);
                String path = "/v1/tenant/" + tenant + "/timeline/" + ingestTimeline + "/wal";
                try (RawHttp http = api.connect()) {
                    for (long blk = 0; !stop; blk += BATCH) {
                        http.send("POST", path, "application/octet-stream", batches.next(blk, INGEST_BLOCKS)).expect(200);
                        bytes.addAndGet(batches.pageBytes());
                    }
                } catch (Exception e) {
                    failed = e;
                }
            }, "ingest-beside");
            thread.start();
        }

        long bytes() {
            if (failed != null) {
                throw new IllegalStateException("the ingest beside the reads failed", failed);
            }
            return bytes.get();
        }

        @Override
        public void close() throws InterruptedException {
            stop = true;
            thread.join(TimeUnit.SECONDS.toMillis(60));
        }
    }

    private void ingestRow(IngestBeside ingest, long bytesBefore, long start) {
        double mb = (ingest.bytes() - bytesBefore) / 1e6;
        row("  ... the ingest beside it (1 MiB batches of page images, another timeline)", "%.0f MB/s",
                mb / ((System.nanoTime() - start) / 1e9), "");
    }

    // ---- CPU of each phase, and the tables ----

    private interface Work<T> {
        T run() throws Exception;
    }

    /** Runs one phase, noting the CPU that the server, this client and the rest of the machine spent. */
    private <T> T measure(String what, Work<T> work) throws Exception {
        ProcessCpu.PhaseClock clock = ProcessCpu.startPhase(serverCpu);
        T result = work.run();
        ProcessCpu.Phase phase = clock.stop();
        double wall = phase.wall();
        double clientSeconds = phase.clientSeconds();
        double machineSeconds = phase.machineSeconds();
        String server = "n/a";
        String others = "n/a";
        StringBuilder groups = new StringBuilder("n/a");
        if (phase.server() != null) {
            ProcessCpu.Usage u = phase.server();
            server = String.format("%.2f", u.seconds() / wall);
            others = Double.isNaN(machineSeconds) ? "n/a"
                    : String.format("%.2f", Math.max(0, machineSeconds - u.seconds() - clientSeconds) / wall);
            groups.setLength(0);
            int shown = 0;
            for (Map.Entry<String, Long> g : u.byGroup().entrySet()) {
                double share = (double) g.getValue() / Math.max(1, u.totalTicks());
                if (shown == 4 || share < 0.03) {
                    break;
                }
                groups.append(shown++ == 0 ? "" : ", ").append(g.getKey()).append(' ')
                        .append(String.format("%.0f%%", 100 * share));
            }
        }
        cpuRows.add(new String[] {what, String.format("%.1f", wall), server, String.format("%.2f", clientSeconds / wall),
                others, groups.toString()});
        return result;
    }

    private void latencyRow(String what, Percentiles p, Percentiles baseline) {
        String note = "";
        if (baseline != null) {
            note = String.format("%.1fx / %.1fx / %.1fx the baseline", p.micros(50) / baseline.micros(50),
                    p.micros(99) / baseline.micros(99), p.micros(99.9) / baseline.micros(99.9));
        }
        row(what + ", p50 / p99 / p99.9", "%.0f / %.0f / %.0f us", p.micros(50), p.micros(99), p.micros(99.9), note);
    }

    private void row(String what, String format, Object... values) {
        Object[] numbers = Arrays.copyOf(values, values.length - 1);
        rows.add(what, String.format(format, numbers), (String) values[values.length - 1]);
    }

    private void printRows() {
        rows.print();
    }

    private void printCpuRows() {
        String format = "| %-58s | %6s | %6s | %6s | %6s | %-80s |%n";
        System.out.println();
        System.out.printf(format, "phase", "wall s", "server", "client", "others", "server CPU by thread group");
        System.out.printf("|%s|%s|%s|%s|%s|%s|%n", "-".repeat(60), "-".repeat(8), "-".repeat(8), "-".repeat(8),
                "-".repeat(8), "-".repeat(82));
        for (String[] r : cpuRows) {
            System.out.printf(format, (Object[]) r);
        }
        System.out.printf("server / client / others: cores busy (CPU seconds / wall seconds, on %d cores): the server"
                + " (/proc/<pid>/task/*/stat), this client JVM, and the rest of the machine (/proc/stat).%n",
                Runtime.getRuntime().availableProcessors());
    }

    // ---- profile ----

    /**
     * One-in-flight (or pipelined) GetPage for {@code secs} under JFR (method samples every 1 ms,
     * native ones every 10 ms, nothing else) and/or perf, then the recording's top frames for the
     * page service's event loops.
     */
    private void profile(String jfr, String perf, int secs) throws Exception {
        boolean withJfr = jfr != null && !jfr.isBlank();
        boolean withPerf = perf != null && !perf.isBlank();
        if (withJfr) {
            command("jcmd", Long.toString(serverPid), "JFR.start", "name=pagesvc", "settings=" + jfrSettings(jfr),
                    "filename=" + Path.of(jfr).toAbsolutePath());
        }
        Process perfRecord = withPerf ? new ProcessBuilder("perf", "record", "-F", "999", "-g", "-p",
                Long.toString(serverPid), "-o", perf).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start() : null;
        String pipelined = System.getenv("BENCH_PROFILE_PIPELINED");
        String workload;
        if (pipelined != null && pipelined.matches("\\d+x\\d+")) {
            String[] cd = pipelined.split("x");
            double rate = pipelined(Integer.parseInt(cd[0]), Integer.parseInt(cd[1]), secs);
            workload = String.format("%s conn x %s in flight, %,.0f pages/s", cd[0], cd[1], rate);
        } else {
            long end = System.nanoTime() + secs * 1_000_000_000L;
            Percentiles p = new Percentiles();
            try (PagestreamClient c = PagestreamClient.open(port, REL, tenant, timeline)) {
                Random random = new Random(9);
                while (System.nanoTime() < end) {
                    long t = System.nanoTime();
                    c.getPage(random.nextInt(BLOCKS));
                    c.flush();
                    c.readPage();
                    p.add(System.nanoTime() - t);
                }
            }
            workload = String.format("%d GetPage 1 in flight, p50 / p99 %.0f / %.0f us", p.count(), p.micros(50),
                    p.micros(99));
        }
        if (perfRecord != null) {
            // perf writes its file on SIGINT; the JIT's symbols for perf report: /tmp/perf-<pid>.map.
            new ProcessBuilder("kill", "-INT", Long.toString(perfRecord.pid())).start().waitFor();
            perfRecord.waitFor(30, TimeUnit.SECONDS);
            command("jcmd", Long.toString(serverPid), "Compiler.perfmap");
        }
        if (withJfr) {
            command("jcmd", Long.toString(serverPid), "JFR.stop", "name=pagesvc");
        }
        System.out.printf("%nprofile: %d s under the profiler(s) of %s%n", secs, workload);
        if (withJfr && Files.exists(Path.of(jfr))) {
            JfrTop.print(Path.of(jfr), "page-service-", 25);
        }
    }

    /**
     * Method samples only: JFR's "profile" settings also time file and socket reads and writes,
     * which instruments the JDK's I/O classes, and C2 then spent a quarter of a recording compiling
     * them again (and the HTTP row after it paid for it too).
     */
    private static Path jfrSettings(String jfr) throws IOException {
        Path settings = Path.of(jfr).toAbsolutePath().resolveSibling("samples-only.jfc");
        Files.writeString(settings, """
                <?xml version="1.0" encoding="UTF-8"?>
                <configuration version="2.0" label="samples only">
                  <event name="jdk.ExecutionSample"><setting name="enabled">true</setting>\
                <setting name="period">1 ms</setting></event>
                  <event name="jdk.NativeMethodSample"><setting name="enabled">true</setting>\
                <setting name="period">10 ms</setting></event>
                </configuration>
                """);
        return settings;
    }

    /**
     * Before the warm-up, when a JFR profile is asked for: a recording started and stopped at once.
     * JFR's first start in a running JVM redefines classes, and HotSpot then throws away all its
     * compiled code (about 6,000 methods made not entrant, Micronaut's and Netty's too, in a first
     * try): here the warm-up compiles it again, not the profile's seconds.
     */
    private void initializeJfr() throws Exception {
        String jfr = System.getenv("BENCH_JFR");
        if (serverPid > 0 && jfr != null && !jfr.isBlank()) {
            command("jcmd", Long.toString(serverPid), "JFR.start", "name=init", "settings=" + jfrSettings(jfr));
            command("jcmd", Long.toString(serverPid), "JFR.stop", "name=init");
        }
    }

    private static void command(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            System.err.println(String.join(" ", command) + " failed: " + output);
        }
    }
}
