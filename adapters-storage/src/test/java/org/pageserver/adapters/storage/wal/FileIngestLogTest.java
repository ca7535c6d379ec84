package org.pageserver.adapters.storage.wal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.pageserver.adapters.storage.wal.TestBatches.commits;
import static org.pageserver.adapters.storage.wal.TestBatches.replay;
import static org.pageserver.adapters.storage.wal.TestBatches.text;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pageserver.adapters.storage.wal.TestBatches.Entry;
import org.pageserver.domain.id.TenantId;
import org.pageserver.domain.id.TimelineId;
import org.pageserver.domain.wal.WalBatch;

class FileIngestLogTest {
    static final TenantId TENANT = TenantId.parse("11111111111111111111111111111111");
    static final TimelineId A = TimelineId.parse("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
    static final TimelineId B = TimelineId.parse("bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb");

    @TempDir
    Path dir;

    static long segments(Path dir) throws IOException {
        try (var files = Files.list(dir)) {
            return files.filter(f -> f.toString().endsWith(".log")).count();
        }
    }

    @Test
    void replaysEveryBatchInAppendOrderAcrossSegments() throws IOException {
        List<Entry> appended = new ArrayList<>();
        try (FileIngestLog log = new FileIngestLog(dir, 1024)) {
            assertEquals(List.of(), replay(log));
            List<CompletableFuture<Void>> acks = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                TimelineId timeline = i % 3 == 0 ? B : A;
                WalBatch batch = commits(0x1000 + 0x100L * i, 1 + i % 5);
                acks.add(log.append(TENANT, timeline, batch));
                appended.add(new Entry(TENANT, timeline, batch.encoded()));
            }
            acks.forEach(CompletableFuture::join);
        }
        assertTrue(segments(dir) > 10, "1 KiB segments rotate");

        try (FileIngestLog reopened = new FileIngestLog(dir, 1024)) {
            assertEquals(text(appended), text(replay(reopened)));
        }
    }

    @Test
    void appendsAfterAReplayContinueTheLog() {
        List<Entry> appended = new ArrayList<>();
        for (int round = 0; round < 3; round++) {
            try (FileIngestLog log = new FileIngestLog(dir, 4096)) {
                assertEquals(text(appended), text(replay(log)));
                for (int i = 0; i < 10; i++) {
                    WalBatch batch = commits(0x1000 + 0x100L * (round * 10 + i), 3);
                    log.append(TENANT, A, batch).join();
                    appended.add(new Entry(TENANT, A, batch.encoded()));
                }
            }
        }
    }

    @Test
    void anAppendWithoutReplayRecoversFirstAndKeepsWhatWasLogged() {
        try (FileIngestLog log = new FileIngestLog(dir)) {
            log.append(TENANT, A, commits(0x1000, 1)).join();
        }
        try (FileIngestLog log = new FileIngestLog(dir)) {
            log.append(TENANT, A, commits(0x2000, 1)).join();
        }
        try (FileIngestLog log = new FileIngestLog(dir)) {
            assertEquals(List.of("0/1000", "0/2000"), replay(log).stream().map(e -> e.lastLsn().toString()).toList());
        }
    }

    @Test
    void replayRunsOnceAndBeforeTheFirstAppend() {
        try (FileIngestLog log = new FileIngestLog(dir)) {
            replay(log);
            assertThrows(IllegalStateException.class, () -> replay(log));
        }
        try (FileIngestLog log = new FileIngestLog(dir)) {
            log.append(TENANT, A, commits(0x1000, 1)).join();
            assertThrows(IllegalStateException.class, () -> replay(log));
        }
    }

    @Test
    void closeWritesWhatIsQueuedAndRefusesLaterAppends() {
        List<CompletableFuture<Void>> acks = new ArrayList<>();
        FileIngestLog log = new FileIngestLog(dir);
        for (int i = 0; i < 500; i++) {
            acks.add(log.append(TENANT, A, commits(0x1000 + 0x100L * i, 2)));
        }
        log.close();
        acks.forEach(CompletableFuture::join);
        CompletionException refused = assertThrows(CompletionException.class, () -> log.append(TENANT, A, commits(0x9000, 1)).join());
        assertTrue(refused.getCause() instanceof IllegalStateException, refused.toString());

        try (FileIngestLog reopened = new FileIngestLog(dir)) {
            assertEquals(500, replay(reopened).size());
        }
    }

    @Test
    void afterAnIoErrorTheFailedAndEveryLaterAppendFail() throws IOException {
        try (FileIngestLog log = new FileIngestLog(dir, 256)) {
            log.append(TENANT, A, commits(0x1000, 1)).join();
            // The next segment's name is taken, so rotating to it fails like a full disk would.
            Files.createDirectory(dir.resolve(String.format("%016x.log", 2)));
            CompletableFuture<Void> rotating = log.append(TENANT, A, commits(0x2000, 10));
            CompletionException failed = assertThrows(CompletionException.class, rotating::join);
            assertTrue(failed.getCause() instanceof IOException, failed.toString());

            CompletionException later = assertThrows(CompletionException.class, () -> log.append(TENANT, B, commits(0x3000, 1)).join());
            assertTrue(later.getCause().getMessage().contains("failed earlier"), later.toString());
        }
    }
}
