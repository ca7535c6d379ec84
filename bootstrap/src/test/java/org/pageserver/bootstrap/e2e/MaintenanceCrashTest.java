package org.pageserver.bootstrap.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micronaut.json.JsonMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pageserver.domain.id.TenantId;
import org.pageserver.domain.id.TimelineId;
import org.pageserver.domain.layer.LayerName;
import org.pageserver.domain.lsn.Lsn;
import org.pageserver.domain.page.RelTag;
import org.pageserver.domain.wal.WalEncoder;
import org.pageserver.domain.wal.WalRecord;

/**
 * A real server process killed with SIGKILL during maintenance. Compaction: once while the image
 * layer is being written (its temporary file on disk), once the moment the finished file appears
 * under its layer name; the same for an L1 layer file of an L0 to L1 compaction. GC: while it deletes the files it removed. After each restart every
 * acknowledged page reads back at its own LSN (at or above the GC cutoff), the timeline's directory
 * holds layer files only (no temporary file), every file on disk is one the server counts (physical
 * size) and every counted one is on disk; and the interrupted work then runs to its end.
 */
class MaintenanceCrashTest {
    private static final RelTag REL = new RelTag(1663, 16384, 16385, 0);
    private static final int BLOCKS = 2_000;

    @TempDir
    Path workdir;

    private final String tenant = TenantId.generate().toString();
    private final String timeline = TimelineId.generate().toString();
    private final String base = "/v1/tenant/" + tenant + "/timeline/" + timeline;
    private final JsonMapper json = JsonMapper.createDefault();
    private final List<Lsn> roundEnds = new ArrayList<>();
    private Lsn last = Lsn.INITDB;

    private Path timelineDir() {
        return workdir.resolve("data").resolve("tenants").resolve(tenant).resolve("timelines").resolve(timeline);
    }

    private static byte[] page(int round, long blkno) {
        byte[] page = new byte[8192];
        Arrays.fill(page, (byte) (round * 31 + blkno));
        return page;
    }

    /** Every block of REL written once more (a round), then flushed: one more delta layer file. */
    private void writeRound(Api api) {
        int round = roundEnds.size();
        for (int from = 0; from < BLOCKS; from += 100) {
            List<WalRecord> records = new ArrayList<>();
            for (long blkno = from; blkno < from + 100; blkno++) {
                WalRecord sized = new WalRecord.PageImage(Lsn.INITDB, REL, blkno, page(round, blkno));
                last = last.plus(WalEncoder.frameSize(sized));
                records.add(new WalRecord.PageImage(last, REL, blkno, page(round, blkno)));
            }
            Api.Response ack = api.postBinary(base + "/wal", WalEncoder.encode(records));
            assertEquals(200, ack.status(), ack.body());
        }
        roundEnds.add(last);
        assertEquals(200, api.put(base + "/checkpoint", "").status());
    }

    @Test
    void aKillDuringCompactionLosesNothingAndLeavesNothingBehind() throws Exception {
        Path log = workdir.resolve("server.log");
        ServerProcess server = ServerProcess.start(workdir.resolve("data"), log);
        try {
            Api api = new Api(server.uri(), json);
            // No compaction of its own (period 0): only the one the test starts and kills.
            assertEquals(201, api.post("/v1/tenant", "{\"new_tenant_id\":\"" + tenant
                    + "\",\"image_creation_threshold\":3,\"compaction_period\":\"0s\"}").status());
            assertEquals(201, api.post("/v1/tenant/" + tenant + "/timeline", "{\"new_timeline_id\":\"" + timeline + "\"}").status());
            List<Predicate<String>> killWhen = List.of(
                    name -> name.endsWith(".tmp"),
                    name -> isImageLayer(name));
            for (Predicate<String> when : killWhen) {
                for (int i = 0; i < 3; i++) {
                    writeRound(api);
                }
                server = killDuringCompaction(server, when, log);
                api = new Api(server.uri(), json);
                checkEverything(api);
            }
            assertEquals(200, api.put(base + "/compact", "").status(), "compaction runs to its end after the kills");
            assertTrue(fileNames().stream().anyMatch(MaintenanceCrashTest::isImageLayer));
            checkEverything(api);
        } finally {
            server.close();
        }
    }

    /**
     * L0 to L1 compaction killed while it writes an L1 layer file (its temporary file on disk) and
     * once the first finished L1 file appears under its name, before the metadata records any:
     * after each restart the L0 layers are there as before, the outputs are gone, and then the
     * compaction runs to its end with every page still reading back at every LSN.
     */
    @Test
    void aKillDuringL0CompactionLosesNothingAndLeavesNothingBehind() throws Exception {
        Path log = workdir.resolve("server.log");
        ServerProcess server = ServerProcess.start(workdir.resolve("data"), log);
        try {
            Api api = new Api(server.uri(), json);
            // 3 L0 layers of 16 MiB each compact into L1 files of about 4 MiB; no image, no periodic compaction.
            assertEquals(201, api.post("/v1/tenant", "{\"new_tenant_id\":\"" + tenant + "\",\"compaction_threshold\":3,"
                    + "\"compaction_target_size\":4194304,\"image_creation_threshold\":1000,\"compaction_period\":\"0s\"}")
                    .status());
            assertEquals(201, api.post("/v1/tenant/" + tenant + "/timeline", "{\"new_timeline_id\":\"" + timeline + "\"}").status());
            for (int i = 0; i < 3; i++) {
                writeRound(api);
            }
            List<String> l0 = fileNames();
            List<Predicate<String>> killWhen = List.of(
                    name -> name.endsWith(".tmp"),
                    MaintenanceCrashTest::isL1Layer);
            for (Predicate<String> when : killWhen) {
                server = killDuringCompaction(server, when, log);
                api = new Api(server.uri(), json);
                assertEquals(l0, fileNames(), "the L0 layers as they were, nothing else");
                checkEverything(api);
            }
            assertEquals(200, api.put(base + "/compact", "").status(), "compaction runs to its end after the kills");
            List<String> after = fileNames();
            assertTrue(after.stream().allMatch(MaintenanceCrashTest::isL1Layer) && after.size() >= 3, after.toString());
            checkEverything(api);
        } finally {
            server.close();
        }
    }

    /**
     * Starts a compaction, kills the server with SIGKILL once a file {@code when} takes appears in
     * the timeline's directory, and starts it again on the same work directory.
     *
     * @return the new server, its tenant active again
     */
    private ServerProcess killDuringCompaction(ServerProcess server, Predicate<String> when, Path log) {
        Api api = new Api(server.uri(), json);
        CompletableFuture<Void> compaction = CompletableFuture.runAsync(() -> api.put(base + "/compact", ""));
        awaitFile(when);
        server.kill();
        System.out.println("MaintenanceCrashTest: compaction killed with " + fileNames());
        compaction.handle((ok, failed) -> null).join();
        ServerProcess restarted = ServerProcess.start(workdir.resolve("data"), log);
        awaitActive(new Api(restarted.uri(), json));
        return restarted;
    }

    private static boolean isL1Layer(String name) {
        return isLayer(name, layer -> !layer.image() && !layer.isL0());
    }

    @Test
    void aKillWhileGcDeletesFilesLosesNothingAndLeavesNoStray() throws Exception {
        Path log = workdir.resolve("server.log");
        ServerProcess server = ServerProcess.start(workdir.resolve("data"), log);
        try {
            Api api = new Api(server.uri(), json);
            // compaction_threshold 1000: the 300 L0 layers stay apart, for GC to delete one by one.
            assertEquals(201, api.post("/v1/tenant", "{\"new_tenant_id\":\"" + tenant + "\",\"compaction_period\":\"0s\",\"compaction_threshold\":1000,"
                    + "\"gc_period\":\"0s\",\"pitr_interval\":\"0s\"}").status());
            assertEquals(201, api.post("/v1/tenant/" + tenant + "/timeline", "{\"new_timeline_id\":\"" + timeline + "\"}").status());
            // Many small layer files, each deleted with a directory sync: GC takes a while to delete them.
            for (int i = 0; i < 300; i++) {
                smallRound(api, i);
            }
            assertEquals(200, api.put(base + "/compact", "").status());
            smallRound(api, 300);
            int before = fileNames().size();
            Api collecting = api;
            CompletableFuture<Void> gc = CompletableFuture.runAsync(() -> collecting.put(base + "/do_gc", "{\"gc_horizon\":0}"));
            awaitFiles(names -> names.size() < before - 10);
            server.kill();
            gc.handle((ok, failed) -> null).join();
            int atKill = fileNames().size();
            System.out.println("MaintenanceCrashTest: GC killed with " + atKill + " of " + before + " files left");

            server = ServerProcess.start(workdir.resolve("data"), log);
            api = new Api(server.uri(), json);
            awaitActive(api);
            Map<String, Object> info = api.get(base).object();
            assertEquals(last.toString(), info.get("latest_gc_cutoff_lsn"), "the cutoff was stored before any file went");
            assertEquals(2, fileNames().size(), "the image and the last round; the rest of the removed files went at the start: "
                    + fileNames());
            checkFiles(api);
            for (long blkno = 0; blkno < 8; blkno++) {
                Api.Bytes page = api.getBytes(base + "/page?rel=" + REL + "&blkno=" + blkno);
                assertArrayEquals(smallPage(blkno == 0 ? 300 : 299, blkno), page.body(), "block " + blkno);
            }
        } finally {
            server.close();
        }
    }

    private static byte[] smallPage(int round, long blkno) {
        byte[] page = new byte[8192];
        Arrays.fill(page, (byte) (round + 3 * blkno));
        return page;
    }

    /** Round i writes blocks 0..7 of REL (round 300: block 0 only) and flushes them: one small layer file. */
    private void smallRound(Api api, int round) {
        List<WalRecord> records = new ArrayList<>();
        for (long blkno = 0; blkno < (round == 300 ? 1 : 8); blkno++) {
            WalRecord sized = new WalRecord.PageImage(Lsn.INITDB, REL, blkno, smallPage(round, blkno));
            last = last.plus(WalEncoder.frameSize(sized));
            records.add(new WalRecord.PageImage(last, REL, blkno, smallPage(round, blkno)));
        }
        assertEquals(200, api.postBinary(base + "/wal", WalEncoder.encode(records)).status());
        assertEquals(200, api.put(base + "/checkpoint", "").status());
    }

    private void awaitFiles(Predicate<List<String>> done) {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!done.test(fileNames())) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 60 s: " + fileNames().size() + " files");
            }
            ServerProcess.sleep(1);
        }
    }

    private static boolean isImageLayer(String name) {
        return isLayer(name, LayerName::image);
    }

    private static boolean isLayer(String name, Predicate<LayerName> kind) {
        try {
            LayerName layer = LayerName.parse(name);
            return layer.fileName().equals(name) && kind.test(layer);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private List<String> fileNames() {
        try (Stream<Path> files = Files.list(timelineDir())) {
            return files.map(f -> f.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void awaitFile(Predicate<String> when) {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (fileNames().stream().noneMatch(when)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the compaction made no such file within 60 s: " + fileNames());
            }
            ServerProcess.sleep(1);
        }
    }

    private void awaitActive(Api api) {
        api.await("/v1/tenant/" + tenant, r -> r.status() == 200
                && "Active".equals(((Map<?, ?>) r.object().get("state")).get("slug")));
    }

    private void checkEverything(Api api) throws IOException {
        checkFiles(api);
        checkPages(api);
    }

    /** Only layer files, each counted in the physical size, and the last record where it was. */
    private void checkFiles(Api api) throws IOException {
        Map<String, Object> info = api.get(base).object();
        assertEquals(last.toString(), info.get("last_record_lsn"));
        List<String> names = fileNames();
        long onDisk = 0;
        for (String name : names) {
            assertEquals(name, LayerName.parse(name).fileName(), "only layer files: " + names);
            onDisk += Files.size(timelineDir().resolve(name));
        }
        assertEquals(onDisk, ((Number) info.get("current_physical_size")).longValue(),
                "every file on disk is counted, every counted file is on disk: " + names);
    }

    private void checkPages(Api api) {
        for (int round = 0; round < roundEnds.size(); round++) {
            Lsn at = roundEnds.get(round);
            for (long blkno = round; blkno < BLOCKS; blkno += 97) {
                Api.Bytes page = api.getBytes(base + "/page?rel=" + REL + "&blkno=" + blkno + "&lsn=" + at);
                assertEquals(200, page.status(), page.text());
                assertArrayEquals(page(round, blkno), page.body(), "block " + blkno + " at " + at);
            }
        }
        int latest = roundEnds.size() - 1;
        for (long blkno = 0; blkno < BLOCKS; blkno++) {
            Api.Bytes page = api.getBytes(base + "/page?rel=" + REL + "&blkno=" + blkno);
            assertArrayEquals(page(latest, blkno), page.body(), "block " + blkno + " at the latest LSN");
        }
    }
}
