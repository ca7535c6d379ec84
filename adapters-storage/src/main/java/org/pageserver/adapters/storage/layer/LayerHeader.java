package org.pageserver.adapters.storage.layer;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.zip.CRC32C;
import org.pageserver.domain.lsn.Lsn;
import org.pageserver.domain.page.Key;

/**
 * The fixed-size block at offset 0 of a delta layer file; {@link DeltaLayerWriter} documents the
 * layout. It carries its own checksum so that a damaged header is reported as such before any of
 * its offsets is trusted.
 */
record LayerHeader(Key keyStart, Key keyEnd, Lsn lsnStart, Lsn lsnEnd, long versionCount, int keyCount,
                   long indexOffset, long fileLength, int bodyCrc) {

    static final int MAGIC = 0x5053_444C; // "PSDL": pageserver delta layer
    static final short FORMAT_VERSION = 1;
    static final int SIZE = 96;
    private static final int HEADER_CRC_OFFSET = SIZE - 4;

    ByteBuffer encode() {
        ByteBuffer out = ByteBuffer.allocate(SIZE);
        out.putInt(MAGIC).putShort(FORMAT_VERSION).putShort((short) 0);
        keyStart.writeTo(out);
        keyEnd.writeTo(out);
        out.putLong(lsnStart.value()).putLong(lsnEnd.value()).putLong(versionCount).putInt(keyCount)
                .putLong(indexOffset).putLong(fileLength).putInt(bodyCrc);
        out.putInt(crc(out.array()));
        return out.flip();
    }

    /** @throws CorruptLayerException naming {@code file} if the bytes are not a header of this format */
    static LayerHeader decode(ByteBuffer in, Path file) {
        if (in.remaining() < SIZE) {
            throw new CorruptLayerException(file, "shorter than its " + SIZE + "-byte header");
        }
        byte[] bytes = new byte[SIZE];
        in.get(bytes);
        ByteBuffer b = ByteBuffer.wrap(bytes);
        int magic = b.getInt();
        if (magic != MAGIC) {
            throw new CorruptLayerException(file, String.format("magic %08X is not a delta layer's %08X", magic, MAGIC));
        }
        short version = b.getShort();
        if (version != FORMAT_VERSION) {
            throw new CorruptLayerException(file, "format version " + version + ", this server reads " + FORMAT_VERSION);
        }
        if (b.getInt(HEADER_CRC_OFFSET) != crc(bytes)) {
            throw new CorruptLayerException(file, "header checksum mismatch");
        }
        b.getShort();
        return new LayerHeader(Key.readFrom(b), Key.readFrom(b), Lsn.of(b.getLong()), Lsn.of(b.getLong()),
                b.getLong(), b.getInt(), b.getLong(), b.getLong(), b.getInt());
    }

    private static int crc(byte[] header) {
        CRC32C crc = new CRC32C();
        crc.update(header, 0, HEADER_CRC_OFFSET);
        return (int) crc.getValue();
    }
}
