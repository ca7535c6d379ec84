package org.pageserver.adapters.storage.layer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
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
 * An open delta layer file ({@link LayerFormat} has the format). Opening checks the whole file
 * once (unless the store has just written it) and loads the key index; reads after that take the
 * file's bytes from its mapping or by positional reads ({@link ReadableFile}), neither of which
 * keeps a shared position, so any number of threads may read at once.
 */
final class DeltaLayerReader implements LayerReader {
    /** A key's version list is read this much at a time: 256 versions. */
    private static final int REFS_READ = 256 * LayerFormat.VERSION_REF;
    /**
     * A version's first read: the entry of a page image (31 + 8,193 bytes) and no more. Most reads
     * end at the newest version, an image; a larger value takes a second read.
     */
    private static final int VALUE_FIRST_READ = LayerFormat.VERSION_HEAD + 8193;
    /** The index is read into one array; beyond this many keys it would not fit. */
    static final int MAX_KEYS = Integer.MAX_VALUE / LayerIndex.ENTRY_SIZE;

    private final Path file;
    private final ReadableFile bytes;
    private final LayerIndex index;
    private final LayerFormat.Footer footer;

    private DeltaLayerReader(Path file, ReadableFile bytes, LayerIndex index, LayerFormat.Footer footer) {
        this.file = file;
        this.bytes = bytes;
        this.index = index;
        this.footer = footer;
    }

    /** What the file's footer says: its key and LSN ranges, the record before its last one. */
    LayerFormat.Footer footer() {
        return footer;
    }

    /**
     * Opens the file by reading its header, footer and tail (version lists and index), each checked
     * by its own checksum; values are checked when they are read.
     *
     * @throws CorruptLayerException naming the file if it is truncated, damaged or not a layer
     */
    static DeltaLayerReader open(Path file) throws IOException {
        return open(file, false, false);
    }

    /**
     * @param whole whether to check every byte first, the body's batches too (a read of the whole
     *              file): for a file about to be recorded without having been read
     * @param map   whether to map the file for its reads ({@link ReadableFile})
     */
    static DeltaLayerReader open(Path file, boolean whole, boolean map) throws IOException {
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
        try {
            long size = channel.size();
            // The header first: a file of another kind is then named as such, however short.
            LayerFormat.Header header = LayerFormat.decodeHeader(
                    PositionalRead.readFully(channel, file, 0, (int) Math.min(size, 64)), file);
            if (size < LayerFormat.HEADER_SIZE + LayerFormat.FOOTER_SIZE) {
                throw new CorruptLayerException(file, "has " + size + " bytes, less than a header and a footer");
            }
            LayerFormat.Footer footer = LayerFormat.Footer.decode(
                    PositionalRead.readFully(channel, file, size - LayerFormat.FOOTER_SIZE, LayerFormat.FOOTER_SIZE), file);
            checkBounds(file, size, header, footer);
            if (whole) {
                checkBody(channel, file, header, footer);
            }
            LayerIndex index = new LayerIndex(checkedIndex(channel, file, footer));
            return new DeltaLayerReader(file, ReadableFile.of(file, channel, size, map), index, footer);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    private static void checkBounds(Path file, long size, LayerFormat.Header header, LayerFormat.Footer f) {
        if (f.fileLength() != size) {
            throw new CorruptLayerException(file, "the footer records " + f.fileLength() + " bytes but the file has "
                    + size + " (truncated or extended)");
        }
        if (!f.lsnStart().equals(header.lsnStart())) {
            throw new CorruptLayerException(file, "header and footer disagree on the first LSN");
        }
        if (f.keyCount() < 0 || f.keyCount() > MAX_KEYS || f.versionCount() < f.keyCount()
                || f.bodyEnd() < LayerFormat.HEADER_SIZE || f.versionsOffset() != f.bodyEnd()
                || f.versionsOffset() + f.versionCount() * LayerFormat.VERSION_REF != f.indexOffset()
                || f.indexOffset() + (long) f.keyCount() * LayerIndex.ENTRY_SIZE != size - LayerFormat.FOOTER_SIZE) {
            throw new CorruptLayerException(file, "its regions (body to " + f.bodyEnd() + ", " + f.versionCount()
                    + " versions at " + f.versionsOffset() + ", " + f.keyCount() + " keys at " + f.indexOffset()
                    + ") do not fill the " + size + "-byte file");
        }
    }

    /** Every batch of the body is whole: the walk that recovery makes ends exactly at the body's end. */
    private static void checkBody(FileChannel channel, Path file, LayerFormat.Header header, LayerFormat.Footer footer)
            throws IOException {
        BodyScanner.Scan body = BodyScanner.scan(channel, header.salt(), footer.bodyEnd());
        if (body.end() != footer.bodyEnd() || body.versions().size() != footer.versionCount()) {
            throw new CorruptLayerException(file, "its body checks out to " + body.end() + " with "
                    + body.versions().size() + " versions, the footer says " + footer.bodyEnd() + " with "
                    + footer.versionCount());
        }
    }

    /**
     * Reads the tail (version lists, then index) and checks it; returns the index's bytes, which
     * stay in memory. The version lists are checked a megabyte at a time: a layer of small deltas
     * has tens of megabytes of them.
     */
    private static byte[] checkedIndex(FileChannel channel, Path file, LayerFormat.Footer footer) throws IOException {
        CRC32C crc = new CRC32C();
        ByteBuffer buffer = ByteBuffer.allocate(1 << 20);
        for (long position = footer.versionsOffset(); position < footer.indexOffset(); ) {
            buffer.clear().limit((int) Math.min(buffer.capacity(), footer.indexOffset() - position));
            int n = channel.read(buffer, position);
            if (n < 0) {
                throw new CorruptLayerException(file, "ended at " + position + " while being checked");
            }
            crc.update(buffer.flip());
            position += n;
        }
        ByteBuffer index = PositionalRead.readFully(channel, file, footer.indexOffset(),
                footer.keyCount() * LayerIndex.ENTRY_SIZE);
        crc.update(index.duplicate());
        if ((int) crc.getValue() != footer.tailCrc()) {
            throw new CorruptLayerException(file, "checksum mismatch in its version lists or index");
        }
        return index.array();
    }

    @Override
    public List<Version> versions(Key key, Lsn maxLsn) {
        return versions(key, maxLsn, Read.POOLED);
    }

    @Override
    public List<Version> versionsIfInMemory(Key key, Lsn maxLsn) {
        return versions(key, maxLsn, Read.POOLED_IF_IN_MEMORY);
    }

    /** The versions, read as {@code how} says: null if it says to read only bytes in memory and some are not. */
    private List<Version> versions(Key key, Lsn maxLsn, Read how) {
        int i = index.find(key);
        if (i < 0 || index.minLsn(i).isAfter(maxLsn)) {
            return List.of();
        }
        bytes.enter();
        try {
            return versions(i, key, maxLsn, how);
        } finally {
            bytes.exit();
        }
    }

    /** The versions of the {@code i}th key, newest first, down to its newest image at or below {@code maxLsn}. */
    private List<Version> versions(int i, Key key, Lsn maxLsn, Read how) {
        List<Version> newestFirst = new ArrayList<>();
        long position = index.offset(i);
        long end = position + index.length(i);
        ByteBuffer refs = ByteBuffer.allocate(0);
        while (position < end || refs.hasRemaining()) {
            if (!refs.hasRemaining()) {
                int n = (int) Math.min(REFS_READ, end - position);
                refs = bytes.read(how, PositionalRead.Pooled.VERSION_LIST, position, n);
                if (refs == null) {
                    return null;
                }
                position += n;
            }
            Lsn lsn = Lsn.of(refs.getLong());
            long at = refs.getLong();
            if (lsn.isAfter(maxLsn)) {
                continue;
            }
            ByteBuffer encoded = readEncoded(at, key, lsn, how);
            if (encoded == null) {
                return null;
            }
            Value value = Value.decode(encoded);
            newestFirst.add(new Version(lsn, value));
            if (value.willInit()) {
                break;
            }
        }
        return newestFirst;
    }

    /**
     * The value of the version entry at {@code at}, checked to be the one the version list names,
     * as the file holds it (not decoded), read as {@code how} says ({@link Read}: in a buffer of its
     * own, or in the mapping or the thread's pooled buffer, valid as long as that says; null where
     * only bytes in memory are to be read and these are not). A page decoded out of the mapping or
     * the pooled buffer is copied once, to its array.
     */
    private ByteBuffer readEncoded(long at, Key key, Lsn lsn, Read how) {
        if (at < LayerFormat.HEADER_SIZE || at > footer.bodyEnd() - LayerFormat.VERSION_HEAD) {
            throw new CorruptLayerException(file, "version " + key + "@" + lsn + " points at " + at + ", outside the body");
        }
        ByteBuffer entry = readValueBytes(at, (int) Math.min(VALUE_FIRST_READ, footer.bodyEnd() - at), how);
        if (entry == null) {
            return null;
        }
        if (entry.get(0) != LayerFormat.TAG_VERSION || !Key.readFrom(entry.slice(1, Key.ENCODED_SIZE)).equals(key)
                || entry.getLong(1 + Key.ENCODED_SIZE) != lsn.value()) {
            throw new CorruptLayerException(file, "the entry at " + at + " is not version " + key + "@" + lsn);
        }
        int length = entry.getInt(LayerFormat.VALUE_LENGTH_OFFSET);
        if (length < 0 || length > footer.bodyEnd() - at - LayerFormat.VERSION_HEAD) {
            throw new CorruptLayerException(file, "version " + key + "@" + lsn + " at " + at + " runs past the body");
        }
        if (entry.remaining() < LayerFormat.VERSION_HEAD + length) {
            entry = readValueBytes(at, LayerFormat.VERSION_HEAD + length, how);
            if (entry == null) {
                return null;
            }
        }
        ByteBuffer value = entry.slice(LayerFormat.VERSION_HEAD, length);
        CRC32C crc = new CRC32C();
        crc.update(value.duplicate());
        if ((int) crc.getValue() != entry.getInt(LayerFormat.VALUE_CRC_OFFSET)) {
            throw new CorruptLayerException(file, "checksum mismatch in the value of version " + key + "@" + lsn + " at " + at);
        }
        return value;
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
    public Iterator<EncodedVersion> scan() {
        return new LayerScan(index.size(), this::oldestFirst);
    }

    /** The versions of the {@code i}th key, oldest first: its version list read now, each value when reached. */
    private Iterator<EncodedVersion> oldestFirst(int i) {
        Key key = index.key(i);
        int length = index.length(i);
        if (length <= 0 || length % LayerFormat.VERSION_REF != 0) {
            throw new CorruptLayerException(file, "the version list of " + key + " has " + length + " bytes");
        }
        ByteBuffer refs = read(index.offset(i), length);
        return new Iterator<>() {
            // The list is newest first: walk it from its end.
            private int ref = length;

            @Override
            public boolean hasNext() {
                return ref > 0;
            }

            @Override
            public EncodedVersion next() {
                if (ref == 0) {
                    throw new NoSuchElementException();
                }
                ref -= LayerFormat.VERSION_REF;
                Lsn lsn = Lsn.of(refs.getLong(ref));
                return new EncodedVersion(key, lsn, readEncoded(refs.getLong(ref + 8), key, lsn, Read.COPY));
            }
        };
    }

    @Override
    public void close() {
        bytes.close();
    }

    private ByteBuffer read(long position, int length) {
        return bytes.read(Read.COPY, null, position, length);
    }

    private ByteBuffer readValueBytes(long position, int length, Read how) {
        return bytes.read(how, PositionalRead.Pooled.VALUE, position, length);
    }
}
