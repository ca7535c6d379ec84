package org.pageserver.adapters.storage.wal;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.pageserver.domain.id.TenantId;
import org.pageserver.domain.id.TimelineId;
import org.pageserver.domain.lsn.Lsn;
import org.pageserver.domain.wal.WalDecoder;

/**
 * The child process of {@link IngestLogCrashTest}: replays the log, then four threads each append
 * to their own timeline, going on from the LSN after the last one replayed (0x1000 at first, one
 * batch every 0x10), and print {@code <thread> <lsn>} for each batch once it is acknowledged,
 * until the test kills the process. With a second argument {@code release}, each thread also
 * releases its batches older than {@link #KEPT} steps every {@link #RELEASE_EVERY} appends, as
 * flushes would, so that segments are released and their files reused while the process runs.
 */
public final class AppendUntilKilled {
    static final int THREADS = 4;
    static final long FIRST_LSN = 0x1000;
    static final long STEP = 0x10;
    static final int RELEASE_EVERY = 50;
    static final long KEPT = 40;

    private AppendUntilKilled() {
    }

    public static void main(String[] args) {
        FileIngestLog log = new FileIngestLog(Path.of(args[0]), 256 * 1024);
        boolean release = args.length > 1 && args[1].equals("release");
        Map<TimelineId, Long> next = new HashMap<>();
        log.replay((tenant, timeline, batch) -> next.put(timeline,
                WalDecoder.decode(batch).lastLsn().value() + STEP));
        TenantId tenant = TenantId.parse("11111111111111111111111111111111");
        for (int t = 0; t < THREADS; t++) {
            int thread = t;
            TimelineId timeline = IngestLogConcurrencyTest.timeline(thread);
            long first = next.getOrDefault(timeline, FIRST_LSN);
            new Thread(() -> {
                for (long lsn = first; ; lsn += STEP) {
                    log.append(tenant, timeline, TestBatches.page(lsn, lsn)).join();
                    if (release && (lsn - first) / STEP % RELEASE_EVERY == RELEASE_EVERY - 1) {
                        log.release(tenant, timeline, Lsn.of(lsn - KEPT * STEP));
                    }
                    synchronized (System.out) {
                        System.out.println(thread + " " + lsn);
                        System.out.flush();
                    }
                }
            }).start();
        }
    }
}
