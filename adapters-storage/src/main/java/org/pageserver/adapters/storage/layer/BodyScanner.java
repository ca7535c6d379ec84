package org.pageserver.adapters.storage.layer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;
import org.pageserver.application.port.out.IngestFile.Placed;
import org.pageserver.domain.lsn.Lsn;
import org.pageserver.domain.page.Key;

/**
 * Walks a layer file's body ({@link LayerFormat}) front to back, checking each commit, and stops
 * at the first entry that is not whole and checked: the end of what was made durable, after a
 * crash, or the end of a sealed file's body.
 */
final class BodyScanner {
    private static final int READ_SIZE = 1 << 20;

    /**
     * What the body holds up to its last good commit.
     *
     * @param versions every version before that commit, in file order
     * @param lastLsn  the last commit's LSNs; null if there is no good commit
     */
    record Scan(long end, List<Placed> versions, Lsn lastLsn, Lsn prevLsn) {
        boolean isEmpty() {
            return lastLsn == null;
        }
    }

    private BodyScanner() {
    }

    /** Scans from the header's end up to {@code limit} (the file's size, or a sealed file's body end). */
    static Scan scan(FileChannel channel, int salt, long limit) throws IOException {
        return scan(channel, salt, limit, READ_SIZE);
    }

    /** @param readSize the bytes read at a time (tests make it small, so that entries straddle reads) */
    static Scan scan(FileChannel channel, int salt, long limit, int readSize) throws IOException {
        Reader in = new Reader(channel, LayerFormat.HEADER_SIZE, limit, readSize);
        CRC32C crc = new CRC32C();
        List<Placed> versions = new ArrayList<>();
        int committed = 0;
        long end = LayerFormat.HEADER_SIZE;
        Lsn lastLsn = null;
        Lsn prevLsn = null;
        while (true) {
            long position = in.position();
            ByteBuffer tag = in.take(1);
            if (tag == null) {
                break;
            }
            byte kind = tag.get(0);
            // Taken into the checksum now: the next take may reuse the buffer the tag was read into.
            crc.update(kind);
            if (kind == LayerFormat.TAG_VERSION) {
                ByteBuffer head = in.take(LayerFormat.VERSION_HEAD - 1);
                if (head == null) {
                    break;
                }
                Key key = Key.readFrom(head.duplicate());
                Lsn lsn = Lsn.of(head.getLong(Key.ENCODED_SIZE));
                int length = head.getInt(Key.ENCODED_SIZE + 8);
                if (length < 0 || length > limit - in.position()) {
                    break;
                }
                crc.update(head);
                ByteBuffer value = in.take(length);
                if (value == null) {
                    break;
                }
                crc.update(value);
                versions.add(new Placed(key, lsn, position));
            } else if (kind == LayerFormat.TAG_COMMIT) {
                ByteBuffer fields = in.take(LayerFormat.COMMIT_SIZE - 1);
                if (fields == null) {
                    break;
                }
                crc.update(fields.duplicate().limit(LayerFormat.COMMIT_CHECKED - 1));
                if (fields.getInt(LayerFormat.COMMIT_CHECKED - 1) != ((int) crc.getValue() ^ salt)) {
                    break;
                }
                crc.reset();
                lastLsn = Lsn.of(fields.getLong(0));
                prevLsn = Lsn.of(fields.getLong(8));
                committed = versions.size();
                end = in.position();
            } else {
                break;
            }
        }
        return new Scan(end, new ArrayList<>(versions.subList(0, committed)), lastLsn, prevLsn);
    }

    /** Sequential reads through a buffer; {@link #take} hands out views of it. */
    private static final class Reader {
        private final FileChannel channel;
        private final long limit;
        private ByteBuffer buffer;
        /** The file offset of the buffer's first byte. */
        private long bufferStart;

        Reader(FileChannel channel, long start, long limit, int readSize) {
            this.channel = channel;
            this.buffer = ByteBuffer.allocate(readSize).limit(0);
            this.bufferStart = start;
            this.limit = limit;
        }

        long position() {
            return bufferStart + buffer.position();
        }

        /**
         * The next {@code n} bytes, a view valid only until the next call, which may move the
         * buffer's bytes; null if the file ends (or the limit comes) first.
         */
        ByteBuffer take(int n) throws IOException {
            if (buffer.remaining() < n && !fill(n)) {
                return null;
            }
            ByteBuffer view = buffer.slice(buffer.position(), n);
            buffer.position(buffer.position() + n);
            return view;
        }

        /** Moves the unread bytes to the front (into a larger buffer if {@code n} needs one) and reads on. */
        private boolean fill(int n) throws IOException {
            long at = position();
            if (n > limit - at) {
                return false;
            }
            if (n > buffer.capacity()) {
                buffer = ByteBuffer.allocate(n).put(buffer);
            } else {
                buffer.compact();
            }
            buffer.limit((int) Math.min(buffer.capacity(), limit - at));
            while (buffer.position() < n) {
                if (channel.read(buffer, at + buffer.position()) < 0) {
                    return false;
                }
            }
            buffer.flip();
            bufferStart = at;
            return true;
        }
    }
}
