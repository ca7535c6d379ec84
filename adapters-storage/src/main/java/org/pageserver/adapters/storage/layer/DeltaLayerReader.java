package org.pageserver.adapters.storage.layer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.zip.CRC32C;
import org.pageserver.application.port.out.LayerReader;
import org.pageserver.domain.lsn.Lsn;
import org.pageserver.domain.page.Key;
import org.pageserver.domain.page.Value;
import org.pageserver.domain.page.Version;

/**
 * An open delta layer file ({@link DeltaLayerWriter} has the format). Opening checks the whole
 * file against its checksums once (unless the store has just written it) and loads the index; reads after that are positional
 * ({@link FileChannel#read(ByteBuffer, long)} keeps no shared position), so any number of threads
 * may read at once.
 */
final class DeltaLayerReader implements LayerReader {
    /**
     * A point read's first positional read: a page image record (12 + 8193 bytes) and then some.
     * Most reads end at the newest version, an image; reading all of a busy key's versions up front
     * (64 KiB for 8 images, as this once did) made batched reads allocate and copy 15 times the
     * bytes they returned (3.7 GB/s of garbage at 32,000 pages/s).
     */
    private static final int FIRST_READ = 16 * 1024;
    /** The reads after it, for keys whose reads go on to older versions (deltas, past LSNs). */
    private static final int READ_CHUNK = 64 * 1024;

    private final Path file;
    private final FileChannel channel;
    private final LayerIndex index;

    private DeltaLayerReader(Path file, FileChannel channel, LayerIndex index) {
        this.file = file;
        this.channel = channel;
        this.index = index;
    }

    /** @throws CorruptLayerException naming the file if it is truncated, damaged or not a layer */
    static DeltaLayerReader open(Path file) throws IOException {
        return open(file, true);
    }

    /**
     * @param verifyBody whether to check the records and index against the header's checksum (a
     *                   full read of the file); the header, its length and the index bounds are always checked
     */
    static DeltaLayerReader open(Path file, boolean verifyBody) throws IOException {
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
        try {
            long size = channel.size();
            LayerHeader header = LayerHeader.decode(readAt(channel, file, 0, (int) Math.min(size, LayerHeader.SIZE)), file);
            if (header.fileLength() != size) {
                throw new CorruptLayerException(file, "the header records " + header.fileLength()
                        + " bytes but the file has " + size + " (truncated or extended)");
            }
            long indexLength = (long) header.keyCount() * LayerIndex.ENTRY_SIZE;
            if (header.keyCount() < 0 || header.keyCount() > DeltaLayerWriter.MAX_KEYS
                    || header.indexOffset() < LayerHeader.SIZE || header.indexOffset() + indexLength != size) {
                throw new CorruptLayerException(file, "index of " + header.keyCount() + " keys at offset "
                        + header.indexOffset() + " does not end the " + size + "-byte file");
            }
            if (verifyBody) {
                verifyBody(channel, file, size, header.bodyCrc());
            }
            ByteBuffer entries = readAt(channel, file, header.indexOffset(), (int) indexLength);
            return new DeltaLayerReader(file, channel, new LayerIndex(entries.array()));
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    private static void verifyBody(FileChannel channel, Path file, long size, int expected) throws IOException {
        CRC32C crc = new CRC32C();
        ByteBuffer buffer = ByteBuffer.allocate(1 << 20);
        for (long position = LayerHeader.SIZE; position < size; ) {
            buffer.clear().limit((int) Math.min(buffer.capacity(), size - position));
            int n = channel.read(buffer, position);
            if (n < 0) {
                throw new CorruptLayerException(file, "ended at " + position + " while being checked");
            }
            crc.update(buffer.flip());
            position += n;
        }
        if ((int) crc.getValue() != expected) {
            throw new CorruptLayerException(file, "checksum mismatch in its records or index");
        }
    }

    @Override
    public List<Version> versions(Key key, Lsn maxLsn) {
        int i = index.find(key);
        if (i < 0 || index.minLsn(i).isAfter(maxLsn)) {
            return List.of();
        }
        List<Version> newestFirst = new ArrayList<>();
        long position = index.offset(i);
        long end = position + index.length(i);
        ByteBuffer chunk = read(position, (int) Math.min(FIRST_READ, end - position));
        while (position < end) {
            if (chunk.remaining() < DeltaLayerWriter.RECORD_HEADER) {
                chunk = read(position, (int) Math.min(Math.max(READ_CHUNK, DeltaLayerWriter.RECORD_HEADER), end - position));
            }
            Lsn lsn = Lsn.of(chunk.getLong(chunk.position()));
            int recordSize = DeltaLayerWriter.RECORD_HEADER + chunk.getInt(chunk.position() + 8);
            if (recordSize < DeltaLayerWriter.RECORD_HEADER || recordSize > end - position) {
                throw new CorruptLayerException(file, "record at " + position + " of key " + key + " runs past the key's records");
            }
            if (chunk.remaining() < recordSize) {
                chunk = read(position, (int) Math.min(Math.max(READ_CHUNK, recordSize), end - position));
            }
            ByteBuffer value = chunk.slice(chunk.position() + DeltaLayerWriter.RECORD_HEADER, recordSize - DeltaLayerWriter.RECORD_HEADER);
            chunk.position(chunk.position() + recordSize);
            position += recordSize;
            if (lsn.isAfter(maxLsn)) {
                continue;
            }
            Value decoded = Value.decode(value);
            newestFirst.add(new Version(lsn, decoded));
            if (decoded.willInit()) {
                break;
            }
        }
        return newestFirst;
    }

    @Override
    public void keys(Key from, Key to, Lsn maxLsn, Consumer<Key> sink) {
        for (int i = index.lowerBound(from); i < index.size(); i++) {
            Key key = index.key(i);
            if (key.compareTo(to) >= 0) {
                return;
            }
            if (!index.minLsn(i).isAfter(maxLsn)) {
                sink.accept(key);
            }
        }
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException("closing layer file " + file, e);
        }
    }

    private ByteBuffer read(long position, int length) {
        try {
            return readAt(channel, file, position, length);
        } catch (IOException e) {
            throw new UncheckedIOException("reading layer file " + file + " at " + position, e);
        }
    }

    private static ByteBuffer readAt(FileChannel channel, Path file, long position, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, position + buffer.position()) < 0) {
                throw new CorruptLayerException(file, "ends at " + (position + buffer.position())
                        + ", inside a read of " + length + " bytes at " + position);
            }
        }
        return buffer.flip();
    }
}
