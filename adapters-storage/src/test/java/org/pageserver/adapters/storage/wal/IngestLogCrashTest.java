package org.pageserver.adapters.storage.wal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pageserver.adapters.storage.wal.TestBatches.Entry;
import org.pageserver.domain.id.TimelineId;

/**
 * Kills a process that appends (SIGKILL, mid-stream, with writes in flight), three times over the
 * same log, and checks that each restart replays every batch ever acknowledged, in order. This
 * covers a process crash, where the page cache survives; a power loss is what the fsync before
 * each acknowledgement is for, and no test here can pull the plug.
 */
class IngestLogCrashTest {
    @TempDir
    Path dir;

    @Test
    void everyAcknowledgedBatchSurvivesAKill() throws Exception {
        Map<Integer, Long> acknowledged = new HashMap<>();
        for (int round = 1; round <= 3; round++) {
            acknowledged.putAll(runAndKill(300 * round));
            Map<Integer, List<Long>> replayed = new HashMap<>();
            try (FileIngestLog log = new FileIngestLog(dir, 256 * 1024)) {
                for (Entry entry : TestBatches.replay(log)) {
                    replayed.computeIfAbsent(thread(entry.timeline()), t -> new ArrayList<>()).add(entry.lastLsn().value());
                }
            }
            assertEquals(AppendUntilKilled.THREADS, acknowledged.size(), "every appender was acknowledged");
            for (Map.Entry<Integer, Long> ack : acknowledged.entrySet()) {
                List<Long> lsns = replayed.get(ack.getKey());
                // Appenders wait for each ack before the next append, so the log must hold an
                // unbroken run from the first LSN up to at least the last one acknowledged.
                for (int i = 0; i < lsns.size(); i++) {
                    assertEquals(AppendUntilKilled.FIRST_LSN + AppendUntilKilled.STEP * i, lsns.get(i),
                            "round " + round + ", thread " + ack.getKey() + ", batch " + i);
                }
                assertTrue(lsns.get(lsns.size() - 1) >= ack.getValue(), "round " + round + ", thread " + ack.getKey()
                        + ": acknowledged " + Long.toHexString(ack.getValue()) + ", replayed up to "
                        + Long.toHexString(lsns.get(lsns.size() - 1)));
            }
        }
    }

    /**
     * The same with segments released as the child goes and their files reused: after each kill,
     * each appender's replayed batches are one unbroken run (what it has not released yet) up to
     * at least its last acknowledged one, never a batch a reused file held before.
     */
    @Test
    void everyAcknowledgedBatchSurvivesAKillWhileSegmentFilesAreReused() throws Exception {
        Map<Integer, Long> acknowledged = new HashMap<>();
        for (int round = 1; round <= 3; round++) {
            acknowledged.putAll(runAndKill(400 * round, "release"));
            Map<Integer, List<Long>> replayed = new HashMap<>();
            try (FileIngestLog log = new FileIngestLog(dir, 256 * 1024)) {
                for (Entry entry : TestBatches.replay(log)) {
                    replayed.computeIfAbsent(thread(entry.timeline()), t -> new ArrayList<>()).add(entry.lastLsn().value());
                }
            }
            for (Map.Entry<Integer, Long> ack : acknowledged.entrySet()) {
                List<Long> lsns = replayed.get(ack.getKey());
                for (int i = 1; i < lsns.size(); i++) {
                    assertEquals(lsns.get(i - 1) + AppendUntilKilled.STEP, lsns.get(i),
                            "round " + round + ", thread " + ack.getKey() + ": an unbroken run, batch " + i);
                }
                assertTrue(lsns.get(lsns.size() - 1) >= ack.getValue(), "round " + round + ", thread " + ack.getKey()
                        + ": acknowledged " + Long.toHexString(ack.getValue()) + ", replayed up to "
                        + Long.toHexString(lsns.get(lsns.size() - 1)));
            }
        }
        assertTrue(SegmentFile.list(dir).get(0) > 1, "segments were released along the way");
    }

    /** @return per appender thread, the last LSN the child printed as acknowledged before the kill */
    private Map<Integer, Long> runAndKill(int acknowledgements, String... childArgs) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), AppendUntilKilled.class.getName(), dir.toString()));
        command.addAll(List.of(childArgs));
        Process child = new ProcessBuilder(command)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        Map<Integer, Long> last = new HashMap<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            int seen = 0;
            String line;
            while (seen < acknowledgements && (line = out.readLine()) != null) {
                String[] parts = line.split(" ");
                last.put(Integer.parseInt(parts[0]), Long.parseLong(parts[1]));
                seen++;
            }
            assertEquals(acknowledgements, seen, "the child stopped early");
        } finally {
            child.destroyForcibly();
            assertTrue(child.waitFor(30, TimeUnit.SECONDS));
        }
        return last;
    }

    private static int thread(TimelineId timeline) {
        for (int t = 0; t < AppendUntilKilled.THREADS; t++) {
            if (IngestLogConcurrencyTest.timeline(t).equals(timeline)) {
                return t;
            }
        }
        throw new AssertionError("unknown timeline " + timeline);
    }
}
