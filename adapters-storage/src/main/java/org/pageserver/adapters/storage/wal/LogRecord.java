package org.pageserver.adapters.storage.wal;

import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.zip.CRC32C;
import org.pageserver.domain.id.TenantId;
import org.pageserver.domain.id.TimelineId;
import org.pageserver.domain.lsn.Lsn;

/**
 * One logged batch. Integers big-endian:
 *
 * <pre>
 * record := len:u32 | crc32c:u32 | tenant:16B | timeline:16B | lastLsn:u64 | batch:(len - 40)B
 * </pre>
 *
 * {@code len} counts the bytes after the checksum, and the CRC32C covers exactly those bytes: a
 * damaged length makes the checksum cover the wrong bytes, so it fails too. In a segment of format
 * version 2 the stored checksum is the CRC32C XOR {@link SegmentFile#crcMask the segment's mask}:
 * a record left over from a reused file's earlier life, whole as it is, fails the check, so
 * replay never takes it for one of this segment's. {@code lastLsn} is the
 * batch's last record's LSN, kept outside the batch so that the log can tell what a segment still
 * holds without decoding batches. {@code batch} is the batch exactly as it was received
 * ({@code WalBatch.encoded()}).
 */
final class LogRecord {
    /** {@code len} and {@code crc32c}. */
    static final int PREFIX = 8;
    /** The bytes after the prefix that precede the batch. */
    static final int FIXED_BODY = 16 + 16 + 8;
    static final int MAX_BATCH = Integer.MAX_VALUE - PREFIX - FIXED_BODY;

    private static final HexFormat HEX = HexFormat.of();

    private LogRecord() {
    }

    record Decoded(TimelineKey timeline, Lsn lastLsn, byte[] batch) {
        /** A forget record: everything logged of this timeline before it is void (see {@link #forget}). */
        boolean isForget() {
            return batch.length == 0;
        }
    }

    /**
     * The record {@code IngestLog.forget} writes: no batch, LSN 0/0. A timeline deleted and then
     * created again under the same id must not get its predecessor's batches at the next replay;
     * replay skips every record of a timeline that comes before its last forget record.
     */
    static ByteBuffer forget(TimelineKey timeline) {
        return encode(timeline, Lsn.INVALID, new byte[0]);
    }

    static ByteBuffer encode(TimelineKey timeline, Lsn lastLsn, byte[] batch) {
        ByteBuffer head = head(timeline, lastLsn, batch);
        return ByteBuffer.allocate(head.remaining() + batch.length).put(head).put(batch).flip();
    }

    /**
     * Everything of the record but the batch: written before the batch as it was received, so a
     * large batch is never copied into a record-sized array.
     */
    static ByteBuffer head(TimelineKey timeline, Lsn lastLsn, byte[] batch) {
        if (batch.length > MAX_BATCH) {
            throw new IllegalArgumentException("a batch of " + batch.length + " bytes is too large to log");
        }
        ByteBuffer head = ByteBuffer.allocate(PREFIX + FIXED_BODY);
        head.putInt(FIXED_BODY + batch.length).putInt(0)
                .put(HEX.parseHex(timeline.tenantId().hex())).put(HEX.parseHex(timeline.timelineId().hex()))
                .putLong(lastLsn.value());
        CRC32C crc = new CRC32C();
        crc.update(head.array(), PREFIX, FIXED_BODY);
        crc.update(batch, 0, batch.length);
        head.putInt(4, (int) crc.getValue());
        return head.flip();
    }

    /** Applies a segment's mask to the checksum of the record that {@code record}'s position starts. */
    static void maskCrc(ByteBuffer record, int mask) {
        int at = record.position() + 4;
        record.putInt(at, record.getInt(at) ^ mask);
    }

    static int crc(byte[] bytes, int offset, int length) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, offset, length);
        return (int) crc.getValue();
    }

    /** Decodes the bytes after the prefix, already checked against their checksum. */
    static Decoded decodeBody(byte[] body) {
        ByteBuffer in = ByteBuffer.wrap(body);
        byte[] id = new byte[16];
        in.get(id);
        TenantId tenant = TenantId.parse(HEX.formatHex(id));
        in.get(id);
        TimelineId timeline = TimelineId.parse(HEX.formatHex(id));
        Lsn lastLsn = Lsn.of(in.getLong());
        byte[] batch = new byte[in.remaining()];
        in.get(batch);
        return new Decoded(new TimelineKey(tenant, timeline), lastLsn, batch);
    }
}
