package org.pageserver.adapters.storage.layer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Iterator;
import java.util.zip.CRC32C;
import org.pageserver.application.port.out.IngestFile.Placed;
import org.pageserver.domain.layer.LayerName;
import org.pageserver.domain.lsn.Lsn;
import org.pageserver.domain.page.Key;

/**
 * Writes what follows a delta layer's body ({@link LayerFormat}): the version lists, the index and
 * the footer, from the body's versions sorted by key then LSN; then cuts the file at its end and
 * forces it. Both ways a delta file comes to be end here: an ingest file's seal and a
 * {@link DeltaLayerWriter}'s finish. Memory: one key's versions and the index (a few dozen bytes a key).
 */
final class DeltaTail {
    private static final int SCRATCH_SIZE = 64 << 10;

    private final BlockAppender out;
    private final LayerName name;
    private final long bodyEnd;
    private final long bodyVersions;
    private final CRC32C tailCrc = new CRC32C();
    private final ByteBuffer scratch = ByteBuffer.allocate(SCRATCH_SIZE);
    private final ByteArrayOutputStream keys = new ByteArrayOutputStream();
    private final ByteBuffer entry = ByteBuffer.allocate(LayerIndex.ENTRY_SIZE);
    private long[] lsnsAndPositions = new long[16];
    private int pending;
    private Key key;
    private long written;
    private int keyCount;

    /**
     * @param out          the file, its body written up to {@code out.end()}
     * @param bodyVersions how many versions the body holds: the index must name each once
     */
    private DeltaTail(BlockAppender out, LayerName name, long bodyVersions) {
        this.out = out;
        this.name = name;
        this.bodyEnd = out.end();
        this.bodyVersions = bodyVersions;
    }

    /**
     * Writes the tail after the body in {@code out}, finishes the file and returns its length.
     *
     * @param index every version of the body, each once, sorted by key then LSN
     * @throws IllegalArgumentException if the index is out of order, outside {@code name}, or not
     *                                  the body's; part of the tail may be written by then
     */
    static long write(BlockAppender out, LayerName name, Lsn prevOfLast, long bodyVersions, Iterator<Placed> index)
            throws IOException {
        return new DeltaTail(out, name, bodyVersions).write(prevOfLast, index);
    }

    private long write(Lsn prevOfLast, Iterator<Placed> index) throws IOException {
        while (index.hasNext()) {
            add(index.next());
        }
        endKey();
        drainRefs();
        if (written != bodyVersions) {
            throw new IllegalArgumentException("the index has " + written + " versions, the file " + bodyVersions);
        }
        long indexOffset = out.end();
        ByteBuffer keyEntries = ByteBuffer.wrap(keys.toByteArray());
        tailCrc.update(keyEntries.duplicate());
        out.append(keyEntries);
        long fileLength = out.end() + LayerFormat.FOOTER_SIZE;
        out.append(new LayerFormat.Footer(name.keyStart(), name.keyEnd(), name.lsnStart(), name.lsnEnd(), prevOfLast,
                written, keyCount, bodyEnd, bodyEnd, indexOffset, fileLength, (int) tailCrc.getValue()).encode());
        out.finish();
        return fileLength;
    }

    private void add(Placed p) throws IOException {
        if (p.key().compareTo(name.keyStart()) < 0 || p.key().compareTo(name.keyEnd()) >= 0
                || p.lsn().isBefore(name.lsnStart()) || !p.lsn().isBefore(name.lsnEnd())) {
            throw new IllegalArgumentException(p.key() + "@" + p.lsn() + " is outside the layer " + name);
        }
        if (p.position() < LayerFormat.HEADER_SIZE || p.position() >= bodyEnd) {
            throw new IllegalArgumentException("position " + p.position() + " is outside the body, which ends at " + bodyEnd);
        }
        if (key != null && key.equals(p.key())) {
            if (!Lsn.of(lsnsAndPositions[2 * pending - 2]).isBefore(p.lsn())) {
                throw new IllegalArgumentException("versions of " + key + " out of order at " + p.lsn());
            }
        } else {
            if (key != null && key.compareTo(p.key()) > 0) {
                throw new IllegalArgumentException("keys out of order: " + key + " then " + p.key());
            }
            endKey();
            key = p.key();
        }
        if (2 * pending + 2 > lsnsAndPositions.length) {
            lsnsAndPositions = Arrays.copyOf(lsnsAndPositions, lsnsAndPositions.length * 2);
        }
        lsnsAndPositions[2 * pending] = p.lsn().value();
        lsnsAndPositions[2 * pending + 1] = p.position();
        pending++;
    }

    /** Hands the version lists put together in the scratch buffer to the appender and the checksum. */
    private void drainRefs() throws IOException {
        tailCrc.update(scratch.array(), 0, scratch.position());
        out.append(scratch.flip());
        scratch.clear();
    }

    /** Writes the key's versions newest first and its index entry. */
    private void endKey() throws IOException {
        if (pending == 0) {
            return;
        }
        long offset = out.end() + scratch.position();
        for (int i = pending - 1; i >= 0; i--) {
            if (scratch.remaining() < LayerFormat.VERSION_REF) {
                drainRefs();
            }
            scratch.putLong(lsnsAndPositions[2 * i]).putLong(lsnsAndPositions[2 * i + 1]);
        }
        entry.clear();
        LayerIndex.writeEntry(entry, key, offset, pending * LayerFormat.VERSION_REF, Lsn.of(lsnsAndPositions[0]));
        keys.write(entry.array(), 0, LayerIndex.ENTRY_SIZE);
        written += pending;
        keyCount++;
        pending = 0;
    }
}
