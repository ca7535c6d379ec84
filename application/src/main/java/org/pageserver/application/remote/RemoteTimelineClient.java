package org.pageserver.application.remote;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.pageserver.application.engine.TimelineData;
import org.pageserver.application.port.out.Metrics;
import org.pageserver.application.port.out.Metrics.RemoteOperation;
import org.pageserver.application.port.out.RemoteStorage;
import org.pageserver.domain.error.Failures;
import org.pageserver.domain.id.Generation;
import org.pageserver.domain.id.TenantId;
import org.pageserver.domain.id.TimelineId;
import org.pageserver.domain.layer.LayerDescriptor;
import org.pageserver.domain.layer.LayerName;
import org.pageserver.domain.lsn.Lsn;
import org.pageserver.domain.remote.IndexPart;
import org.pageserver.domain.remote.IndexPartJson;
import org.pageserver.domain.remote.RemotePath;
import org.pageserver.domain.timeline.TimelineMetadata;

/**
 * Keeps a timeline's objects in remote storage in step with its layer files (Neon's
 * RemoteTimelineClient and its upload queue). It works from state, not from a log of operations:
 * each round takes the layers and metadata the last flush or layer swap stored
 * ({@link TimelineData#storedLayers()}), uploads the layers the bucket lacks (in parallel), then
 * the index naming them, then deletes the objects the new index no longer names. So an index is
 * uploaded only once every layer it names is there, an object goes only once an uploaded index no
 * longer names it, and nothing needs to be remembered across a stop: at start the newest index of
 * this generation or older says what the bucket has, and the first round uploads the rest.
 *
 * <p>A round that fails (the server down, a timeout, a layer file removed by compaction under the
 * upload) is tried again after a backoff with jitter (100 ms doubling to 30 s), until it succeeds or
 * the client stops; ingest and reads never wait for it. Every object carries this node's
 * generation. Before deleting anything the client looks for an index of a newer generation: if
 * there is one, another node holds the tenant now, and this one deletes nothing from then on (its
 * objects may be the other node's), though it still uploads under its own keys, which no newer
 * node reads.
 */
public final class RemoteTimelineClient {
    private static final Logger LOG = System.getLogger(RemoteTimelineClient.class.getName());
    private static final long FIRST_BACKOFF_MILLIS = 100;
    private static final long MAX_BACKOFF_MILLIS = 30_000;

    private final RemoteSync node;
    private final TimelineData timeline;
    private final TenantId tenantId;
    private final TimelineId timelineId;
    private final Generation generation;

    private final Object lock = new Object();
    /** A round is running or scheduled; another is wanted after it. */
    private boolean running;
    /** Rounds executing now (not only scheduled; one may hand over to the next): a stop waits for them. */
    private int executing;
    private boolean wanted;
    private boolean stopped;
    private int failures;
    /** Whether the bucket's state was found at start (the first round does that). */
    private boolean started;
    /** The layer objects the bucket has, as far as this client knows: by name, size and generation. */
    private final Map<LayerName, IndexPart.RemoteLayer> uploaded = new ConcurrentHashMap<>();
    /** The last index uploaded, or found at start. */
    private volatile IndexPart lastIndex;
    /** An index of a newer generation exists: another node holds the tenant. */
    private volatile boolean stale;

    RemoteTimelineClient(RemoteSync node, TimelineData timeline, Generation generation) {
        this.node = node;
        this.timeline = timeline;
        TimelineMetadata m = timeline.metadata();
        this.tenantId = m.tenantId();
        this.timelineId = m.timelineId();
        this.generation = generation;
        timeline.onLayersChanged(this::wake);
    }

    /** Asks for a round: the layers changed, or the client starts. Returns at once. */
    public void wake() {
        synchronized (lock) {
            if (stopped) {
                return;
            }
            if (running) {
                wanted = true;
                return;
            }
            running = true;
        }
        node.runner().execute(this::round);
    }

    /**
     * No round starts from now on, and one executing ends at its next step, which this waits for
     * (each call to remote storage is bounded by its timeout): after it, the client writes nothing
     * more. Nothing is lost: the next start catches up.
     */
    public void stop() {
        synchronized (lock) {
            stopped = true;
            while (executing > 0) {
                try {
                    lock.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** The last uploaded index's disk_consistent_lsn, or {@link Lsn#INVALID}. */
    public Lsn remoteConsistentLsn() {
        IndexPart index = lastIndex;
        return index == null ? Lsn.INVALID : index.diskConsistentLsn();
    }

    /**
     * Waits until the last uploaded index is the timeline as it is now: its layers and its
     * disk_consistent_lsn (what a detach needs, with ingest closed: compaction's layers too, not
     * only the LSN). Asks for a round first.
     *
     * @return false if that did not happen by {@code deadlineNanos} (a {@link System#nanoTime()}),
     *         or the client stopped
     */
    public boolean awaitSynced(long deadlineNanos) throws InterruptedException {
        wake();
        while (!inSync()) {
            // The timeline's state is read outside the lock: a flush holds the timeline's locks
            // when it wakes this client, which takes the lock.
            synchronized (lock) {
                long left = deadlineNanos - System.nanoTime();
                if (stopped || left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(lock, Math.min(left, TimeUnit.MILLISECONDS.toNanos(100)));
            }
        }
        return true;
    }

    private boolean inSync() {
        IndexPart last = lastIndex;
        if (last == null) {
            return false;
        }
        TimelineData.StoredLayers state = timeline.storedLayers();
        return last.diskConsistentLsn().equals(state.metadata().diskConsistentLsn())
                && last.layers().keySet().equals(state.layers().stream().map(LayerDescriptor::name)
                        .collect(java.util.stream.Collectors.toSet()));
    }

    /**
     * Whether the last uploaded index names the layer: only then may its local file go (evicted),
     * since a start after a crash takes what the index names as uploaded and uploads the rest from
     * local disk.
     */
    public boolean isUploaded(LayerName name) {
        IndexPart index = lastIndex;
        return index != null && index.layers().containsKey(name);
    }

    /** Whether an index of a newer generation was found: this node no longer deletes anything here. */
    public boolean isStale() {
        return stale;
    }

    private void round() {
        synchronized (lock) {
            // A round scheduled after a backoff may come due after the stop.
            if (stopped) {
                running = false;
                return;
            }
            executing++;
        }
        try {
            roundBody();
        } finally {
            synchronized (lock) {
                executing--;
                lock.notifyAll();
            }
        }
    }

    private void roundBody() {
        try {
            if (!started) {
                findRemoteState();
                started = true;
            }
            sync();
            synchronized (lock) {
                failures = 0;
                if (wanted && !stopped) {
                    wanted = false;
                    node.runner().execute(this::round);
                } else {
                    running = false;
                }
            }
        } catch (RuntimeException e) {
            long delay;
            synchronized (lock) {
                failures++;
                if (stopped) {
                    running = false;
                    return;
                }
                wanted = false;
                long cap = Math.min(MAX_BACKOFF_MILLIS, FIRST_BACKOFF_MILLIS << Math.min(failures - 1, 20));
                delay = cap / 2 + ThreadLocalRandom.current().nextLong(cap / 2 + 1);
            }
            LOG.log(failures > 3 ? Level.WARNING : Level.INFO, "timeline {0}/{1}: remote storage is behind (attempt {2},"
                    + " again in {3} ms): {4}", tenantId, timelineId, failures, delay, Failures.describe(e));
            node.runner().schedule(this::round, delay, TimeUnit.MILLISECONDS);
        }
    }

    private boolean isStopped() {
        synchronized (lock) {
            return stopped;
        }
    }

    /**
     * Reads the newest index of this generation or older. A newer one means another node holds
     * the tenant; a damaged one is logged and passed over (this node uploads everything again
     * under its own generation, and its next index replaces it if it was its own).
     */
    private void findRemoteState() {
        RemotePath found = lookAtIndexes();
        if (found == null) {
            return;
        }
        byte[] bytes = call(RemoteOperation.DOWNLOAD, "index", () -> node.storage().download(found));
        try {
            IndexPart index = IndexPartJson.read(bytes);
            uploaded.putAll(index.layers());
            timeline.remoteConsistent(index.diskConsistentLsn(), index.remoteSize());
            // An index of an older generation (this node attached the tenant) is not taken as
            // this node's own: the first round uploads one under its generation at once, which
            // tells the older node, before it deletes anything, that it is no longer the holder.
            if (found.indexGeneration().equals(generation)) {
                lastIndex = index;
            }
        } catch (IllegalArgumentException e) {
            LOG.log(Level.ERROR, "timeline {0}/{1}: remote index {2} is damaged ({3}); uploading everything again",
                    tenantId, timelineId, found, e.getMessage());
        }
    }

    /**
     * Lists the timeline's indexes: marks this client stale if one is of a newer generation, and
     * returns the newest of its own generation or an older one (null if none).
     */
    private RemotePath lookAtIndexes() {
        RemotePath newest = null;
        for (RemoteStorage.RemoteObject object : call(RemoteOperation.LIST, "index",
                () -> node.storage().list(RemotePath.timeline(tenantId, timelineId)))) {
            Generation g = object.path().indexGeneration();
            if (g == null) {
                continue;
            }
            if (g.compareTo(generation) > 0) {
                markStale(object.path());
            } else if (newest == null || g.compareTo(newest.indexGeneration()) > 0) {
                newest = object.path();
            }
        }
        return newest;
    }

    private void markStale(RemotePath newer) {
        if (!stale) {
            stale = true;
            LOG.log(Level.WARNING, "timeline {0}/{1}: {2} is of a newer generation than this node''s {3}: another node holds"
                    + " the tenant; this node deletes nothing from remote storage from now on", tenantId, timelineId, newer,
                    generation);
        }
    }

    private void sync() {
        TimelineData.StoredLayers state = timeline.storedLayers();
        Map<LayerName, IndexPart.RemoteLayer> named = new TreeMap<>();
        List<LayerDescriptor> missing = new ArrayList<>();
        for (LayerDescriptor layer : state.layers()) {
            IndexPart.RemoteLayer there = uploaded.get(layer.name());
            if (there != null) {
                named.put(layer.name(), there);
            } else {
                missing.add(layer);
            }
        }
        uploadLayers(missing);
        for (LayerDescriptor layer : missing) {
            named.put(layer.name(), uploaded.get(layer.name()));
        }
        IndexPart index = new IndexPart(named, state.metadata());
        IndexPart last = lastIndex;
        if (last == null || !last.equals(index)) {
            if (isStopped()) {
                return;
            }
            byte[] bytes = IndexPartJson.write(index);
            call(RemoteOperation.UPLOAD, "index", () -> {
                node.storage().upload(bytes, RemotePath.indexPart(tenantId, timelineId, generation));
                return null;
            });
            lastIndex = index;
            timeline.remoteConsistent(index.diskConsistentLsn(), index.remoteSize());
            synchronized (lock) {
                lock.notifyAll();
            }
        }
        deleteUnnamed(index);
    }

    /** Uploads the layers in parallel (bounded by the node's upload pool); all or an exception. */
    private void uploadLayers(List<LayerDescriptor> layers) {
        if (layers.isEmpty()) {
            return;
        }
        List<CompletableFuture<Void>> pending = new ArrayList<>();
        for (LayerDescriptor layer : layers) {
            pending.add(CompletableFuture.runAsync(() -> {
                if (isStopped()) {
                    throw new IllegalStateException("stopped");
                }
                Path file = node.layerStore().layerFile(tenantId, timelineId, layer.name());
                call(RemoteOperation.UPLOAD, "layer", () -> {
                    node.storage().upload(file, RemotePath.layer(tenantId, timelineId, layer.name(), generation));
                    return null;
                });
                uploaded.put(layer.name(), new IndexPart.RemoteLayer(layer.fileSize(), generation));
            }, node.uploads()));
        }
        try {
            CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    /**
     * Deletes the layer objects that {@code index}, now uploaded, no longer names, unless a newer
     * generation's index exists (then they may be the newer node's, and stay).
     */
    private void deleteUnnamed(IndexPart index) {
        List<LayerName> unnamed = uploaded.keySet().stream().filter(name -> !index.layers().containsKey(name)).toList();
        if (unnamed.isEmpty() || stale) {
            return;
        }
        lookAtIndexes();
        if (stale) {
            return;
        }
        List<RemotePath> paths = unnamed.stream()
                .map(name -> RemotePath.layer(tenantId, timelineId, name, uploaded.get(name).generation())).toList();
        call(RemoteOperation.DELETE, "layer", () -> {
            node.storage().delete(paths);
            return null;
        });
        unnamed.forEach(uploaded::remove);
        LOG.log(Level.DEBUG, "timeline {0}/{1}: deleted {2} remote layer objects no index names", tenantId, timelineId,
                paths.size());
    }

    /**
     * Downloads a layer recorded here but missing on local disk (see {@link
     * org.pageserver.application.engine.LayerDownloader}): from the object of the generation the
     * bucket has it under (the newest not above this node's), checked against its recorded size
     * and, whole, against its name, then in place for reads. A failure leaves no file and answers
     * 503: the read fails, the next one tries again.
     */
    public void download(LayerDescriptor layer) {
        try {
            node.downloads().acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw org.pageserver.domain.error.PageserverException.unavailable("layer " + layer.name() + " of timeline "
                    + tenantId + "/" + timelineId + " is not on local disk, and the wait to download it was interrupted");
        }
        try {
            downloadNow(layer);
        } finally {
            node.downloads().release();
        }
        timeline.meters().downloadedOnDemand(layer.fileSize());
    }

    private void downloadNow(LayerDescriptor layer) {
        long started = System.nanoTime();
        Path file = node.layerStore().layerFile(tenantId, timelineId, layer.name());
        try {
            RemotePath object = layerObject(layer.name());
            java.nio.file.Files.createDirectories(file.getParent());
            call(RemoteOperation.DOWNLOAD, "layer", () -> {
                node.storage().download(object, file);
                return null;
            });
            long size = java.nio.file.Files.size(file);
            if (size != layer.fileSize()) {
                throw new IllegalStateException("remote object " + object + " has " + size + " bytes, the layer "
                        + layer.fileSize());
            }
            node.layerStore().verifyLayer(tenantId, timelineId, layer.name());
        } catch (java.io.IOException | RuntimeException e) {
            try {
                java.nio.file.Files.deleteIfExists(file);
            } catch (java.io.IOException ignored) {
                // A file that cannot be deleted now is replaced by the next download.
            }
            throw org.pageserver.domain.error.PageserverException.unavailable("layer " + layer.name() + " of timeline "
                    + tenantId + "/" + timelineId + " is not on local disk and could not be downloaded: " + Failures.describe(e));
        }
        LOG.log(Level.INFO, "timeline {0}/{1}: downloaded layer {2} ({3} bytes) in {4} ms", tenantId, timelineId, layer.name(),
                layer.fileSize(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
    }

    /** The object of a layer: as this client knows it, else the newest generation not above its own the bucket has. */
    private RemotePath layerObject(LayerName name) {
        IndexPart.RemoteLayer known = uploaded.get(name);
        if (known != null) {
            return RemotePath.layer(tenantId, timelineId, name, known.generation());
        }
        RemotePath best = null;
        Generation bestGeneration = null;
        String prefix = name.fileName() + "-";
        for (RemoteStorage.RemoteObject object : call(RemoteOperation.LIST, "layer",
                () -> node.storage().list(RemotePath.timeline(tenantId, timelineId)))) {
            String objectName = object.path().name();
            if (!objectName.startsWith(prefix) || objectName.length() != prefix.length() + 8) {
                continue;
            }
            Generation g;
            try {
                g = new Generation(Long.parseLong(objectName.substring(prefix.length()), 16));
            } catch (NumberFormatException e) {
                continue;
            }
            if (g.compareTo(generation) <= 0 && (bestGeneration == null || g.compareTo(bestGeneration) > 0)) {
                best = object.path();
                bestGeneration = g;
            }
        }
        if (best == null) {
            throw new RemoteStorage.NotFoundException(RemotePath.layer(tenantId, timelineId, name, generation));
        }
        return best;
    }

    /** Deletes every object of the timeline: it is being deleted. The client must be stopped. */
    public void deleteAll() {
        List<RemotePath> paths = call(RemoteOperation.LIST, "layer",
                () -> node.storage().list(RemotePath.timeline(tenantId, timelineId))).stream()
                .map(RemoteStorage.RemoteObject::path).toList();
        call(RemoteOperation.DELETE, "layer", () -> {
            node.storage().delete(paths);
            return null;
        });
    }

    /** Runs one remote call, timed and counted in the timeline's meters. */
    private <T> T call(RemoteOperation op, String fileKind, Supplier<T> body) {
        Metrics.Timeline meters = timeline.meters();
        meters.remoteCallsUnfinished(op, fileKind, 1);
        long started = System.nanoTime();
        boolean ok = false;
        try {
            T result = body.get();
            ok = true;
            return result;
        } finally {
            meters.remoteCallsUnfinished(op, fileKind, -1);
            meters.remoteOperation(op, fileKind, ok, System.nanoTime() - started);
        }
    }
}
