package org.pageserver.adapters.storage.layer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pageserver.application.port.out.LayerReader;
import org.pageserver.application.port.out.LayerStore.SealedLeftover;
import org.pageserver.domain.lsn.Lsn;
import org.pageserver.domain.page.Key;
import org.pageserver.domain.page.KeyVersion;
import org.pageserver.domain.page.Version;

/**
 * Kills a process that appends to ingest files (SIGKILL, with writes in flight) and checks that
 * each file, sealed at the next start, holds every batch acknowledged before the kill, byte for
 * byte. This covers a process crash, where the page cache survives; a power loss is what the
 * fsync before each acknowledgement is for, and no test here can pull the plug.
 */
class IngestFileCrashTest {
    private static final int ACKNOWLEDGED_PER_THREAD = 50;

    @TempDir
    Path dir;

    @Test
    void everyAcknowledgedBatchSurvivesAKill() throws Exception {
        long[] acknowledged = runAndKill();
        LocalLayerStore store = new LocalLayerStore(dir);
        for (int t = 0; t < AppendIngestUntilKilled.THREADS; t++) {
            List<SealedLeftover> leftovers = store.sealLeftovers(AppendIngestUntilKilled.TENANT, AppendIngestUntilKilled.timeline(t));
            assertEquals(1, leftovers.size(), "thread " + t);
            SealedLeftover leftover = leftovers.get(0);
            Lsn last = leftover.lastLsn();
            assertTrue(last.value() >= acknowledged[t], "thread " + t + ": acknowledged " + Lsn.of(acknowledged[t])
                    + ", sealed up to " + last);
            // Every batch is whole or not there: the layer ends at a batch's last LSN.
            int batches = (int) ((last.value() - AppendIngestUntilKilled.START.value()) / AppendIngestUntilKilled.STEP);
            assertEquals(AppendIngestUntilKilled.lastLsn(batches - 1), last, "thread " + t);
            assertEquals(AppendIngestUntilKilled.firstLsn(batches - 1), leftover.prevLsn(), "thread " + t);
            leftover.file().publish();
            try (LayerReader reader = store.openLayer(AppendIngestUntilKilled.TENANT, AppendIngestUntilKilled.timeline(t),
                    leftover.layer().name())) {
                for (int i = 0; i < batches; i++) {
                    for (KeyVersion v : AppendIngestUntilKilled.batch(t, i)) {
                        Version read = reader.versions(v.key(), v.lsn()).get(0);
                        assertEquals(v.lsn(), read.lsn(), "thread " + t + ", batch " + i);
                        assertEquals(HexFormat.of().formatHex(v.value().encode()), HexFormat.of().formatHex(read.value().encode()),
                                "thread " + t + ", batch " + i + ", " + v.key() + "@" + v.lsn());
                    }
                }
                assertEquals(last, reader.versions(Key.COMMIT, Lsn.MAX).get(0).lsn(), "nothing after the last whole batch");
            }
        }
    }

    /** @return per thread, the last LSN the child acknowledged before the kill */
    private long[] runAndKill() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                AppendIngestUntilKilled.class.getName(), dir.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        long[] last = new long[AppendIngestUntilKilled.THREADS];
        int[] count = new int[AppendIngestUntilKilled.THREADS];
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            while (Arrays.stream(count).min().orElseThrow() < ACKNOWLEDGED_PER_THREAD) {
                String line = out.readLine();
                assertNotNull(line, "the child ended before it was killed");
                if (line.startsWith(AppendIngestUntilKilled.ACK)) {
                    String[] parts = line.substring(AppendIngestUntilKilled.ACK.length()).split(" ");
                    int thread = Integer.parseInt(parts[0]);
                    last[thread] = Long.parseLong(parts[1]);
                    count[thread]++;
                }
            }
            // Killed while the threads go on appending: writes are in flight.
            child.destroyForcibly();
        } finally {
            child.destroyForcibly();
            assertTrue(child.waitFor(30, TimeUnit.SECONDS), "the child did not die");
        }
        return last;
    }
}
