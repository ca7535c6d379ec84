package org.pageserver.application.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.pageserver.application.engine.EngineFixture.REL;
import static org.pageserver.application.engine.EngineFixture.at;
import static org.pageserver.application.engine.EngineFixture.filled;
import static org.pageserver.application.engine.EngineFixture.image;
import static org.pageserver.application.engine.EngineFixture.ingest;
import static org.pageserver.application.engine.EngineFixture.resize;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.pageserver.domain.id.TimelineId;
import org.pageserver.domain.layer.LayerDescriptor;
import org.pageserver.domain.layer.LayerName;
import org.pageserver.domain.lsn.Lsn;
import org.pageserver.domain.page.Key;

/** In-memory layers are freed after their flush while readers may still hold a snapshot with them. */
class ReadDuringFlushTest {
    private final EngineFixture engine = new EngineFixture();

    @AfterEach
    void close() {
        engine.close();
    }

    @Test
    void aReleasedLayerRefusesReads() {
        InMemoryLayer layer = new InMemoryLayer(Lsn.INITDB.plus(1), InMemoryBudget.unlimited(),
                () -> engine.files.createIngestFile(engine.tenant, TimelineId.generate(), Lsn.INITDB.plus(1)));
        layer.put(Key.block(REL, 0), at(1), new org.pageserver.domain.page.Value.PageImage(filled(3)));
        layer.commit(at(1), Lsn.INVALID);
        assertEquals(1, layer.versions(Key.block(REL, 0), at(1)).size());
        layer.release();
        assertThrows(ReadableLayer.Gone.class, () -> layer.versions(Key.block(REL, 0), at(1)));
    }

    /**
     * Readers read every block at its latest and at older LSNs while the writer ingests and
     * checkpoints (flush, then release) over and over: every read must see exactly what was written.
     */
    @Test
    void readersRacingFlushesAlwaysSeeTheWrittenPages() throws Exception {
        TimelineData timeline = engine.root();
        int blocks = 16;
        ingest(timeline, resize(1, REL, blocks));
        AtomicLong round = new AtomicLong();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> readers = new ArrayList<>();
        for (int r = 0; r < 3; r++) {
            Thread reader = new Thread(() -> {
                try {
                    while (!stop.get()) {
                        long done = round.get();
                        if (done == 0) {
                            continue;
                        }
                        // Round n wrote every block, filled with n, at LSNs at(n * 100 + blk + 2).
                        int blk = (int) (done % blocks);
                        Lsn lsn = at(done * 100 + blocks + 1);
                        assertArrayEquals(filled((int) done), timeline.page(REL, blk, lsn), "round " + done);
                    }
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                }
            });
            reader.start();
            readers.add(reader);
        }
        for (long n = 1; n <= 60; n++) {
            for (int blk = 0; blk < blocks; blk++) {
                ingest(timeline, image(n * 100 + blk + 2, REL, blk, (int) n));
            }
            round.set(n);
            timeline.checkpoint();
        }
        stop.set(true);
        for (Thread reader : readers) {
            reader.join();
        }
        if (failure.get() != null) {
            throw new AssertionError(failure.get());
        }
        // One L0 layer per flush; at 30 of them (3 x compaction_threshold) a flush waited for
        // compaction, which merged them into L1 layers while the readers read.
        List<LayerName> names = timeline.layerFiles().stream().map(LayerDescriptor::name).toList();
        assertTrue(names.stream().filter(LayerName::isL0).count() <= 30, names.toString());
        assertTrue(names.stream().anyMatch(n -> !n.image() && !n.isL0()), names.toString());
    }
}
