package org.pageserver.adapters.storage.layer;

import java.nio.ByteBuffer;
import org.pageserver.domain.lsn.Lsn;
import org.pageserver.domain.page.Key;

/**
 * A delta layer's key index ({@link LayerFormat}), searched in its raw bytes ({@link KeyedEntries}).
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

    private final KeyedEntries entries;

    LayerIndex(byte[] entries) {
        this.entries = new KeyedEntries(entries, ENTRY_SIZE);
    }

    static void writeEntry(ByteBuffer out, Key key, long offset, int length, Lsn minLsn) {
        key.writeTo(out);
        out.putLong(offset).putInt(length).putLong(minLsn.value());
    }

    int size() {
        return entries.size();
    }

    /** The entry holding {@code key}, or -1. */
    int find(Key key) {
        return entries.find(key);
    }

    /** The first entry whose key is not below {@code key}; {@link #size()} if there is none. */
    int lowerBound(Key key) {
        return entries.lowerBound(key);
    }

    Key key(int i) {
        return entries.key(i);
    }

    long offset(int i) {
        return entries.longAt(i, OFFSET_AT);
    }

    int length(int i) {
        return entries.intAt(i, LENGTH_AT);
    }

    Lsn minLsn(int i) {
        return Lsn.of(entries.longAt(i, MIN_LSN_AT));
    }
}
