package org.pageserver.bootstrap.hostile;

import io.micronaut.context.annotation.Requires;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.pageserver.application.port.out.IngestFile;
import org.pageserver.application.port.out.LayerReader;
import org.pageserver.application.port.out.LayerStore;
import org.pageserver.application.port.out.LayerWriter;
import org.pageserver.domain.id.TenantId;
import org.pageserver.domain.id.TimelineId;
import org.pageserver.domain.layer.LayerDescriptor;
import org.pageserver.domain.layer.LayerName;
import org.pageserver.domain.lsn.Lsn;
import org.pageserver.domain.page.EncodedVersion;
import org.pageserver.domain.page.Key;
import org.pageserver.domain.page.Version;

/**
 * The node's real layer store, with points where a test can pause the engine or make the disk
 * fail. Pauses: an ingest after its batch went to the ingest file and before the file is written
 * and forced, and a read inside a layer file; while paused, the test runs whatever should not
 * disturb it (a deletion), and closing or deleting a file that an operation is still inside is
 * recorded as a violation. Faults: the next write-and-force of an ingest file, write to a layer
 * file that maintenance writes, seal or finish, rename, layer read, or deletion of a layer file
 * fails with an I/O error, as a failing disk would make it fail, and the real file is
 * left as the failure found it.
 *
 * <p>Installed in place of the store by {@link Installer} when {@value #ENABLED} is true.
 */
final class FaultyLayerStore implements LayerStore {
    static final String ENABLED = "pageserver.test.faulty-layer-store";

    /** What can be made to fail. */
    enum Fault { DURABILITY, SEAL, PUBLISH, READ, WRITE, DELETE }

    /** Wraps the layer store bean of a node started with {@value #ENABLED}. */
    @Singleton
    @Requires(property = ENABLED, value = "true")
    static final class Installer implements BeanCreatedEventListener<LayerStore> {
        @Override
        public LayerStore onCreated(BeanCreatedEvent<LayerStore> event) {
            return new FaultyLayerStore(event.getBean());
        }
    }

    /** One operation paused at a hold point: {@link #awaitEntered()} until it is there, then {@link #release()} it. */
    static final class Hold {
        private final CountDownLatch entered = new CountDownLatch(1);
        private final CountDownLatch released = new CountDownLatch(1);

        void awaitEntered() throws InterruptedException {
            if (!entered.await(20, TimeUnit.SECONDS)) {
                throw new AssertionError("no operation reached the hold point within 20 s");
            }
        }

        void release() {
            released.countDown();
        }

        private void pause() {
            entered.countDown();
            try {
                if (!released.await(60, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("a held operation was never released");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    private final LayerStore delegate;
    private final AtomicReference<Hold> nextDurabilityWait = new AtomicReference<>();
    private final AtomicReference<Hold> nextRead = new AtomicReference<>();
    private final Queue<String> violations = new ConcurrentLinkedQueue<>();
    private final Map<Fault, String> faults = new ConcurrentHashMap<>();

    FaultyLayerStore(LayerStore delegate) {
        this.delegate = delegate;
    }

    /** Pauses the next wait for an ingest file's durability, before the file is written. */
    Hold holdNextDurabilityWait() {
        Hold hold = new Hold();
        nextDurabilityWait.set(hold);
        return hold;
    }

    /** Pauses the next point read of a layer file, before it reads. */
    Hold holdNextRead() {
        Hold hold = new Hold();
        nextRead.set(hold);
        return hold;
    }

    /** Makes the next operation of that kind fail with an I/O error with this message. */
    void failNext(Fault fault, String message) {
        faults.put(fault, message);
    }

    private void throwIfArmed(Fault fault) {
        String message = faults.remove(fault);
        if (message != null) {
            throw new UncheckedIOException("injected " + fault + " failure", new IOException(message));
        }
    }

    /** Files closed or deleted while an operation was inside them. */
    List<String> violations() {
        return List.copyOf(violations);
    }

    private static void pauseIfHeld(AtomicReference<Hold> point) {
        Hold hold = point.getAndSet(null);
        if (hold != null) {
            hold.pause();
        }
    }

    @Override
    public IngestFile createIngestFile(TenantId tenantId, TimelineId timelineId, Lsn lsnStart) {
        return new Watched(delegate.createIngestFile(tenantId, timelineId, lsnStart), "ingest file at " + lsnStart);
    }

    @Override
    public void deleteTenant(TenantId tenantId) {
        delegate.deleteTenant(tenantId);
    }

    @Override
    public LayerWriter createDeltaWriter(TenantId tenantId, TimelineId timelineId, Lsn lsnStart) {
        return new FaultyWriter(delegate.createDeltaWriter(tenantId, timelineId, lsnStart));
    }

    @Override
    public LayerWriter createImageWriter(TenantId tenantId, TimelineId timelineId, Lsn lsn) {
        return new FaultyWriter(delegate.createImageWriter(tenantId, timelineId, lsn));
    }

    /** A layer file written whole whose writes, finish or rename can be made to fail. */
    private final class FaultyWriter implements LayerWriter {
        private final LayerWriter writer;

        FaultyWriter(LayerWriter writer) {
            this.writer = writer;
        }

        @Override
        public void add(EncodedVersion version) {
            throwIfArmed(Fault.WRITE);
            writer.add(version);
        }

        @Override
        public long bytesWritten() {
            return writer.bytesWritten();
        }

        @Override
        public long entries() {
            return writer.entries();
        }

        @Override
        public LayerDescriptor finish(LayerName name) {
            throwIfArmed(Fault.SEAL);
            return writer.finish(name);
        }

        @Override
        public void publish() {
            throwIfArmed(Fault.PUBLISH);
            writer.publish();
        }

        @Override
        public void discard() {
            writer.discard();
        }
    }

    @Override
    public List<SealedLeftover> sealLeftovers(TenantId tenantId, TimelineId timelineId) {
        return delegate.sealLeftovers(tenantId, timelineId);
    }

    @Override
    public LayerEnd verifyLayer(TenantId tenantId, TimelineId timelineId, LayerName name) {
        return delegate.verifyLayer(tenantId, timelineId, name);
    }

    @Override
    public LayerReader openLayer(TenantId tenantId, TimelineId timelineId, LayerName name) {
        LayerReader reader = delegate.openLayer(tenantId, timelineId, name);
        AtomicInteger inside = new AtomicInteger();
        return new LayerReader() {
            @Override
            public List<Version> versions(Key key, Lsn maxLsn) {
                inside.incrementAndGet();
                try {
                    pauseIfHeld(nextRead);
                    throwIfArmed(Fault.READ);
                    return reader.versions(key, maxLsn);
                } finally {
                    inside.decrementAndGet();
                }
            }

            @Override
            public void keys(Key from, Key to, Lsn maxLsn, Consumer<Key> sink) {
                reader.keys(from, to, maxLsn, sink);
            }

            @Override
            public Iterator<EncodedVersion> scan() {
                throwIfArmed(Fault.READ);
                return reader.scan();
            }

            @Override
            public void close() {
                if (inside.get() > 0) {
                    violations.add("layer file " + name + " closed under " + inside.get() + " reads");
                }
                reader.close();
            }
        };
    }

    @Override
    public java.nio.file.Path layerFile(TenantId tenantId, TimelineId timelineId, LayerName name) {
        return delegate.layerFile(tenantId, timelineId, name);
    }

    @Override
    public void deleteLayer(TenantId tenantId, TimelineId timelineId, LayerName name) {
        throwIfArmed(Fault.DELETE);
        delegate.deleteLayer(tenantId, timelineId, name);
    }

    @Override
    public void evictLayer(TenantId tenantId, TimelineId timelineId, LayerName name) {
        throwIfArmed(Fault.DELETE);
        delegate.evictLayer(tenantId, timelineId, name);
    }

    @Override
    public void deleteTimeline(TenantId tenantId, TimelineId timelineId) {
        delegate.deleteTimeline(tenantId, timelineId);
    }

    @Override
    public TimelineFiles listFiles(TenantId tenantId, TimelineId timelineId) {
        return delegate.listFiles(tenantId, timelineId);
    }

    /** An ingest file that knows how many threads wait for its durability. */
    private final class Watched implements IngestFile {
        private final IngestFile file;
        private final String name;
        private final AtomicInteger waiting = new AtomicInteger();

        Watched(IngestFile file, String name) {
            this.file = file;
            this.name = name;
        }

        @Override
        public long append(List<EncodedVersion> versions, Lsn lastLsn, Lsn prevLsn, long[] positions) {
            return file.append(versions, lastLsn, prevLsn, positions);
        }

        @Override
        public void awaitDurable(long end) {
            waiting.incrementAndGet();
            try {
                pauseIfHeld(nextDurabilityWait);
                throwIfArmed(Fault.DURABILITY);
                file.awaitDurable(end);
            } finally {
                waiting.decrementAndGet();
            }
        }

        @Override
        public LayerDescriptor seal(LayerName layerName, Lsn prevOfLast, Iterator<Placed> index) {
            throwIfArmed(Fault.SEAL);
            return file.seal(layerName, prevOfLast, index);
        }

        @Override
        public void publish() {
            throwIfArmed(Fault.PUBLISH);
            file.publish();
        }

        @Override
        public void close() {
            file.close();
        }

        @Override
        public void discard() {
            if (waiting.get() > 0) {
                violations.add(name + " discarded under " + waiting.get() + " ingests waiting for it");
            }
            file.discard();
        }
    }
}
