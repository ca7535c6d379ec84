package org.pageserver.application.port.out;

import org.pageserver.domain.layer.LayerDescriptor;
import org.pageserver.domain.layer.LayerName;
import org.pageserver.domain.page.EncodedVersion;

/**
 * A layer file that maintenance writes whole, front to back: an image layer, or a delta layer
 * that compaction makes of older ones. Versions are added in key then LSN order and streamed to
 * the file as they come; what stays in memory is one write buffer and the index (a few dozen
 * bytes per key and per version), so compaction bounds its memory by cutting its output into
 * files ({@link #bytesWritten()}, {@link #entries()}).
 *
 * <p>Until {@link #publish()} the file has a temporary name, and a start deletes such files
 * ({@link LayerStore#sealLeftovers}): maintenance cut short by a crash leaves nothing behind and is
 * done again. Nothing is forced before {@link #finish}: a crash before it loses only this file.
 * One thread uses a writer.
 */
public interface LayerWriter {

    /**
     * Writes one version. Versions come in key then LSN order, each (key, LSN) once; an image
     * layer's are all at its LSN, so each key comes once.
     *
     * @throws IllegalArgumentException if a version is out of order (nothing is written then)
     * @throws java.io.UncheckedIOException if the file cannot be written; the writer is then only to be discarded
     */
    void add(EncodedVersion version);

    /** Bytes in the file so far, values and their headers: compaction cuts its output at a target size. */
    long bytesWritten();

    /** Versions added so far: what the index held in memory grows with. */
    long entries();

    /**
     * Writes the index after the values and forces the file, which keeps its temporary name until
     * {@link #publish()}: the caller records the layer in the metadata after publishing it.
     *
     * @param name the layer's name: its ranges hold every version added, its kind is the writer's
     * @return the layer with its file's size
     * @throws IllegalArgumentException if nothing was added or {@code name} does not hold what was
     */
    LayerDescriptor finish(LayerName name);

    /** Renames the finished file to its layer name and makes that durable: {@link LayerStore#openLayer} reads it from now on. */
    void publish();

    /** Closes and deletes the unpublished file; does nothing after {@link #publish()}. */
    void discard();
}
