package org.pageserver.bench;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.pageserver.domain.id.TenantId;
import org.pageserver.domain.id.TimelineId;
import org.pageserver.domain.lsn.Lsn;
import org.pageserver.domain.page.Page;
import org.pageserver.domain.page.RelTag;
import org.pageserver.domain.wal.WalEncoder;
import org.pageserver.domain.wal.WalRecord;

/**
 * Remote storage, measured on server processes sharing one remote storage directory: how fast
 * flushed layers reach it (beside copying the same files on the same disk), how long attaching a
 * tenant of 1,000 layers takes on another node (and that it downloads no layer body), and the
 * first read of a page whose layer is remote only beside reads once it is resident.
 *
 * <p>Usage: {@code RemoteBench <server jar> <work directory>}; bench/remote.sh builds the jar.
 */
public final class RemoteBench {
    private static final RelTag REL = new RelTag(1663, 16384, 16385, 0);
    private static final int PORT = Integer.getInteger("bench.port", 19896);

    private final Path jar;
    private final Path workdir;
    private final Table rows = new Table("measurement", "result");
    private BenchServer server;

    private RemoteBench(Path jar, Path workdir) {
        this.jar = jar;
        this.workdir = workdir;
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: RemoteBench <server jar> <work directory>");
            System.exit(2);
        }
        new RemoteBench(Path.of(args[0]), Path.of(args[1])).run();
    }

    private void run() throws Exception {
        String bigTenant = TenantId.generate().toString();
        String manyTenant = TenantId.generate().toString();
        String oneTenant = TenantId.generate().toString();
        String timeline = TimelineId.generate().toString();
        server = startServer("a");
        try {
            server.awaitStatus();
            uploadRows(bigTenant, timeline);
            manyLayers(manyTenant, timeline);
            oneLayer(oneTenant, timeline);
            try (RawHttp http = server.connect()) {
                http.send("POST", "/v1/tenant/" + manyTenant + "/detach", "application/json", new byte[0]).expect(200);
                http.send("POST", "/v1/tenant/" + oneTenant + "/detach", "application/json", new byte[0]).expect(200);
            }
        } finally {
            server.stop();
        }
        server = startServer("b");
        try {
            server.awaitStatus();
            attachRows(manyTenant, timeline);
            firstReadRows(oneTenant, timeline);
        } finally {
            server.stop();
        }
        rows.print();
    }

    /** 10 rounds of 64 MiB of page images, each flushed: the time until the remote index names them all. */
    private void uploadRows(String tenant, String timeline) throws Exception {
        createTenant(tenant, "");
        createTimeline(tenant, timeline);
        long started = System.nanoTime();
        Lsn lsn = Lsn.INITDB;
        for (int round = 1; round <= 10; round++) {
            for (int from = 0; from < 8192; from += 128) {
                List<WalRecord> records = new ArrayList<>();
                for (int blk = from; blk < from + 128; blk++) {
                    lsn = lsn.plus(9000);
                    records.add(image(lsn, blk, round + blk));
                }
                ingest(tenant, timeline, records);
            }
            checkpoint(tenant, timeline);
        }
        double ingestSecs = (System.nanoTime() - started) / 1e9;
        server.awaitRemoteConsistent(tenant, timeline, lsn);
        double uploadedSecs = (System.nanoTime() - started) / 1e9;
        Path local = workdir.resolve("a").resolve("tenants").resolve(tenant).resolve("timelines").resolve(timeline);
        long bytes = sizeOf(local);
        row(String.format("10 flushes of 64 MiB: ingest and flush, %,d MiB of layer files", bytes >> 20), "%.2f s", ingestSecs);
        row("  ... until the remote index names them all (uploads run beside ingest)", "%.2f s (%.0f MB/s)", uploadedSecs,
                bytes / uploadedSecs / 1e6);
        long copyStarted = System.nanoTime();
        Path copy = Files.createDirectories(workdir.resolve("copy"));
        try (Stream<Path> files = Files.list(local)) {
            for (Path file : files.toList()) {
                Path target = copy.resolve(file.getFileName());
                Files.copy(file, target);
                try (FileChannel channel = FileChannel.open(target, StandardOpenOption.WRITE)) {
                    channel.force(true);
                }
            }
        }
        double copySecs = (System.nanoTime() - copyStarted) / 1e9;
        row("  the same files copied on the same disk, each forced (baseline)", "%.2f s (%.0f MB/s)", copySecs,
                bytes / copySecs / 1e6);
    }

    /** 1,000 flushes of one page each (block 0 rewritten), kept as 1,000 L0 layers, all uploaded. */
    private void manyLayers(String tenant, String timeline) throws Exception {
        createTenant(tenant, ",\"compaction_threshold\":100000");
        createTimeline(tenant, timeline);
        Lsn lsn = Lsn.INITDB;
        for (int i = 1; i <= 1_000; i++) {
            lsn = lsn.plus(9000);
            ingest(tenant, timeline, List.of(image(lsn, 0, i)));
            checkpoint(tenant, timeline);
        }
        server.awaitRemoteConsistent(tenant, timeline, lsn);
    }

    /** One flush of 64 MiB: one layer file, uploaded. */
    private void oneLayer(String tenant, String timeline) throws Exception {
        createTenant(tenant, "");
        createTimeline(tenant, timeline);
        Lsn lsn = Lsn.INITDB;
        for (int from = 0; from < 8192; from += 128) {
            List<WalRecord> records = new ArrayList<>();
            for (int blk = from; blk < from + 128; blk++) {
                lsn = lsn.plus(9000);
                records.add(image(lsn, blk, blk));
            }
            ingest(tenant, timeline, records);
        }
        checkpoint(tenant, timeline);
        server.awaitRemoteConsistent(tenant, timeline, lsn);
    }

    /** The tenant of one 64 MiB layer attached here: its first read downloads that layer. */
    private void firstReadRows(String tenant, String timeline) throws Exception {
        attach(tenant);
        reads(tenant, timeline, "a page of a tenant of one 64 MiB layer, remote only: first read (the download included)");
    }

    private void attach(String tenant) throws Exception {
        try (RawHttp http = server.connect()) {
            http.send("POST", "/v1/tenant/" + tenant + "/attach", "application/json",
                    "{\"generation\":2}".getBytes(StandardCharsets.UTF_8)).expect(202);
            while (!http.get("/v1/tenant/" + tenant).text().contains("\"Active\"")) {
                Thread.sleep(2);
            }
        }
    }

    private void reads(String tenant, String timeline, String first) throws Exception {
        String path = "/v1/tenant/" + tenant + "/timeline/" + timeline + "/page?rel=" + REL + "&blkno=0";
        try (RawHttp http = server.connect()) {
            long t = System.nanoTime();
            http.get(path).expect(200);
            row(first, "%.0f ms", (System.nanoTime() - t) / 1e6);
            Percentiles resident = new Percentiles();
            for (int i = 0; i < 5_000; i++) {
                long r = System.nanoTime();
                http.get(path).expect(200);
                if (i >= 1_000) {
                    resident.add(System.nanoTime() - r);
                }
            }
            row("  the same page once resident, p50 / p99", "%.0f / %.0f us", resident.micros(50), resident.micros(99));
        }
    }

    private void attachRows(String tenant, String timeline) throws Exception {
        long started = System.nanoTime();
        attach(tenant);
        double attachSecs = (System.nanoTime() - started) / 1e9;
        Path local = workdir.resolve("b").resolve("tenants").resolve(tenant).resolve("timelines").resolve(timeline);
        int downloaded = Files.isDirectory(local) ? (int) Files.list(local).count() : 0;
        row("attach of a tenant of 1,000 layers on another node, until Active", "%.3f s", attachSecs);
        row("  layer files downloaded by the attach", "%d", downloaded);
        // The page's relation size is in the oldest of the 1,000 L0 layers, each named for every key:
        // the first read opens, and so downloads, all of them (compaction exists so that L0s do not pile up).
        reads(tenant, timeline, "a page under 1,000 remote-only L0 layers: first read (downloads them all)");
    }

    private static long sizeOf(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            long bytes = 0;
            for (Path file : files.toList()) {
                bytes += Files.size(file);
            }
            return bytes;
        }
    }

    private static WalRecord image(Lsn lsn, long blkno, int fill) {
        byte[] page = new byte[Page.SIZE];
        java.util.Arrays.fill(page, (byte) fill);
        return new WalRecord.PageImage(lsn, REL, blkno, page);
    }

    private void row(String what, String format, Object... values) {
        rows.add(what, String.format(format, values));
        System.out.println(what + ": " + String.format(format, values));
    }

    private BenchServer startServer(String name) throws IOException {
        return BenchServer.start(jar, "-Xms1g -Xmx1g", workdir.resolve(name), PORT,
                Map.of("pageserver.remote-storage.local-path", workdir.resolve("bucket")), workdir.resolve(name + ".log"));
    }

    /** No periodic compaction or GC, no PITR: only what the bench does. */
    private void createTenant(String id, String moreConfig) throws IOException {
        server.createTenant(id, "\"generation\":1,\"compaction_period\":\"0s\",\"gc_period\":\"0s\",\"pitr_interval\":\"0s\""
                + moreConfig);
    }

    private void createTimeline(String tenant, String id) throws IOException {
        server.createTimeline(tenant, id);
    }

    private void ingest(String tenant, String timeline, List<WalRecord> records) throws IOException {
        server.ingest(tenant, timeline, WalEncoder.encode(records));
    }

    private void checkpoint(String tenant, String timeline) throws IOException {
        server.checkpoint(tenant, timeline);
    }
}
