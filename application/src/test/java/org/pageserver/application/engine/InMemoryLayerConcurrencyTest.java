package org.pageserver.application.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.pageserver.application.engine.EngineFixture.REL;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.pageserver.domain.id.TenantId;
import org.pageserver.domain.id.TimelineId;
import org.pageserver.domain.layer.LayerName;
import org.pageserver.domain.lsn.Lsn;
import org.pageserver.domain.page.Key;
import org.pageserver.domain.page.KeyVersion;
import org.pageserver.domain.page.Page;
import org.pageserver.domain.page.Patch;
import org.pageserver.domain.page.Value;
import org.pageserver.domain.page.Version;

/**
 * One writer appends versions of a few keys (each key's version array grows many times over)
 * while readers read at the LSN the writer last published: every read sees exactly the versions
 * at or below it, newest first, down to the newest image.
 */
class InMemoryLayerConcurrencyTest {
    private static final int KEYS = 4;
    private static final int VERSIONS = 40_000;
    private static final int IMAGE_EVERY = 64;

    private static Key key(long i) {
        return Key.block(REL, i % KEYS);
    }

    /** Version {@code i}: an image every {@value IMAGE_EVERY}, else a delta naming {@code i}. */
    private static Value value(long i) {
        if (i % IMAGE_EVERY == 0) {
            return new Value.PageImage(new byte[Page.SIZE]);
        }
        return new Value.PageDelta(List.of(new Patch(0, java.nio.ByteBuffer.allocate(8).putLong(i).array())));
    }

    @Test
    void readersAtThePublishedLsnSeeExactlyTheVersionsUpToIt() throws Exception {
        MemoryLayerStore files = new MemoryLayerStore();
        TenantId tenant = TenantId.generate();
        TimelineId timeline = TimelineId.generate();
        InMemoryLayer layer = new InMemoryLayer(Lsn.of(1), InMemoryBudget.unlimited(),
                () -> files.createIngestFile(tenant, timeline, Lsn.of(1)));
        AtomicReference<Long> published = new AtomicReference<>(0L);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> readers = new ArrayList<>();
        for (int r = 0; r < 2; r++) {
            Thread reader = new Thread(() -> {
                try {
                    while (published.get() < VERSIONS) {
                        long at = published.get();
                        if (at == 0) {
                            continue;
                        }
                        check(layer.versions(key(at), Lsn.of(at)), at);
                    }
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                }
            });
            reader.start();
            readers.add(reader);
        }
        for (long i = 1; i <= VERSIONS; i++) {
            layer.put(key(i), Lsn.of(i), value(i));
            layer.commit(Lsn.of(i), Lsn.of(i - 1));
            published.set(i);
        }
        for (Thread reader : readers) {
            reader.join();
        }
        assertNull(failure.get());

        // The flush's view: every version once, by key then LSN.
        layer.freeze(Lsn.of(VERSIONS + 1), Lsn.of(VERSIONS - 1));
        layer.seal(new LayerName(Key.MIN, Key.MAX, Lsn.of(1), Lsn.of(VERSIONS + 1)));
        layer.publish();
        Iterator<KeyVersion> all = files.files.values().iterator().next().iterator();
        for (int k = 0; k < KEYS; k++) {
            for (long i = k == 0 ? KEYS : k; i <= VERSIONS; i += KEYS) {
                KeyVersion v = all.next();
                assertEquals(key(i), v.key());
                assertEquals(Lsn.of(i), v.lsn());
            }
        }
        assertEquals(false, all.hasNext());
    }

    /** The versions of key(at) at or below {@code at}, newest first, down to the newest image. */
    private static void check(List<Version> versions, long at) {
        long expected = at;
        for (Version v : versions) {
            assertEquals(Lsn.of(expected), v.lsn(), "read at " + at);
            if (expected % IMAGE_EVERY != 0) {
                long named = java.nio.ByteBuffer.wrap(((Value.PageDelta) v.value()).patches().get(0).bytes()).getLong();
                assertEquals(expected, named, "read at " + at);
            }
            expected -= KEYS;
        }
        Version oldest = versions.get(versions.size() - 1);
        boolean reachedImage = oldest.value().willInit();
        assertEquals(!reachedImage, oldest.lsn().value() <= KEYS, "read at " + at + " stops at an image or at the first version");
    }
}
