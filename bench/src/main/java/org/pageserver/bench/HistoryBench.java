package org.pageserver.bench;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.pageserver.domain.layer.LayerMap;
import org.pageserver.domain.layer.LayerName;
import org.pageserver.domain.lsn.Lsn;
import org.pageserver.domain.page.Key;
import org.pageserver.domain.page.Page;
import org.pageserver.domain.page.Patch;
import org.pageserver.domain.page.RelTag;
import org.pageserver.domain.wal.WalEncoder;
import org.pageserver.domain.wal.WalRecord;

/**
 * What history costs a read, and the layer map on its own. Against a running server: GetPage p50
 * of a page in a timeline of one layer file, of a page written once under 2,000 later layer files,
 * and of a page of the newest of them; and of a page changed by one small delta in each of 1,000
 * layer files, before and after compaction makes an image layer. In this JVM: layer map lookups per second at 10,000 and 100,000 layers.
 *
 * <p>Usage: {@code HistoryBench <server url>}; bench/history.sh builds and starts the server.
 */
public final class HistoryBench {
    private static final RelTag REL = new RelTag(1663, 16384, 16390, 0);
    /** The relation the later layers of the deep timeline write, leaving REL's page and size alone. */
    private static final RelTag OTHER = new RelTag(1663, 16384, 16391, 0);
    private static final int READS = 20_000;
    private static final long WARM_UP_NANOS = 30_000_000_000L;

    private final PageserverApi api;
    /** A directory on the server's disk, for dd. */
    private final Path diskDir;
    private final Table rows = new Table("measurement", "result");

    private HistoryBench(URI server, Path diskDir) {
        this.api = new PageserverApi(server);
        this.diskDir = diskDir;
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: HistoryBench <server url> <directory on the server's disk>");
            System.exit(2);
        }
        new HistoryBench(URI.create(args[0]), Path.of(args[1])).run();
    }

    private void run() throws Exception {
        layerMapRows();
        compactionRows();
        // The deep timeline compacts as a server left alone would (L0 backpressure at 30 L0 layers);
        // the hot page's tenant keeps its 1,000 L0 layers until the bench asks for compaction.
        String tenant = createTenant("");
        String hotTenant = createTenant(",\"compaction_threshold\":1000");

        // A page in a timeline of one layer file: the baseline.
        String one = createTimeline(tenant);
        ingest(tenant, one, List.of(image(REL, Lsn.INITDB.plus(100), 0, 1)));
        checkpoint(tenant, one);

        // A page written once, under 2,000 later layer files of another relation.
        String deep = createTimeline(tenant);
        Lsn lsn = Lsn.INITDB.plus(100);
        ingest(tenant, deep, List.of(image(REL, lsn, 0, 1)));
        checkpoint(tenant, deep);
        for (int i = 1; i <= 2_000; i++) {
            lsn = lsn.plus(100);
            ingest(tenant, deep, List.of(image(OTHER, lsn, 0, i)));
            checkpoint(tenant, deep);
        }

        // A hot page: one small delta in each of 1,000 layer files, on an image in the first.
        String hot = createTimeline(hotTenant);
        lsn = Lsn.INITDB.plus(100);
        ingest(hotTenant, hot, List.of(image(REL, lsn, 0, 1)));
        checkpoint(hotTenant, hot);
        for (int i = 1; i <= 1_000; i++) {
            lsn = lsn.plus(100);
            ingest(hotTenant, hot, List.of(new WalRecord.PageDelta(lsn, REL, 0, List.of(new Patch(i % 8000, new byte[] {(byte) i})))));
            checkpoint(hotTenant, hot);
        }

        // The JIT compiles the read path before anything is measured.
        long warmUntil = System.nanoTime() + WARM_UP_NANOS;
        while (System.nanoTime() < warmUntil) {
            reads(tenant, one, REL, 2_000);
            reads(tenant, deep, REL, 2_000);
            reads(hotTenant, hot, REL, 50);
        }
        Percentiles base = reads(tenant, one, REL, READS);
        row("GetPage, a timeline of 1 layer file, p50 / p99", "%.0f / %.0f us", base.micros(50), base.micros(99));
        Percentiles old = reads(tenant, deep, REL, READS);
        row("GetPage of a page written once under 2,000 later flushes (compacted as they came), p50 / p99",
                "%.0f / %.0f us", old.micros(50), old.micros(99));
        Percentiles newest = reads(tenant, deep, OTHER, READS);
        row("GetPage of a page of the newest of those 2,001 flushes, p50 / p99", "%.0f / %.0f us",
                newest.micros(50), newest.micros(99));
        Percentiles chain = reads(hotTenant, hot, REL, 1_000);
        row("GetPage of a page changed by one delta in each of 1,000 L0 layer files, p50 / p99", "%.0f / %.0f us",
                chain.micros(50), chain.micros(99));
        long started = System.nanoTime();
        compact(hotTenant, hot);
        row("compaction of that timeline (1,001 L0 layers into L1, and an image layer)", "%.0f ms",
                (System.nanoTime() - started) / 1e6);
        reads(hotTenant, hot, REL, 2_000);
        Percentiles imaged = reads(hotTenant, hot, REL, READS);
        row("GetPage of that page after compaction, p50 / p99", "%.0f / %.0f us", imaged.micros(50), imaged.micros(99));

        rewriteRows(tenant);

        rows.print();
    }

    /**
     * L0 to L1 compaction on its own: 10 L0 layers of 64 MiB (8,192 page images each, in a random
     * block order, so that each L0's values lie in another order than its keys) merged into L1
     * layers of compaction_target_size (128 MiB); no image (image_creation_threshold 1000).
     * MB/s of L0 bytes read and L1 bytes written, beside dd on the same disk. The inputs were just
     * written, so they are read from the page cache, as a compaction soon after the flushes reads
     * them.
     */
    private void compactionRows() throws Exception {
        double dd = Dd.megabytesPerSecond(diskDir, List.of("bs=1M", "count=512", "conv=fdatasync"));
        row("dd sequential write, 512 MiB in 1 MiB blocks, one fdatasync (baseline)", "%.1f MB/s", dd);
        String tenant = createTenant(",\"image_creation_threshold\":1000");
        String timeline = createTimeline(tenant);
        RelTag rel = new RelTag(1663, 16384, 16500, 0);
        Random random = new Random(7);
        Lsn lsn = Lsn.INITDB;
        for (int round = 1; round <= 10; round++) {
            List<Integer> blocks = new ArrayList<>();
            for (int blk = 0; blk < 8192; blk++) {
                blocks.add(blk);
            }
            java.util.Collections.shuffle(blocks, random);
            for (int from = 0; from < blocks.size(); from += 128) {
                List<WalRecord> records = new ArrayList<>();
                for (int blk : blocks.subList(from, from + 128)) {
                    lsn = lsn.plus(9000);
                    records.add(image(rel, lsn, blk, round + blk));
                }
                ingest(tenant, timeline, records);
            }
            checkpoint(tenant, timeline);
        }
        long input = physicalSize(tenant, timeline);
        long started = System.nanoTime();
        compact(tenant, timeline);
        double secs = (System.nanoTime() - started) / 1e9;
        long output = physicalSize(tenant, timeline);
        row(String.format("L0 to L1 compaction: 10 L0 layers, %,d MiB in, %,d MiB out", input >> 20, output >> 20),
                "%.1f MB/s", input / secs / 1e6);
        // The disk's rate moves from minute to minute on a shared machine: dd again, right after.
        double ddAfter = Dd.megabytesPerSecond(diskDir, List.of("bs=1M", "count=512", "conv=fdatasync"));
        row("dd again, right after the compaction", "%.1f MB/s", ddAfter);
        row("  compaction as a share of the two dd runs' mean", "%.0f %%", 200 * input / secs / 1e6 / (dd + ddAfter));
    }

    private long physicalSize(String tenant, String timeline) throws IOException {
        try (RawHttp http = connect()) {
            return field(http.get("/v1/tenant/" + tenant + "/timeline/" + timeline).expect(200).text(), "current_physical_size");
        }
    }

    /**
     * The rewrite workload: the same 4 MiB (512 pages) written 20 times, each round flushed; then
     * compaction and GC with gc_horizon 0 (the tenant has no PITR). Physical size against logical,
     * before and after.
     */
    private void rewriteRows(String tenant) throws IOException {
        String timeline = createTimeline(tenant);
        RelTag rel = new RelTag(1663, 16384, 16400, 0);
        Lsn lsn = Lsn.INITDB;
        for (int round = 1; round <= 20; round++) {
            List<WalRecord> records = new ArrayList<>();
            for (int blk = 0; blk < 512; blk++) {
                lsn = lsn.plus(9000);
                records.add(image(rel, lsn, blk, round + blk));
            }
            ingest(tenant, timeline, records);
            checkpoint(tenant, timeline);
        }
        row("rewrite workload (4 MiB written 20 times): physical / logical size", "%.1f x", sizeRatio(tenant, timeline));
        long started = System.nanoTime();
        compact(tenant, timeline);
        ingest(tenant, timeline, List.of(image(rel, lsn.plus(9000), 0, 99)));
        checkpoint(tenant, timeline);
        try (RawHttp http = connect()) {
            String answer = http.send("PUT", "/v1/tenant/" + tenant + "/timeline/" + timeline + "/do_gc",
                    "application/json", "{\"gc_horizon\":0}".getBytes(StandardCharsets.UTF_8)).expect(200).text();
            System.out.println("do_gc: " + answer);
        }
        row("the same after compaction, one more page, and do_gc (gc_horizon 0): physical / logical", "%.2f x",
                sizeRatio(tenant, timeline));
        row("compaction, flush and GC of it, wall time", "%.0f ms", (System.nanoTime() - started) / 1e6);
    }

    private double sizeRatio(String tenant, String timeline) throws IOException {
        try (RawHttp http = connect()) {
            String info = http.get("/v1/tenant/" + tenant + "/timeline/" + timeline).expect(200).text();
            return (double) field(info, "current_physical_size") / field(info, "current_logical_size");
        }
    }


    /** A number field of a flat JSON object, without a JSON library in the bench. */
    private static long field(String json, String name) {
        int at = json.indexOf("\"" + name + "\":") + name.length() + 3;
        int end = at;
        while (end < json.length() && Character.isDigit(json.charAt(end))) {
            end++;
        }
        return Long.parseLong(json.substring(at, end));
    }

    /** Lookups of random keys at random LSNs in maps of L0s and of L1s over 1,000 key ranges. */
    private void layerMapRows() {
        for (int count : new int[] {10_000, 100_000}) {
            for (boolean l1 : new boolean[] {false, true}) {
                List<LayerName> names = new ArrayList<>(count);
                int ranges = l1 ? 1_000 : 1;
                for (int i = 0; i < count; i++) {
                    int range = i % ranges;
                    long start = 1_000L + (long) (i / ranges) * 100;
                    Key from = range == 0 ? Key.MIN : Key.block(REL, range * 1_000L);
                    Key to = range == ranges - 1 ? Key.MAX : Key.block(REL, (range + 1) * 1_000L);
                    names.add(new LayerName(from, to, Lsn.of(start), Lsn.of(start + 100)));
                }
                LayerMap<LayerName> map = LayerMap.of(names, n -> n);
                long top = 1_000L + (long) (count / ranges) * 100;
                Random random = new Random(1);
                int found = 0;
                long lookups = 0;
                long end = System.nanoTime() + 3_000_000_000L;
                long start = System.nanoTime();
                // The first second warms the JIT up; the rate is of the rest.
                boolean warm = false;
                while (System.nanoTime() < end) {
                    for (int i = 0; i < 10_000; i++) {
                        Key key = Key.block(REL, random.nextInt(ranges * 1_000));
                        if (map.newestDelta(key, Lsn.of(1_000 + (long) (random.nextDouble() * (top - 1_000)))) != null) {
                            found++;
                        }
                    }
                    lookups += 10_000;
                    if (!warm && System.nanoTime() - start > 1_000_000_000L) {
                        warm = true;
                        lookups = 0;
                        start = System.nanoTime();
                    }
                }
                double rate = lookups / ((System.nanoTime() - start) / 1e9);
                row(String.format("layer map lookups, %,d layers (%s)%s", count,
                        l1 ? "L1s: 1,000 key ranges each" : "L0s over every key", found == 0 ? " NOTHING FOUND" : ""),
                        "%,.0f /s", rate);
            }
        }
    }

    /** Block 0 of {@code rel}, read {@code n} times; the first fifth is not counted. */
    private Percentiles reads(String tenant, String timeline, RelTag rel, int n) throws IOException {
        Percentiles p = new Percentiles();
        String path = "/v1/tenant/" + tenant + "/timeline/" + timeline + "/page?rel=" + rel + "&blkno=0";
        try (RawHttp http = connect()) {
            for (int i = 0; i < n; i++) {
                long t = System.nanoTime();
                RawHttp.Response r = http.get(path);
                long took = System.nanoTime() - t;
                r.expect(200);
                if (r.body().length != Page.SIZE) {
                    throw new IllegalStateException("a page of " + r.body().length + " bytes");
                }
                if (i >= n / 5) {
                    p.add(took);
                }
            }
        }
        return p;
    }

    private static WalRecord image(RelTag rel, Lsn lsn, long blkno, int fill) {
        byte[] page = new byte[Page.SIZE];
        java.util.Arrays.fill(page, (byte) fill);
        return new WalRecord.PageImage(lsn, rel, blkno, page);
    }

    private void row(String what, String format, Object... values) {
        rows.add(what, String.format(format, values));
        System.out.println(what + ": " + String.format(format, values));
    }

    private RawHttp connect() throws IOException {
        return api.connect();
    }

    /**
     * Compaction and GC only when the bench asks for them (periods 0s) or L0 backpressure does, so
     * that "before" rows are before them; no PITR (the workload has no commits, and 7 days would
     * keep everything).
     *
     * @param moreConfig more fields of the tenant's config, each after a comma
     */
    private String createTenant(String moreConfig) throws IOException {
        return api.createTenant(",\"compaction_period\":\"0s\",\"gc_period\":\"0s\",\"pitr_interval\":\"0s\""
                + moreConfig);
    }

    private String createTimeline(String tenant) throws IOException {
        return api.createTimeline(tenant);
    }

    private void ingest(String tenant, String timeline, List<WalRecord> records) throws IOException {
        try (RawHttp http = connect()) {
            http.send("POST", "/v1/tenant/" + tenant + "/timeline/" + timeline + "/wal", "application/octet-stream",
                    WalEncoder.encode(records)).expect(200);
        }
    }

    private void compact(String tenant, String timeline) throws IOException {
        api.compact(tenant, timeline);
    }

    private void checkpoint(String tenant, String timeline) throws IOException {
        api.checkpoint(tenant, timeline);
    }
}
