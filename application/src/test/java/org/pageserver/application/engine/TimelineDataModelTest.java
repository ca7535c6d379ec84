package org.pageserver.application.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.pageserver.domain.config.TenantConfOverrides;
import org.pageserver.domain.config.TenantConfig;
import org.pageserver.domain.config.TenantConfigField;
import org.pageserver.domain.error.ErrorKind;
import org.pageserver.domain.error.PageserverException;
import org.pageserver.domain.id.TenantId;
import org.pageserver.domain.id.TimelineId;
import org.pageserver.domain.lsn.Lsn;
import org.pageserver.domain.page.RelSize;
import org.pageserver.domain.page.RelTag;
import org.pageserver.domain.timeline.TimelineMetadata;
import org.pageserver.domain.wal.WalDecoder;
import org.pageserver.domain.wal.WalEncoder;
import org.pageserver.domain.wal.WalRecord;

/**
 * The engine against the reference model: a seeded random workload of images, deltas, size
 * changes, drops and commits, flushed to layers as it goes (a small checkpoint_distance), a
 * branch at a random past LSN written on both sides, a restart that reloads layers and seals what
 * the ingest files hold, compaction run at random points (L0 layers merged into L1 layers at
 * compaction_threshold 3, image layers at image_creation_threshold 2) and GC too (random horizons,
 * the branch point kept whole or, once the branch's own cutoff passed it, as an image), and every
 * read form compared with the model at random LSNs at or above the GC cutoff.
 */
class TimelineDataModelTest {
    private final ExecutorService flusher = Executors.newSingleThreadExecutor();
    private final MemoryLayerStore files = new MemoryLayerStore();
    private final MemoryLayerMetadata rows = new MemoryLayerMetadata();
    private EngineContext context;
    private final TenantConfig config = TenantConfig.builtInDefaults()
            .with(TenantConfOverrides.of(Map.of(TenantConfigField.CHECKPOINT_DISTANCE, 60_000L,
                    TenantConfigField.IMAGE_CREATION_THRESHOLD, 2L, TenantConfigField.COMPACTION_THRESHOLD, 3L, TenantConfigField.COMPACTION_TARGET_SIZE, 64L * 8192)));
    private final TenantId tenant = TenantId.generate();

    @AfterEach
    void stop() {
        flusher.shutdownNow();
    }

    /**
     * With the read caches (relation sizes kept in memory, a page cache small enough to evict all
     * the time) on, and off: they change no answer.
     */
    @ParameterizedTest(name = "seed {0}, read caches {1}")
    @CsvSource({"1, true", "2, true", "3, true", "1, false", "2, false"})
    void engineAgreesWithTheModel(long seed, boolean readCaches) {
        PageCache pageCache = readCaches ? new PageCache(48) : PageCache.NONE;
        context = new EngineContext(files, rows, rows, flusher, InMemoryBudget.unlimited(),
                org.pageserver.application.port.out.Metrics.NONE, readCaches, pageCache);
        RandomWorkload workload = new RandomWorkload(seed);
        Random random = workload.random();
        TimelineMetadata mainMeta = TimelineMetadata.root(tenant, TimelineId.generate(), 15);
        TimelineData main = TimelineData.create(context, () -> config, mainMeta, null);
        ReferenceModel.Branch mainModel = new ReferenceModel.Branch(null, null);
        TimelineData branch = null;
        ReferenceModel.Branch branchModel = null;
        TimelineMetadata branchMeta = null;
        int images = 0;
        long removed = 0;
        boolean l1Made = false;
        boolean snapshotGc = false;

        for (int step = 0; step < 240; step++) {
            boolean onBranch = branch != null && random.nextBoolean();
            TimelineData target = onBranch ? branch : main;
            ReferenceModel.Branch model = onBranch ? branchModel : mainModel;
            List<WalRecord> batch = workload.batch(target.metadata().lastRecordLsn(), 8);
            Lsn acknowledged = target.ingest(WalDecoder.decode(WalEncoder.encode(batch)));
            model.records.addAll(batch);
            assertEquals(batch.get(batch.size() - 1).lsn(), acknowledged);

            if (step == 80) {
                Lsn start = pastLsn(random, Lsn.max(mainMeta.initdbLsn(), main.metadata().latestGcCutoffLsn()),
                        main.metadata().lastRecordLsn());
                branchMeta = main.metadata().branch(TimelineId.generate(), start, null);
                branch = TimelineData.create(context, () -> config, branchMeta, main);
                branchModel = new ReferenceModel.Branch(mainModel, start);
            }
            if (step == 160) {
                // A restart: the engines are rebuilt from what was stored and what the ingest files hold.
                main.shutdown();
                branch.shutdown();
                main = reload(mainMeta, null);
                branch = reload(branchMeta, main);
            }
            if (random.nextInt(12) == 0) {
                // Image layers at random points, on either side of the branch: reads at and above
                // them stop there, reads below walk the deltas as before.
                if (target.compact()) {
                    images++;
                }
                l1Made |= target.layerFiles().stream().anyMatch(l -> !l.name().image() && !l.name().isL0());
            }
            if (random.nextInt(15) == 0) {
                // GC with a random horizon: reads at or above the cutoff must not change; the
                // branch point keeps what the branch reads of main: all history below it while the
                // branch may read there, the state at it (an image) once the branch's cutoff passed it.
                boolean branchReadsBelow = branch != null && branch.metadata().latestGcCutoffLsn().isBefore(branchMeta.ancestorLsn());
                List<Lsn> retain = target == main && branchReadsBelow ? List.of(branchMeta.ancestorLsn()) : List.of();
                List<Lsn> snapshots = target == main && branch != null && !branchReadsBelow
                        ? List.of(branchMeta.ancestorLsn()) : List.of();
                snapshotGc |= !snapshots.isEmpty();
                removed += target.gc(random.nextInt(40_000), java.time.Duration.ZERO, retain, snapshots, java.time.Instant.now())
                        .layersRemoved();
            }
            if (step % 10 == 9) {
                checkReads(main, mainModel, random);
                if (branch != null) {
                    checkReads(branch, branchModel, random);
                }
            }
        }
        main.checkpoint();
        assertFalse(main.layerFiles().isEmpty(), "the workload should have produced layer files");
        assertTrue(images > 0, "the workload should have made image layers");
        assertTrue(removed > 0, "GC should have removed layers");
        assertTrue(l1Made, "compaction should have merged L0 layers into L1 layers");
        assertTrue(snapshotGc, "main's GC should have run with the branch reading it only at the branch point");
        assertEquals(main.metadata().lastRecordLsn(), main.metadata().diskConsistentLsn(),
                "a checkpoint flushes everything");
        checkReads(main, mainModel, random);
        checkReads(branch, branchModel, random);
        if (readCaches) {
            assertTrue(pageCache.exactHits() > 0 && pageCache.olderLsnHits() > 0,
                    "reads should have taken pages from the cache, at their LSN and below it: " + pageCache.exactHits()
                            + " exact, " + pageCache.olderLsnHits() + " older of " + pageCache.accesses());
        }
    }

    private TimelineData reload(TimelineMetadata created, TimelineData ancestor) {
        TimelineMetadata stored = rows.timelines.getOrDefault(created.tenantId() + "/" + created.timelineId(), created);
        return TimelineData.load(context, () -> config, stored, ancestor);
    }

    private static Lsn pastLsn(Random random, Lsn low, Lsn high) {
        return Lsn.of(low.value() + (long) (random.nextDouble() * (high.value() - low.value())));
    }

    private void checkReads(TimelineData timeline, ReferenceModel.Branch model, Random random) {
        Lsn last = timeline.metadata().lastRecordLsn();
        ReferenceModel.State latest = ReferenceModel.stateAt(model, last);
        assertEquals(ReferenceModel.logicalSize(latest), timeline.logicalSize(), "incremental logical size");
        assertEquals(ReferenceModel.logicalSize(latest), timeline.logicalSizeFromData(), "logical size from data");
        // Reads below the GC cutoff are refused: the past LSNs are drawn from the cutoff up.
        Lsn low = Lsn.max(Lsn.INITDB, timeline.metadata().latestGcCutoffLsn());
        for (int i = 0; i < 3; i++) {
            Lsn at = i == 0 ? last : pastLsn(random, low, last);
            ReferenceModel.State state = ReferenceModel.stateAt(model, at);
            for (RelTag rel : RandomWorkload.RELS) {
                Long expected = ReferenceModel.nblocks(state, rel);
                RelSize size = timeline.relSize(rel, at);
                assertEquals(expected != null, size.exists(), rel + " exists at " + at);
                if (expected != null) {
                    assertEquals(expected.longValue(), size.nblocks(), rel + " size at " + at);
                }
                for (long blk = 0; blk <= RandomWorkload.MAX_BLOCKS; blk++) {
                    byte[] page = ReferenceModel.page(state, rel, blk);
                    if (page == null) {
                        long b = blk;
                        PageserverException e = org.junit.jupiter.api.Assertions.assertThrows(PageserverException.class,
                                () -> timeline.page(rel, b, at));
                        assertEquals(ErrorKind.NOT_FOUND, e.kind());
                    } else {
                        assertArrayEquals(page, timeline.page(rel, blk, at), rel + " block " + blk + " at " + at);
                        // Read again at once: with the page cache on, the page read just now answers.
                        assertArrayEquals(page, timeline.page(rel, blk, at), rel + " block " + blk + " again at " + at);
                    }
                }
            }
            assertEquals(ReferenceModel.dbSize(state, 1663, 16384), timeline.dbSizeBytes(1663, 16384, at));
            assertEquals(ReferenceModel.dbSize(state, 1664, 16390), timeline.dbSizeBytes(1664, 16390, at));
            assertTrue(timeline.dbSizeBytes(1, 1, at) == 0);
        }
    }
}
