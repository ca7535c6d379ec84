package org.pageserver.adapters.storage.layer;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.zip.CRC32C;
import org.pageserver.domain.lsn.Lsn;
import org.pageserver.domain.page.Key;

/**
 * The delta layer file, format version 3. Every integer big-endian and unsigned:
 *
 * <pre>
 * file     := header | body | versions | index | footer
 * header   := magic:u32 = 0x5053444C ("PSDL") | formatVersion:u16 = 3 | reserved:u16 = 0 | salt:u32
 *             | lsnStart:u64 | headerCrc:u32 (CRC32C of the 20 bytes before it) | zeros to 4096 bytes
 * body     := the batches as they were ingested, each its versions and then a commit:
 *   version := tag:u8 = 1 | key:18B | lsn:u64 | valueLength:u32 | valueCrc:u32 | value
 *              value: Value.encode(), as given; valueCrc: CRC32C of the value
 *   commit  := tag:u8 = 2 | lastLsn:u64 | prevLsn:u64 | crc:u32
 *              crc = salt XOR CRC32C of the bytes from the end of the previous commit (or of the
 *              header) up to this commit's crc
 * versions := for each key in ascending order, its versions NEWEST FIRST: lsn:u64 | position:u64
 *             (the offset of the version's entry in the body)
 * index    := for each key in ascending order: key:18B | versionsOffset:u64 | versionsLength:u32
 *             | minLsn:u64                                                   ({@link LayerIndex})
 * footer   := magic:u32 | formatVersion:u16 | reserved:u16 | keyStart:18B | keyEnd:18B | lsnStart:u64
 *             | lsnEnd:u64 | prevOfLast:u64 | versionCount:u64 | keyCount:u32 | bodyEnd:u64
 *             | versionsOffset:u64 | indexOffset:u64 | fileLength:u64
 *             | tailCrc:u32 (CRC32C of versions and index) | footerCrc:u32          (120 bytes)
 * </pre>
 *
 * <p>The file is written front to back exactly once. While its layer is open in memory it is an
 * <em>ingest file</em> ({@code <lsnStart>.ingest}): header and body only, each batch made durable by
 * an fsync before it is acknowledged, so the body doubles as the timeline's write-ahead log. Sealing
 * appends versions, index and footer and renames the file to its layer name. Values therefore sit
 * in arrival order, not key order: a point read is a binary search in the in-memory index, a read
 * of the key's version list, and a read per version it needs (usually one, ending at an image).
 * A delta layer that maintenance writes whole ({@link DeltaLayerWriter}) has the same layout: its
 * body is one batch, in key order, and one commit.
 *
 * <p>Recovery reads a body front to back and keeps it up to the last commit whose checksum holds
 * ({@link BodyScanner}); checking a sealed file whole is the same walk, which must end at
 * {@code bodyEnd}, and the tail's checksum. The salt, random per file, makes a commit copied from
 * another file fail its check. Opening a file reads only header, footer and tail (versions and
 * index), each checked by its own checksum: a start-up reads metadata, not data. A value is checked
 * by its own checksum when a read reads it (format version 3 added it for that; version 2 files are
 * not read: a start on them fails naming the version).
 */
final class LayerFormat {
    static final int MAGIC = 0x5053_444C; // "PSDL": pageserver delta layer
    static final short FORMAT_VERSION = 3;
    /** One 4 KiB block, so that the body starts block-aligned. */
    static final int HEADER_SIZE = 4096;
    static final int FOOTER_SIZE = 120;
    static final byte TAG_VERSION = 1;
    static final byte TAG_COMMIT = 2;
    /** A version entry without its value. */
    static final int VERSION_HEAD = 1 + Key.ENCODED_SIZE + 8 + 4 + 4;
    /** Where in a version entry its value's length is, and its value's checksum. */
    static final int VALUE_LENGTH_OFFSET = 1 + Key.ENCODED_SIZE + 8;
    static final int VALUE_CRC_OFFSET = VALUE_LENGTH_OFFSET + 4;
    /** A commit entry, and its bytes before the checksum. */
    static final int COMMIT_SIZE = 1 + 8 + 8 + 4;
    static final int COMMIT_CHECKED = COMMIT_SIZE - 4;
    /** An entry of the versions region. */
    static final int VERSION_REF = 8 + 8;
    private static final int HEADER_FIELDS = 4 + 2 + 2 + 4 + 8;

    private LayerFormat() {
    }

    /** The header block. */
    static ByteBuffer header(int salt, Lsn lsnStart) {
        ByteBuffer out = ByteBuffer.allocate(HEADER_SIZE);
        out.putInt(MAGIC).putShort(FORMAT_VERSION).putShort((short) 0).putInt(salt).putLong(lsnStart.value());
        out.putInt(crc(out.array(), 0, HEADER_FIELDS));
        return out.clear();
    }

    record Header(int salt, Lsn lsnStart) {
    }

    /** @throws CorruptLayerException naming {@code file} if the bytes are not a header of this format */
    static Header decodeHeader(ByteBuffer in, Path file) {
        if (in.remaining() < HEADER_FIELDS + 4) {
            throw new CorruptLayerException(file, "shorter than its header");
        }
        ByteBuffer b = in.slice();
        checkMagic(b.getInt(), b.getShort(), file);
        b.getShort();
        int salt = b.getInt();
        Lsn lsnStart = Lsn.of(b.getLong());
        byte[] fields = new byte[HEADER_FIELDS];
        in.slice().get(fields);
        if (b.getInt() != crc(fields, 0, HEADER_FIELDS)) {
            throw new CorruptLayerException(file, "header checksum mismatch");
        }
        return new Header(salt, lsnStart);
    }

    record Footer(Key keyStart, Key keyEnd, Lsn lsnStart, Lsn lsnEnd, Lsn prevOfLast, long versionCount, int keyCount,
                  long bodyEnd, long versionsOffset, long indexOffset, long fileLength, int tailCrc) {

        ByteBuffer encode() {
            ByteBuffer out = ByteBuffer.allocate(FOOTER_SIZE);
            out.putInt(MAGIC).putShort(FORMAT_VERSION).putShort((short) 0);
            keyStart.writeTo(out);
            keyEnd.writeTo(out);
            out.putLong(lsnStart.value()).putLong(lsnEnd.value()).putLong(prevOfLast.value()).putLong(versionCount)
                    .putInt(keyCount).putLong(bodyEnd).putLong(versionsOffset).putLong(indexOffset).putLong(fileLength)
                    .putInt(tailCrc);
            out.putInt(crc(out.array(), 0, FOOTER_SIZE - 4));
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
            if (b.getInt(FOOTER_SIZE - 4) != crc(bytes, 0, FOOTER_SIZE - 4)) {
                throw new CorruptLayerException(file, "footer checksum mismatch");
            }
            b.getShort();
            return new Footer(Key.readFrom(b), Key.readFrom(b), Lsn.of(b.getLong()), Lsn.of(b.getLong()),
                    Lsn.of(b.getLong()), b.getLong(), b.getInt(), b.getLong(), b.getLong(), b.getLong(), b.getLong(),
                    b.getInt());
        }
    }

    private static void checkMagic(int magic, short version, Path file) {
        if (magic != MAGIC) {
            String kind = magic == ImageFormat.MAGIC ? "an image layer's" : "not a delta layer's";
            throw new CorruptLayerException(file, String.format("magic %08X is %s (a delta layer's is %08X)", magic, kind, MAGIC));
        }
        if (version != FORMAT_VERSION) {
            throw new CorruptLayerException(file, "format version " + version + ", this server reads " + FORMAT_VERSION);
        }
    }

    static int crc(byte[] bytes, int offset, int length) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, offset, length);
        return (int) crc.getValue();
    }
}
