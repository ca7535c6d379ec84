package org.pageserver.adapters.storage.layer;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import org.pageserver.domain.lsn.Lsn;
import org.pageserver.domain.page.Key;

/**
 * The image layer file, format version 1: the value of each key of a key range as of one LSN.
 * Every integer big-endian and unsigned:
 *
 * <pre>
 * file    := header | values | index | footer
 * header  := magic:u32 = 0x50534958 ("PSIX") | formatVersion:u16 = 1 | reserved:u16 = 0 | lsn:u64
 *            | headerCrc:u32 (CRC32C of the 16 bytes before it)                             (20 bytes)
 * values  := one entry per key, keys ascending, each entry right after the one before:
 *   entry := key:18B | valueLength:u32 | valueCrc:u32 | value
 *            value: Value.encode(), as given; valueCrc: CRC32C of the value
 * index   := per key, ascending: key:18B | entryOffset:u64                                  (26 bytes)
 * footer  := magic:u32 | formatVersion:u16 | reserved:u16 | keyStart:18B | keyEnd:18B | lsn:u64
 *            | keyCount:u32 | indexOffset:u64 | fileLength:u64
 *            | indexCrc:u32 (CRC32C of the index) | footerCrc:u32 (CRC32C of the 76 bytes before it) (80 bytes)
 * </pre>
 *
 * <p>No version lists, no commits, no salt: an image is written whole by maintenance, forced once
 * and renamed into place ({@link ImageLayerWriter}), never recovered from a torn tail, so there is
 * no log to replay and no commit of another file to mistake for its own. Magic and version sit
 * where a delta layer's do ({@link LayerFormat}), so that each reader tells the other kind by name.
 *
 * <p>Entries have no gaps: entry {@code i} ends where entry {@code i + 1} (or the index) begins, so
 * the index gives each entry's exact length and a point read is one read. That read checks the
 * entry's key against the index's, its length against the span and its value against its
 * checksum: every byte of the values region is checked by whatever reads it. Opening reads only
 * header, footer and index, each checked by its own checksum; a whole check reads every entry.
 */
final class ImageFormat {
    static final int MAGIC = 0x5053_4958; // "PSIX": pageserver image layer
    static final short FORMAT_VERSION = 1;
    static final int HEADER_SIZE = 4 + 2 + 2 + 8 + 4;
    static final int FOOTER_SIZE = 4 + 2 + 2 + 2 * Key.ENCODED_SIZE + 8 + 4 + 8 + 8 + 4 + 4;
    /** An entry without its value. */
    static final int ENTRY_HEAD = Key.ENCODED_SIZE + 4 + 4;
    static final int VALUE_LENGTH_OFFSET = Key.ENCODED_SIZE;
    static final int VALUE_CRC_OFFSET = VALUE_LENGTH_OFFSET + 4;
    /** An index entry, and where in it the entry's offset is. */
    static final int INDEX_ENTRY_SIZE = Key.ENCODED_SIZE + 8;
    static final int ENTRY_OFFSET_AT = Key.ENCODED_SIZE;

    private ImageFormat() {
    }

    static ByteBuffer header(Lsn lsn) {
        ByteBuffer out = ByteBuffer.allocate(HEADER_SIZE);
        out.putInt(MAGIC).putShort(FORMAT_VERSION).putShort((short) 0).putLong(lsn.value());
        out.putInt(LayerFormat.crc(out.array(), 0, HEADER_SIZE - 4));
        return out.flip();
    }

    /**
     * The image's LSN, from the header.
     *
     * @throws CorruptLayerException naming {@code file} if the bytes are not a header of this format
     */
    static Lsn decodeHeader(ByteBuffer in, Path file) {
        if (in.remaining() < HEADER_SIZE) {
            throw new CorruptLayerException(file, "shorter than its " + HEADER_SIZE + "-byte header");
        }
        ByteBuffer b = in.slice();
        checkMagic(b.getInt(0), b.getShort(4), file);
        byte[] bytes = new byte[HEADER_SIZE];
        b.get(0, bytes);
        if (b.getInt(HEADER_SIZE - 4) != LayerFormat.crc(bytes, 0, HEADER_SIZE - 4)) {
            throw new CorruptLayerException(file, "header checksum mismatch");
        }
        return Lsn.of(b.getLong(8));
    }

    record Footer(Key keyStart, Key keyEnd, Lsn lsn, int keyCount, long indexOffset, long fileLength, int indexCrc) {

        ByteBuffer encode() {
            ByteBuffer out = ByteBuffer.allocate(FOOTER_SIZE);
            out.putInt(MAGIC).putShort(FORMAT_VERSION).putShort((short) 0);
            keyStart.writeTo(out);
            keyEnd.writeTo(out);
            out.putLong(lsn.value()).putInt(keyCount).putLong(indexOffset).putLong(fileLength).putInt(indexCrc);
            out.putInt(LayerFormat.crc(out.array(), 0, FOOTER_SIZE - 4));
            return out.flip();
        }

        /** @throws CorruptLayerException naming {@code file} if the bytes are not a footer of this format */
        static Footer decode(ByteBuffer in, Path file) {
            if (in.remaining() < FOOTER_SIZE) {
                throw new CorruptLayerException(file, "shorter than its " + FOOTER_SIZE + "-byte footer");
            }
            byte[] bytes = new byte[FOOTER_SIZE];
            in.get(bytes);
            ByteBuffer b = ByteBuffer.wrap(bytes);
            checkMagic(b.getInt(), b.getShort(), file);
            if (b.getInt(FOOTER_SIZE - 4) != LayerFormat.crc(bytes, 0, FOOTER_SIZE - 4)) {
                throw new CorruptLayerException(file, "footer checksum mismatch");
            }
            b.getShort();
            return new Footer(Key.readFrom(b), Key.readFrom(b), Lsn.of(b.getLong()), b.getInt(), b.getLong(), b.getLong(),
                    b.getInt());
        }
    }

    private static void checkMagic(int magic, short version, Path file) {
        if (magic != MAGIC) {
            String kind = magic == LayerFormat.MAGIC ? "a delta layer's" : "not an image layer's";
            throw new CorruptLayerException(file, String.format("magic %08X is %s (an image layer's is %08X)", magic, kind, MAGIC));
        }
        if (version != FORMAT_VERSION) {
            throw new CorruptLayerException(file, "image format version " + version + ", this server reads " + FORMAT_VERSION);
        }
    }
}
