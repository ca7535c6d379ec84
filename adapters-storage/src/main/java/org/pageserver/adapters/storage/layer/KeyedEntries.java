package org.pageserver.adapters.storage.layer;

import java.nio.ByteBuffer;
import java.util.Arrays;
import org.pageserver.domain.page.Key;

/**
 * An index held in memory as the raw entries read from a layer file: fixed-size entries, each
 * beginning with an encoded key, sorted by it. No object per key, and a lookup is a binary search
 * comparing encoded keys, whose unsigned byte order is {@link Key}'s order. Delta and image layers
 * lay out the rest of an entry each their own way ({@link LayerIndex}, {@link ImageFormat}).
 */
final class KeyedEntries {
    private final byte[] entries;
    private final int entrySize;
    private final int count;

    KeyedEntries(byte[] entries, int entrySize) {
        if (entries.length % entrySize != 0) {
            throw new IllegalArgumentException("index of " + entries.length + " bytes is not whole " + entrySize + "-byte entries");
        }
        this.entries = entries;
        this.entrySize = entrySize;
        this.count = entries.length / entrySize;
    }

    int size() {
        return count;
    }

    /** The entry holding {@code key}, or -1. */
    int find(Key key) {
        byte[] probe = encode(key);
        int i = lowerBound(probe);
        return i < count && compareAt(i, probe) == 0 ? i : -1;
    }

    /** The first entry whose key is not below {@code key}; {@link #size()} if there is none. */
    int lowerBound(Key key) {
        return lowerBound(encode(key));
    }

    private int lowerBound(byte[] probe) {
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
        return Key.readFrom(ByteBuffer.wrap(entries, i * entrySize, Key.ENCODED_SIZE));
    }

    /** The u64 at {@code at} in entry {@code i}. */
    long longAt(int i, int at) {
        return ByteBuffer.wrap(entries).getLong(i * entrySize + at);
    }

    /** The u32 at {@code at} in entry {@code i}. */
    int intAt(int i, int at) {
        return ByteBuffer.wrap(entries).getInt(i * entrySize + at);
    }

    private int compareAt(int i, byte[] probe) {
        int from = i * entrySize;
        return Arrays.compareUnsigned(entries, from, from + Key.ENCODED_SIZE, probe, 0, Key.ENCODED_SIZE);
    }

    private static byte[] encode(Key key) {
        ByteBuffer b = ByteBuffer.allocate(Key.ENCODED_SIZE);
        key.writeTo(b);
        return b.array();
    }
}
