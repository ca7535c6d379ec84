package org.pageserver.application.port.out;

import java.util.Iterator;
import java.util.Set;
import org.pageserver.domain.id.TenantId;
import org.pageserver.domain.id.TimelineId;
import org.pageserver.domain.layer.LayerDescriptor;
import org.pageserver.domain.layer.LayerName;
import org.pageserver.domain.page.EncodedVersion;

/**
 * The bytes of layer files on local disk. Layers are immutable: written once, whole, then only
 * read and finally deleted. The store owns the file format; the engine sees versions of keys.
 */
public interface LayerStore {

    /**
     * Writes a delta layer atomically: to a temporary name, fsynced, renamed to
     * {@link LayerName#fileName()}, directory fsynced. A crash leaves either no file under that
     * name or the whole file.
     *
     * @param versions every version the layer holds, sorted by {@link EncodedVersion#ORDER}, all inside the
     *                 name's ranges; their values are written as they are, and only read during the call
     * @return the name with the file's size
     */
    LayerDescriptor writeDeltaLayer(TenantId tenantId, TimelineId timelineId, LayerName name, Iterator<EncodedVersion> versions);

    /** Opens a layer for reading; the reader is shared by concurrent readers and closed when the layer goes. */
    LayerReader openLayer(TenantId tenantId, TimelineId timelineId, LayerName name);

    /** Deletes one layer file; absent is not an error. */
    void deleteLayer(TenantId tenantId, TimelineId timelineId, LayerName name);

    /** Deletes every layer file of the timeline and its directory; absent is not an error. */
    void deleteTimeline(TenantId tenantId, TimelineId timelineId);

    /**
     * The layer files present for the timeline, after removing leftovers of writes a crash cut
     * short (temporary files). Files that are not layer files are left alone and not listed.
     */
    Set<LayerName> listLayers(TenantId tenantId, TimelineId timelineId);
}
