package org.pageserver.adapters.storage.layer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.zip.CRC32C;
import org.pageserver.domain.layer.LayerDescriptor;
import org.pageserver.domain.layer.LayerName;
import org.pageserver.domain.lsn.Lsn;
import org.pageserver.domain.page.EncodedVersion;
import org.pageserver.domain.page.Key;

/**
 * Writes an image layer ({@link ImageFormat}): one entry per key, in key order, all at the
 * writer's LSN, then the index and the footer. Memory: the index as it will be written, 26 bytes
 * a key; values go straight to the file's write buffer.
 */
final class ImageLayerWriter extends WholeLayerWriter {
    private final Lsn lsn;
    private final CRC32C valueCrc = new CRC32C();
    private final ByteBuffer head = ByteBuffer.allocate(ImageFormat.ENTRY_HEAD);
    /** The index, as the file will hold it: per key, key:18B | entryOffset:u64. */
    private ByteBuffer index = ByteBuffer.allocate(256 * ImageFormat.INDEX_ENTRY_SIZE);
    private int keyCount;
    private Key firstKey;
    private Key lastKey;

    private ImageLayerWriter(UnpublishedLayerFile file, Lsn lsn) {
        super(file);
        this.lsn = lsn;
    }

    /** Starts the file in {@code dir}, under a temporary name. */
    static ImageLayerWriter create(Path dir, Lsn lsn, WriteMode mode) throws IOException {
        return new ImageLayerWriter(UnpublishedLayerFile.create(dir, lsn, ImageFormat.header(lsn), mode), lsn);
    }

    @Override
    public void add(EncodedVersion version) {
        file.requireWritable();
        Key key = version.key();
        if (!version.lsn().equals(lsn)) {
            throw new IllegalArgumentException(key + "@" + version.lsn() + " is not at the image's LSN " + lsn);
        }
        if (lastKey != null && key.compareTo(lastKey) <= 0) {
            throw new IllegalArgumentException("keys out of order: " + lastKey + " then " + key);
        }
        // Grown before anything is written: an image too large for its index then leaves the file as it was.
        index = GrowableBuffer.ensure(index, ImageFormat.INDEX_ENTRY_SIZE);
        ByteBuffer value = version.value().duplicate();
        valueCrc.reset();
        valueCrc.update(value.duplicate());
        head.clear();
        key.writeTo(head);
        head.putInt(value.remaining()).putInt((int) valueCrc.getValue()).flip();
        long offset = file.end();
        file.append(head);
        file.append(value);
        key.writeTo(index);
        index.putLong(offset);
        keyCount++;
        firstKey = firstKey == null ? key : firstKey;
        lastKey = key;
    }

    @Override
    public long entries() {
        return keyCount;
    }

    @Override
    public LayerDescriptor finish(LayerName name) {
        if (keyCount == 0) {
            throw new IllegalArgumentException("nothing was added to image layer file " + file.path());
        }
        if (!name.image() || !name.lsnStart().equals(lsn) || !name.containsKey(firstKey) || !name.containsKey(lastKey)) {
            throw new IllegalArgumentException("image layer " + name + " does not hold what was written: keys " + firstKey
                    + " to " + lastKey + " at LSN " + lsn);
        }
        return file.finish(name, out -> {
            long indexOffset = out.end();
            ByteBuffer entries = index.duplicate().flip();
            CRC32C indexCrc = new CRC32C();
            indexCrc.update(entries.duplicate());
            out.append(entries);
            long fileLength = out.end() + ImageFormat.FOOTER_SIZE;
            out.append(new ImageFormat.Footer(name.keyStart(), name.keyEnd(), lsn, keyCount, indexOffset, fileLength,
                    (int) indexCrc.getValue()).encode());
            out.finish();
            return fileLength;
        });
    }
}
