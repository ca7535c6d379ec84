package org.pageserver.adapters.storage.layer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Iterator;
import java.util.List;
import java.util.function.Consumer;
import java.util.zip.CRC32C;
import org.pageserver.adapters.storage.layer.ReadableFile.Read;
import org.pageserver.application.port.out.LayerReader;
import org.pageserver.domain.lsn.Lsn;
import org.pageserver.domain.page.EncodedVersion;
import org.pageserver.domain.page.Key;
import org.pageserver.domain.page.Value;
import org.pageserver.domain.page.Version;

/**
 * An open image layer file ({@link ImageFormat} has the format). Opening checks header, footer and
 * index and keeps the index in memory; a read takes one entry from the file's mapping or by one
 * positional read ({@link ReadableFile}), checked as it is read, so any number of threads may read
 * at once.
 */
final class ImageLayerReader implements LayerReader {
    /** The index is read into one array; beyond this many keys it would not fit. */
    private static final int MAX_KEYS = Integer.MAX_VALUE / ImageFormat.INDEX_ENTRY_SIZE;

    private final Path file;
    private final ReadableFile bytes;
    private final KeyedEntries index;
    private final ImageFormat.Footer footer;

    private ImageLayerReader(Path file, ReadableFile bytes, KeyedEntries index, ImageFormat.Footer footer) {
        this.file = file;
        this.bytes = bytes;
        this.index = index;
        this.footer = footer;
    }

    /** What the file's footer says: its key range and LSN. */
    ImageFormat.Footer footer() {
        return footer;
    }

    /**
     * Opens the file by reading its header, footer and index, each checked by its own checksum.
     *
     * @param whole whether to read and check every entry too: for a file about to be recorded
     *              without having been read
     * @param map   whether to map the file for its reads ({@link ReadableFile})
     * @throws CorruptLayerException naming the file if it is truncated, damaged or no image layer
     */
    static ImageLayerReader open(Path file, boolean whole, boolean map) throws IOException {
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
        try {
            long size = channel.size();
            Lsn lsn = ImageFormat.decodeHeader(
                    PositionalRead.readFully(channel, file, 0, (int) Math.min(size, ImageFormat.HEADER_SIZE)), file);
            if (size < ImageFormat.HEADER_SIZE + ImageFormat.FOOTER_SIZE) {
                throw new CorruptLayerException(file, "has " + size + " bytes, less than a header and a footer");
            }
            ImageFormat.Footer footer = ImageFormat.Footer.decode(
                    PositionalRead.readFully(channel, file, size - ImageFormat.FOOTER_SIZE, ImageFormat.FOOTER_SIZE), file);
            checkBounds(file, size, lsn, footer);
            ByteBuffer entries = PositionalRead.readFully(channel, file, footer.indexOffset(),
                    footer.keyCount() * ImageFormat.INDEX_ENTRY_SIZE);
            CRC32C crc = new CRC32C();
            crc.update(entries.duplicate());
            if ((int) crc.getValue() != footer.indexCrc()) {
                throw new CorruptLayerException(file, "checksum mismatch in its index");
            }
            ImageLayerReader reader = new ImageLayerReader(file, ReadableFile.of(file, channel, size, map),
                    new KeyedEntries(entries.array(), ImageFormat.INDEX_ENTRY_SIZE), footer);
            if (whole) {
                try {
                    reader.checkEntries();
                } catch (RuntimeException e) {
                    reader.close();
                    throw e;
                }
            }
            return reader;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    private static void checkBounds(Path file, long size, Lsn headerLsn, ImageFormat.Footer f) {
        if (f.fileLength() != size) {
            throw new CorruptLayerException(file, "the footer records " + f.fileLength() + " bytes but the file has "
                    + size + " (truncated or extended)");
        }
        if (!f.lsn().equals(headerLsn)) {
            throw new CorruptLayerException(file, "header and footer disagree on the LSN");
        }
        if (f.keyCount() < 0 || f.keyCount() > MAX_KEYS || f.indexOffset() < ImageFormat.HEADER_SIZE
                || f.indexOffset() + (long) f.keyCount() * ImageFormat.INDEX_ENTRY_SIZE != size - ImageFormat.FOOTER_SIZE) {
            throw new CorruptLayerException(file, "its regions (" + f.keyCount() + " keys indexed at " + f.indexOffset()
                    + ") do not fill the " + size + "-byte file");
        }
    }

    /** Reads every entry: together they span the values region, so this checks each of its bytes. */
    private void checkEntries() {
        long expected = ImageFormat.HEADER_SIZE;
        for (int i = 0; i < index.size(); i++) {
            if (offset(i) != expected) {
                throw new CorruptLayerException(file, "the entry of " + index.key(i) + " is at " + offset(i)
                        + ", the one before it ends at " + expected);
            }
            expected = end(i);
            readEntry(i, Read.COPY);
        }
        if (expected != footer.indexOffset()) {
            throw new CorruptLayerException(file, "its entries end at " + expected + ", its index begins at "
                    + footer.indexOffset());
        }
    }

    @Override
    public List<Version> versions(Key key, Lsn maxLsn) {
        return versions(key, maxLsn, Read.POOLED);
    }

    @Override
    public List<Version> versionsIfInMemory(Key key, Lsn maxLsn) {
        return versions(key, maxLsn, Read.POOLED_IF_IN_MEMORY);
    }

    /** The key's image, read as {@code how} says: null if it says to read only bytes in memory and they are not. */
    private List<Version> versions(Key key, Lsn maxLsn, Read how) {
        int i = footer.lsn().isAfter(maxLsn) ? -1 : index.find(key);
        if (i < 0) {
            return List.of();
        }
        // Decoded out of the mapping or the thread's pooled buffer: a page is copied once, to its array.
        bytes.enter();
        try {
            ByteBuffer entry = readEntry(i, how);
            return entry == null ? null : List.of(new Version(footer.lsn(), Value.decode(entry)));
        } finally {
            bytes.exit();
        }
    }

    @Override
    public void keys(Key from, Key to, Lsn maxLsn, Consumer<Key> sink) {
        if (footer.lsn().isAfter(maxLsn)) {
            return;
        }
        for (int i = index.lowerBound(from); i < index.size(); i++) {
            Key key = index.key(i);
            if (key.compareTo(to) >= 0) {
                return;
            }
            sink.accept(key);
        }
    }

    @Override
    public Iterator<EncodedVersion> scan() {
        return new LayerScan(index.size(), i -> List.of(new EncodedVersion(index.key(i), footer.lsn(), readEntry(i, Read.COPY))).iterator());
    }

    private long offset(int i) {
        return index.longAt(i, ImageFormat.ENTRY_OFFSET_AT);
    }

    /** Where the {@code i}th entry ends: where the next one, or the index, begins. */
    private long end(int i) {
        return i + 1 < index.size() ? offset(i + 1) : footer.indexOffset();
    }

    /**
     * The value of the {@code i}th key, as the file holds it, checked: one read of exactly its
     * entry, as {@code how} says ({@link Read}; null where only bytes in memory are to be read and
     * these are not).
     */
    private ByteBuffer readEntry(int i, Read how) {
        Key key = index.key(i);
        long at = offset(i);
        long length = end(i) - at;
        if (at < ImageFormat.HEADER_SIZE || length < ImageFormat.ENTRY_HEAD || length > Integer.MAX_VALUE
                || end(i) > footer.indexOffset()) {
            throw new CorruptLayerException(file, "the index puts the entry of " + key + " at " + at + ".." + end(i)
                    + ", which is no entry");
        }
        ByteBuffer entry = bytes.read(how, PositionalRead.Pooled.VALUE, at, (int) length);
        if (entry == null) {
            return null;
        }
        if (!Key.readFrom(entry.slice(0, Key.ENCODED_SIZE)).equals(key)) {
            throw new CorruptLayerException(file, "the entry at " + at + " is not the one of " + key);
        }
        if (entry.getInt(ImageFormat.VALUE_LENGTH_OFFSET) != length - ImageFormat.ENTRY_HEAD) {
            throw new CorruptLayerException(file, "the value of " + key + " at " + at + " does not fill its "
                    + length + "-byte entry");
        }
        ByteBuffer value = entry.slice(ImageFormat.ENTRY_HEAD, (int) length - ImageFormat.ENTRY_HEAD);
        CRC32C crc = new CRC32C();
        crc.update(value.duplicate());
        if ((int) crc.getValue() != entry.getInt(ImageFormat.VALUE_CRC_OFFSET)) {
            throw new CorruptLayerException(file, "checksum mismatch in the value of " + key + " at " + at);
        }
        return value;
    }

    @Override
    public void close() {
        bytes.close();
    }
}
