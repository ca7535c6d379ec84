package org.pageserver.application.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.pageserver.application.engine.EngineFixture.REL;
import static org.pageserver.application.engine.EngineFixture.at;
import static org.pageserver.application.engine.EngineFixture.filled;
import static org.pageserver.application.engine.EngineFixture.image;
import static org.pageserver.application.engine.EngineFixture.ingest;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.pageserver.application.remote.RemoteSync;
import org.pageserver.application.remote.RemoteTimelineClient;
import org.pageserver.domain.config.TenantConfigField;
import org.pageserver.domain.id.Generation;
import org.pageserver.domain.layer.LayerDescriptor;
import org.pageserver.domain.layer.LayerName;
import org.pageserver.domain.remote.IndexPart;
import org.pageserver.domain.remote.IndexPartJson;
import org.pageserver.domain.remote.RemotePath;
import org.pageserver.domain.timeline.TimelineMetadata;

/** The upload queue: what reaches the bucket, in which order, through failures, compaction and restarts. */
class RemoteTimelineClientTest {
    private static final Generation GEN = new Generation(5);
    private final EngineFixture engine = new EngineFixture();
    private final MemoryRemoteStorage bucket = new MemoryRemoteStorage();
    private final ScheduledExecutorService runner = Executors.newScheduledThreadPool(1);
    private final ExecutorService uploads = Executors.newFixedThreadPool(4);
    private final RemoteSync remote = new RemoteSync(bucket, engine.files, runner, uploads,
            new java.util.concurrent.Semaphore(RemoteSync.DOWNLOADS_IN_FLIGHT));

    @AfterEach
    void close() {
        runner.shutdownNow();
        uploads.shutdownNow();
        engine.close();
    }

    private static void await(BooleanSupplier done, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 10 s: " + what);
            }
            Thread.sleep(5);
        }
    }

    private static void awaitRemoteConsistent(TimelineData timeline) throws InterruptedException {
        await(() -> timeline.metadata().remoteConsistentLsn().equals(timeline.metadata().diskConsistentLsn()),
                "remote_consistent_lsn reaches disk_consistent_lsn " + timeline.metadata().diskConsistentLsn());
    }

    private IndexPart remoteIndex(TimelineMetadata m, Generation generation) {
        return IndexPartJson.read(bucket.objects.get(RemotePath.indexPart(m.tenantId(), m.timelineId(), generation)));
    }

    private List<String> layerObjects(TimelineMetadata m) {
        return bucket.names(RemotePath.timeline(m.tenantId(), m.timelineId())).stream()
                .filter(name -> !name.startsWith(RemotePath.INDEX_PART)).toList();
    }

    @Test
    void eachFlushReachesTheBucketAsLayersAndThenAnIndexNamingThem() throws Exception {
        TimelineData timeline = engine.root();
        RemoteTimelineClient client = remote.clientFor(timeline, GEN);
        client.wake();
        for (int round = 1; round <= 3; round++) {
            ingest(timeline, image(round, REL, 0, round));
            timeline.checkpoint();
        }
        awaitRemoteConsistent(timeline);
        TimelineMetadata m = timeline.metadata();
        IndexPart index = remoteIndex(m, GEN);
        assertEquals(m.diskConsistentLsn(), index.diskConsistentLsn());
        assertEquals(timeline.layerFiles().stream().map(LayerDescriptor::name).sorted().toList(),
                List.copyOf(index.layers().keySet()));
        for (LayerName name : index.layers().keySet()) {
            assertTrue(bucket.objects.containsKey(index.layerPath(name)), "every layer the index names is there: " + name);
            assertEquals(GEN, index.layers().get(name).generation());
        }
        assertEquals(timeline.layerFiles().stream().mapToLong(LayerDescriptor::fileSize).sum(), index.remoteSize());
    }

    @Test
    void whileTheServerIsDownIngestGoesOnAndTheBucketCatchesUpWhenItIsBack() throws Exception {
        TimelineData timeline = engine.root();
        bucket.down = true;
        remote.clientFor(timeline, GEN).wake();
        for (int round = 1; round <= 3; round++) {
            ingest(timeline, image(round, REL, 0, round));
            timeline.checkpoint();
        }
        assertArrayEquals(filled(3), timeline.page(REL, 0, at(3)), "reads and writes see no error");
        Thread.sleep(300);
        assertTrue(bucket.objects.isEmpty());
        assertEquals(org.pageserver.domain.lsn.Lsn.INVALID, timeline.metadata().remoteConsistentLsn());
        bucket.down = false;
        awaitRemoteConsistent(timeline);
        assertEquals(3, layerObjects(timeline.metadata()).size());
    }

    @Test
    void compactionsOutputsGoUpAndTheReplacedLayersGoOnceAnIndexNoLongerNamesThem() throws Exception {
        engine.configure(Map.of(TenantConfigField.COMPACTION_THRESHOLD, 2L, TenantConfigField.IMAGE_CREATION_THRESHOLD, 100L));
        TimelineData timeline = engine.root();
        remote.clientFor(timeline, GEN).wake();
        for (int round = 1; round <= 3; round++) {
            ingest(timeline, image(round, REL, round, round));
            timeline.checkpoint();
        }
        awaitRemoteConsistent(timeline);
        assertTrue(timeline.compact());
        TimelineMetadata m = timeline.metadata();
        List<String> expected = timeline.layerFiles().stream().map(l -> l.name().fileName() + "-" + GEN.suffix()).sorted()
                .toList();
        await(() -> layerObjects(m).equals(expected), "the bucket holds the L1 layer alone: " + layerObjects(m));
        assertEquals(timeline.layerFiles().stream().map(LayerDescriptor::name).sorted().toList(),
                List.copyOf(remoteIndex(m, GEN).layers().keySet()));
    }

    @Test
    void aRestartUploadsWhatTheBucketLacksAndNothingTwice() throws Exception {
        TimelineMetadata meta = engine.rootMetadata();
        TimelineData timeline = engine.create(meta, null);
        RemoteTimelineClient client = remote.clientFor(timeline, GEN);
        client.wake();
        ingest(timeline, image(1, REL, 0, 1));
        timeline.checkpoint();
        awaitRemoteConsistent(timeline);
        int uploadsBefore = bucket.uploads.get();
        // The server goes down, a flush happens, and the node stops before the bucket saw it.
        bucket.down = true;
        ingest(timeline, image(2, REL, 0, 2));
        timeline.checkpoint();
        timeline.shutdown();
        // The process ends: its client does no more.
        client.stop();

        bucket.down = false;
        TimelineData restarted = engine.reload(meta, null);
        remote.clientFor(restarted, GEN).wake();
        awaitRemoteConsistent(restarted);
        assertEquals(uploadsBefore + 2, bucket.uploads.get(), "the new layer and the new index, nothing else");
        assertEquals(2, remoteIndex(restarted.metadata(), GEN).layers().size());
    }

    @Test
    void aNodeThatFindsANewerGenerationsIndexDeletesNothing() throws Exception {
        engine.configure(Map.of(TenantConfigField.COMPACTION_THRESHOLD, 2L, TenantConfigField.IMAGE_CREATION_THRESHOLD, 100L));
        TimelineData timeline = engine.root();
        RemoteTimelineClient client = remote.clientFor(timeline, GEN);
        client.wake();
        for (int round = 1; round <= 3; round++) {
            ingest(timeline, image(round, REL, round, round));
            timeline.checkpoint();
        }
        awaitRemoteConsistent(timeline);
        TimelineMetadata m = timeline.metadata();
        List<String> l0Objects = layerObjects(m);
        // Another node attached the tenant with a newer generation and wrote its index.
        Generation newer = new Generation(GEN.value() + 1);
        bucket.objects.put(RemotePath.indexPart(m.tenantId(), m.timelineId(), newer),
                IndexPartJson.write(remoteIndex(m, GEN)));
        assertTrue(timeline.compact());
        await(() -> layerObjects(m).size() > l0Objects.size(), "the L1 layer uploaded under the old generation");
        Thread.sleep(200);
        assertTrue(layerObjects(m).containsAll(l0Objects), "the L0 objects the newer node may read are all there");
        assertTrue(client.isStale());
    }

    @Test
    void aDamagedIndexIsPassedOverAndReplaced() throws Exception {
        TimelineMetadata meta = engine.rootMetadata();
        bucket.objects.put(RemotePath.indexPart(meta.tenantId(), meta.timelineId(), GEN), "{\"version\":7,".getBytes());
        TimelineData timeline = engine.create(meta, null);
        remote.clientFor(timeline, GEN).wake();
        ingest(timeline, image(1, REL, 0, 1));
        timeline.checkpoint();
        awaitRemoteConsistent(timeline);
        assertEquals(1, remoteIndex(timeline.metadata(), GEN).layers().size());
    }
}
