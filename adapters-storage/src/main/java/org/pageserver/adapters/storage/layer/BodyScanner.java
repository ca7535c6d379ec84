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
        Reader in = new Reader(channel, LayerFormat.HEADER_SIZE, limit);
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
                crc.update(tag);
                crc.update(head);
                ByteBuffer value = in.take(length);
                crc.update(value);
                versions.add(new Placed(key, lsn, position));
            } else if (kind == LayerFormat.TAG_COMMIT) {
                ByteBuffer fields = in.take(LayerFormat.COMMIT_SIZE - 1);
                if (fields == null) {
                    break;
                }
                crc.update(tag);
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
        private ByteBuffer buffer = ByteBuffer.allocate(READ_SIZE).limit(0);
        /** The file offset of the buffer's first byte. */
        private long bufferStart;

        Reader(FileChannel channel, long start, long limit) {
            this.channel = channel;
            this.bufferStart = start;
            this.limit = limit;
        }

        long position() {
            return bufferStart + buffer.position();
        }

        /** The next {@code n} bytes, valid until the next call; null if the file ends (or the limit comes) first. */
        ByteBuffer take(int n) throws IOException {
            if (buffer.remaining() < n && !fill(n)) {
                return null;
            }
            ByteBuffer view = buffer.slice(buffer.position(), n);
            buffer.position(buffer.position() + n);
            return view;
        }

        private boolean fill(int n) throws IOException {
            long at = position();
            if (n > limit - at) {
                return false;
            }
            ByteBuffer next = n > buffer.capacity() ? ByteBuffer.allocate(n) : ByteBuffer.allocate(buffer.capacity());
            next.put(buffer);
            int want = (int) Math.min(next.capacity(), limit - at);
            next.limit(want);
            while (next.position() < n) {
                if (channel.read(next, at + next.position()) < 0) {
                    return false;
                }
            }
            buffer = next.flip();
            bufferStart = at;
            return true;
        }
    }
}
