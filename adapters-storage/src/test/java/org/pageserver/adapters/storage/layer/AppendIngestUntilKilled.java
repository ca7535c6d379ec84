package org.pageserver.adapters.storage.layer;

import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.pageserver.application.port.out.IngestFile;
import org.pageserver.domain.id.TenantId;
import org.pageserver.domain.id.TimelineId;
import org.pageserver.domain.lsn.Lsn;
import org.pageserver.domain.page.EncodedVersion;
import org.pageserver.domain.page.Key;
import org.pageserver.domain.page.KeyVersion;
import org.pageserver.domain.page.Value;

/**
 * The child process of {@link IngestFileCrashTest}: on a {@link LocalLayerStore} in {@code args[0]},
 * {@link #THREADS} threads each append to an ingest file of their own timeline, batch after batch
 * ({@link #batch}), and print {@code <thread> <lastLsn>} as each batch's wait for durability
 * returns, until the test kills the process.
 */
public final class AppendIngestUntilKilled {
    static final int THREADS = 4;
    static final TenantId TENANT = TenantId.parse("11111111111111111111111111111111");
    static final Lsn START = Lsn.of(0x1000);
    static final long STEP = 0x100;
    /** Printed before each acknowledgement, so that the test reads no log line as one. */
    static final String ACK = "ack ";

    private AppendIngestUntilKilled() {
    }

    static TimelineId timeline(int thread) {
        return TimelineId.parse(String.format("%032x", thread + 1));
    }

    /**
     * Batch {@code i} of a thread, the same in both processes: two page images (8193 bytes
     * encoded) at its first LSN, a small delta and a commit timestamp at its last.
     */
    static List<KeyVersion> batch(int thread, int i) {
        Random random = new Random(thread * 1_000_003L + i);
        Lsn first = firstLsn(i);
        return List.of(
                new KeyVersion(LayerTestData.block(i % 8), first, LayerTestData.image(random)),
                new KeyVersion(LayerTestData.block(8 + i % 4), first, LayerTestData.image(random)),
                new KeyVersion(LayerTestData.block(i % 8), lastLsn(i), LayerTestData.delta(random)),
                new KeyVersion(Key.COMMIT, lastLsn(i), new Value.CommitTimestamp(i)));
    }

    /** The batch's first LSN, which is the record before its last. */
    static Lsn firstLsn(int i) {
        return START.plus(STEP * (i + 1));
    }

    static Lsn lastLsn(int i) {
        return firstLsn(i).plus(8);
    }

    public static void main(String[] args) {
        LocalLayerStore store = new LocalLayerStore(Path.of(args[0]));
        for (int t = 0; t < THREADS; t++) {
            int thread = t;
            new Thread(() -> {
                IngestFile file = store.createIngestFile(TENANT, timeline(thread), START);
                for (int i = 0; ; i++) {
                    List<KeyVersion> batch = batch(thread, i);
                    long end = file.append(batch.stream().map(EncodedVersion::of).toList(), lastLsn(i), firstLsn(i),
                            new long[batch.size()]);
                    file.awaitDurable(end);
                    synchronized (System.out) {
                        System.out.println(ACK + thread + " " + lastLsn(i).value());
                        System.out.flush();
                    }
                }
            }).start();
        }
    }
}
