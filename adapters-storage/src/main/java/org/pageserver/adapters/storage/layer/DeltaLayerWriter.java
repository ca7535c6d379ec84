package org.pageserver.adapters.storage.layer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.pageserver.domain.layer.LayerName;
import org.pageserver.domain.page.EncodedVersion;

/**
 * Writes one delta layer file. Format version 1; every integer big-endian and unsigned:
 *
 * <pre>
 * file    := header | records | index
 * header  := magic:u32 = 0x5053444C ("PSDL") | formatVersion:u16 = 1 | reserved:u16 = 0
 *            | keyStart:18B | keyEnd:18B | lsnStart:u64 | lsnEnd:u64      (the layer name's ranges)
 *            | versionCount:u64 | keyCount:u32 | indexOffset:u64 | fileLength:u64
 *            | bodyCrc:u32      CRC32C of bytes [96, fileLength): records and index
 *            | headerCrc:u32    CRC32C of header bytes [0, 92)                        (96 bytes)
 * records := for each key in ascending key order, that key's versions NEWEST FIRST:
 *            record := lsn:u64 | valueLength:u32 | value:valueLength   (Value.encode(), copied as given)
 * index   := keyCount entries in ascending key order (the keys' unsigned byte order):
 *            entry := key:18B | firstRecordOffset:u64 | recordsLength:u32 | minLsn:u64 (38 bytes)
 * </pre>
 *
 * Each key's records are stored newest first because every read wants them in that order and
 * stops at the first value that needs nothing older: a point read is one binary search in the
 * in-memory index and, for all but very hot keys, one positional read that ends where the key's
 * records end. The price is that the writer holds one key's versions in memory before writing them;
 * the layer being flushed is in memory already, so this adds at most one key's share of it.
 * {@code minLsn} lets a key listing at an old LSN skip keys without touching the records.
 */
final class DeltaLayerWriter {
    static final int RECORD_HEADER = 8 + 4;
    /** The index is read into one array; beyond this many keys it would not fit. */
    static final int MAX_KEYS = Integer.MAX_VALUE / LayerIndex.ENTRY_SIZE;

    private final LayerName name;
    private final ChecksummingOutput out;
    private final ByteArrayOutputStream index = new ByteArrayOutputStream();
    private final List<EncodedVersion> sameKey = new ArrayList<>();
    private long versionCount;
    private int keyCount;

    private DeltaLayerWriter(LayerName name, ChecksummingOutput out) {
        this.name = name;
        this.out = out;
    }

    /**
     * Writes the whole file, the way {@code mode} says, and forces it to disk.
     *
     * @return the file's length
     * @throws IllegalArgumentException if the versions are unsorted, duplicated or outside the name's ranges
     */
    static long write(Path file, LayerName name, Iterator<EncodedVersion> versions, WriteMode mode) throws IOException {
        try (ChecksummingOutput out = mode.open(file)) {
            DeltaLayerWriter writer = new DeltaLayerWriter(name, out);
            EncodedVersion previous = null;
            while (versions.hasNext()) {
                EncodedVersion version = versions.next();
                writer.accept(previous, version);
                previous = version;
            }
            writer.writeKey();
            long indexOffset = out.position();
            out.put(writer.index.toByteArray());
            long fileLength = out.position();
            int bodyCrc = out.bodyCrc();
            out.finish(new LayerHeader(name.keyStart(), name.keyEnd(), name.lsnStart(), name.lsnEnd(),
                    writer.versionCount, writer.keyCount, indexOffset, fileLength, bodyCrc).encode());
            return fileLength;
        }
    }

    private void accept(EncodedVersion previous, EncodedVersion version) throws IOException {
        if (!name.containsKey(version.key()) || !name.containsLsn(version.lsn())) {
            throw new IllegalArgumentException("version " + version.key() + "@" + version.lsn()
                    + " lies outside layer " + name);
        }
        if (previous != null && EncodedVersion.ORDER.compare(previous, version) >= 0) {
            throw new IllegalArgumentException("versions must be sorted by key then LSN without duplicates: "
                    + version.key() + "@" + version.lsn() + " came after " + previous.key() + "@" + previous.lsn());
        }
        if (previous != null && !previous.key().equals(version.key())) {
            writeKey();
        }
        sameKey.add(version);
        versionCount++;
    }

    private void writeKey() throws IOException {
        if (sameKey.isEmpty()) {
            return;
        }
        if (keyCount == MAX_KEYS) {
            throw new IllegalArgumentException("a layer holds at most " + MAX_KEYS + " keys");
        }
        long offset = out.position();
        for (int i = sameKey.size() - 1; i >= 0; i--) {
            EncodedVersion version = sameKey.get(i);
            out.putLong(version.lsn().value());
            out.putInt(version.value().remaining());
            out.put(version.value());
        }
        long length = out.position() - offset;
        if (length > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("key " + sameKey.get(0).key() + " has more than 2 GiB of versions in one layer");
        }
        ByteBuffer entry = ByteBuffer.allocate(LayerIndex.ENTRY_SIZE);
        LayerIndex.writeEntry(entry, sameKey.get(0).key(), offset, (int) length, sameKey.get(0).lsn());
        index.write(entry.array(), 0, entry.capacity());
        keyCount++;
        sameKey.clear();
    }
}
