package org.pageserver.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.pageserver.domain.lsn.Lsn;
import org.pageserver.domain.page.RelTag;
import org.pageserver.domain.wal.WalEncoder;
import org.pageserver.domain.wal.WalRecord;

/**
 * How fast a node is serving again after a restart. It starts the server itself (so that it can
 * stop and start it), fills a fresh work directory, stops the server, starts it again and measures
 * from the start of the process: when {@code /v1/status} answers, and when every tenant is Active.
 *
 * <p>Usage: {@code StartupBench <server jar> <work directory> tenants <count>} (that many tenants,
 * each with one timeline of one small layer file) or {@code ... large <GiB>} (one tenant whose one
 * timeline holds that many GiB of layer files), or {@code ... existing <tenants>} (a directory an
 * earlier run filled). Then the server is started {@code restarts} times (3) over the directory.
 */
public final class StartupBench {
    private static final RelTag REL = new RelTag(1663, 16384, 16385, 0);
    private static final int PORT = Integer.getInteger("bench.port", 19895);

    private final Path jar;
    private final Path workdir;
    private final String heap;

    private StartupBench(Path jar, Path workdir, String heap) {
        this.jar = jar;
        this.workdir = workdir;
        this.heap = heap;
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 4) {
            System.err.println("usage: StartupBench <server jar> <work directory> tenants <count> | large <GiB> [restarts]");
            System.exit(2);
        }
        StartupBench bench = new StartupBench(Path.of(args[0]), Path.of(args[1]),
                System.getenv().getOrDefault("BENCH_SERVER_HEAP", "-Xmx4g"));
        int restarts = args.length > 4 ? Integer.parseInt(args[4]) : 3;
        BenchServer server = bench.startServer();
        String what;
        int tenants;
        long fillStart = System.nanoTime();
        if (args[2].equals("existing")) {
            // A work directory an earlier run filled: only the restarts are measured.
            tenants = Integer.parseInt(args[3]);
            what = tenants + " tenants already on disk";
        } else if (args[2].equals("tenants")) {
            tenants = Integer.parseInt(args[3]);
            bench.fillTenants(server, tenants);
            what = tenants + " tenants, one layer each";
        } else {
            int gib = Integer.parseInt(args[3]);
            bench.fillLarge(server, gib);
            tenants = 1;
            what = "1 tenant, " + gib + " GiB of layer files";
        }
        System.out.printf("filled in %.1f s: %s, %s of layer files on disk%n", (System.nanoTime() - fillStart) / 1e9, what,
                human(bench.layerBytes()));
        server.stop();
        System.out.println("| restart | /v1/status answers | every tenant Active | after /v1/status | server's own figure |");
        System.out.println("|---|---|---|---|---|");
        for (int i = 1; i <= restarts; i++) {
            server = bench.startServer();
            long status = server.awaitStatus();
            long active = server.awaitAllActive(tenants);
            String own = ownFigure(server);
            System.out.printf(Locale.ROOT, "| %d | %.2f s | %.2f s | %.2f s | %s s |%n", i, status / 1e9, active / 1e9,
                    (active - status) / 1e9, own);
            server.stop();
        }
    }

    private BenchServer startServer() throws IOException {
        return BenchServer.start(jar, heap, workdir.resolve("server"), PORT, Map.of(), workdir.resolve("server.log"));
    }

    private static String ownFigure(BenchServer server) throws IOException {
        String value = BenchServer.metric(server.metrics(), "pageserver_startup_duration_seconds{phase=\"complete\"}");
        return value == null ? "-" : value;
    }

    /** {@code count} tenants, each with one timeline holding one page in one layer file; eight at a time. */
    private void fillTenants(BenchServer server, int count) throws Exception {
        server.awaitStatus();
        AtomicInteger next = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<?>> workers = new ArrayList<>();
        for (int w = 0; w < 8; w++) {
            workers.add(pool.submit(() -> {
                try (RawHttp http = server.connect()) {
                    for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                        String tenant = String.format("%032x", i + 1);
                        String timeline = String.format("%016x%016x", i + 1, 1);
                        http.send("POST", "/v1/tenant", "application/json",
                                ("{\"new_tenant_id\":\"" + tenant + "\"}").getBytes()).expect(201);
                        http.send("POST", "/v1/tenant/" + tenant + "/timeline", "application/json",
                                ("{\"new_timeline_id\":\"" + timeline + "\"}").getBytes()).expect(201);
                        String path = "/v1/tenant/" + tenant + "/timeline/" + timeline;
                        http.send("POST", path + "/wal", "application/octet-stream", WalEncoder.encode(List.of(
                                new WalRecord.PageImage(Lsn.INITDB.plus(1000), REL, 0, new byte[8192])))).expect(200);
                        http.send("PUT", path + "/checkpoint", "application/json", new byte[0]).expect(200);
                    }
                }
                return null;
            }));
        }
        for (Future<?> worker : workers) {
            worker.get();
        }
        pool.shutdown();
    }

    /** One tenant, one timeline, {@code gib} GiB of 8 KiB page images in 1 MiB batches, flushed. */
    private void fillLarge(BenchServer server, int gib) throws Exception {
        server.awaitStatus();
        String tenant = String.format("%032x", 7);
        String timeline = String.format("%032x", 8);
        String path = "/v1/tenant/" + tenant + "/timeline/" + timeline;
        try (RawHttp http = server.connect()) {
            http.send("POST", "/v1/tenant", "application/json", ("{\"new_tenant_id\":\"" + tenant + "\"}").getBytes()).expect(201);
            http.send("POST", "/v1/tenant/" + tenant + "/timeline", "application/json",
                    ("{\"new_timeline_id\":\"" + timeline + "\"}").getBytes()).expect(201);
            long batches = (long) gib * 1024;
            // 128 pages (1 MiB) a batch over a relation of 2^17 blocks: 1 GiB holds every block once.
            ImageBatches images = new ImageBatches(REL, 128, 1, Lsn.INITDB.plus(1000));
            for (long b = 0; b < batches; b++) {
                http.send("POST", path + "/wal", "application/octet-stream", images.next(b * 128, 1 << 17)).expect(200);
            }
            http.send("PUT", path + "/checkpoint", "application/json", new byte[0]).expect(200);
        }
    }

    private long layerBytes() throws IOException {
        try (Stream<Path> files = Files.walk(workdir.resolve("server").resolve("tenants"))) {
            return files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
        }
    }

    private static String human(long bytes) {
        return bytes >= 1L << 30 ? String.format(Locale.ROOT, "%.1f GiB", bytes / (double) (1L << 30))
                : String.format(Locale.ROOT, "%.1f MiB", bytes / (double) (1L << 20));
    }
}
