package org.pageserver.application.engine;

import java.io.UncheckedIOException;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
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
import org.pageserver.domain.page.KeyVersion;
import org.pageserver.domain.page.Version;

/**
 * Layer and ingest files kept in memory, for engine tests: the same contract as the file store, no
 * disk. Ingest files outlive the engines that wrote them, so a test restarts by loading new ones.
 */
public final class MemoryLayerStore implements LayerStore {
    final Map<String, List<KeyVersion>> files = new ConcurrentHashMap<>();
    /** What each published file's footer would say of the record before its last one. */
    private final Map<String, Lsn> prevOfLast = new ConcurrentHashMap<>();
    final Set<MemoryIngestFile> ingestFiles = ConcurrentHashMap.newKeySet();
    /** Layer files being written whole, not yet published. */
    final Set<MemoryLayerWriter> layerWriters = ConcurrentHashMap.newKeySet();
    private final AtomicInteger appendedBatches = new AtomicInteger();
    private final Map<TenantId, RuntimeException> leftoverFailures = new ConcurrentHashMap<>();
    private final AtomicReference<CountDownLatch> nextDurability = new AtomicReference<>();
    private final AtomicReference<Hold> nextRead = new AtomicReference<>();
    private final AtomicReference<Hold> nextListing = new AtomicReference<>();
    private final Map<Fault, Armed> faults = new ConcurrentHashMap<>();

    private record Armed(String message, AtomicInteger passes) {
    }

    /** Where the next operation of a kind fails as a failing disk would make it fail. */
    public enum Fault { DURABILITY, SEAL, PUBLISH, READ, CREATE, WRITE }

    /** Makes the next operation of that kind throw an I/O error with this message. */
    public void failNext(Fault fault, String message) {
        failNextAfter(fault, 0, message);
    }

    /** Lets {@code passes} operations of that kind through, then makes the next one throw. */
    public void failNextAfter(Fault fault, int passes, String message) {
        faults.put(fault, new Armed(message, new AtomicInteger(passes)));
    }

    private void throwIfArmed(Fault fault) {
        Armed armed = faults.get(fault);
        if (armed != null && armed.passes().getAndDecrement() <= 0 && faults.remove(fault, armed)) {
            throw new UncheckedIOException(fault + " failed", new java.io.IOException(armed.message()));
        }
    }

    private static String path(TenantId t, TimelineId tl, LayerName name) {
        return t + "/" + tl + "/" + name.fileName();
    }

    /** Versions put in memory as a layer file; the list is in key then LSN order. */
    void putLayer(TenantId t, TimelineId tl, LayerName name, List<KeyVersion> sorted) {
        files.put(path(t, tl, name), Collections.unmodifiableList(new ArrayList<>(sorted)));
    }

    private static long sizeOf(List<KeyVersion> versions) {
        return versions.stream().mapToLong(v -> Key.ENCODED_SIZE + 8 + v.value().encodedSize()).sum();
    }

    /** How many batches were appended to ingest files so far. */
    public int appendedBatches() {
        return appendedBatches.get();
    }

    /**
     * An ingest file in memory: every append is "durable" at once and survives a restart of the
     * engines over this store (until sealed and published, or discarded).
     */
    /** A batch as the caller lent it, and as it was when appended. */
    private record Lent(List<EncodedVersion> list, List<EncodedVersion> asAppended) {
    }

    final class MemoryIngestFile implements IngestFile {
        private final TenantId tenant;
        private final TimelineId timeline;
        private final Lsn lsnStart;
        // Decoded at once: the encoded values are only lent until the batch is durable.
        private final List<KeyVersion> appended = new ArrayList<>();
        private Lsn lastLsn;
        private Lsn prevLsn;
        private List<KeyVersion> sealed;
        private LayerName sealedName;
        private Lsn sealedPrevOfLast;
        // Counted down at once unless the test holds this file's writes back.
        private final CountDownLatch durable;
        // How many of the appended versions are written (durable), and whether the file is gone.
        private long written;
        private boolean discarded;

        private final List<Lent> lent = new ArrayList<>();

        MemoryIngestFile(TenantId tenant, TimelineId timeline, Lsn lsnStart, CountDownLatch durable) {
            this.tenant = tenant;
            this.timeline = timeline;
            this.lsnStart = lsnStart;
            this.durable = durable;
        }

        @Override
        public synchronized long append(List<EncodedVersion> versions, Lsn last, Lsn prev, long[] positions) {
            if (sealed != null) {
                throw new IllegalStateException("append to a sealed ingest file");
            }
            // The file store reads the values until the batch is durable: the fake checks the
            // caller leaves the batch alone until then.
            lent.add(new Lent(versions, List.copyOf(versions)));
            for (int i = 0; i < versions.size(); i++) {
                EncodedVersion v = versions.get(i);
                positions[i] = appended.size();
                appended.add(new KeyVersion(v.key(), v.lsn(), v.decode()));
            }
            lastLsn = last;
            prevLsn = prev;
            if (durable.getCount() == 0) {
                written = appended.size();
            }
            appendedBatches.incrementAndGet();
            return appended.size();
        }

        @Override
        public void awaitDurable(long end) {
            try {
                durable.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted waiting for a held ingest file", e);
            }
            throwIfArmed(Fault.DURABILITY);
            synchronized (this) {
                for (Lent batch : lent) {
                    if (batch.list().size() != batch.asAppended().size()
                            || java.util.stream.IntStream.range(0, batch.list().size()).anyMatch(i -> batch.list().get(i) != batch.asAppended().get(i))) {
                        throw new IllegalStateException("a batch changed after it was appended and before it was durable");
                    }
                }
                lent.clear();
                // As the file store: batches not yet written are written by a wait, and a file
                // discarded before that has nothing left to write them with.
                if (written < Math.min(end, appended.size())) {
                    if (discarded) {
                        throw new IllegalStateException("ingest file discarded before this wait wrote its batches");
                    }
                    written = appended.size();
                }
            }
        }

        @Override
        public synchronized LayerDescriptor seal(LayerName name, Lsn prevOfLast, Iterator<Placed> index) {
            throwIfArmed(Fault.SEAL);
            List<KeyVersion> sorted = new ArrayList<>();
            Placed previous = null;
            while (index.hasNext()) {
                Placed p = index.next();
                KeyVersion v = appended.get((int) p.position());
                if (!v.key().equals(p.key()) || !v.lsn().equals(p.lsn())) {
                    throw new IllegalArgumentException("position " + p.position() + " holds " + v.key() + "@" + v.lsn()
                            + ", not " + p.key() + "@" + p.lsn());
                }
                if (previous != null && (previous.key().compareTo(p.key()) > 0
                        || previous.key().equals(p.key()) && previous.lsn().compareTo(p.lsn()) >= 0)) {
                    throw new IllegalArgumentException("index out of order: " + previous + " then " + p);
                }
                previous = p;
                sorted.add(v);
            }
            if (sorted.size() != appended.size()) {
                throw new IllegalArgumentException("index of " + sorted.size() + " versions for " + appended.size());
            }
            sealed = sorted;
            sealedName = name;
            sealedPrevOfLast = prevOfLast;
            return new LayerDescriptor(name, sizeOf(sorted));
        }

        @Override
        public synchronized void publish() {
            throwIfArmed(Fault.PUBLISH);
            putLayer(tenant, timeline, sealedName, sealed);
            prevOfLast.put(path(tenant, timeline, sealedName), sealedPrevOfLast);
            ingestFiles.remove(this);
        }

        @Override
        public synchronized void close() {
            discarded = true;
        }

        @Override
        public synchronized void discard() {
            discarded = true;
            ingestFiles.remove(this);
        }

        /** What a start-up finds in it: its versions sealed, in key then LSN order. */
        synchronized SealedLeftover sealAsLeftover() {
            List<KeyVersion> sorted = new ArrayList<>(appended);
            sorted.sort(Comparator.comparing(KeyVersion::key));
            sealed = sorted;
            // Named as the flush names it: a level 0 layer of its LSN range.
            sealedName = LayerName.l0(lsnStart, lastLsn.plus(1));
            sealedPrevOfLast = prevLsn;
            LayerDescriptor layer = new LayerDescriptor(sealedName, sizeOf(sorted));
            return new SealedLeftover(layer, lastLsn, prevLsn, this);
        }
    }

    /**
     * Makes the next ingest file created slow: waiting for its batches to be durable blocks until
     * the latch returned is counted down, as a slow disk would.
     */
    public CountDownLatch holdNextIngestFile() {
        CountDownLatch held = new CountDownLatch(1);
        nextDurability.set(held);
        return held;
    }

    @Override
    public IngestFile createIngestFile(TenantId t, TimelineId tl, Lsn lsnStart) {
        CountDownLatch held = nextDurability.getAndSet(null);
        MemoryIngestFile file = new MemoryIngestFile(t, tl, lsnStart, held != null ? held : new CountDownLatch(0));
        ingestFiles.add(file);
        return file;
    }

    @Override
    public LayerWriter createDeltaWriter(TenantId t, TimelineId tl, Lsn lsnStart) {
        return newWriter(t, tl, lsnStart, false);
    }

    @Override
    public LayerWriter createImageWriter(TenantId t, TimelineId tl, Lsn lsn) {
        return newWriter(t, tl, lsn, true);
    }

    private LayerWriter newWriter(TenantId t, TimelineId tl, Lsn lsnStart, boolean image) {
        throwIfArmed(Fault.CREATE);
        MemoryLayerWriter writer = new MemoryLayerWriter(t, tl, lsnStart, image);
        layerWriters.add(writer);
        return writer;
    }

    /** A layer file written whole, in memory: a start discards it unless it was published. */
    final class MemoryLayerWriter implements LayerWriter {
        private final TenantId tenant;
        private final TimelineId timeline;
        private final Lsn lsnStart;
        private final boolean image;
        private final List<KeyVersion> added = new ArrayList<>();
        private long bytes;
        private LayerName finished;

        MemoryLayerWriter(TenantId tenant, TimelineId timeline, Lsn lsnStart, boolean image) {
            this.tenant = tenant;
            this.timeline = timeline;
            this.lsnStart = lsnStart;
            this.image = image;
        }

        @Override
        public void add(EncodedVersion version) {
            throwIfArmed(Fault.WRITE);
            if (finished != null) {
                throw new IllegalStateException("add to a finished layer file");
            }
            KeyVersion previous = added.isEmpty() ? null : added.get(added.size() - 1);
            if (previous != null && KeyVersion.ORDER.compare(previous, new KeyVersion(version.key(), version.lsn(), null)) >= 0
                    || version.lsn().isBefore(lsnStart) || image && !version.lsn().equals(lsnStart)) {
                throw new IllegalArgumentException("version " + version.key() + "@" + version.lsn() + " out of order");
            }
            added.add(new KeyVersion(version.key(), version.lsn(), version.decode()));
            bytes += Key.ENCODED_SIZE + 8 + version.value().remaining();
        }

        @Override
        public long bytesWritten() {
            return bytes;
        }

        @Override
        public long entries() {
            return added.size();
        }

        @Override
        public LayerDescriptor finish(LayerName name) {
            throwIfArmed(Fault.SEAL);
            if (added.isEmpty() || name.image() != image || !name.lsnStart().equals(lsnStart)
                    || added.stream().anyMatch(v -> !name.containsKey(v.key()) || !name.containsLsn(v.lsn()))) {
                throw new IllegalArgumentException("layer " + name + " does not hold what was written");
            }
            finished = name;
            return new LayerDescriptor(name, sizeOf(added));
        }

        @Override
        public void publish() {
            throwIfArmed(Fault.PUBLISH);
            putLayer(tenant, timeline, finished, added);
            prevOfLast.put(path(tenant, timeline, finished), Lsn.INVALID);
            layerWriters.remove(this);
        }

        @Override
        public void discard() {
            layerWriters.remove(this);
        }
    }

    /** Makes the next start-ups fail to read the ingest files of timelines of {@code tenant}, as damaged files would. */
    public void failLeftovers(TenantId tenant, RuntimeException failure) {
        leftoverFailures.put(tenant, failure);
    }

    @Override
    public List<SealedLeftover> sealLeftovers(TenantId t, TimelineId tl) {
        RuntimeException failure = leftoverFailures.get(t);
        if (failure != null) {
            throw failure;
        }
        layerWriters.removeIf(w -> w.tenant.equals(t) && w.timeline.equals(tl));
        List<SealedLeftover> sealed = new ArrayList<>();
        for (MemoryIngestFile file : ingestFiles.stream().filter(f -> f.tenant.equals(t) && f.timeline.equals(tl))
                .sorted(Comparator.comparing(f -> f.lsnStart)).toList()) {
            if (file.lastLsn == null) {
                file.discard();
            } else {
                sealed.add(file.sealAsLeftover());
            }
        }
        return sealed;
    }

    /**
     * Makes the next point read of a layer file stop inside the file until the test lets it go, as
     * a slow disk would; once the reader is closed its reads fail, as a closed file's do.
     */
    public Hold holdNextRead() {
        Hold hold = new Hold();
        nextRead.set(hold);
        return hold;
    }

    /** A read held inside a layer file: {@link #awaitEntered()} until it is there, then {@link #release()} it. */
    public static final class Hold {
        private final CountDownLatch entered = new CountDownLatch(1);
        private final CountDownLatch released = new CountDownLatch(1);

        public void awaitEntered() throws InterruptedException {
            if (!entered.await(10, TimeUnit.SECONDS)) {
                throw new AssertionError("no read reached a layer file within 10 s");
            }
        }

        public void release() {
            released.countDown();
        }

        void hold() {
            entered.countDown();
            try {
                released.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted in a held read", e);
            }
        }
    }

    @Override
    public LayerEnd verifyLayer(TenantId t, TimelineId tl, LayerName name) {
        List<KeyVersion> versions = files.get(path(t, tl, name));
        Lsn prev = prevOfLast.get(path(t, tl, name));
        if (versions == null || prev == null) {
            throw new UncheckedIOException("no layer file " + name, new java.nio.file.NoSuchFileException(name.fileName()));
        }
        return new LayerEnd(new LayerDescriptor(name, sizeOf(versions)), Lsn.of(name.lsnEnd().value() - 1), prev);
    }

    /**
     * Whether the layers' bytes are to be taken as not in memory: a read that must not wait is
     * refused them, as a file's reader refuses pages the kernel does not hold.
     */
    public volatile boolean notInMemory;

    @Override
    public LayerReader openLayer(TenantId t, TimelineId tl, LayerName name) {
        List<KeyVersion> versions = files.get(path(t, tl, name));
        if (versions == null) {
            throw new IllegalStateException("no layer " + name);
        }
        return new LayerReader() {
            private volatile boolean closed;

            @Override
            public List<Version> versionsIfInMemory(Key key, Lsn maxLsn) {
                return notInMemory ? null : versions(key, maxLsn);
            }

            @Override
            public List<Version> versions(Key key, Lsn maxLsn) {
                Hold hold = nextRead.getAndSet(null);
                if (hold != null) {
                    hold.hold();
                }
                if (closed) {
                    throw new UncheckedIOException("reading layer " + name, new ClosedChannelException());
                }
                throwIfArmed(Fault.READ);
                List<Version> out = new ArrayList<>();
                for (int i = versions.size() - 1; i >= 0; i--) {
                    KeyVersion v = versions.get(i);
                    if (v.key().equals(key) && v.lsn().compareTo(maxLsn) <= 0) {
                        out.add(new Version(v.lsn(), v.value()));
                        if (v.value().willInit()) {
                            break;
                        }
                    }
                }
                return out;
            }

            @Override
            public void keys(Key from, Key to, Lsn maxLsn, Consumer<Key> sink) {
                if (closed) {
                    throw new UncheckedIOException("scanning layer " + name, new ClosedChannelException());
                }
                TreeSet<Key> keys = new TreeSet<>();
                for (KeyVersion v : versions) {
                    if (v.key().compareTo(from) >= 0 && v.key().compareTo(to) < 0 && v.lsn().compareTo(maxLsn) <= 0) {
                        keys.add(v.key());
                    }
                }
                keys.forEach(sink);
            }

            @Override
            public Iterator<EncodedVersion> scan() {
                if (closed) {
                    throw new UncheckedIOException("scanning layer " + name, new ClosedChannelException());
                }
                throwIfArmed(Fault.READ);
                return versions.stream().map(EncodedVersion::of).iterator();
            }

            @Override
            public void close() {
                closed = true;
            }
        };
    }

    /** Layer files written out for remote storage to upload: each as many bytes as its descriptor's size. */
    private final java.nio.file.Path uploadDir = createUploadDir();

    private static java.nio.file.Path createUploadDir() {
        try {
            java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("memory-layers");
            dir.toFile().deleteOnExit();
            return dir;
        } catch (java.io.IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public java.nio.file.Path layerFile(TenantId t, TimelineId tl, LayerName name) {
        List<KeyVersion> versions = files.get(path(t, tl, name));
        java.nio.file.Path file = uploadDir.resolve(t + "-" + tl + "-" + name.fileName());
        if (versions != null && !java.nio.file.Files.exists(file)) {
            byte[] bytes = new byte[(int) sizeOf(versions)];
            java.util.Arrays.fill(bytes, (byte) name.hashCode());
            try {
                java.nio.file.Files.write(file, bytes);
            } catch (java.io.IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return file;
    }

    @Override
    public void deleteLayer(TenantId t, TimelineId tl, LayerName name) {
        try {
            java.nio.file.Files.deleteIfExists(uploadDir.resolve(t + "-" + tl + "-" + name.fileName()));
        } catch (java.io.IOException e) {
            throw new UncheckedIOException(e);
        }
        files.remove(path(t, tl, name));
        prevOfLast.remove(path(t, tl, name));
    }

    @Override
    public void deleteTimeline(TenantId t, TimelineId tl) {
        files.keySet().removeIf(p -> p.startsWith(t + "/" + tl + "/"));
        prevOfLast.keySet().removeIf(p -> p.startsWith(t + "/" + tl + "/"));
        ingestFiles.removeIf(f -> f.tenant.equals(t) && f.timeline.equals(tl));
    }

    /** Makes the next listing of a timeline's files stop until the test lets it go: a slow start of one timeline. */
    public Hold holdNextListing() {
        Hold hold = new Hold();
        nextListing.set(hold);
        return hold;
    }

    @Override
    public void deleteTenant(TenantId t) {
        files.keySet().removeIf(p -> p.startsWith(t + "/"));
    }

    @Override
    public TimelineFiles listFiles(TenantId t, TimelineId tl) {
        Hold hold = nextListing.getAndSet(null);
        if (hold != null) {
            hold.hold();
        }
        Set<LayerName> names = new TreeSet<>();
        String prefix = t + "/" + tl + "/";
        files.keySet().stream().filter(p -> p.startsWith(prefix))
                .forEach(p -> names.add(LayerName.parse(p.substring(prefix.length()))));
        // A tenant made to fail its leftovers has a file there that cannot be read.
        boolean leftovers = leftoverFailures.containsKey(t)
                || ingestFiles.stream().anyMatch(f -> f.tenant.equals(t) && f.timeline.equals(tl))
                || layerWriters.stream().anyMatch(w -> w.tenant.equals(t) && w.timeline.equals(tl));
        return new TimelineFiles(names, leftovers);
    }
}
