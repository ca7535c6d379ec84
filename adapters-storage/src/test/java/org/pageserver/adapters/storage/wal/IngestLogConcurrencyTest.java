package org.pageserver.adapters.storage.wal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.pageserver.adapters.storage.wal.FileIngestLogTest.TENANT;
import static org.pageserver.adapters.storage.wal.TestBatches.commits;
import static org.pageserver.adapters.storage.wal.TestBatches.replay;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pageserver.adapters.storage.wal.TestBatches.Entry;
import org.pageserver.domain.id.TimelineId;
import org.pageserver.domain.lsn.Lsn;
import org.pageserver.domain.wal.WalBatch;

/** Many appenders at once: nothing lost, nothing doubled, each appender's order kept, fsyncs shared. */
class IngestLogConcurrencyTest {
    private static final int THREADS = 8;
    private static final int APPENDS = 500;

    @TempDir
    Path dir;

    static TimelineId timeline(int thread) {
        return TimelineId.parse(String.format("%032x", thread + 1));
    }

    /** Each thread appends to its own timeline at rising LSNs, waiting for every other ack or not at all. */
    private List<CompletableFuture<Void>> appendFromEightThreads(FileIngestLog log, boolean waitSometimes) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<List<CompletableFuture<Void>>>> perThread = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                TimelineId timeline = timeline(t);
                perThread.add(pool.submit(() -> {
                    start.await();
                    List<CompletableFuture<Void>> acks = new ArrayList<>();
                    for (int i = 0; i < APPENDS; i++) {
                        CompletableFuture<Void> ack = log.append(TENANT, timeline, commits(0x1000 + 0x100L * i, 1 + i % 4));
                        if (waitSometimes && i % 2 == 0) {
                            ack.join();
                        }
                        acks.add(ack);
                    }
                    return acks;
                }));
            }
            start.countDown();
            List<CompletableFuture<Void>> all = new ArrayList<>();
            for (Future<List<CompletableFuture<Void>>> acks : perThread) {
                all.addAll(acks.get());
            }
            return all;
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void everyBatchIsReplayedOnceInEachAppendersOrder() throws Exception {
        try (FileIngestLog log = new FileIngestLog(dir, 64 * 1024)) {
            replay(log);
            appendFromEightThreads(log, true).forEach(CompletableFuture::join);
        }
        Map<TimelineId, List<Lsn>> replayed = new HashMap<>();
        try (FileIngestLog log = new FileIngestLog(dir, 64 * 1024)) {
            for (Entry entry : replay(log)) {
                replayed.computeIfAbsent(entry.timeline(), t -> new ArrayList<>()).add(entry.lastLsn());
            }
        }
        assertEquals(THREADS, replayed.size());
        for (int t = 0; t < THREADS; t++) {
            List<Lsn> expected = new ArrayList<>();
            for (int i = 0; i < APPENDS; i++) {
                expected.add(Lsn.of(0x1000 + 0x100L * i + 8L * (i % 4)));
            }
            assertEquals(expected, replayed.get(timeline(t)), "timeline of thread " + t);
        }
    }

    @Test
    void oneFsyncAcknowledgesManyAppends() throws Exception {
        try (FileIngestLog log = new FileIngestLog(dir)) {
            replay(log);
            List<CompletableFuture<Void>> acks = appendFromEightThreads(log, false);
            acks.forEach(CompletableFuture::join);
            long forces = log.forceCount();
            assertTrue(forces > 0 && forces < acks.size() / 2, forces + " fsyncs for " + acks.size() + " appends");
        }
    }

    /** Prints what this machine does; asserts only correctness, as a test run is no benchmark. */
    @Test
    void measuresPageBatchThroughputWithOneAndEightWriters() throws Exception {
        for (int writers : new int[] {1, 8}) {
            Path runDir = dir.resolve("run-" + writers);
            int perWriter = 4096 / writers;
            try (FileIngestLog log = new FileIngestLog(runDir)) {
                replay(log);
                ExecutorService pool = Executors.newFixedThreadPool(writers);
                long started = System.nanoTime();
                List<Future<Long>> bytes = new ArrayList<>();
                for (int w = 0; w < writers; w++) {
                    TimelineId timeline = timeline(w);
                    bytes.add(pool.submit(() -> {
                        long written = 0;
                        for (int i = 0; i < perWriter; i++) {
                            WalBatch batch = TestBatches.page(0x1000 + 0x10L * i, i);
                            log.append(TENANT, timeline, batch).join();
                            written += batch.encoded().length;
                        }
                        return written;
                    }));
                }
                long total = 0;
                for (Future<Long> b : bytes) {
                    total += b.get();
                }
                double seconds = (System.nanoTime() - started) / 1e9;
                pool.shutdown();
                System.out.printf("ingest log, %d writer(s), each waiting for its ack: %d batches of one 8 KiB page,"
                                + " %.1f MB/s, %.0f batches/s, %d fsyncs (%.0f/s, %.1f batches each)%n",
                        writers, perWriter * writers, total / seconds / 1e6, perWriter * writers / seconds,
                        log.forceCount(), log.forceCount() / seconds, (double) perWriter * writers / log.forceCount());
                assertEquals((long) perWriter * writers * TestBatches.page(1, 1).encoded().length, total);
            }
        }
    }
}
