package org.pageserver.application.engine;

import java.io.UncheckedIOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.pageserver.application.port.out.Metrics;
import org.pageserver.domain.config.TenantConfig;
import org.pageserver.domain.error.Failures;
import org.pageserver.domain.error.PageserverException;
import org.pageserver.domain.layer.GcPlan;
import org.pageserver.domain.layer.LayerDescriptor;
import org.pageserver.domain.layer.LayerName;
import org.pageserver.domain.lsn.Lsn;
import org.pageserver.domain.page.Key;
import org.pageserver.domain.page.Page;
import org.pageserver.domain.page.RelSize;
import org.pageserver.domain.timeline.GcResult;
import org.pageserver.domain.timeline.TimelineMetadata;
import org.pageserver.domain.wal.WalBatch;

/**
 * The data of one timeline, and the one class the rest of the code uses for it: its layers, ingest
 * into the open in-memory layer, freezing at checkpoint_distance or checkpoint_timeout, flushing
 * frozen layers to delta layer files, the LSNs that say how far it is durable, reads and
 * maintenance. The work is done by the engine's classes, each found by its name:
 * <ul>
 *   <li>{@link IngestPath}: a WAL batch from its checks to its publication, and the relation sizes
 *       it keeps current;</li>
 *   <li>{@link LastRecordLsn}: the accepted and the durable last_record_lsn, and waiting for an LSN;</li>
 *   <li>{@link Flusher}: freezing the open layer and flushing frozen layers to files, with L0
 *       backpressure;</li>
 *   <li>{@link LayerSnapshot} (over the domain's {@code LayerMap}): the layers at one moment;</li>
 *   <li>{@link ReadPath}: how a read at an LSN finds its versions, down the ancestors;</li>
 *   <li>{@link Maintenance} with {@link L0Compaction} and {@link ImageLayers}: compaction and GC;</li>
 *   <li>{@link StartupRecovery}: what a start makes of the layer files a crash left behind.</li>
 * </ul>
 * This class keeps what they share: the metadata and the layer snapshot (it alone holds them, the
 * others set them under the write lock), the locks, the gate, and whether the timeline is stopped
 * or broken.
 *
 * <p>Ingest is serialized by the write lock; a batch is applied in memory and appended to the
 * open layer's ingest file under it, and becomes visible (last_record_lsn moves) only once the
 * file has made it, and every batch before it, durable. Readers never wait for the lock: they read the published layer snapshot at an LSN at
 * or below last_record_lsn, where nothing can still change.
 *
 * <p>Every ingest, read and checkpoint runs inside the timeline's {@link Gate}: removing the timeline
 * ({@link #discard()}) closes it and waits for them before it frees memory and closes files, so
 * none of them finds its ingest file closed or its memory freed halfway.
 */
public final class TimelineData {
    private static final Logger LOG = System.getLogger(TimelineData.class.getName());
    /** How often a removal that waits for operations in progress says so. */
    private static final Duration GATE_LOG_PERIOD = Duration.ofSeconds(10);

    private final EngineContext context;
    private final Supplier<TenantConfig> config;
    private final TimelineData ancestor;
    /** Serializes ingest and every change of the metadata and the layer snapshot. */
    private final ReentrantLock writeLock = new ReentrantLock();
    /** Held by a flush, by maintenance's layer swaps ({@link #replaceLayers}), and waited for by a shutdown. */
    private final ReentrantLock flushLock = new ReentrantLock();
    private final Maintenance maintenance = new Maintenance(this);
    private final Residence residence = new Residence(this, maintenance);
    /** This engine's entries in the page cache: its own number, so that a timeline made again under the same id has none. */
    private final long pageCacheNumber = PageCache.newEngineNumber();
    /** Reads hold it shared; maintenance takes it alone to move the cutoff and swap layers (see {@link #read(Lsn, Supplier)}). */
    private final ReentrantReadWriteLock cutoffLock = new ReentrantReadWriteLock();
    /** Logical sizes at past LSNs, for the synthetic size (see {@link #logicalSizeAt}). */
    private final Map<Lsn, Long> logicalSizes = new ConcurrentHashMap<>();
    private final LastRecordLsn lastRecordLsn;
    private final Flusher flusher;
    private final IngestPath ingestPath;
    private final Gate gate = new Gate();
    private final Metrics.Timeline meters;
    private final List<Consumer<String>> breakListeners = new CopyOnWriteArrayList<>();
    private final List<Runnable> layerListeners = new CopyOnWriteArrayList<>();
    private volatile Lsn remoteConsistentLsn = Lsn.INVALID;
    private volatile LayerDownloader downloader;
    private volatile long remotePhysicalSize;

    private volatile TimelineMetadata metadata;
    private volatile LayerSnapshot layers;
    private volatile boolean stopped;
    /** Set while a detach drains the timeline: ingest is refused, flushing goes on. */
    private volatile boolean ingestClosed;
    /** Set once its in-memory layers were freed without a flush: it was removed, or it broke. */
    private volatile boolean takenApart;
    private volatile String brokenReason;

    private TimelineData(EngineContext context, Supplier<TenantConfig> config, TimelineMetadata metadata,
                         TimelineData ancestor, List<LayerDescriptor> layerFiles) {
        this.context = context;
        this.config = config;
        this.metadata = metadata;
        this.ancestor = ancestor;
        // Everything acknowledged above disk_consistent_lsn was sealed from its ingest file by load().
        Lsn start = metadata.diskConsistentLsn();
        Lsn prev = metadata.lastRecordLsn().equals(start) ? metadata.prevRecordLsn() : Lsn.INVALID;
        InMemoryLayer open = newLayer(metadata.diskConsistentLsn().plus(1));
        // In any order: the layer map sorts them.
        List<HistoricLayer> historic = layerFiles.stream().map(d -> historicLayer(context, metadata, d, this::downloader))
                .toList();
        this.layers = new LayerSnapshot(open, List.of(), historic);
        this.lastRecordLsn = new LastRecordLsn(this, start, prev);
        this.flusher = new Flusher(this, lastRecordLsn, maintenance);
        this.ingestPath = new IngestPath(this, lastRecordLsn, flusher, start);
        // Last: the gauges read the fields above whenever they are scraped.
        this.meters = context.metrics().timeline(metadata.tenantId(), metadata.timelineId(), new Metrics.TimelineGauges(
                () -> lastRecordLsn.durable().last().value(),
                () -> ingestPath.relSizesKnown() ? ingestPath.relSizes().logicalSize() : Double.NaN,
                this::residentPhysicalSize, () -> remotePhysicalSize));
    }

    /** A new timeline with no layers: a root, or a branch reading its ancestor below the branch point. */
    public static TimelineData create(EngineContext context, Supplier<TenantConfig> config, TimelineMetadata metadata,
                                      TimelineData ancestor) {
        return new TimelineData(context, config, metadata, ancestor, List.of());
    }

    /**
     * A stored timeline: layer files whose recording a crash lost are recorded again, then the
     * ingest files a crash left behind are sealed and recorded (they hold every batch acknowledged
     * since the last flush); its recorded layers are opened lazily; layer files the metadata does
     * not record and that do not continue the timeline are deleted.
     */
    public static TimelineData load(EngineContext context, Supplier<TenantConfig> config, TimelineMetadata metadata,
                                    TimelineData ancestor) {
        return load(context, config, metadata, ancestor,
                context.loadLayers().loadLayers(metadata.tenantId(), metadata.timelineId()));
    }

    /** As {@link #load(EngineContext, Supplier, TimelineMetadata, TimelineData)}, with the layer rows already read. */
    public static TimelineData load(EngineContext context, Supplier<TenantConfig> config, TimelineMetadata metadata,
                                    TimelineData ancestor, List<LayerDescriptor> layerRows) {
        return load(context, config, metadata, ancestor, layerRows, false);
    }

    /**
     * As {@link #load(EngineContext, Supplier, TimelineMetadata, TimelineData, List)}.
     *
     * @param remoteHasLayers whether remote storage holds the timeline's layers: a recorded layer
     *                        missing on local disk is then remote only, downloaded at its first read
     *                        ({@link #downloadMissingLayersWith}); without remote storage it fails the load
     */
    public static TimelineData load(EngineContext context, Supplier<TenantConfig> config, TimelineMetadata metadata,
                                    TimelineData ancestor, List<LayerDescriptor> layerRows, boolean remoteHasLayers) {
        StartupRecovery.Recovered recovered = StartupRecovery.recover(context, metadata, layerRows, remoteHasLayers);
        return new TimelineData(context, config, recovered.metadata(), ancestor, recovered.layers());
    }

    // ---- what the engine's classes share ----

    EngineContext context() {
        return context;
    }

    /** Whether the timeline stopped serving: deleted, detached, shut down or broken. */
    public boolean isStopped() {
        return stopped;
    }

    /** The tenant's configuration as it is now. */
    TenantConfig config() {
        return config.get();
    }

    ReentrantLock writeLock() {
        return writeLock;
    }

    ReentrantLock flushLock() {
        return flushLock;
    }

    /** A new open layer starting at {@code lsnStart}, its ingest file created on its first write. */
    InMemoryLayer newLayer(Lsn lsnStart) {
        TimelineMetadata m = metadata;
        return new InMemoryLayer(lsnStart, context.memoryBudget(),
                () -> context.layerStore().createIngestFile(m.tenantId(), m.timelineId(), lsnStart));
    }

    TimelineData ancestor() {
        return ancestor;
    }

    Lsn ancestorLsn() {
        return metadata.ancestorLsn();
    }

    /** The LSN a read here at {@code at} reads the ancestor at: no later than the branch point. */
    Lsn atInAncestor(Lsn at) {
        return ancestor == null ? at : Lsn.min(at, ancestorLsn());
    }

    LayerSnapshot layers() {
        return layers;
    }

    /** Publishes the layers as a freeze or a flush changed them; the caller holds the write lock. */
    void setLayers(LayerSnapshot next) {
        layers = next;
    }

    /** The metadata as it was last stored: its LSNs are those of the last flush (see {@link #metadata()}). */
    TimelineMetadata storedMetadata() {
        return metadata;
    }

    /** Keeps the metadata a flush stored; the caller holds the write lock. */
    void setStoredMetadata(TimelineMetadata stored) {
        metadata = stored;
    }

    // ---- metadata ----

    /** The stored metadata with the LSNs as they are now, remote_consistent_lsn included. */
    public TimelineMetadata metadata() {
        RecordLsns lsns = lastRecordLsn.durable();
        TimelineMetadata m = metadata;
        return m.withLsns(lsns.last(), lsns.prev(), m.diskConsistentLsn()).withRemoteConsistentLsn(remoteConsistentLsn);
    }

    // ---- what remote storage follows ----

    /**
     * The layer files and the metadata as the last flush or layer swap stored them, taken together:
     * what the timeline's index in remote storage is to say. Its disk_consistent_lsn is reached
     * by those files alone.
     */
    public record StoredLayers(TimelineMetadata metadata, List<LayerDescriptor> layers) {
    }

    public StoredLayers storedLayers() {
        writeLock.lock();
        try {
            return new StoredLayers(metadata, layers.historicNewestFirst().stream().map(HistoricLayer::descriptor).toList());
        } finally {
            writeLock.unlock();
        }
    }

    /** Calls {@code listener} after each flush and each layer swap of maintenance: remote storage follows them. */
    public void onLayersChanged(Runnable listener) {
        layerListeners.add(listener);
    }

    void layersChanged() {
        layerListeners.forEach(Runnable::run);
    }

    /** Everything up to {@code lsn} is in remote storage now: its index, naming {@code bytes} of layer files, is uploaded. */
    public void remoteConsistent(Lsn lsn, long bytes) {
        remoteConsistentLsn = lsn;
        remotePhysicalSize = bytes;
    }

    /** Replaces the stored part of the metadata (a deletion mark, a GC cutoff), keeping the LSNs. */
    public void setMetadata(TimelineMetadata stored) {
        writeLock.lock();
        try {
            this.metadata = stored.withLsns(metadata.lastRecordLsn(), metadata.prevRecordLsn(), metadata.diskConsistentLsn());
        } finally {
            writeLock.unlock();
        }
    }

    // ---- ingest ----

    /**
     * Applies a decoded batch and returns once it is durable.
     *
     * <p>Everything that can refuse the batch happens before it is applied: its LSN is checked, the
     * versions it puts are worked out and the memory for them is taken. A refused batch leaves
     * nothing behind, on disk or in memory.
     *
     * @return the new last_record_lsn
     * @throws PageserverException BAD_REQUEST if its first LSN is not above every LSN accepted so far;
     *                             UNAVAILABLE if the in-memory layers have no room for it, or the timeline is stopping
     */
    public Lsn ingest(WalBatch batch) {
        return ingestPath.ingest(batch);
    }

    /** This timeline's meters: the use cases record its reads there. */
    public Metrics.Timeline meters() {
        return meters;
    }

    /** @throws PageserverException UNAVAILABLE if the timeline is stopping or broken: it takes no more writes */
    void requireWritable() {
        if (ingestClosed) {
            throw stopping();
        }
        requireRunning();
    }

    /** @throws PageserverException UNAVAILABLE if the timeline is stopped or broken: it flushes no more */
    void requireRunning() {
        if (stopped) {
            throw stopping();
        }
        if (brokenReason != null) {
            throw broken();
        }
    }

    PageserverException stopping() {
        return PageserverException.unavailable("timeline " + metadata.tenantId() + "/" + metadata.timelineId()
                + " is stopping");
    }

    /**
     * Lets an operation use the timeline's layers and files until it closes the pass.
     *
     * @throws PageserverException UNAVAILABLE once the timeline is broken or being removed
     */
    Gate.Pass enter() {
        if (brokenReason != null) {
            throw broken();
        }
        Gate.Pass pass = gate.enter();
        if (pass == null) {
            if (brokenReason != null) {
                throw broken();
            }
            throw PageserverException.unavailable("timeline " + metadata.tenantId() + "/" + metadata.timelineId()
                    + " is stopping: it is being deleted");
        }
        return pass;
    }

    /**
     * Runs a read inside the gate. A layer file that cannot be read breaks the timeline: what the
     * read would answer is unknown, and so is what the next one would.
     */
    <T> T read(Supplier<T> read) {
        return read(null, read);
    }

    /**
     * As {@link #read(Supplier)}, for a read at {@code lsn} (null: the latest), which holds the GC
     * cutoff where it is while it runs (Neon's latest_gc_cutoff guard): a GC waits for it before
     * moving the cutoff and removing layers, and a read that comes after is checked against the
     * new cutoff here, so that it never reads below it with layers gone.
     */
    <T> T read(Lsn lsn, Supplier<T> read) {
        try (Gate.Pass pass = enter()) {
            if (!cutoffLock.readLock().tryLock()) {
                // A GC or compaction is about to swap the layers in, behind reads that may be downloading.
                NonBlocking.aboutToWait();
                cutoffLock.readLock().lock();
            }
            try {
                if (lsn != null) {
                    requireNotBelowGcCutoff(lsn);
                }
                return read.get();
            } finally {
                cutoffLock.readLock().unlock();
            }
        } catch (UncheckedIOException e) {
            throw failedBy("a layer file could not be read: " + Failures.describe(e), e);
        }
    }

    // ---- failures ----

    /**
     * Calls {@code listener} with the reason once the timeline breaks (at once if it is broken). The
     * service layer shows the state; the engine has stopped serving the timeline by then.
     */
    public void onBreak(Consumer<String> listener) {
        breakListeners.add(listener);
        String reason = brokenReason;
        if (reason != null) {
            listener.accept(reason);
        }
    }

    /** Why the timeline broke, or null while it works. */
    public String brokenReason() {
        return brokenReason;
    }

    /**
     * Breaks the timeline, once: from now on every ingest, read and checkpoint is refused with the
     * reason (503), so nothing is served from memory that the disk may not hold (after a failed
     * fsync the page cache cannot be trusted either), and in the background the memory it holds is
     * freed once the operations inside are done. Its files stay as they are: a restart reads back
     * what was made durable, which is everything that was acknowledged.
     *
     * @param reason what failed, for clients: no path of the node (the log gets {@code cause} whole)
     */
    void fail(String reason, Throwable cause) {
        synchronized (breakListeners) {
            if (brokenReason != null) {
                return;
            }
            brokenReason = reason;
        }
        LOG.log(Level.ERROR, "timeline " + metadata.tenantId() + "/" + metadata.timelineId() + " is broken: " + reason,
                cause);
        lastRecordLsn.wakeWaiters();
        breakListeners.forEach(listener -> listener.accept(reason));
        // On a thread of its own: the failing operation is inside the gate the release waits on.
        Thread release = new Thread(this::releaseAfterBreak, "release broken timeline " + metadata.timelineId());
        release.setDaemon(true);
        release.start();
    }

    /** Breaks the timeline with {@code reason} and returns the exception its callers get from now on. */
    PageserverException failedBy(String reason, Throwable cause) {
        fail(reason, cause);
        return broken();
    }

    PageserverException broken() {
        return PageserverException.unavailable("timeline " + metadata.tenantId() + "/" + metadata.timelineId()
                + " is broken: " + brokenReason);
    }

    /** Frees a broken timeline's memory and closes its files, keeping them for the next start. */
    private void releaseAfterBreak() {
        TimelineMetadata m = metadata;
        // A flush in progress ends first (it ends at once: the timeline is broken).
        flushLock.lock();
        flushLock.unlock();
        takeApart("releasing broken", false);
        LOG.log(Level.INFO, "timeline {0}/{1}: broken, its memory freed and its files closed; a restart reads back"
                + " what they hold", m.tenantId(), m.timelineId());
    }

    // ---- freezing and flushing (the work itself is in Flusher) ----

    /** Freezes the open layer if it has waited checkpoint_timeout since its first write; called periodically. */
    public void freezeIfOld() {
        flusher.freezeIfOld();
    }

    /** Bytes of values in the open in-memory layer. */
    public long openLayerBytes() {
        return layers.open().bytes();
    }

    /** Freezes the open layer now, if it holds anything: the node needs the memory back. */
    public void freezeForMemory() {
        flusher.freezeForMemory();
    }

    /**
     * Freezes whatever is in memory and flushes every frozen layer before returning (Neon's checkpoint).
     *
     * @throws PageserverException UNAVAILABLE if the timeline stops (is being deleted) before it is done
     */
    public void checkpoint() {
        flusher.checkpoint();
    }

    /**
     * Refuses ingest from now on (503, stopping) and waits for a batch being applied: after it, a
     * {@link #checkpoint()} flushes every record the timeline accepted. Flushing and reads go on.
     */
    public void closeIngest() {
        ingestClosed = true;
        writeLock.lock();
        writeLock.unlock();
    }

    /** Takes ingest up again after a {@link #closeIngest()} whose purpose fell through. */
    public void reopenIngest() {
        ingestClosed = false;
    }

    /** Stops ingest and flushing; waits for a flush in progress to end. The data stays readable. */
    public void shutdown() {
        stopped = true;
        flushLock.lock();
        flushLock.unlock();
    }

    /**
     * Takes apart a timeline that is being removed, after a {@link #shutdown()}: refuses every new
     * operation (503, the timeline is stopping), waits for those in progress to end, and only then
     * deletes its ingest files, frees its in-memory layers and closes its layer files.
     */
    public void discard() {
        takeApart("removing", true);
        meters.close();
    }

    /**
     * Takes apart a timeline whose tenant is unloaded (ignored) as {@link #discard()} does, but keeps
     * its ingest files: a load later opens the timeline from them and its layer files, as a start does.
     */
    public void unload() {
        shutdown();
        takeApart("unloading", false);
        meters.close();
    }

    /**
     * Closes the gate and, once no operation is inside, frees the in-memory layers, closes the
     * layer files, and deletes the ingest files ({@code remove}) or only closes them.
     */
    private void takeApart(String why, boolean remove) {
        TimelineMetadata m = metadata;
        gate.close(why + " timeline " + m.tenantId() + "/" + m.timelineId(), GATE_LOG_PERIOD);
        writeLock.lock();
        try {
            takenApart = true;
            for (InMemoryLayer layer : layers.inMemory()) {
                if (remove) {
                    layer.discardFile();
                } else {
                    layer.closeFile();
                }
                layer.release();
            }
        } finally {
            writeLock.unlock();
        }
        for (HistoricLayer layer : layers.historicNewestFirst()) {
            layer.close();
        }
    }

    boolean isTakenApart() {
        return takenApart;
    }

    /** Takes ingest and flushing up again after a {@link #shutdown()} whose purpose fell through. */
    public void resume() {
        stopped = false;
        if (!layers.frozenNewestFirst().isEmpty()) {
            context.flushExecutor().execute(flusher::flushFrozen);
        }
    }

    // ---- reads ----

    /** Waits until {@code lsn} is durable and visible, as Neon's wait_lsn. */
    public void waitForLsn(Lsn lsn, Duration timeout) {
        lastRecordLsn.waitForLsn(lsn, timeout);
    }

    /**
     * The LSN a read runs at: the latest when none is asked for, else the one asked for once it has
     * arrived; never below the GC cutoff, where history may be gone.
     */
    public Lsn readLsn(Lsn requested, Duration timeout) {
        if (requested == null) {
            return lastRecordLsn.durable().last();
        }
        NonBlocking.timed(() -> {
            waitForLsn(requested, timeout);
            return null;
        }, context.metrics()::waitedForLsn);
        requireNotBelowGcCutoff(requested);
        return requested;
    }

    /** The GC cutoff, as {@code metadata().latestGcCutoffLsn()} without making the metadata (a read asks on every request). */
    public Lsn latestGcCutoffLsn() {
        return metadata.latestGcCutoffLsn();
    }

    /** @throws PageserverException BAD_REQUEST if {@code lsn} is below the GC cutoff: that history may be gone */
    void requireNotBelowGcCutoff(Lsn lsn) {
        Lsn cutoff = latestGcCutoffLsn();
        if (lsn.isBefore(cutoff)) {
            throw PageserverException.badRequest("requested LSN " + lsn + " is below the GC cutoff " + cutoff
                    + " of timeline " + metadata.tenantId() + "/" + metadata.timelineId());
        }
    }

    public RelSize relSize(org.pageserver.domain.page.RelTag rel, Lsn lsn) {
        return read(lsn, () -> relSizeAt(rel, lsn));
    }

    /** From the sizes ingest keeps where they hold at {@code lsn}, else from the layers. */
    private RelSize relSizeAt(org.pageserver.domain.page.RelTag rel, Lsn lsn) {
        RelSize cached = ingestPath.cachedRelSize(rel, lsn);
        return cached != null ? cached : ReadPath.relSize(this, Key.relSize(rel), lsn);
    }

    /**
     * A block's page as the page service reads it, in one pass: zeros past the end of the
     * relation, null if the relation does not exist at {@code lsn}.
     */
    public byte[] pageOrZeros(org.pageserver.domain.page.RelTag rel, long blkno, Lsn lsn) {
        return read(lsn, () -> {
            RelSize size = relSizeAt(rel, lsn);
            if (!size.exists()) {
                return null;
            }
            return blkno >= size.nblocks() ? new byte[Page.SIZE] : ReadPath.cachedPage(this, Key.block(rel, blkno), size, lsn);
        });
    }

    /**
     * The page of an existing block at {@code lsn}; NOT_FOUND if the relation or the block does not
     * exist there. The array may be the page cache's: callers never write to it (nor to
     * {@link #pageOrZeros}'s).
     */
    public byte[] page(org.pageserver.domain.page.RelTag rel, long blkno, Lsn lsn) {
        return read(lsn, () -> {
            RelSize size = relSizeAt(rel, lsn);
            if (!size.exists()) {
                throw PageserverException.notFound("relation " + rel + " does not exist at LSN " + lsn);
            }
            if (blkno >= size.nblocks()) {
                throw PageserverException.notFound("block " + blkno + " of relation " + rel + " does not exist at LSN "
                        + lsn + ": the relation has " + size.nblocks() + " blocks");
            }
            return ReadPath.cachedPage(this, Key.block(rel, blkno), size, lsn);
        });
    }

    long pageCacheNumber() {
        return pageCacheNumber;
    }

    public long dbSizeBytes(long spcnode, long dbnode, Lsn lsn) {
        return read(lsn, () -> ReadPath.sizeBytes(this, Key.dbSizeRangeStart(spcnode, dbnode),
                Key.dbSizeRangeEnd(spcnode, dbnode), lsn));
    }

    /** Every relation's number of blocks at last_record_lsn: the shape of the key space, for compaction's partitions. */
    java.util.Map<org.pageserver.domain.page.RelTag, Long> relBlockCounts() {
        return ingestPath.relSizesKnown() ? ingestPath.relBlockCounts() : read(ingestPath::relBlockCounts);
    }

    /** The sum of the relations' sizes at last_record_lsn, kept as records arrive (worked out at the first call). */
    public long logicalSize() {
        return ingestPath.relSizesKnown() ? ingestPath.relSizes().logicalSize()
                : read(() -> ingestPath.relSizes().logicalSize());
    }

    /**
     * The logical size if it is known or can be worked out from layer files on local disk; null if
     * working it out would download the layers that hold relation sizes (evicted, or remote only).
     */
    public Long logicalSizeIfResident() {
        if (ingestPath.relSizesKnown()) {
            return ingestPath.relSizes().logicalSize();
        }
        return read(() -> ingestPath.relSizesLocal() ? ingestPath.relSizes().logicalSize() : null);
    }

    /** The same sum recomputed from the layers: slow, and the check that the incremental one is right. */
    public long logicalSizeFromData() {
        return read(() -> ReadPath.sizeBytes(this, Key.allSizesStart(), Key.allSizesEnd(), lastRecordLsn.durable().last()));
    }

    /** The bytes of this timeline's layer files. */
    public long physicalSize() {
        return layers.historicNewestFirst().stream().mapToLong(l -> l.descriptor().fileSize()).sum();
    }

    /** Where its layer files are: listed, evicted, downloaded (the layer endpoints, eviction). */
    public Residence residence() {
        return residence;
    }

    /** The bytes of the layer files on local disk: {@link #physicalSize()} less the layers that are remote only. */
    public long residentPhysicalSize() {
        return layers.historicNewestFirst().stream().filter(HistoricLayer::isResident)
                .mapToLong(l -> l.descriptor().fileSize()).sum();
    }

    /**
     * Records in the metadata when each layer file was last read, for those read since the last
     * call, and the residence of those evicted or downloaded since.
     */
    public void saveAccessTimes() {
        Map<LayerName, Instant> accessed = new HashMap<>();
        Map<LayerName, Boolean> residence = new HashMap<>();
        for (HistoricLayer layer : layers.historicNewestFirst()) {
            Instant at = layer.takeUnsavedAccess();
            if (at != null) {
                accessed.put(layer.descriptor().name(), at);
            }
            Boolean resident = layer.takeUnsavedResidence();
            if (resident != null) {
                residence.put(layer.descriptor().name(), resident);
            }
        }
        if (!accessed.isEmpty()) {
            context.saveLayers().saveLastAccess(metadata.tenantId(), metadata.timelineId(), accessed);
        }
        if (!residence.isEmpty()) {
            context.saveLayers().saveResidence(metadata.tenantId(), metadata.timelineId(), residence);
        }
    }

    // ---- maintenance (the work itself is in Maintenance) ----

    /**
     * Swaps layer files for maintenance, in one step for everyone: the metadata row as
     * {@code metadata} makes it and the layers' rows in one transaction (under the flush lock, so
     * that it neither undoes nor is undone by a flush's row), then, alone against reads (those in
     * progress finish first), the metadata and the layer map. Nothing is deleted here.
     *
     * @throws RuntimeException if the transaction fails: nothing has changed then
     */
    void replaceLayers(UnaryOperator<TimelineMetadata> metadataChange, List<HistoricLayer> removed,
                       List<LayerDescriptor> added) {
        List<HistoricLayer> files = added.stream().map(this::historicLayer).toList();
        flushLock.lock();
        try {
            TimelineMetadata next = metadataChange.apply(metadata);
            context.saveLayers().replaceLayers(next, added, removed.stream().map(l -> l.descriptor().name()).toList());
            cutoffLock.writeLock().lock();
            writeLock.lock();
            try {
                metadata = next;
                layers = layers.withReplaced(removed, files);
            } finally {
                writeLock.unlock();
                cutoffLock.writeLock().unlock();
            }
        } finally {
            flushLock.unlock();
        }
        layersChanged();
    }

    HistoricLayer historicLayer(LayerDescriptor layer) {
        return historicLayer(context, metadata, layer, this::downloader);
    }

    /**
     * A layer file of the timeline, opened on its first read; downloaded first if it is not on
     * local disk and the timeline has a downloader (remote storage).
     */
    private static HistoricLayer historicLayer(EngineContext context, TimelineMetadata m, LayerDescriptor layer,
                                               Supplier<LayerDownloader> downloader) {
        return new HistoricLayer(layer, () -> {
            LayerDownloader remote = downloader.get();
            if (remote != null && !Files.exists(context.layerStore().layerFile(m.tenantId(), m.timelineId(), layer.name()))) {
                remote.download(layer);
            }
            return context.layerStore().openLayer(m.tenantId(), m.timelineId(), layer.name());
        }, () -> Files.exists(context.layerStore().layerFile(m.tenantId(), m.timelineId(), layer.name())));
    }

    private LayerDownloader downloader() {
        return downloader;
    }

    /** From now on a layer file missing on local disk is downloaded at its first read. */
    public void downloadMissingLayersWith(LayerDownloader remote) {
        this.downloader = remote;
    }

    /**
     * Whether the periodic compaction is to run now: compaction_period (0 turns it off, as in
     * Neon) has passed since its last turn and none is queued. Takes the turn if so; the caller
     * then runs {@link #compactInBackground()}.
     */
    public boolean takeCompactionTurn(long nowNanos) {
        return maintenance.takeCompactionTurn(nowNanos, config.get().compactionPeriod());
    }

    /** The periodic compaction's run: a failure has broken the timeline with its reason by the time it returns. */
    public void compactInBackground() {
        maintenance.compactInBackground(compactionSettings());
    }

    /** Its compaction and GC: the engine's tests call a step of them directly to stand for a race. */
    Maintenance maintenance() {
        return maintenance;
    }

    /** The tenant's compaction settings as they are now. */
    Maintenance.Compaction compactionSettings() {
        TenantConfig c = config.get();
        return new Maintenance.Compaction(c.compactionThreshold(), c.compactionTargetSize(), c.imageCreationThreshold());
    }

    /**
     * Whether the periodic GC is to run now: {@code period} (gc_period; 0 turns it off) has passed
     * since its last turn and none is queued. Takes the turn if so; {@link #gcTurnDone()} ends it.
     */
    public boolean takeGcTurn(long nowNanos, Duration period) {
        return maintenance.takeGcTurn(nowNanos, period);
    }

    public void gcTurnDone() {
        maintenance.gcTurnDone();
    }

    /**
     * Compaction (Neon's compact, and PUT …/compact): merges the L0 delta layers into L1 layers of
     * about compaction_target_size when there are compaction_threshold of them, then makes an image
     * layer at disk_consistent_lsn of each key partition with image_creation_threshold or more delta
     * layers above its newest image. One maintenance job at a time per timeline; a removal waits
     * for it (it holds the gate) and it gives up as soon as the timeline stops. A failure to write
     * breaks the timeline with the reason, as a failed flush does; what it left unpublished a start
     * deletes.
     *
     * @return whether it wrote a layer
     * @throws PageserverException UNAVAILABLE if the timeline is broken or being removed
     */
    public boolean compact() {
        return maintenance.compact(compactionSettings());
    }

    /**
     * GC (Neon's gc_iteration for one timeline): moves the GC cutoff to the lower of
     * {@code last_record_lsn - horizon}, the LSN of {@code now - pitr} (found from the commit
     * records; with none old enough, the current cutoff: nothing goes) and disk_consistent_lsn,
     * and removes the layer files no read at or above it and no branch can need ({@link GcPlan}).
     * The cutoff and the removals are stored in one transaction, before any file is deleted; a file
     * is deleted once the reads inside it are done (later ones read again without it).
     *
     * @param retainLsns the branch points of this timeline's branches, each of which may read below it
     * @throws PageserverException UNAVAILABLE if the timeline is broken or being removed
     */
    public GcResult gc(long horizon, Duration pitr, Collection<Lsn> retainLsns, Instant now) {
        return gc(horizon, pitr, retainLsns, List.of(), now);
    }

    /**
     * As {@link #gc(long, Duration, Collection, Instant)}, where the branches starting at
     * {@code snapshotLsns} read this timeline only there (their own GC cutoffs have passed their
     * branch points): an image layer made at such a point lets the layers below it go.
     */
    public GcResult gc(long horizon, Duration pitr, Collection<Lsn> retainLsns, Collection<Lsn> snapshotLsns, Instant now) {
        return maintenance.gc(horizon, pitr, retainLsns, snapshotLsns, now);
    }
    /**
     * The PITR cutoff as GC finds it: just below the first commit at or after {@code now - pitr};
     * with no commit that old the current GC cutoff (nothing may go), with every commit older the
     * horizon's; with no PITR ({@code 0s}) the horizon's.
     */
    public Lsn pitrCutoff(Lsn horizonCutoff, Duration pitr, Instant now) {
        return maintenance.pitrCutoff(horizonCutoff, pitr, now);
    }

    /**
     * The logical size at {@code lsn} (the synthetic size's inputs), from the layers, remembered:
     * history at or below last_record_lsn never changes. Branch points stay readable below the GC
     * cutoff (GC keeps what they need), so no cutoff check here.
     */
    public long logicalSizeAt(Lsn lsn) {
        Long known = logicalSizes.get(lsn);
        if (known != null) {
            return known;
        }
        long size = read(() -> ReadPath.sizeBytes(this, Key.allSizesStart(), Key.allSizesEnd(), lsn));
        if (!lsn.isAfter(lastRecordLsn.durable().last())) {
            if (logicalSizes.size() >= 256) {
                // The cutoffs move with last_record_lsn: old entries are seldom asked for again.
                logicalSizes.clear();
            }
            logicalSizes.put(lsn, size);
        }
        return size;
    }

    public List<LayerDescriptor> layerFiles() {
        return layers.historicNewestFirst().stream().map(HistoricLayer::descriptor).toList();
    }
}
