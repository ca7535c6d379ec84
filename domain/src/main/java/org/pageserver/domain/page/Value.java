package org.pageserver.domain.page;

import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * What a key holds at one LSN. Page keys hold images (a whole page, which needs nothing older) or
 * deltas (patches onto the version before); size keys hold {@link RelSize}; the commit key holds
 * {@link CommitTimestamp}s. Each value has one binary form, used in memory, in the ingest log and
 * in layer files alike.
 */
public sealed interface Value permits Value.PageImage, Value.PageDelta, Value.CommitTimestamp, RelSize {
    byte TAG_IMAGE = 1;
    byte TAG_DELTA = 2;
    byte TAG_REL_SIZE = 3;
    byte TAG_COMMIT = 4;

    /** A whole page: reconstruction stops here. */
    record PageImage(byte[] page) implements Value {
        public PageImage {
            if (page.length != Page.SIZE) {
                throw new IllegalArgumentException("a page image is " + Page.SIZE + " bytes, not " + page.length);
            }
        }
    }

    /** Patches onto the page as it was at the previous version (zeros if there is none). */
    record PageDelta(List<Patch> patches) implements Value {
        public PageDelta {
            patches = List.copyOf(patches);
        }
    }

    /** A commit's timestamp, in microseconds since 1970-01-01 UTC. */
    record CommitTimestamp(long micros) implements Value {
    }

    /** True for a value that needs no older version to be read. */
    default boolean willInit() {
        return !(this instanceof PageDelta);
    }

    /** The encoded length, for memory accounting and file layout. */
    default int encodedSize() {
        if (this instanceof PageImage) {
            return 1 + Page.SIZE;
        } else if (this instanceof PageDelta d) {
            int size = 1 + 2;
            for (Patch p : d.patches()) {
                size += 4 + p.bytes().length;
            }
            return size;
        } else if (this instanceof RelSize s) {
            return 1 + 4 + 1 + 2 + 12 * s.truncations().size();
        }
        return 1 + 8;
    }

    default byte[] encode() {
        ByteBuffer out = ByteBuffer.allocate(encodedSize());
        encodeTo(out);
        return out.array();
    }

    /**
     * Puts the {@link #encode()} bytes into {@code out} at its position and advances it, so that a
     * writer can encode straight into its output buffer without an array per value.
     *
     * @throws BufferOverflowException if fewer than {@link #encodedSize()} bytes remain; nothing is written
     * @throws IllegalArgumentException if {@code out} is not big-endian, the order of every value's form
     */
    default void encodeTo(ByteBuffer out) {
        if (out.order() != ByteOrder.BIG_ENDIAN) {
            throw new IllegalArgumentException("values are encoded big-endian");
        }
        if (out.remaining() < encodedSize()) {
            throw new BufferOverflowException();
        }
        if (this instanceof PageImage i) {
            out.put(TAG_IMAGE).put(i.page());
        } else if (this instanceof PageDelta d) {
            out.put(TAG_DELTA).putShort((short) d.patches().size());
            for (Patch p : d.patches()) {
                out.putShort((short) p.offset()).putShort((short) p.bytes().length).put(p.bytes());
            }
        } else if (this instanceof RelSize s) {
            out.put(TAG_REL_SIZE).putInt((int) s.nblocks()).put((byte) (s.exists() ? 1 : 0))
                    .putShort((short) s.truncations().size());
            for (RelSize.Truncation t : s.truncations()) {
                out.putLong(t.lsn()).putInt((int) t.nblocks());
            }
        } else if (this instanceof CommitTimestamp c) {
            out.put(TAG_COMMIT).putLong(c.micros());
        }
    }

    static Value decode(ByteBuffer in) {
        byte tag = in.get();
        switch (tag) {
            case TAG_IMAGE -> {
                byte[] page = new byte[Page.SIZE];
                in.get(page);
                return new PageImage(page);
            }
            case TAG_DELTA -> {
                int n = in.getShort() & 0xFFFF;
                List<Patch> patches = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    int offset = in.getShort() & 0xFFFF;
                    byte[] bytes = new byte[in.getShort() & 0xFFFF];
                    in.get(bytes);
                    patches.add(new Patch(offset, bytes));
                }
                return new PageDelta(patches);
            }
            case TAG_REL_SIZE -> {
                long nblocks = in.getInt() & 0xFFFF_FFFFL;
                boolean exists = in.get() != 0;
                int n = in.getShort() & 0xFFFF;
                List<RelSize.Truncation> truncations = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    truncations.add(new RelSize.Truncation(in.getLong(), in.getInt() & 0xFFFF_FFFFL));
                }
                return new RelSize(nblocks, exists, truncations);
            }
            case TAG_COMMIT -> {
                return new CommitTimestamp(in.getLong());
            }
            default -> throw new IllegalArgumentException("unknown value tag " + tag);
        }
    }

    static Value decode(byte[] bytes) {
        return decode(ByteBuffer.wrap(bytes));
    }
}
