package org.pageserver.application.port.out;

import java.util.List;
import java.util.Set;
import org.pageserver.domain.id.TenantId;
import org.pageserver.domain.id.TimelineId;
import org.pageserver.domain.layer.LayerDescriptor;
import org.pageserver.domain.layer.LayerName;
import org.pageserver.domain.lsn.Lsn;

/**
 * The bytes of layer files on local disk. A layer file is written once, as its versions are
 * ingested ({@link IngestFile}), sealed, and then only read and finally deleted. The store owns the
 * file format; the engine sees versions of keys.
 */
public interface LayerStore {

    /**
     * Starts the file the versions of an in-memory layer beginning at {@code lsnStart} go to (see
     * {@link IngestFile}). Layers of one timeline start at increasing LSNs.
     */
    IngestFile createIngestFile(TenantId tenantId, TimelineId timelineId, Lsn lsnStart);

    /**
     * Starts a delta layer file that maintenance writes whole (see {@link LayerWriter}): a
     * compaction's output, holding versions at {@code lsnStart} and above.
     */
    LayerWriter createDeltaWriter(TenantId tenantId, TimelineId timelineId, Lsn lsnStart);

    /**
     * Starts an image layer file (see {@link LayerWriter}): the value of each key of a key range as
     * of {@code lsn}, one per key, in a format of its own (no version lists: one value per key).
     */
    LayerWriter createImageWriter(TenantId tenantId, TimelineId timelineId, Lsn lsn);

    /**
     * A layer that start-up sealed from an ingest file a crash left behind, not yet published: the
     * caller records it and then calls {@code file().publish()}, or {@code file().discard()} if the
     * timeline does not need it.
     *
     * @param lastLsn the LSN of the last whole batch in it
     * @param prevLsn the LSN of the record before that batch's last one
     */
    record SealedLeftover(LayerDescriptor layer, Lsn lastLsn, Lsn prevLsn, IngestFile file) {
    }

    /**
     * Seals every ingest file of the timeline that a crash left unsealed or unpublished, oldest
     * first, each cut after its last whole batch; one holding no whole batch is deleted instead.
     * Unpublished files of {@link LayerWriter}s are deleted.
     * They are sealed under their temporary names: the caller records each and then publishes it.
     *
     * @throws org.pageserver.domain.error.PageserverException if a file is not an ingest file of this store
     */
    List<SealedLeftover> sealLeftovers(TenantId tenantId, TimelineId timelineId);

    /**
     * A published layer file as it describes itself: its size, the LSN of its last record and of the
     * record before that one.
     */
    record LayerEnd(LayerDescriptor layer, Lsn lastLsn, Lsn prevLsn) {
    }

    /**
     * Checks a published layer file whole and says where it ends. Start-up asks this of a file that
     * the metadata does not record: the commit recording it can be lost (a database that does not
     * force its commits, and an OS crash) after the file's rename was made durable.
     *
     * @throws java.io.UncheckedIOException if the file cannot be read, or is damaged or no layer file
     *                                      of that name
     */
    LayerEnd verifyLayer(TenantId tenantId, TimelineId timelineId, LayerName name);

    /** Opens a layer for reading; the reader is shared by concurrent readers and closed when the layer goes. */
    LayerReader openLayer(TenantId tenantId, TimelineId timelineId, LayerName name);

    /**
     * Where a published layer file is on local disk: remote storage uploads it from there (and will
     * download it to there). The file may be gone by the time it is read, if compaction or GC
     * removed the layer; the reader then fails as for any missing file.
     */
    java.nio.file.Path layerFile(TenantId tenantId, TimelineId timelineId, LayerName name);

    /** Deletes one layer file; absent is not an error. */
    void deleteLayer(TenantId tenantId, TimelineId timelineId, LayerName name);

    /**
     * Deletes the local copy of a layer file that remote storage holds (an eviction); absent is
     * not an error. The deletion need not be forced: a copy that an OS crash brings back is whole
     * (it was verified when written), and a start finds it resident.
     */
    default void evictLayer(TenantId tenantId, TimelineId timelineId, LayerName name) {
        deleteLayer(tenantId, timelineId, name);
    }

    /** Deletes every layer file of the timeline and its directory; absent is not an error. */
    void deleteTimeline(TenantId tenantId, TimelineId timelineId);

    /**
     * Deletes what is left of a tenant whose timelines are all deleted (its directories); absent is
     * not an error.
     */
    void deleteTenant(TenantId tenantId);

    /**
     * What a timeline's directory holds, from one listing: its published layer files, and whether
     * ingest files or unpublished layer files are there for {@link #sealLeftovers} (a start without
     * a crash before it seals none).
     */
    record TimelineFiles(Set<LayerName> layers, boolean leftovers) {
    }

    /** Lists the timeline's files; other files are left alone and not listed. */
    TimelineFiles listFiles(TenantId tenantId, TimelineId timelineId);

    /** The published layer files present for the timeline (see {@link #listFiles}). */
    default Set<LayerName> listLayers(TenantId tenantId, TimelineId timelineId) {
        return listFiles(tenantId, timelineId).layers();
    }
}
