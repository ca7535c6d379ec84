package org.pageserver.application.port.out;

import java.util.Iterator;
import java.util.List;
import org.pageserver.domain.layer.LayerDescriptor;
import org.pageserver.domain.layer.LayerName;
import org.pageserver.domain.lsn.Lsn;
import org.pageserver.domain.page.EncodedVersion;
import org.pageserver.domain.page.Key;

/**
 * The file an in-memory layer's versions are made durable in as they arrive, and which, sealed
 * with an index, becomes the layer's delta file: every ingested byte is written to disk once (a
 * node-wide log written beside the layer files wrote it twice, and the disk was the limit).
 *
 * <p>One writer appends at a time (the timeline's write lock); any thread may wait for
 * durability, and one {@code fsync} makes every batch appended before it durable (group commit).
 * A crash keeps a batch whole or not at all: {@link LayerStore#sealLeftovers} finds what was made
 * durable.
 */
public interface IngestFile {

    /** Where a version's value was put, as {@link #seal} wants it back. */
    record Placed(Key key, Lsn lsn, long position) {
    }

    /**
     * Queues one batch's versions, in the order given, and a commit point after them. The values
     * are read until the batch is durable and must not change before.
     *
     * @param positions receives each version's position in the file
     * @return the end of the batch in the file, for {@link #awaitDurable}
     */
    long append(List<EncodedVersion> versions, Lsn lastLsn, Lsn prevLsn, long[] positions);

    /**
     * Returns once everything appended up to {@code end} is on disk and forced ({@link Long#MAX_VALUE}:
     * everything appended so far).
     *
     * @throws java.io.UncheckedIOException if it cannot be; the file is then unusable
     */
    void awaitDurable(long end);

    /**
     * Writes the index after the values and forces the file, which keeps its temporary name until
     * {@link #publish()}: the layer is to be recorded in the metadata in between, so that a crash
     * leaves either a recorded layer or a leftover that the next start seals again.
     *
     * @param prevOfLast the record before the last one in the file
     * @param index      every version appended, each once, sorted by key then LSN
     * @return the layer with its file's size
     */
    LayerDescriptor seal(LayerName name, Lsn prevOfLast, Iterator<Placed> index);

    /** Renames the sealed file to its layer name: from now on {@link LayerStore#openLayer} reads it. */
    void publish();

    /**
     * Closes the file and keeps it on disk: its timeline broke, and the next start seals what it
     * holds. A later wait for batches not yet written throws {@link IllegalStateException}, as after
     * {@link #discard()}.
     */
    void close();

    /**
     * Closes the file and deletes it: its timeline is gone. The caller makes sure no append or wait
     * is in progress, since the values of batches not yet written may be freed with it; a wait that
     * comes after it anyway throws {@link IllegalStateException} instead of reading them.
     */
    void discard();
}
