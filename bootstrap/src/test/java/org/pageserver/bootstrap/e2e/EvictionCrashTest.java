package org.pageserver.bootstrap.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micronaut.json.JsonMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGKILL while layers are evicted and downloaded again and again: a server under constant disk
 * pressure (its threshold no disk meets, checked every 200 ms) evicts every uploaded layer while
 * readers download them back, and is killed at several moments. After each restart (no pressure)
 * every page of every round reads back byte for byte, and no temporary file of a download cut
 * short is left in the timeline's directory.
 */
class EvictionCrashTest {
    @TempDir
    Path workdir;

    private final JsonMapper json = JsonMapper.createDefault();

    private ServerProcess node(boolean pressure) {
        Map<String, String> settings = pressure
                ? Map.of("pageserver.disk-usage-based-eviction.min-avail-bytes", String.valueOf(Long.MAX_VALUE / 4),
                        "pageserver.disk-usage-based-eviction.period", "200ms")
                : Map.of();
        return ServerProcess.start(workdir.resolve("node"), workdir.resolve("node.log"), settings);
    }

    @Test
    void aKillWhileLayersComeAndGoLosesNoPageAndLeavesNoTemporaryFile() throws Exception {
        RoundsTimeline timeline;
        try (ServerProcess node = node(false)) {
            timeline = RoundsTimeline.create(new Api(node.uri(), json), workdir.resolve("node"),
                    "\"compaction_period\":\"0s\",\"gc_period\":\"0s\"", 4);
        }
        boolean evicting = false;
        for (long killAfter : new long[] {800, 2000}) {
            try (ServerProcess node = node(true)) {
                Api api = new Api(node.uri(), json);
                AtomicBoolean reading = new AtomicBoolean(true);
                List<Thread> readers = new ArrayList<>();
                for (int t = 0; t < 2; t++) {
                    Thread reader = new Thread(() -> {
                        int round = 0;
                        try {
                            while (reading.get()) {
                                round = round % 4 + 1;
                                api.getBytes(timeline.base() + "/page?rel=" + PageRounds.REL + "&blkno=1&lsn="
                                        + timeline.ends().get(round - 1));
                            }
                        } catch (RuntimeException killed) {
                            // The server is gone: what the reads saw before is not what this test checks.
                        }
                    });
                    reader.start();
                    readers.add(reader);
                }
                Thread.sleep(killAfter);
                node.kill();
                evicting |= Files.readString(workdir.resolve("node.log")).contains("disk usage based eviction: ");
                reading.set(false);
                for (Thread reader : readers) {
                    reader.join();
                }
            }
            try (ServerProcess node = node(false)) {
                Api api = new Api(node.uri(), json);
                api.await("/v1/tenant/" + timeline.tenant(), r -> r.status() == 200 && r.body().contains("\"Active\""));
                for (long blkno = 0; blkno < 8; blkno++) {
                    timeline.assertEveryRoundReads(api, blkno);
                }
                try (Stream<Path> files = Files.list(timeline.dir())) {
                    assertEquals(List.of(), files.map(f -> f.getFileName().toString()).filter(n -> n.startsWith(".")).toList(),
                            "no temporary file of a download cut short, after a kill at " + killAfter + " ms");
                }
            }
        }
        assertTrue(evicting, "the node was evicting when killed (its log shows the passes)");
    }
}
