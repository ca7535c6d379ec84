package org.pageserver.adapters.storage.layer;

import java.nio.ByteBuffer;
import java.util.Arrays;
import org.pageserver.domain.lsn.Lsn;
import org.pageserver.domain.page.Key;

/**
 * A layer's key index, held in memory as the raw sorted entries read from the file: no object per
 * key, and a lookup is a binary search comparing encoded keys, whose unsigned byte order is
 * {@link Key}'s order.
 *
 * <pre>
 * entry := key:18B | versionsOffset:u64 | versionsLength:u32 | minLsn:u64     (38 bytes)
 * </pre>
 */
final class LayerIndex {
    static final int ENTRY_SIZE = Key.ENCODED_SIZE + 8 + 4 + 8;
    private static final int OFFSET_AT = Key.ENCODED_SIZE;
    private static final int LENGTH_AT = OFFSET_AT + 8;
    private static final int MIN_LSN_AT = LENGTH_AT + 4;

    private final byte[] entries;
    private final int count;

    LayerIndex(byte[] entries) {
        if (entries.length % ENTRY_SIZE != 0) {
            throw new IllegalArgumentException("index of " + entries.length + " bytes is not whole entries");
        }
        this.entries = entries;
        this.count = entries.length / ENTRY_SIZE;
    }

    static void writeEntry(ByteBuffer out, Key key, long offset, int length, Lsn minLsn) {
        key.writeTo(out);
        out.putLong(offset).putInt(length).putLong(minLsn.value());
    }

    int size() {
        return count;
    }

    /** The entry holding {@code key}, or -1. */
    int find(Key key) {
        int i = lowerBound(key);
        return i < count && compareAt(i, encode(key)) == 0 ? i : -1;
    }

    /** The first entry whose key is not below {@code key}; {@link #size()} if there is none. */
    int lowerBound(Key key) {
        byte[] probe = encode(key);
        int lo = 0;
        int hi = count;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (compareAt(mid, probe) < 0) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    Key key(int i) {
        return Key.readFrom(ByteBuffer.wrap(entries, i * ENTRY_SIZE, Key.ENCODED_SIZE));
    }

    long offset(int i) {
        return ByteBuffer.wrap(entries).getLong(i * ENTRY_SIZE + OFFSET_AT);
    }

    int length(int i) {
        return ByteBuffer.wrap(entries).getInt(i * ENTRY_SIZE + LENGTH_AT);
    }

    Lsn minLsn(int i) {
        return Lsn.of(ByteBuffer.wrap(entries).getLong(i * ENTRY_SIZE + MIN_LSN_AT));
    }

    private int compareAt(int i, byte[] probe) {
        int from = i * ENTRY_SIZE;
        return Arrays.compareUnsigned(entries, from, from + Key.ENCODED_SIZE, probe, 0, Key.ENCODED_SIZE);
    }

    private static byte[] encode(Key key) {
        ByteBuffer b = ByteBuffer.allocate(Key.ENCODED_SIZE);
        key.writeTo(b);
        return b.array();
    }
}
