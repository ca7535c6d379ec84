package org.pageserver.bench;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.pageserver.domain.id.TenantId;
import org.pageserver.domain.id.TimelineId;
import org.pageserver.domain.lsn.Lsn;
import org.pageserver.domain.page.RelTag;

/**
 * Eviction and on-demand download, on server processes the bench starts itself, each with its
 * remote storage in a directory of the same disk ({@code pageserver.remote-storage.local-path}).
 *
 * <p>Node "reads": the first read of a page whose layer file was evicted (DELETE …/layer/{name}),
 * which downloads it, for one layer of 64 MiB, one of 1 MiB and one of one page, beside reads once
 * it is resident again and reads of a 64 MiB layer that was never evicted.
 *
 * <p>Node "many": {@code bench.tenants} (10) tenants of {@code bench.layers} (1,000) one-flush L0
 * layers of {@code bench.layer-pages} (8) page images each, compaction off, all uploaded. Then,
 * each over a restart of the server: a pass of PUT /v1/disk_usage_eviction/run for half the
 * layers' bytes (checked on the file system), the evicted layers downloaded back on request; the
 * background disk-usage task (min-avail-bytes set below the free space at its start, period 1s)
 * under a ballast file that takes about half the layers' bytes more than the free space above the
 * threshold, timed until the free space is back above it; then a start of the node with most of
 * its layers evicted, beside the starts with all of them resident, and what each start downloads
 * (timed until its last step, the logical size of every timeline, is done).
 *
 * <p>Usage: {@code EvictionBench <server jar> <work directory>}; bench/eviction.sh builds the jar.
 */
public final class EvictionBench {
    private static final RelTag REL = new RelTag(1663, 16384, 16385, 0);
    private static final int PORT = Integer.getInteger("bench.port", 19894);
    private static final int TENANTS = Integer.getInteger("bench.tenants", 10);
    private static final int LAYERS = Integer.getInteger("bench.layers", 1_000);
    private static final int LAYER_PAGES = Integer.getInteger("bench.layer-pages", 8);
    private static final int WRITERS = Integer.getInteger("bench.writers", 5);
    /** How far under the free space at the start of the pressured node its min-avail-bytes is. */
    private static final long MARGIN = Long.getLong("bench.margin-mib", 1024) << 20;
    /** Compaction, GC and PITR off, and no L0 backpressure: the layers stay as flushed. */
    private static final String NO_MAINTENANCE = "\"generation\":1,\"compaction_period\":\"0s\",\"gc_period\":\"0s\","
            + "\"pitr_interval\":\"0s\",\"compaction_threshold\":100000";
    private static final String EVICTIONS = "pageserver_evictions_total{cause=\"disk_usage_eviction\"}";
    private static final String DOWNLOADED = "pageserver_remote_ondemand_downloaded_layers_total";
    private static final String STARTUP = "pageserver_startup_duration_seconds{phase=\"complete\"}";
    private static final String LOGICAL_SIZE = "pageserver_current_logical_size{";
    private static final Pattern LAYER = Pattern.compile(
            "\"layer_file_name\":\"([^\"]+)\",\"layer_file_size\":(\\d+),[^{}]*?\"remote\":(true|false)");
    private static final Pattern FREED = Pattern.compile("\"projected_after\":\\{\"config\":\\{[^}]*},\"freed_bytes\":(\\d+)}");
    private static final Pattern PASS = Pattern.compile(
            "disk usage based eviction: ([\\d,]+) of [\\d,]+ bytes free, ([\\d,]+) to free: freed ([\\d,]+) in ([\\d,]+) ms");

    private final Path jar;
    private final Path workdir;
    private final String heap;
    private final Table rows = new Table("measurement", "result");
    private BenchServer server;

    /** A timeline of the bench; {@code last} is the LSN of its last record. */
    private record Timeline(String tenant, String id, Lsn last) {
        String base() {
            return "/v1/tenant/" + tenant + "/timeline/" + id;
        }

        String page(long blkno) {
            return base() + "/page?rel=" + REL + "&blkno=" + blkno;
        }
    }

    /** A layer file as the layer endpoint lists it. */
    private record Layer(String name, long size, boolean remote) {
    }

    private EvictionBench(Path jar, Path workdir, String heap) {
        this.jar = jar;
        this.workdir = workdir;
        this.heap = heap;
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: EvictionBench <server jar> <work directory>");
            System.exit(2);
        }
        new EvictionBench(Path.of(args[0]), Path.of(args[1]),
                System.getenv().getOrDefault("BENCH_SERVER_HEAP", "-Xms1g -Xmx1g")).run();
    }

    private void run() throws Exception {
        long started = System.nanoTime();
        firstReads();
        manyLayers();
        System.out.printf("%nwhole run: %.0f s%n", (System.nanoTime() - started) / 1e9);
        rows.print();
    }

    // ---------------------------------------------------------------- first reads of evicted layers

    private void firstReads() throws Exception {
        Path dir = workdir.resolve("reads");
        server = start(dir, workdir.resolve("reads-bucket"), Map.of());
        try {
            server.awaitStatus();
            String tenant = TenantId.generate().toString();
            server.createTenant(tenant, NO_MAINTENANCE);
            Timeline big = oneLayerTimeline(tenant, 8192);
            Timeline resident = oneLayerTimeline(tenant, 8192);
            Timeline small = oneLayerTimeline(tenant, 128);
            Timeline one = oneLayerTimeline(tenant, 1);
            Timeline warm = oneLayerTimeline(tenant, 1);
            for (Timeline t : List.of(big, resident, small, one, warm)) {
                server.awaitRemoteConsistent(t.tenant(), t.id(), t.last());
            }
            try (RawHttp http = server.connect()) {
                // The read path warmed up (JIT) on a timeline of its own, so that the first reads below are of their layers.
                reads(http, warm.page(0));
                Layer bigLayer = layers(http, big).get(0);
                long t0 = System.nanoTime();
                http.get(resident.page(0)).expect(200);
                double residentFirst = (System.nanoTime() - t0) / 1e6;

                double[] bigFirst = new double[5];
                bigFirst[0] = evictAndRead(http, dir, big);
                // One read of each in turn, so that both see the same moments of a shared machine.
                Percentiles after = new Percentiles();
                Percentiles beside = new Percentiles();
                for (int i = 0; i < 5_000; i++) {
                    long r = System.nanoTime();
                    http.get(big.page(0)).expect(200);
                    long b = System.nanoTime();
                    http.get(resident.page(0)).expect(200);
                    if (i >= 1_000) {
                        after.add(b - r);
                        beside.add(System.nanoTime() - b);
                    }
                }
                for (int i = 1; i < bigFirst.length; i++) {
                    bigFirst[i] = evictAndRead(http, dir, big);
                }
                double[] smallFirst = new double[5];
                double[] oneFirst = new double[5];
                for (int i = 0; i < 5; i++) {
                    smallFirst[i] = evictAndRead(http, dir, small);
                    oneFirst[i] = evictAndRead(http, dir, one);
                }
                String metrics = server.metrics();
                row(String.format(Locale.ROOT, "one %.1f MiB layer (8,192 page images) evicted: first read of a page of it"
                        + " (downloads it)", bigLayer.size() / 1048576.0), firsts(bigFirst));
                row("  the same page after, 4,000 reads (of 5,000), p50 / p99", "%.0f / %.0f us", after.micros(50),
                        after.micros(99));
                row("  a page of a 64 MiB layer of another timeline, never evicted: first read; 4,000 reads (in turn"
                        + " with the above) p50 / p99", "%.1f ms; %.0f / %.0f us", residentFirst, beside.micros(50),
                        beside.micros(99));
                row(String.format(Locale.ROOT, "one %,d KiB layer (128 pages) evicted: first read of a page of it",
                        layers(http, small).get(0).size() >> 10), firsts(smallFirst));
                row(String.format(Locale.ROOT, "one %,d KiB layer (one page) evicted: first read of it",
                        layers(http, one).get(0).size() >> 10), firsts(oneFirst));
                row("  layers downloaded on demand by these reads (" + DOWNLOADED + ")", "%.0f",
                        BenchServer.metricValue(metrics, DOWNLOADED));
            }
        } finally {
            server.stop();
        }
    }

    /** {@code pages} page images (blocks 0 ..) on a new timeline, flushed once: one layer file, to be uploaded. */
    private Timeline oneLayerTimeline(String tenant, int pages) throws IOException {
        String id = TimelineId.generate().toString();
        server.createTimeline(tenant, id);
        ImageBatches images = new ImageBatches(REL, Math.min(pages, 128), pages, Lsn.INITDB);
        for (int from = 0; from < pages; from += 128) {
            server.ingest(tenant, id, images.next(from, pages));
        }
        server.checkpoint(tenant, id);
        return new Timeline(tenant, id, images.lastLsn());
    }

    /** Evicts the timeline's one layer file (checked gone from the disk) and times the first read of a page of it, in ms. */
    private double evictAndRead(RawHttp http, Path dir, Timeline t) throws IOException {
        Layer layer = layers(http, t).get(0);
        http.send("DELETE", t.base() + "/layer/" + layer.name(), null, null).expect(200);
        Path file = dir.resolve("tenants").resolve(t.tenant()).resolve("timelines").resolve(t.id()).resolve(layer.name());
        if (Files.exists(file)) {
            throw new IllegalStateException("evicted, yet on disk: " + file);
        }
        long started = System.nanoTime();
        http.get(t.page(0)).expect(200);
        double ms = (System.nanoTime() - started) / 1e6;
        if (!Files.exists(file)) {
            throw new IllegalStateException("read, yet not downloaded: " + file);
        }
        return ms;
    }

    /** 5,000 reads of one page, the first 1,000 not counted. */
    private static Percentiles reads(RawHttp http, String page) throws IOException {
        Percentiles p = new Percentiles();
        for (int i = 0; i < 5_000; i++) {
            long r = System.nanoTime();
            http.get(page).expect(200);
            if (i >= 1_000) {
                p.add(System.nanoTime() - r);
            }
        }
        return p;
    }

    /** The first of the samples, then the median, least and most of the others. */
    private static String firsts(double[] ms) {
        double[] rest = Arrays.copyOfRange(ms, 1, ms.length);
        Arrays.sort(rest);
        return String.format(Locale.ROOT, "%.1f ms (again: %.1f, %.1f-%.1f)", ms[0], rest[rest.length / 2], rest[0],
                rest[rest.length - 1]);
    }

    // ---------------------------------------------------------------- a node of many layers

    private void manyLayers() throws Exception {
        Path dir = workdir.resolve("many");
        Path bucket = workdir.resolve("many-bucket");
        server = start(dir, bucket, Map.of());
        List<Timeline> timelines;
        try {
            server.awaitStatus();
            timelines = fill();
        } finally {
            server.stop();
        }
        long totalFiles = layerFiles(dir).size();
        long totalBytes = layerBytes(dir);
        if (totalFiles != (long) TENANTS * LAYERS) {
            throw new IllegalStateException("expected " + TENANTS * LAYERS + " layer files, found " + totalFiles);
        }

        server = start(dir, bucket, Map.of());
        try {
            restartRow(String.format(Locale.ROOT, "restart, all %,d layers resident", totalFiles), totalFiles);
            evictHalf(dir);
            downloadBack(dir, timelines, totalFiles);
        } finally {
            server.stop();
        }

        long minAvail = usable(dir) - MARGIN;
        Map<String, Object> pressure = new LinkedHashMap<>();
        pressure.put("pageserver.disk-usage-based-eviction.min-avail-bytes", minAvail);
        pressure.put("pageserver.disk-usage-based-eviction.period", "1s");
        server = start(dir, bucket, pressure);
        try {
            restartRow(String.format(Locale.ROOT, "restart, all %,d layers resident, the disk-usage task on", totalFiles),
                    totalFiles);
            diskPressure(dir, minAvail);
            evictMost(dir, totalBytes);
        } finally {
            server.stop();
        }

        long before = layerFiles(dir).size();
        server = start(dir, bucket, Map.of());
        try {
            restartRow(String.format(Locale.ROOT, "restart, %,d of %,d layers evicted", totalFiles - before, totalFiles),
                    before);
            readNewestEvicted(dir, timelines.get(0));
        } finally {
            server.stop();
        }
    }

    /**
     * Every tenant's flushes, {@code bench.writers} (5) tenants at a time, each on a kept-alive
     * connection; then until the remote indexes name every layer. The tenants are created one after
     * the other first: 10 creates at once starve the server's pool of 10 metadata connections (each
     * commit takes a second connection to force H2's file) and fail after 30 s.
     */
    private List<Timeline> fill() throws Exception {
        long started = System.nanoTime();
        List<Timeline> created = new ArrayList<>();
        for (int n = 0; n < TENANTS; n++) {
            Timeline t = new Timeline(TenantId.generate().toString(), TimelineId.generate().toString(), null);
            server.createTenant(t.tenant(), NO_MAINTENANCE);
            server.createTimeline(t.tenant(), t.id());
            created.add(t);
        }
        ExecutorService pool = daemonPool(WRITERS);
        List<Future<Timeline>> writers = new ArrayList<>();
        for (int n = 0; n < TENANTS; n++) {
            Timeline t = created.get(n);
            long seed = n;
            writers.add(pool.submit(() -> {
                ImageBatches images = new ImageBatches(REL, LAYER_PAGES, seed, Lsn.INITDB);
                try (RawHttp http = server.connect()) {
                    for (int i = 0; i < LAYERS; i++) {
                        // Blocks i * LAYER_PAGES ..: layer i holds its pages and the relation's size then.
                        http.send("POST", t.base() + "/wal", "application/octet-stream",
                                images.next((long) i * LAYER_PAGES, Integer.MAX_VALUE)).expect(200);
                        http.send("PUT", t.base() + "/checkpoint", "application/json", new byte[0]).expect(200);
                    }
                }
                return new Timeline(t.tenant(), t.id(), images.lastLsn());
            }));
        }
        List<Timeline> timelines = new ArrayList<>();
        for (Future<Timeline> writer : writers) {
            timelines.add(writer.get());
        }
        pool.shutdown();
        double flushed = (System.nanoTime() - started) / 1e9;
        for (Timeline t : timelines) {
            server.awaitRemoteConsistent(t.tenant(), t.id(), t.last());
        }
        double uploaded = (System.nanoTime() - started) / 1e9;
        Path dir = workdir.resolve("many");
        List<Path> files = layerFiles(dir);
        long bytes = layerBytes(dir);
        row(String.format(Locale.ROOT, "%d tenants x %,d flushes of %d page images (%,d layer files, %,d MiB, %,d KiB each):"
                + " ingest and flush, %d tenants at a time", TENANTS, LAYERS, LAYER_PAGES, files.size(), bytes >> 20,
                bytes / files.size() >> 10, WRITERS),
                "%.1f s", flushed);
        row("  ... until every remote index names every layer", "%.1f s", uploaded);
        return timelines;
    }

    /**
     * The server just started again over the node's layers: timed as StartupBench does, and until
     * the start's last step, the logical size of every timeline (worked out in the background once
     * every tenant is Active), is done; with the layer files on disk and the layers downloaded.
     */
    private void restartRow(String what, long filesBefore) throws Exception {
        Path dir = workdir.resolve("many");
        long status = server.awaitStatus();
        long active = server.awaitAllActive(TENANTS);
        long filesAtActive = layerFiles(dir).size();
        // A start works out the logical sizes that local files hold; one whose sizes are in evicted
        // layers waits for a question (which would download them): wait 15 s for the rest.
        String metrics = server.metrics();
        long giveUp = System.nanoTime() + 15_000_000_000L;
        while (knownLogicalSizes(metrics) < TENANTS && System.nanoTime() < giveUp) {
            Thread.sleep(100);
            metrics = server.metrics();
        }
        int known = knownLogicalSizes(metrics);
        long sized = server.sinceStart();
        String own = BenchServer.metric(metrics, STARTUP);
        row(what + ": /v1/status answers / every tenant Active / server's own figure / logical sizes worked out",
                "%.2f / %.2f / %s / %s", status / 1e9, active / 1e9, own == null ? "-"
                        : String.format(Locale.ROOT, "%.2f", Double.parseDouble(own)), known == TENANTS
                        ? String.format(Locale.ROOT, "all at %.2f s", sized / 1e9)
                        : String.format(Locale.ROOT, "%d of %d (15 s after Active)", known, TENANTS));
        row("  layer files on disk before the start / once Active / at the end of that wait; layers downloaded",
                "%,d / %,d / %,d; %,.0f", filesBefore, filesAtActive, layerFiles(dir).size(),
                BenchServer.metricValue(metrics, DOWNLOADED));
    }

    /** How many timelines' logical sizes the metrics give (NaN until it is worked out). */
    private static int knownLogicalSizes(String metrics) {
        int known = 0;
        for (String line : metrics.split("\n")) {
            if (line.startsWith(LOGICAL_SIZE) && !line.endsWith("NaN")) {
                known++;
            }
        }
        return known;
    }

    /** (a) One pass of PUT /v1/disk_usage_eviction/run for half the layers' bytes, checked on the file system. */
    private void evictHalf(Path dir) throws Exception {
        long files = layerFiles(dir).size();
        long bytes = layerBytes(dir);
        long du = du(dir.resolve("tenants"));
        long usable = usable(dir);
        long ask = bytes / 2;
        double evictedBefore = BenchServer.metricValue(server.metrics(), EVICTIONS);
        long started = System.nanoTime();
        String answer;
        try (RawHttp http = server.connect()) {
            answer = http.send("PUT", "/v1/disk_usage_eviction/run", "application/json",
                    ("{\"evict_bytes\":" + ask + "}").getBytes(StandardCharsets.UTF_8)).expect(200).text();
        }
        double secs = (System.nanoTime() - started) / 1e9;
        double evicted = BenchServer.metricValue(server.metrics(), EVICTIONS) - evictedBefore;
        long filesAfter = layerFiles(dir).size();
        long bytesAfter = layerBytes(dir);
        long duAfter = du(dir.resolve("tenants"));
        long usableAfter = usable(dir);
        Matcher freed = FREED.matcher(answer);
        if (!freed.find()) {
            throw new IllegalStateException("no freed_bytes in " + answer);
        }
        row(String.format(Locale.ROOT, "PUT /v1/disk_usage_eviction/run {\"evict_bytes\": half the layers' bytes, %,d MiB}",
                ask >> 20), "%.2f s (%.2f ms a layer)", secs, secs * 1e3 / Math.max(1, files - filesAfter));
        row("  layers evicted (" + EVICTIONS + ") / layer files gone from disk", "%,.0f / %,d of %,d", evicted,
                files - filesAfter, files);
        row("  MiB: freed_bytes answered / layer files' sizes gone / du of tenants/ / free space gained", "%,.1f / %,.1f / %,.1f / %,.1f",
                Long.parseLong(freed.group(1)) / 1048576.0, (bytes - bytesAfter) / 1048576.0, (du - duAfter) / 1048576.0,
                (usableAfter - usable) / 1048576.0);
        deletionBaseline(bytes / files);
    }

    /**
     * The floor under an eviction on this disk: files of a layer's size, written and synced, then
     * deleted one after the other, 2,000 with an fsync of their directory after each (as
     * LocalLayerStore.deleteLayer does) and 2,000 without.
     */
    private void deletionBaseline(long size) throws Exception {
        Path dir = Files.createDirectories(workdir.resolve("delete-baseline"));
        byte[] body = new byte[(int) size];
        new Random(1).nextBytes(body);
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < 4_000; i++) {
            Path sub = Files.createDirectories(dir.resolve(Integer.toString(i % TENANTS)));
            files.add(Files.write(sub.resolve("file-" + i), body));
        }
        if (new ProcessBuilder("sync").inheritIO().start().waitFor() != 0) {
            throw new IllegalStateException("sync failed");
        }
        long started = System.nanoTime();
        for (Path file : files.subList(0, 2_000)) {
            Files.delete(file);
            try (FileChannel channel = FileChannel.open(file.getParent(), StandardOpenOption.READ)) {
                channel.force(true);
            }
        }
        double synced = (System.nanoTime() - started) / 1e6 / 2_000;
        started = System.nanoTime();
        for (Path file : files.subList(2_000, 4_000)) {
            Files.delete(file);
        }
        double unsynced = (System.nanoTime() - started) / 1e6 / 2_000;
        row(String.format(Locale.ROOT, "  baseline: files of %,d KiB deleted on the same disk, each then its directory fsynced"
                + " / not", size >> 10), "%.2f / %.3f ms a file", synced, unsynced);
    }

    /** Every evicted layer downloaded back through GET …/layer/{name}, 8 at a time. */
    private void downloadBack(Path dir, List<Timeline> timelines, long totalFiles) throws Exception {
        List<String> paths = new ArrayList<>();
        long bytes = 0;
        try (RawHttp http = server.connect()) {
            for (Timeline t : timelines) {
                for (Layer layer : layers(http, t)) {
                    if (layer.remote()) {
                        paths.add(t.base() + "/layer/" + layer.name());
                        bytes += layer.size();
                    }
                }
            }
        }
        double downloadedBefore = BenchServer.metricValue(server.metrics(), DOWNLOADED);
        AtomicInteger next = new AtomicInteger();
        AtomicInteger resident = new AtomicInteger();
        ExecutorService pool = daemonPool(8);
        List<Future<?>> workers = new ArrayList<>();
        long started = System.nanoTime();
        for (int w = 0; w < 8; w++) {
            workers.add(pool.submit(() -> {
                try (RawHttp http = server.connect()) {
                    for (int i = next.getAndIncrement(); i < paths.size(); i = next.getAndIncrement()) {
                        if (http.get(paths.get(i)).status() == 304) {
                            resident.incrementAndGet();
                        }
                    }
                }
                return null;
            }));
        }
        for (Future<?> worker : workers) {
            worker.get();
        }
        pool.shutdown();
        double secs = (System.nanoTime() - started) / 1e9;
        double downloaded = BenchServer.metricValue(server.metrics(), DOWNLOADED) - downloadedBefore;
        long files = layerFiles(dir).size();
        row(String.format(Locale.ROOT, "the %,d evicted layers downloaded back, GET …/layer/{name}, 8 at a time (%,.0f counted"
                + " by %s)", paths.size(), downloaded, DOWNLOADED), "%.2f s (%,.0f layers/s, %.0f MB/s)", secs,
                paths.size() / secs, bytes / secs / 1e6);
        if (resident.get() > 0) {
            row("  !! layers resident again before their GET (304)", "%,d", resident.get());
        }
        if (files != totalFiles) {
            throw new IllegalStateException("after downloading back: " + files + " layer files, not " + totalFiles);
        }
    }

    /**
     * (b) The background task: a ballast file (fallocate, outside tenants/) takes the free space
     * below min-avail-bytes by about half the layers' bytes; timed from then until the free space,
     * read every 50 ms, is back above min-avail-bytes.
     */
    private void diskPressure(Path dir, long minAvail) throws Exception {
        double evictedBefore = BenchServer.metricValue(server.metrics(), EVICTIONS);
        Thread.sleep(2_500);
        double quiet = BenchServer.metricValue(server.metrics(), EVICTIONS) - evictedBefore;
        long free = usable(dir);
        if (free <= minAvail || quiet != 0) {
            throw new IllegalStateException("min-avail-bytes " + minAvail + " is crossed before the ballast (free " + free
                    + ", evicted " + quiet + "): other work on the disk? raise -Dbench.margin-mib");
        }
        long files = layerFiles(dir).size();
        long bytes = layerBytes(dir);
        long ballastBytes = free - minAvail + bytes / 2;
        Path ballast = dir.resolve("ballast");
        Path log = workdir.resolve("many.log");
        long logFrom = Files.size(log);
        try {
            long fallocStarted = System.nanoTime();
            Process fallocate = new ProcessBuilder("fallocate", "-l", Long.toString(ballastBytes), ballast.toString())
                    .inheritIO().start();
            if (fallocate.waitFor() != 0) {
                throw new IllegalStateException("fallocate failed");
            }
            long crossed = System.nanoTime();
            long under = minAvail - usable(dir);
            long back = 0;
            long deadline = crossed + TimeUnit.SECONDS.toNanos(120);
            while (System.nanoTime() < deadline) {
                if (usable(dir) >= minAvail) {
                    back = System.nanoTime();
                    break;
                }
                Thread.sleep(50);
            }
            Thread.sleep(1_500);
            double evicted = BenchServer.metricValue(server.metrics(), EVICTIONS) - evictedBefore;
            long filesAfter = layerFiles(dir).size();
            long bytesAfter = layerBytes(dir);
            row(String.format(Locale.ROOT, "disk pressure, background task (period 1s): a %,d MiB ballast takes free space %,d MiB"
                    + " under min-avail-bytes: until it is back above", ballastBytes >> 20, under >> 20),
                    back == 0 ? "not within 120 s" : String.format(Locale.ROOT, "%.2f s (fallocate %.0f ms)",
                            (back - crossed) / 1e9, (crossed - fallocStarted) / 1e6));
            row("  layers evicted (" + EVICTIONS + ") / layer files gone / their MiB", "%,.0f / %,d of %,d / %,.1f", evicted,
                    files - filesAfter, files, (bytes - bytesAfter) / 1048576.0);
            List<String> passes = new ArrayList<>();
            String text = Files.readString(log).substring((int) Math.min(logFrom, Files.size(log)));
            Matcher m = PASS.matcher(text);
            while (m.find()) {
                passes.add(String.format(Locale.ROOT, "%,d MiB to free, freed %,d MiB in %s ms", number(m.group(2)) >> 20,
                        number(m.group(3)) >> 20, m.group(4)));
            }
            row("  the task's passes (server log)", "%s", passes.isEmpty() ? "none" : String.join("; ", passes));
        } finally {
            Files.deleteIfExists(ballast);
        }
    }

    /** Evicts what leaves about 5% of all the layers' bytes resident (one pass of disk_usage_eviction/run). */
    private void evictMost(Path dir, long totalBytes) throws Exception {
        long files = layerFiles(dir).size();
        long ask = Math.max(0, layerBytes(dir) - totalBytes / 20);
        long started = System.nanoTime();
        try (RawHttp http = server.connect()) {
            http.send("PUT", "/v1/disk_usage_eviction/run", "application/json",
                    ("{\"evict_bytes\":" + ask + "}").getBytes(StandardCharsets.UTF_8)).expect(200);
        }
        double secs = (System.nanoTime() - started) / 1e9;
        long after = layerFiles(dir).size();
        row(String.format(Locale.ROOT, "PUT /v1/disk_usage_eviction/run {\"evict_bytes\": all but 5%% of the layers' bytes,"
                + " %,d MiB}", ask >> 20), "%.2f s (%,d of %,d resident layers)", secs, files - after, files);
    }

    /** After the start with most layers evicted: a read of a page of the tenant's newest evicted layer. */
    private void readNewestEvicted(Path dir, Timeline t) throws Exception {
        try (RawHttp http = server.connect()) {
            List<Layer> layers = layers(http, t);
            int newest = -1;
            for (int i = 0; i < layers.size(); i++) {
                if (layers.get(i).remote()) {
                    newest = i;
                    break;
                }
            }
            if (newest < 0) {
                row("  then a read of a page of a tenant's newest evicted layer", "none evicted any more");
                return;
            }
            // Newest first: layer i (0 the newest) holds blocks (LAYERS - 1 - i) * LAYER_PAGES ..
            long blkno = (long) (layers.size() - 1 - newest) * LAYER_PAGES;
            long started = System.nanoTime();
            http.get(t.page(blkno)).expect(200);
            double ms = (System.nanoTime() - started) / 1e6;
            row(String.format(Locale.ROOT, "  then a read of a page of a tenant's newest evicted layer (%d newer ones resident):"
                    + " first read; layer files then; downloaded", newest), "%.1f ms; %,d; %.0f", ms, layerFiles(dir).size(),
                    BenchServer.metricValue(server.metrics(), DOWNLOADED));
        }
    }

    // ---------------------------------------------------------------- helpers

    private BenchServer start(Path dir, Path bucket, Map<String, Object> more) throws IOException {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("pageserver.remote-storage.local-path", bucket);
        properties.putAll(more);
        return BenchServer.start(jar, heap, dir, PORT, properties, workdir.resolve(dir.getFileName() + ".log"));
    }

    /** The timeline's layer files, newest first, as the layer endpoint lists them. */
    private static List<Layer> layers(RawHttp http, Timeline t) throws IOException {
        String text = http.get(t.base() + "/layer").expect(200).text();
        List<Layer> layers = new ArrayList<>();
        Matcher m = LAYER.matcher(text.substring(text.indexOf("\"historic_layers\"")));
        while (m.find()) {
            layers.add(new Layer(m.group(1), Long.parseLong(m.group(2)), Boolean.parseBoolean(m.group(3))));
        }
        return layers;
    }

    /** The layer files under the work directory's tenants/ (not the temporary files of downloads or ingest). */
    private static List<Path> layerFiles(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir.resolve("tenants"))) {
            return files.filter(f -> {
                String name = f.getFileName().toString();
                return name.contains("__") && !name.endsWith(".tmp") && !name.endsWith(".ingest") && Files.isRegularFile(f);
            }).toList();
        }
    }

    private static long layerBytes(Path dir) throws IOException {
        long sum = 0;
        for (Path file : layerFiles(dir)) {
            sum += file.toFile().length();
        }
        return sum;
    }

    /** The bytes {@code du} says the directory takes on disk (allocated blocks). */
    private static long du(Path dir) throws IOException, InterruptedException {
        Process du = new ProcessBuilder("du", "-s", "-B1", dir.toString()).redirectErrorStream(true).start();
        String out = new String(du.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (du.waitFor() != 0) {
            throw new IllegalStateException("du failed: " + out);
        }
        return Long.parseLong(out.split("\\s+")[0]);
    }

    private static long usable(Path dir) throws IOException {
        return Files.getFileStore(dir).getUsableSpace();
    }

    /** Threads that do not keep the JVM alive when the bench fails. */
    private static ExecutorService daemonPool(int threads) {
        return Executors.newFixedThreadPool(threads, task -> {
            Thread thread = new Thread(task);
            thread.setDaemon(true);
            return thread;
        });
    }

    private static long number(String grouped) {
        return Long.parseLong(grouped.replace(",", ""));
    }

    private void row(String what, String format, Object... values) {
        String result = String.format(Locale.ROOT, format, values);
        rows.add(what, result);
        System.out.println(what + ": " + result);
    }

    private void row(String what, String result) {
        row(what, "%s", result);
    }
}
